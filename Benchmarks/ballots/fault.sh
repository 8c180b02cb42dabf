#!/usr/bin/env bash
# Fault (issue 10): SIGKILL the server in the middle of a ballot load, start it again, and check that
#   - every ballot that got a success answer is counted exactly once (its code answers "already used"),
#   - no code is used without its ballot (used codes = ballots tallied),
#   - resubmitting the unacknowledged ones succeeds, or says "already used" when the ballot was stored before the kill,
#     so that in the end every code is counted exactly once.
# The client is curl, 50 at a time, each recording its code and the HTTP status it got (000: no answer).
#
#   KAOHE_BIN=/path/to/kaohe N=3000 Benchmarks/ballots/fault.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ncodes="${N:-3000}"
if [[ -z "${KAOHE_BIN:-}" ]]; then
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning KAOHE_BACKUP_TIME=off
cd "$root"
"$KAOHE_BIN" demo >/dev/null 2>&1
source "$here/../serve.sh"
serve_and_log_in
source "$here/session.sh"
ballot_session "$ncodes"
export base work
submit() { printf '%s %s\n' "$1" "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
  -d "{\"code\":\"$1\",\"answers\":{$(cat "$work/answers")}}" "$base/api/v1/ballots" 2>/dev/null || true)"; }
export -f submit

# The load, and a SIGKILL one second into it.
(xargs -P 50 -I{} bash -c 'submit {}' <"$work/codes" >"$work/first.txt") &
load=$!
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
wait "$load" || true
acked=$(grep -c ' 201$' "$work/first.txt" || true)
echo "before the kill: $acked ballots acknowledged of $(wc -l <"$work/first.txt") tried"

# Again, on the same data.
port=$((20000 + RANDOM % 20000)); base="http://127.0.0.1:$port"
"$KAOHE_BIN" serve --hostname 127.0.0.1 --port "$port" >"$work/serve2.log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
export base
grep ' 201$' "$work/first.txt" | cut -d' ' -f1 >"$work/acked"
xargs -P 20 -I{} bash -c 'submit {}' <"$work/acked" >"$work/acked-again.txt"
bad=$(grep -vc ' 409$' "$work/acked-again.txt" || true)
[[ "$bad" == 0 ]] || { echo "FAIL: $bad acknowledged ballots were not found as used after the restart"; exit 1; }
echo "every acknowledged ballot's code is used after the restart"
grep -v ' 201$' "$work/first.txt" | cut -d' ' -f1 >"$work/unacked" || true
xargs -P 20 -I{} bash -c 'submit {}' <"$work/unacked" >"$work/unacked-again.txt"
echo "resubmitted $(wc -l <"$work/unacked") unacknowledged: $(grep -c ' 201$' "$work/unacked-again.txt" || true) accepted now, $(grep -c ' 409$' "$work/unacked-again.txt" || true) already stored before the kill, $(grep -vcE ' (201|409)$' "$work/unacked-again.txt" || true) other"
curl -fsS "$base/healthz" >/dev/null || { tail -5 "$work/serve2.log"; echo "FAIL: the restarted server is not answering"; exit 1; }
log_in Bench-Own-Pass-42
csrf=$(csrf_of /campaigns)
session="$base$(echo "$session" | sed 's|^http://[^/]*||')"  # the address of the restarted server
curl -sS -o /dev/null -b "$jar" --data-urlencode "_csrf=$csrf" "$session/close"
page=$(curl -sS -b "$jar" "$session")
used=$(echo "$page" | tr -d '\n' | grep -o '<th>合计</th><th>[0-9]*</th><th>[0-9]*</th><th>[0-9]*</th>' | grep -o '[0-9]\+' | tail -1 || true)
stored=$(echo "$page" | grep -o '测评结果（[0-9]* 票）' | grep -o '[0-9]\+' || true)
echo "codes: $ncodes, used: $used, ballots tallied: $stored"
[[ "$used" == "$stored" ]] || { echo "FAIL: a code is used without its ballot (or a ballot without its code)"; exit 1; }
[[ "$stored" == "$ncodes" ]] || { echo "FAIL: not every code counted exactly once"; exit 1; }
echo "every code counted exactly once"
