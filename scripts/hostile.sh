#!/usr/bin/env bash
# Hostile input against the running binary (issue 7): each request must get a clear answer and the server must
# still answer /healthz afterwards; its peak memory stays a bounded multiple of the largest upload.
# Files are made with python3's zipfile (a test tool; the server itself runs no Python).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KAOHE_BIN:-.build/debug/kaohe}
[ -x "$BIN" ] || swift build --product kaohe >/dev/null
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export KAOHE_DATA_DIR="$data" KAOHE_ADMIN_PASSWORD="hostile-admin-pass"
unset DATABASE_URL
jar="$data/cookies"
"$BIN" serve --hostname 127.0.0.1 --port "$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for i in $(seq 60); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

alive() {
  [ "$(curl -fsS --max-time 10 "$base/healthz" 2>/dev/null)" = "ok" ] || { tail -20 "$data/serve.log"; echo "FAIL: server down after: $1"; exit 1; }
  echo "ok: $1"
}
expect() {  # expect WHAT CODE ACTUAL
  [ "$2" = "$3" ] || { tail -20 "$data/serve.log"; echo "FAIL: $1: HTTP $3, expected $2"; exit 1; }
  alive "$1 → $3"
}
csrf_of() { curl -fsS -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }

# Log in and choose an own password (the first one must be changed).
csrf=$(csrf_of /login)
curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode username=admin \
  --data-urlencode password=hostile-admin-pass "$base/login"
csrf=$(csrf_of /password)
curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode current=hostile-admin-pass \
  --data-urlencode new=Hostile-Own-Pass-9 --data-urlencode confirm=Hostile-Own-Pass-9 "$base/password"
expect "home after login" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/")"

# Numbers that would overflow.
expect "cadres ?page=999999999999999999" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/cadres?page=999999999999999999")"
expect "audit ?page=Int.max" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/audit?page=9223372036854775807")"
expect "audit ?before=Int.min&after=x" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/audit?before=-9223372036854775808&after=x")"
expect "audit ?after=Int.max&entity=cadre" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/audit?after=9223372036854775807&entity=cadre")"
expect "accounts ?page=-5&q=%_" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/accounts?page=-5&q=%25_")"
expect "units ?page=999999999999999999" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/units?page=999999999999999999")"
# (curl 7.88 hangs by itself on a URL over ~8 kB with a cookie jar: it sends an empty Cookie header and waits.)
expect "cadres ?unit=<5 kB code>" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/cadres?unit=$(head -c 5000 /dev/zero | tr '\0' 'U')&rank=x")"
expect "export ?q=%&status=nopost" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/roster/export.xlsx?q=%25&status=nopost")"

head -c $((2 << 20)) /dev/zero | tr '\0' a > "$data/2mb"
# Voters' routes take no login: hostile codes, bodies and answers get a 4xx, never a 500.
expect "vote ?c=<5 kB>" 422 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/v?c=$(head -c 5000 /dev/zero | tr '\0' 'A')")"
expect "vote ?c=%00" 422 "$(curl -sS -o /dev/null -w '%{http_code}' "$base/v?c=%00")"
expect "ballot API: not JSON" 400 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary '{"code": [1,' "$base/api/v1/ballots")"
expect "ballot API: unknown code, 20,000 answers" 404 "$(python3 -c 'import json; print(json.dumps({"code": "ABCDE-FGH23", "answers": {"k%d" % i: "x" * 20 for i in range(20000)}}))' \
  | curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$base/api/v1/ballots")"
expect "ballot API: 2 MB body" 413 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$data/2mb" "$base/api/v1/ballots")"
expect "ballot form: 2 MB body" 413 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$data/2mb" "$base/v/ballot")"

