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
# Commands that only print open no database: no file, no administrator, no password printed.
fresh="$data/fresh"
env -u KAOHE_ADMIN_PASSWORD KAOHE_DATA_DIR="$fresh" "$BIN" routes >"$data/print.out" 2>&1
env -u KAOHE_ADMIN_PASSWORD KAOHE_DATA_DIR="$fresh" "$BIN" --help >>"$data/print.out" 2>&1
grep -q "/cadres/:id" "$data/print.out" || { cat "$data/print.out"; echo "kaohe routes printed no routes"; exit 1; }
[ ! -e "$fresh" ] && ! grep -q "初始密码" "$data/print.out" || { echo "kaohe routes/--help touched the database"; exit 1; }
echo "routes and --help touch no database"

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
# The first password (even one from KAOHE_ADMIN_PASSWORD) must be changed before anything else.
[ "$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" "http://127.0.0.1:$port/")" = "http://127.0.0.1:$port/password" ] \
  || { echo "first login was not sent to the password form"; exit 1; }
csrf=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/password" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "current=smoke-admin-pass" --data-urlencode "new=Smoke-Own-Pass-7x" --data-urlencode "confirm=Smoke-Own-Pass-7x" \
  "http://127.0.0.1:$port/password")
[ "$code" = "303" ] || { echo "password change failed: HTTP $code"; exit 1; }
curl -fsS -b "$jar" "http://127.0.0.1:$port/" | grep -q "系统管理员" || { echo "home page after login failed"; exit 1; }
echo "login ok (first password changed)"

# A unit through the registry form (its category picked from the form's options).
page=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/units/new")
csrf=$(echo "$page" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
category=$(echo "$page" | tr '\n' ' ' | sed -n 's/.*name="categoryID"[^>]*>[^<]*<option value="\([0-9A-Fa-f-]\{36\}\)".*/\1/p')
code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "code=Z01" \
  --data-urlencode "name=张店镇" --data-urlencode "categoryID=$category" "http://127.0.0.1:$port/units")
[ "$code" = "303" ] || { echo "unit creation failed: HTTP $code (category '$category')"; exit 1; }
echo "unit created"
kill $pid; wait $pid 2>/dev/null || true

# Roster import through the binary: a broken file changes nothing and names every bad row; a good one commits.
good="$data/good.csv"; bad="$data/bad.csv"
header="干部编号,姓名,性别,出生日期,政治面貌,学历,职级,单位编码,单位名称,职务,主要负责人(是/否),职责(主职/兼职),任职日期"
printf '%s\n' "$header" "S001,张一,男,1975-03-02,中共党员,大学,正科,NOSUCH,某镇,党委书记,是,主职,2022-01-01" \
  "S001,张二,女,1980/13/40,中共党员,大学,副科,NOSUCH,某镇,副镇长,否,主职,2022-01-01" > "$bad"
set +e
"$BIN" import roster "$bad" >"$data/bad.out" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$data/bad.out"; echo "broken roster accepted (exit $status)"; exit 1; }
grep -q "第 3 行「出生日期」" "$data/bad.out" && grep -q "第 3 行「干部编号」" "$data/bad.out" && grep -q "第 2 行「单位编码」" "$data/bad.out" \
  || { cat "$data/bad.out"; echo "roster errors not named by row and column"; exit 1; }
echo "broken roster rejected with every problem named"
printf '%s\n' "$header" "S001,张一,男,1975-03-02,中共党员,大学,正科,Z01,张店镇,党委书记,是,主职,2022-01-01" \
  "S002,张二,女,1980/3/4,中共党员,大学,副科,Z01,张店镇,副镇长,否,主职,2022年1月1日" > "$good"
# The preview writes nothing: 新增 2 after it (and after the rejected file) proves it.
"$BIN" import roster "$good" --dry-run --preview "$data/preview.xlsx" >"$data/dry.out"
grep -q "预览（未写入" "$data/dry.out" && grep -q "新任职务：张店镇 党委书记（主职，主要负责人，2022-01-01 起）" "$data/dry.out" \
  && [ -s "$data/preview.xlsx" ] || { cat "$data/dry.out"; echo "dry run printed no preview"; exit 1; }
echo "dry run previewed the import"
"$BIN" import roster "$good" >"$data/import.out" 2>&1; grep -q "新增 2" "$data/import.out" || { cat "$data/import.out"; echo "good roster not imported"; exit 1; }
"$BIN" import roster "$good" >"$data/import2.out" 2>&1; grep -q "未变 2" "$data/import2.out" || { cat "$data/import2.out"; echo "re-import was not idempotent"; exit 1; }
echo "roster imported; re-import changed nothing"

