#!/usr/bin/env bash
# Smoke test of the built binary, as a new user would use it: start the server, check /healthz,
# log in through the form, change the audit log by one byte and see `kaohe audit verify` catch it.
# Uses SQLite in a temporary KAOHE_DATA_DIR, or PostgreSQL when DATABASE_URL is set (needs psql).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KAOHE_BIN:-.build/debug/kaohe}
[ -x "$BIN" ] || swift build --product kaohe >/dev/null
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export KAOHE_DATA_DIR="$data" KAOHE_ADMIN_PASSWORD="smoke-admin-pass"
jar="$data/cookies"
"$BIN" serve --hostname 127.0.0.1 --port "$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for i in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
[ "$(curl -fsS "http://127.0.0.1:$port/healthz")" = "ok" ] || { cat "$data/serve.log"; echo "healthz failed"; exit 1; }
echo "healthz ok"

csrf=$(curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "username=admin" --data-urlencode "password=smoke-admin-pass" "http://127.0.0.1:$port/login")
[ "$code" = "303" ] || { echo "login failed: HTTP $code"; exit 1; }
curl -fsS -b "$jar" "http://127.0.0.1:$port/" | grep -q "系统管理员" || { echo "home page after login failed"; exit 1; }
echo "login ok"
kill $pid; wait $pid 2>/dev/null || true

"$BIN" audit verify
if [ -n "${DATABASE_URL:-}" ]; then
  psql "$DATABASE_URL" -qc "UPDATE audit_entries SET after = REPLACE(after, 'admin', 'admim') WHERE seq = 1"
else
  sqlite3 "$data/kaohe.sqlite" "UPDATE audit_entries SET after = REPLACE(after, 'admin', 'admim') WHERE seq = 1"
fi
set +e
"$BIN" audit verify
status=$?
set -e
[ "$status" -eq 1 ] || { echo "audit verify did not detect tampering (exit $status)"; exit 1; }
echo "smoke test passed"