# Off-site redirects after login.
c=$(curl -fsS -b "$data/jar2" -c "$data/jar2" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$data/jar2" -c "$data/jar2" --data-urlencode "_csrf=$c" \
  --data-urlencode username=admin --data-urlencode password=Hostile-Own-Pass-9 --data-urlencode "next=/	/evil.example" "$base/login")
[ "$loc" = "$base/" ] || { echo "FAIL: login sent the browser to $loc"; exit 1; }
alive "next=/<TAB>/evil.example stays on the site"

# Bodies before anyone is known: 2 MB to a form, 60 MB to the upload route without a session.
expect "2 MB form body" 413 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$data/2mb" "$base/units/categories")"
head -c $((60 << 20)) /dev/zero > "$data/60mb"
expect "60 MB upload, not logged in" 401 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: multipart/form-data; boundary=x' --data-binary @"$data/60mb" "$base/roster/import")"

# Spreadsheets made to hurt.
python3 - "$data" <<'PY'
import sys, zipfile
d = sys.argv[1]
ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
wb = f'<workbook xmlns="{ns}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="干部" sheetId="1" r:id="rId1"/></sheets></workbook>'
rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
def book(name, sheet, extra=()):
    with zipfile.ZipFile(f'{d}/{name}', 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('xl/workbook.xml', wb); z.writestr('xl/_rels/workbook.xml.rels', rels)
        z.writestr('xl/worksheets/sheet1.xml', sheet)
        for path, data in extra: z.writestr(path, data)
head = f'<worksheet xmlns="{ns}"><sheetData>'
book('columns.xlsx', head + '<row r="1"><c r="AAAAAAAAAAAAAAAA1" t="inlineStr"><is><t>干部编号</t></is></c></row></sheetData></worksheet>')
book('rows.xlsx', head + '<row r="99999999999999999999"><c r="A1"><v>1</v></c></row><row r="2000000"><c><v>1</v></c></row></sheetData></worksheet>')
book('bomb.xlsx', head + '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
     [('xl/sharedStrings.xml', f'<sst xmlns="{ns}"><si><t>' + ' ' * (400 << 20) + '</t></si></sst>')])
book('endless.xlsx', head + '<row r="1">' + '<c><v>1</v></c>' * (3 << 20))
with zipfile.ZipFile(f'{d}/entries.xlsx', 'w', zipfile.ZIP_STORED) as z:
    z.writestr('xl/workbook.xml', wb)
    for i in range(20000): z.writestr(f'junk/{i}.xml', '<x/>')
with open(f'{d}/longline.csv', 'w', encoding='utf-8') as f:
    f.write('干部编号,姓名\n' + 'A' * (30 << 20) + ',张三\n')
PY
upload() {  # upload FILE → HTTP code
  local c; c=$(csrf_of /roster/import)
  curl -sS -o "$data/upload.out" -w '%{http_code}' -b "$jar" -F "_csrf=$c" -F "file=@$1" "$base/roster/import"
}
for f in columns.xlsx rows.xlsx bomb.xlsx endless.xlsx entries.xlsx longline.csv; do
  size=$(stat -c %s "$data/$f")
  expect "upload $f ($size bytes)" 422 "$(upload "$data/$f")"
done

# Security events are in the server log; passwords and session tokens are not.
c=$(curl -fsS -b "$data/jar3" -c "$data/jar3" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sS -o /dev/null -b "$data/jar3" -c "$data/jar3" --data-urlencode "_csrf=$c" --data-urlencode username=admin \
  --data-urlencode password=Wrong-Guess-4711 "$base/login"
curl -sS -o /dev/null -b "$jar" "$base/accounts/00000000-0000-0000-0000-000000000000"
for event in "安全事件：登录成功" "安全事件：登录失败" "安全事件：记录不存在或不在权限范围内"; do
  grep -q "$event" "$data/serve.log" || { echo "FAIL: no '$event' in the server log"; exit 1; }
done
token=$(awk '$6 ~ /kaohe_session/ {print $7}' "$jar" | tail -1)
for secret in hostile-admin-pass Hostile-Own-Pass-9 Wrong-Guess-4711 "$token"; do
  [ -n "$secret" ] && ! grep -qF -- "$secret" "$data/serve.log" || { echo "FAIL: a secret is in the server log"; exit 1; }
done
echo "ok: security events logged, no password or session token in the log"

peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "server peak memory: $((peak / 1024)) MB"
[ "$peak" -lt $((1536 * 1024)) ] || { echo "FAIL: peak memory ${peak} kB is not bounded"; exit 1; }
echo "hostile input test passed"