"$BIN" audit verify | tee "$data/verify.out"
anchor=$(sed -n 's/^链头[^：]*：\([0-9]*:[0-9a-f]\{64\}\)$/\1/p' "$data/verify.out")
[ -n "$anchor" ] || { echo "audit verify printed no head"; exit 1; }
"$BIN" audit verify --expect "$anchor" >/dev/null || { echo "verify --expect rejected the current head"; exit 1; }
set +e
"$BIN" audit verify --expect "${anchor%%:*}:$(printf '0%.0s' $(seq 64))" >/dev/null 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { echo "verify --expect accepted a head the chain does not hold (exit $status)"; exit 1; }
echo "head recorded and checked with --expect"
# Backups: SQLite files (VACUUM INTO) or pg_dump archives on PostgreSQL.
if [ -z "${DATABASE_URL:-}" ]; then ext=sqlite; else ext=dump; fi
# A backup while the server runs (and answers), restored elsewhere: the same audit head, verified there. The server's
# schedule makes its first backup soon after it starts (02:00 was missed today).
"$BIN" serve --hostname 127.0.0.1 --port "$port" >"$data/serve2.log" 2>&1 &
pid=$!
for i in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
"$BIN" backup --to "$data/backups" >"$data/backup.out" 2>&1 || { cat "$data/backup.out"; echo "backup failed"; exit 1; }
[ "$(curl -fsS "http://127.0.0.1:$port/healthz")" = "ok" ] || { echo "server stopped answering during the backup"; exit 1; }
for i in $(seq 60); do ls "$KAOHE_DATA_DIR"/backups/auto/kaohe-*."$ext" >/dev/null 2>&1 && break; sleep 0.5; done
ls "$KAOHE_DATA_DIR"/backups/auto/kaohe-*."$ext" >/dev/null 2>&1 || { cat "$data/serve2.log"; echo "the server made no scheduled backup"; exit 1; }
# A democratic evaluation as staff and voters run it: a campaign from a preset, a session of 张店镇, two codes, one
# ballot by the phone form and one by JSON; then the server's log must hold neither code.
base="http://127.0.0.1:$port"
csrf=$(curl -fsS -b "$jar" "$base/campaigns" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
campaign=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "title=2026年度考核" \
  --data-urlencode "kind=annual" --data-urlencode "year=2026" --data-urlencode "cutoff=2026-12-31" --data-urlencode "preset=lushan-2022" \
  "$base/campaigns")
campaign=${campaign%%\?*}
[ -n "$campaign" ] || { echo "campaign not created"; exit 1; }
unit=$(curl -fsS -b "$jar" "$campaign" | sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">张店镇（Z01）.*/\1/p' | head -1)
session=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "unit=$unit" \
  --data-urlencode "heldOn=2026-12-20" --data-urlencode "place=会议室" --data-urlencode "categories=班子成员 2" "$campaign/sessions")
session=${session%%\?*}
[ -n "$session" ] || { echo "session not created (unit '$unit')"; exit 1; }
curl -fsS -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "category=班子成员" --data-urlencode "count=2" "$session/codes" >"$data/slips.html"
codes=$(grep -o '[2-9A-HJ-NP-Z]\{5\}-[2-9A-HJ-NP-Z]\{5\}' "$data/slips.html" | sort -u)
[ "$(echo "$codes" | wc -l)" = 2 ] && grep -q "<svg" "$data/slips.html" || { echo "no slips with codes and QR codes"; exit 1; }
c1=$(echo "$codes" | head -1); c2=$(echo "$codes" | tail -1)
# The phone: open the ballot from the QR link, answer every item with its first option, submit.
curl -fsS "$base/v?c=$c1" >"$data/ballot.html"
form=$(grep -o 'name="[^"]*" value="[^"]*"' "$data/ballot.html" | grep -v 'name="code"' | awk -F'"' '!seen[$2]++ { printf "--data-urlencode %s=%s\n", $2, $4 }')
[ -n "$form" ] || { echo "ballot page has no items"; exit 1; }
# shellcheck disable=SC2086
curl -fsS $form --data-urlencode "code=$c1" "$base/v/ballot" | grep -q "投票成功" || { echo "phone ballot not accepted"; exit 1; }
json=$(grep -o 'name="[^"]*" value="[^"]*"' "$data/ballot.html" | grep -v 'name="code"' | awk -F'"' '!seen[$2]++ { printf "%s\"%s\": \"%s\"", (n++ ? ", " : ""), $2, $4 }')
answer=$(curl -sS -w ' %{http_code}' -H 'Content-Type: application/json' -d "{\"code\": \"$c2\", \"answers\": {$json}}" "$base/api/v1/ballots")
[ "${answer##* }" = 201 ] || { echo "JSON ballot not accepted: $answer"; exit 1; }
again=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "{\"code\": \"$c2\", \"answers\": {$json}}" "$base/api/v1/ballots")
[ "$again" = 409 ] || { echo "a used code was accepted again: HTTP $again"; exit 1; }
curl -fsS -b "$jar" "$session" | grep -q "<th>合计</th><th>2</th><th>2</th><th>2</th><th>0</th><th>2</th><th>0</th>" || { echo "turnout does not show the two ballots"; exit 1; }
for c in $c1 $c2; do
  if grep -q -e "$c" -e "${c/-/}" "$data/serve2.log"; then echo "a code is in the server's log"; exit 1; fi
done
echo "democratic evaluation: slips with QR codes, a phone and a JSON ballot counted, a used code refused, no code in the log"
kill $pid; wait $pid 2>/dev/null || true
file=$(sed -n 's/^备份完成：//p' "$data/backup.out")
bhead=$(sed -n 's/.*链头 \([0-9]*:[0-9a-f]\{64\}\).*/\1/p' "$data/backup.out")
[ -s "$file" ] && [ "${file##*.}" = "$ext" ] && [ -n "$bhead" ] || { cat "$data/backup.out"; echo "backup printed no file or head"; exit 1; }
restored="$data/restored"
if [ -n "${DATABASE_URL:-}" ]; then
  target_url="${DATABASE_URL%/*}/kaohe_smoke_restore"
  psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS kaohe_smoke_restore" -c "CREATE DATABASE kaohe_smoke_restore"
else
  target_url=""
fi
DATABASE_URL="$target_url" KAOHE_DATA_DIR="$restored" "$BIN" restore "$file" --key "$data/audit.key" >"$data/restore.out" 2>&1 || true
grep -q "链头 $bhead" "$data/restore.out" || { cat "$data/restore.out"; echo "restore did not end at the backup's head"; exit 1; }
DATABASE_URL="$target_url" KAOHE_DATA_DIR="$restored" "$BIN" audit verify --expect "$bhead" >/dev/null || { echo "restored chain does not verify"; exit 1; }
set +e
DATABASE_URL="$target_url" KAOHE_DATA_DIR="$restored" "$BIN" restore "$file" --key "$data/audit.key" >/dev/null 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { echo "restore over a database was not refused (exit $status)"; exit 1; }
[ -z "$target_url" ] || psql "$DATABASE_URL" -qc "DROP DATABASE kaohe_smoke_restore"
# kill -9 in the middle of backups: whatever carries a final name is whole.
for i in 1 2 3 4 5 6; do
  "$BIN" backup --to "$data/killed" >/dev/null 2>&1 &
  b=$!
  sleep "0.$((RANDOM % 8))"
  kill -9 "$b" 2>/dev/null || true
  wait "$b" 2>/dev/null || true
  sleep 1  # distinct file names (one a second)
done
for f in "$data"/killed/kaohe-*."$ext"; do
  [ -e "$f" ] || continue
  if [ "$ext" = sqlite ]; then
    [ "$(sqlite3 "$f" 'PRAGMA integrity_check')" = "ok" ] || { echo "a killed backup left a damaged file under a final name: $f"; exit 1; }
  else
    pg_restore --list "$f" >/dev/null || { echo "a killed backup left a damaged archive under a final name: $f"; exit 1; }
  fi
done
echo "backup while serving (and a scheduled one), restore elsewhere with the same head; killed backups leave no partial file under a final name ($(ls "$data"/killed/kaohe-*."$ext" 2>/dev/null | wc -l) whole of 6)"
if [ -z "${DATABASE_URL:-}" ]; then
  # A mistyped data directory is not backed up as a new, empty database.
  set +e
  KAOHE_DATA_DIR="$data/typo" "$BIN" backup --to "$data/typo-backups" >/dev/null 2>&1
  status=$?
  set -e
  [ "$status" -eq 1 ] && [ ! -e "$data/typo/kaohe.sqlite" ] || { echo "backup of a missing database did not fail cleanly"; exit 1; }
fi
[ -f "$KAOHE_DATA_DIR/audit.key" ] || { echo "no audit key file"; exit 1; }
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
