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
# A county to evaluate (units, cadres, an organisation-department account): `kaohe demo`, before the server starts.
"$BIN" demo >"$data/demo.out" 2>&1 || { cat "$data/demo.out"; echo "FAIL: kaohe demo"; exit 1; }
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
python3 -c 'import sys; n = 400000; sys.stdout.write("{\"code\":\"A\",\"answers\":{},\"x\":" + "[" * n + "]" * n + "}")' > "$data/deep.json"
expect "ballot API: 400,000 levels of nesting in a skipped member" 400 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$data/deep.json" "$base/api/v1/ballots")"
head -c $((64 << 20)) /dev/zero | gzip -c > "$data/bomb.gz"  # 64 MB of zeros in 64 kB: the server must not inflate it
expect "ballot API: gzip bomb (Content-Encoding: gzip)" 400 "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' --data-binary @"$data/bomb.gz" "$base/api/v1/ballots")"
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

# The democratic evaluation's staff forms, in the county of `kaohe demo`: a campaign and two sessions (城关镇 A,
# 河口镇 B) made through the forms, then attacked. A refusal is a 4xx with the form again, never a 500.
csrf=$(csrf_of /campaigns)
form() {  # form PATH CURL-ARGS… → HTTP code of a form POST with the CSRF token (the answer in $data/page.html)
  curl -sS -o "$data/page.html" -w '%{http_code}' -b "$jar" --data-urlencode "_csrf=$csrf" "${@:2}" "$base$1"
}
new_campaign() {  # new_campaign TITLE KIND YEAR CUTOFF PRESET [CURL-ARGS…] → HTTP code; multipart, as the browser sends it
  curl -sS -o "$data/page.html" -w '%{http_code}' -b "$jar" -F "_csrf=$csrf" --form-string "title=$1" --form-string "kind=$2" \
    --form-string "year=$3" --form-string "cutoff=$4" --form-string "preset=$5" "${@:6}" "$base/campaigns"
}
head -c $((1 << 20)) /dev/zero | tr '\0' p > "$data/1mb"
head -c 900000 /dev/zero | tr '\0' p > "$data/900kb"
head -c 100000 /dev/zero | tr '\0' r > "$data/100kb"
head -c $((5 << 20)) /dev/zero | tr '\0' '[' > "$data/deep-5mb.json"
head -c 500000 /dev/zero | tr '\0' '[' > "$data/deep-500kb.json"
printf '{"name": "\xff\xfe\xc0\xaf", "title": "\xed\xa0\x80"}\xff' > "$data/not-utf8.json"
"$BIN" policy show lushan-2022 | python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode().encode("gbk"))' > "$data/gbk.json"
python3 -c 'print("\n".join("类别%d %d" % (i, i % 10) for i in range(10000)))' > "$data/categories-10k"
python3 -c 'print("&".join("x%d=1" % i for i in range(20000)), end="")' > "$data/fields-20k"

# 考核: a new campaign.
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" -F "_csrf=$csrf" -F title=靶子 -F kind=annual -F year=2026 \
  -F cutoff=2026-12-31 -F preset=lushan-2022 "$base/campaigns")
campaign=${loc#"$base"}; campaign=${campaign%%\?*}
[[ "$campaign" == /campaigns/* ]] || { tail -20 "$data/serve.log"; echo "FAIL: no campaign made through the form"; exit 1; }
expect "campaign: title of 100 characters (valid)" 303 "$(new_campaign "$(printf '考%.0s' $(seq 100))" annual 2026 2026-12-31 lushan-2022)"
expect "campaign: title of 100 kB" 422 "$(new_campaign "$(head -c 100000 /dev/zero | tr '\0' t)" annual 2026 2026-12-31 lushan-2022)"
expect "campaign: title with %00 (form)" 422 "$(form /campaigns --data 'title=a%00b' --data kind=annual --data year=2026 --data cutoff=2026-12-31 --data preset=lushan-2022)"
expect "campaign: year 99999999999999999999" 422 "$(new_campaign 年度 annual 99999999999999999999 2026-12-31 lushan-2022)"
expect "campaign: year -1" 422 "$(new_campaign 年度 annual -1 2026-12-31 lushan-2022)"
expect "campaign: cutoff 2026-02-30" 422 "$(new_campaign 年度 annual 2026 2026-02-30 lushan-2022)"
expect "campaign: cutoff of 10 kB" 422 "$(new_campaign 年度 annual 2026 "$(head -c 10000 /dev/zero | tr '\0' 9)" lushan-2022)"
expect "campaign: kind unknown" 422 "$(new_campaign 年度 weekly 2026 2026-12-31 lushan-2022)"
expect "campaign: preset unknown" 422 "$(new_campaign 年度 annual 2026 2026-12-31 no-such-preset)"
expect "campaign: neither preset nor policy file" 422 "$(new_campaign 年度 annual 2026 2026-12-31 "")"
expect "campaign: policy file of 5 MB of [" 413 "$(new_campaign 年度 annual 2026 2026-12-31 "" -F "policyFile=@$data/deep-5mb.json;type=application/json")"
expect "campaign: policy file of 500 kB of [ (parsed)" 422 "$(new_campaign 年度 annual 2026 2026-12-31 "" -F "policyFile=@$data/deep-500kb.json;type=application/json")"
expect "campaign: policy file not UTF-8" 422 "$(new_campaign 年度 annual 2026 2026-12-31 "" -F "policyFile=@$data/not-utf8.json;type=application/json")"
expect "campaign: preset and policy file both" 422 "$(new_campaign 年度 annual 2026 2026-12-31 lushan-2022 -F "policyFile=@$data/not-utf8.json")"

# 参加考核的调整: a cadre of the campaign page, taken out with a reason (valid), then hostile changes.
curl -fsS -b "$jar" "$base$campaign" >"$data/campaign.html"  # (to a file: `| head -1` would cut a long page's pipe)
cadre=$(sed -n 's/.*name="cadre" value="\([0-9A-Fa-f-]\{36\}\)".*/\1/p' "$data/campaign.html" | awk 'NR == 1')
expect "participation: valid change" 303 "$(form "$campaign/participation" --data-urlencode "cadre=$cadre" --data-urlencode participates=不参加 --data-urlencode reason=病假 --data-urlencode confirm=是)"
expect "participation: unknown cadre id" 422 "$(form "$campaign/participation" --data-urlencode cadre=00000000-0000-0000-0000-000000000000 --data-urlencode participates=参加 --data-urlencode reason=病假 --data-urlencode confirm=是)"
expect "participation: cadre id not a UUID" 422 "$(form "$campaign/participation" --data-urlencode "cadre=../$cadre" --data-urlencode participates=参加 --data-urlencode reason=病假 --data-urlencode confirm=是)"
expect "participation: reason of 100 kB" 422 "$(form "$campaign/participation" --data-urlencode "cadre=$cadre" --data-urlencode participates=参加 --data-urlencode "reason@$data/100kb" --data-urlencode confirm=是)"
# 等次评定 in the demo's campaign (it stands in 等次评定): hostile decisions, special-report tasks.
graded=$(curl -fsS -b "$jar" "$base/campaigns" | python3 -c 'import re, sys; m = re.search(r"href=\"(/campaigns/[0-9A-Fa-f-]{36})\">[^<]*年度领导班子[^<]*演示", sys.stdin.read()); print(m.group(1) if m else "")')
[[ "$graded" == /campaigns/* ]] || { echo "FAIL: the demo campaign is not listed"; exit 1; }
expect "decision: subject unknown" 422 "$(form "$graded/decisions" --data-urlencode subject=unit --data-urlencode code=X01 --data-urlencode grade=优秀)"
expect "decision: code of 100 kB" 422 "$(form "$graded/decisions" --data-urlencode subject=cadre --data-urlencode "code@$data/100kb" --data-urlencode grade=优秀)"
expect "decision: grade of 100 kB" 422 "$(form "$graded/decisions" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode "grade@$data/100kb")"
expect "decision: reason of 100 kB" 422 "$(form "$graded/decisions" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode grade=优秀 --data-urlencode "reason@$data/100kb")"
expect "decision: page 99999999999999999999 (a valid decision)" 303 "$(form "$graded/decisions" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode grade=良好 --data-urlencode page=99999999999999999999)"
expect "decision: in a campaign still in 准备" 422 "$(form "$campaign/decisions" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode grade=良好)"
expect "task: rule unknown" 422 "$(form "$graded/tasks" --data-urlencode rule=R-X9 --data-urlencode subject=X01 --data-urlencode assignee=甲 --data-urlencode due=2027-01-10)"
expect "task: assignee of 100 kB" 422 "$(form "$graded/tasks" --data-urlencode rule=R-T2 --data-urlencode subject=X01 --data-urlencode "assignee@$data/100kb" --data-urlencode due=2027-01-10)"
expect "task: due 2027-02-30" 422 "$(form "$graded/tasks" --data-urlencode rule=R-T2 --data-urlencode subject=X01 --data-urlencode assignee=甲 --data-urlencode due=2027-02-30)"
task=$(curl -fsS -b "$jar" "$base$graded/result" | grep -o "$graded/tasks/[0-9A-Fa-f-]\{36\}/done" | awk 'NR == 1')
[[ -n "$task" ]] || { echo "FAIL: the demo board has no open special-report task"; exit 1; }
expect "task done: summary of 100 kB" 422 "$(form "$task" --data-urlencode "summary@$data/100kb")"
expect "task done: empty summary" 422 "$(form "$task" --data-urlencode summary=)"
expect "task done: date 99999999999999999999" 422 "$(form "$task" --data-urlencode summary=已报 --data-urlencode on=99999999999999999999)"
expect "task done: unknown task" 404 "$(form "$graded/tasks/00000000-0000-0000-0000-000000000000/done" --data-urlencode summary=已报)"
expect "task done: task id not a UUID" 404 "$(form "$graded/tasks/not-a-uuid/done" --data-urlencode summary=已报)"
expect "task done: the task under another campaign" 404 "$(form "$campaign/tasks/${task#"$graded/tasks/"}" --data-urlencode summary=已报)"
expect "approval: special reports still open" 422 "$(form "$graded/phase" --data-urlencode to=approval --data-urlencode meeting=县委常委会)"
# 考核登记表 (the new campaign, in 准备): hostile summaries, grades and ids.
cadre2=$(sed -n 's/.*name="cadre" value="\([0-9A-Fa-f-]\{36\}\)".*/\1/p' "$data/campaign.html" | awk 'NR == 2')
expect "registration: valid summary" 303 "$(form "$campaign/registration" --data-urlencode "cadre=$cadre2" --data-urlencode summary=认真履职)"
expect "registration: summary of 1 MB" 413 "$(form "$campaign/registration" --data-urlencode "cadre=$cadre2" --data-urlencode "summary@$data/1mb")"
expect "registration: summary of 900 kB" 422 "$(form "$campaign/registration" --data-urlencode "cadre=$cadre2" --data-urlencode "summary@$data/900kb")"
expect "registration: summary with %00" 422 "$(form "$campaign/registration" --data-urlencode "cadre=$cadre2" --data 'summary=a%00b')"
expect "registration: unit grade unknown" 422 "$(form "$campaign/registration" --data-urlencode "cadre=$cadre2" --data-urlencode unitGrade=特优)"
expect "registration: cadre not a UUID" 404 "$(form "$campaign/registration" --data-urlencode "cadre=../$cadre2" --data-urlencode summary=x)"
expect "registration: print of an unknown unit" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$campaign/registration/print?unit=00000000-0000-0000-0000-000000000000")"
# 试用期满干部名单 (the demo's probation-end campaign, in 准备).
probation=$(curl -fsS -b "$jar" "$base/campaigns" | python3 -c 'import re, sys; m = re.search(r"href=\"(/campaigns/[0-9A-Fa-f-]{36})\">[^<]*试用期满[^<]*演示", sys.stdin.read()); print(m.group(1) if m else "")')
[[ "$probation" == /campaigns/* ]] || { echo "FAIL: the demo probation-end campaign is not listed"; exit 1; }
expect "probation: code of 100 kB" 422 "$(form "$probation/probation" --data-urlencode "code@$data/100kb" --data-urlencode starts=2025-03-01)"
expect "probation: starts garbage" 422 "$(form "$probation/probation" --data-urlencode code=D0001 --data-urlencode "starts=2025-13-45'--")"
expect "probation: ends 9999-12-31" 422 "$(form "$probation/probation" --data-urlencode code=D0001 --data-urlencode starts=2025-03-01 --data-urlencode ends=9999-12-31)"
expect "probation: remove a cadre not listed" 422 "$(form "$probation/probation/remove" --data-urlencode cadre=00000000-0000-0000-0000-000000000000)"
expect "probation: the list of an annual campaign" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$graded/probation")"
# 工作阶段 of the new campaign (准备).
expect "phase: unknown" 422 "$(form "$campaign/phase" --data-urlencode to=done)"
expect "phase: of 100 kB" 422 "$(form "$campaign/phase" --data-urlencode "to@$data/100kb")"
expect "phase: skipping to 审定" 422 "$(form "$campaign/phase" --data-urlencode to=approval --data-urlencode meeting=会)"
expect "phase: date 2026-02-30" 422 "$(form "$campaign/phase" --data-urlencode to=fieldwork --data-urlencode on=2026-02-30)"
expect "phase: reason of 100 kB" 422 "$(form "$campaign/phase" --data-urlencode to=fieldwork --data-urlencode "reason@$data/100kb")"
expect "phase: meeting of 100 kB" 422 "$(form "$campaign/phase" --data-urlencode to=fieldwork --data-urlencode "meeting@$data/100kb")"
expect "phase: back from 准备" 422 "$(form "$campaign/phase" --data-urlencode to=prepare --data-urlencode reason=x)"
expect "exemption: unit not a UUID" 422 "$(form "$campaign/exemptions" --data-urlencode unit=城关镇 --data-urlencode reason=改革)"
expect "exemption: a UUID of no unit" 422 "$(form "$campaign/exemptions" --data-urlencode unit=00000000-0000-0000-0000-000000000000 --data-urlencode reason=改革)"
expect "exemption: reason of 100 kB" 422 "$(form "$campaign/exemptions" --data-urlencode unit=00000000-0000-0000-0000-000000000000 --data-urlencode "reason@$data/100kb")"
expect "interviews: the administrator may not read notes" 403 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$graded/interviews")"
expect "participation: decision 'maybe'" 422 "$(form "$campaign/participation" --data-urlencode "cadre=$cadre" --data-urlencode participates=maybe --data-urlencode reason=病假 --data-urlencode confirm=是)"
expect "participation: unknown campaign" 404 "$(form /campaigns/00000000-0000-0000-0000-000000000000/participation --data-urlencode "cadre=$cadre" --data-urlencode participates=参加 --data-urlencode reason=病假 --data-urlencode confirm=是)"

# 民主测评: sessions of the campaign.
unitA=$(sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">城关镇（X01）.*/\1/p' "$data/campaign.html" | awk 'NR == 1')
unitB=$(sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">河口镇（X02）.*/\1/p' "$data/campaign.html" | awk 'NR == 1')
expect "session: unit not a UUID" 422 "$(form "$campaign/sessions" --data-urlencode unit=城关镇 --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9')"
expect "session: a UUID of no unit" 422 "$(form "$campaign/sessions" --data-urlencode unit=00000000-0000-0000-0000-000000000000 --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9')"
expect "session: heldOn garbage" 422 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode "heldOn=2026-13-45'--" --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9')"
expect "session: place of 1 MB" 413 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode "place@$data/1mb" --data-urlencode 'categories=班子成员 9')"
expect "session: place of 900 kB" 422 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode "place@$data/900kb" --data-urlencode 'categories=班子成员 9')"
expect "session: categories of 10,000 lines" 422 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode "categories@$data/categories-10k")"
expect "session: category count 99999999999999999999" 422 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 99999999999999999999')"
expect "session: unknown campaign" 404 "$(form /campaigns/00000000-0000-0000-0000-000000000000/sessions --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9')"
expect "session: 城关镇 (valid)" 303 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode $'categories=班子成员 9\n中层干部 12')"
expect "session: a second one for 城关镇" 422 "$(form "$campaign/sessions" --data-urlencode "unit=$unitA" --data-urlencode heldOn=2026-12-21 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9')"
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "unit=$unitB" \
  --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode 'categories=班子成员 9' "$base$campaign/sessions")
sessionB=${loc#"$base"}; sessionB=${sessionB%%\?*}
curl -fsS -b "$jar" "$base$campaign" >"$data/campaign.html"
sessionA=$(grep -o '/sessions/[0-9A-Fa-f-]\{36\}' "$data/campaign.html" | grep -v "$sessionB" | awk 'NR == 1')
[[ "$sessionA" == /sessions/* && "$sessionB" == /sessions/* ]] || { echo "FAIL: sessions A '$sessionA' and B '$sessionB' not made"; exit 1; }

# 测评码.
expect "codes: count 2 (valid)" 200 "$(form "$sessionA/codes" --data-urlencode category=班子成员 --data-urlencode count=2)"
for n in 0 -5 1001 99999999999999999999 1e3; do
  expect "codes: count $n" 422 "$(form "$sessionA/codes" --data-urlencode category=班子成员 --data-urlencode "count=$n")"
done
expect "codes: category not of the session" 422 "$(form "$sessionA/codes" --data-urlencode category=职工代表 --data-urlencode count=1)"
expect "codes: unknown session" 404 "$(form /sessions/00000000-0000-0000-0000-000000000000/codes --data-urlencode category=班子成员 --data-urlencode count=1)"

# 纸质票: a complete ballot (each item's first option, from the entry page), then hostile sheets.
mapfile -t answers < <(curl -fsS -b "$jar" "$base$sessionA/paper" | grep -o 'name="[^"]*" value="[^"]*"' \
  | grep -v -e 'name="_csrf"' -e 'name="number"' -e 'name="void"' | awk -F'"' '!seen[$2]++ { printf "--data-urlencode\n%s=%s\n", $2, $4 }')
[ "${#answers[@]}" -gt 20 ] || { echo "FAIL: the paper entry page has no items"; exit 1; }
expect "paper: number 0" 422 "$(form "$sessionA/paper" --data-urlencode number=0 --data-urlencode category=班子成员 "${answers[@]}")"
expect "paper: number 100001" 422 "$(form "$sessionA/paper" --data-urlencode number=100001 --data-urlencode category=班子成员 "${answers[@]}")"
expect "paper: number 99999999999999999999" 422 "$(form "$sessionA/paper" --data-urlencode number=99999999999999999999 --data-urlencode category=班子成员 "${answers[@]}")"
expect "paper: an unknown item" 422 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=班子成员 "${answers[@]}" --data-urlencode c99=优秀)"
expect "paper: an option not on the ballot" 422 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=班子成员 "${answers[@]/#team=*/team=极好}")"
expect "paper: category not of the session" 422 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=职工代表 "${answers[@]}")"
expect "paper: 20,000 extra fields" 422 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=班子成员 "${answers[@]}" --data "@$data/fields-20k")"
expect "paper: a field value of 1 MB" 413 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=班子成员 "${answers[@]}" --data-urlencode "comment@$data/1mb")"
expect "paper: sheet 5, first entry (valid)" 200 "$(form "$sessionA/paper" --data-urlencode number=5 --data-urlencode category=班子成员 "${answers[@]}")"
# The second entry, by 组织部 (another account), differs: the sheet waits to be checked against the paper.
jar2="$data/jar-zuzhibu"
pw=$(sed -n 's/^ *zuzhibu（[^）]*） *//p' "$data/demo.out")
c=$(curl -fsS -b "$jar2" -c "$jar2" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sS -o /dev/null -b "$jar2" -c "$jar2" --data-urlencode "_csrf=$c" --data-urlencode username=zuzhibu --data-urlencode "password=$pw" "$base/login"
c=$(curl -fsS -b "$jar2" -c "$jar2" "$base/password" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sS -o /dev/null -b "$jar2" -c "$jar2" --data-urlencode "_csrf=$c" --data-urlencode "current=$pw" \
  --data-urlencode new=Hostile-Zzb-Pass-7 --data-urlencode confirm=Hostile-Zzb-Pass-7 "$base/password"
c=$(curl -fsS -b "$jar2" -c "$jar2" "$base$sessionA/paper" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar2" --data-urlencode "_csrf=$c" --data-urlencode number=5 \
  --data-urlencode category=班子成员 "${answers[@]/#team=*/team=较好}" "$base$sessionA/paper")
sheet=${loc##*/}
[[ "$loc" == "$base$sessionA/paper/"* ]] || { tail -20 "$data/serve.log"; echo "FAIL: two different entries of sheet 5 did not wait to be checked ('$loc')"; exit 1; }
expect "paper: GET the sheet to check" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$sessionA/paper/$sheet")"
expect "paper: GET the sheet under the other session" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$sessionB/paper/$sheet")"
expect "paper: GET a sheet id not a UUID" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$sessionA/paper/not-a-uuid")"
expect "paper: settle the sheet under the other session" 404 "$(form "$sessionB/paper/$sheet" --data-urlencode category=班子成员 "${answers[@]}")"
expect "paper: settle the sheet with an unknown item" 422 "$(form "$sessionA/paper/$sheet" --data-urlencode category=班子成员 "${answers[@]}" --data-urlencode c99=优秀)"

# 结束 / 重新开放.
expect "close: 城关镇 with a sheet not settled" 422 "$(form "$sessionA/close")"
expect "close: 河口镇" 303 "$(form "$sessionB/close")"
expect "close: 河口镇 twice (already closed, says so)" 303 "$(form "$sessionB/close")"
expect "codes: closed session" 422 "$(form "$sessionB/codes" --data-urlencode category=班子成员 --data-urlencode count=1)"
expect "reopen: without a reason" 422 "$(form "$sessionB/reopen" --data-urlencode confirm=是)"
expect "reopen: a reason of 100 kB" 422 "$(form "$sessionB/reopen" --data-urlencode "reason@$data/100kb" --data-urlencode confirm=是)"
expect "reopen: with a reason (valid)" 303 "$(form "$sessionB/reopen" --data-urlencode reason=补录纸质票 --data-urlencode confirm=是)"

# 个别谈话 by 组织部 in the demo's campaign: hostile records.
c2=$(curl -fsS -b "$jar2" -c "$jar2" "$base$graded/interviews" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
form2() { curl -sS -o "$data/page.html" -w '%{http_code}' -b "$jar2" --data-urlencode "_csrf=$c2" "${@:2}" "$base$1"; }
unit1=$(curl -fsS -b "$jar2" "$base$graded/interviews" | grep -o 'unit=[0-9A-Fa-f-]\{36\}' | awk -F= 'NR == 1 {print $2}')
[[ -n "$unit1" ]] || { echo "FAIL: the interview page lists no unit"; exit 1; }
expect "interview: valid" 303 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode category=班子成员 --data-urlencode "heldOn=$(TZ=Asia/Shanghai date +%F)" --data-urlencode interviewer=李明 --data-urlencode notes=正常)"
expect "interview: notes of 100 kB" 422 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode category=班子成员 --data-urlencode heldOn=2026-12-21 --data-urlencode interviewer=李明 --data-urlencode "notes@$data/100kb")"
expect "interview: heldOn garbage" 422 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode category=班子成员 --data-urlencode "heldOn=2026-13-45'--" --data-urlencode interviewer=李明)"
expect "interview: unit unknown" 422 "$(form2 "$graded/interviews" --data-urlencode unit=00000000-0000-0000-0000-000000000000 --data-urlencode category=班子成员 --data-urlencode heldOn=2026-12-21 --data-urlencode interviewer=李明)"
expect "interview: lead not a UUID" 422 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode category=班子成员 --data-urlencode heldOn=2026-12-21 --data-urlencode interviewer=李明 --data-urlencode notes=线索 --data-urlencode "lead=../x")"
expect "interview: lead a cadre of no unit" 422 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode category=班子成员 --data-urlencode heldOn=2026-12-21 --data-urlencode interviewer=李明 --data-urlencode notes=线索 --data-urlencode lead=00000000-0000-0000-0000-000000000000)"
expect "interview: category of 100 kB" 422 "$(form2 "$graded/interviews" --data-urlencode "unit=$unit1" --data-urlencode "category@$data/100kb" --data-urlencode heldOn=2026-12-21 --data-urlencode interviewer=李明)"
expect "interview withdraw: id not a UUID" 404 "$(form2 "$graded/interviews/withdraw" --data-urlencode interview=../x --data-urlencode reason=误录)"
expect "interview withdraw: unknown id" 404 "$(form2 "$graded/interviews/withdraw" --data-urlencode interview=00000000-0000-0000-0000-000000000000 --data-urlencode reason=误录)"
interview=$(curl -fsS -b "$jar2" "$base$graded/interviews?unit=$unit1" | grep -o 'name="interview" value="[0-9A-Fa-f-]\{36\}"' | sed 's/.*value="\(.*\)"/\1/' | head -1)
expect "interview withdraw: reason of 100 kB" 422 "$(form2 "$graded/interviews/withdraw" --data-urlencode "interview=$interview" --data-urlencode "reason@$data/100kb")"

# 量化考核, 考核材料 and 情况反馈: the new campaign moved to 实地考核 (valid), an indicator (valid), then hostile entries.
printf 'a\0b' > "$data/nul-title"
expect "phase: to 实地考核 (valid)" 303 "$(form "$campaign/phase" --data-urlencode to=fieldwork)"
expect "indicator: valid" 303 "$(form "$campaign/indicators" --data-urlencode part=综合考评 --data-urlencode name=综合评价 --data-urlencode max=100 --data-urlencode scorer=)"
expect "indicator: full points 1e308" 422 "$(form "$campaign/indicators" --data-urlencode part=综合考评 --data-urlencode name=甲 --data-urlencode max=1e308 --data-urlencode scorer=)"
expect "indicator: full points NaN" 422 "$(form "$campaign/indicators" --data-urlencode part=综合考评 --data-urlencode name=乙 --data-urlencode max=nan --data-urlencode scorer=)"
expect "indicator: part unknown" 422 "$(form "$campaign/indicators" --data-urlencode part=不存在 --data-urlencode name=丙 --data-urlencode max=10 --data-urlencode scorer=)"
expect "indicator: name of 100 kB" 422 "$(form "$campaign/indicators" --data-urlencode part=综合考评 --data-urlencode "name@$data/100kb" --data-urlencode max=10 --data-urlencode scorer=)"
expect "indicator: scoring unit not a UUID" 422 "$(form "$campaign/indicators" --data-urlencode part=综合考评 --data-urlencode name=丁 --data-urlencode max=10 --data-urlencode scorer=../x)"
indicator=$(curl -fsS -b "$jar" "$base$campaign/indicators" | grep -o 'scores?indicator=[0-9A-Fa-f-]\{36\}' | awk -F= 'NR == 1 {print $2}')
[[ -n "$indicator" ]] || { echo "FAIL: no indicator listed"; exit 1; }
for score in 1e308 nan inf -0.5 101 99999999999999999999 12.345 "$(printf '9%.0s' $(seq 400))"; do
  expect "score: ${score:0:24}" 422 "$(form "$campaign/scores" --data-urlencode "indicator=$indicator" --data-urlencode "s.$unitA=$score")"
done
expect "score: valid" 303 "$(form "$campaign/scores" --data-urlencode "indicator=$indicator" --data-urlencode "s.$unitA=88.5")"
expect "score: evidence of 100 kB" 422 "$(form "$campaign/scores" --data-urlencode "indicator=$indicator" --data-urlencode "s.$unitA=80" --data-urlencode "e.$unitA@$data/100kb")"
expect "score: indicator unknown" 404 "$(form "$campaign/scores" --data-urlencode indicator=00000000-0000-0000-0000-000000000000 --data-urlencode "s.$unitA=80")"
expect "score: 20,000 extra fields" 303 "$(form "$campaign/scores" --data-urlencode "indicator=$indicator" --data "@$data/fields-20k")"
upload_scores() { curl -sS -o "$data/page.html" -w '%{http_code}' -b "$jar" -F "_csrf=$csrf" -F "indicator=$indicator" -F "file=@$1" "$base$campaign/scores/import"; }
for f in bomb.xlsx columns.xlsx rows.xlsx endless.xlsx entries.xlsx; do
  size=$(stat -c %s "$data/$f"); want=422; [ "$size" -gt $((5 << 20)) ] && want=413
  expect "score import: $f ($size bytes)" "$want" "$(upload_scores "$data/$f")"
done
expect "score import: 30 MB" 413 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -F "_csrf=$csrf" -F "indicator=$indicator" -F "file=@$data/longline.csv;filename=x.xlsx" "$base$campaign/scores/import")"
material() {  # material CURL-ARGS… → HTTP code of the materials form (multipart)
  curl -sS -o "$data/page.html" -w '%{http_code}' -b "$jar" -F "_csrf=$csrf" -F "unit=$unitA" -F subject=team -F code=X01 "$@" "$base$campaign/materials"
}
expect "material: valid" 303 "$(material -F kind=summary -F 'text=一年来班子团结协作。')"
expect "material: 100 kB of text" 422 "$(material -F kind=summary -F "text=<$data/100kb")"
expect "material: kind unknown" 422 "$(material -F kind=novel -F text=x)"
expect "material: NUL in the text" 422 "$(material -F kind=summary -F "text=<$data/nul-title")"
expect "material: a zip bomb as .docx" 422 "$(material -F kind=summary -F "file=@$data/bomb.xlsx;filename=bomb.docx")"
expect "material: an .xlsx named .docx" 422 "$(material -F kind=summary -F "file=@$data/columns.xlsx;filename=x.docx")"
expect "material: a PDF" 422 "$(material -F kind=summary -F "file=@$data/not-utf8.json;filename=x.pdf")"
expect "material: 30 MB" 413 "$(material -F kind=summary -F "file=@$data/longline.csv;filename=x.txt")"
expect "feedback: in 等次评定 (before approval)" 422 "$(form "$graded/feedback" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode text=好)"
expect "feedback: subject unknown" 422 "$(form "$graded/feedback" --data-urlencode subject=unit --data-urlencode code=X01 --data-urlencode text=好)"
expect "feedback: text of 100 kB" 422 "$(form "$graded/feedback" --data-urlencode subject=team --data-urlencode code=X01 --data-urlencode "text@$data/100kb")"

# 考核文书 and 考核档案: hostile query parameters and archive files. A refusal is a 4xx, never a 500.
docs="$graded/documents"
expect "documents: the page" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs")"
expect "documents: 建议表 of unit not-a-uuid" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/proposals.xlsx?unit=not-a-uuid")"
expect "documents: 建议表 of an unknown unit" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/proposals.xlsx?unit=00000000-0000-0000-0000-000000000000")"
expect "documents: report of unit ../../etc" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/report.docx?unit=..%2F..%2Fetc")"
expect "documents: ranking of category <script> of 4 kB" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/ranking?category=%3Cscript%3E$(head -c 4000 /dev/zero | tr '\0' a)")"
expect "documents: ranking .xlsx of no category" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/ranking.xlsx")"
expect "documents: special report of rule R-T1 for nobody" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/special-report.docx?rule=R-T1&subject=X99")"
expect "documents: special report with NUL in the subject" 422 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/special-report.docx?rule=R-T1&subject=%00")"
expect "documents: special report with two rules" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/special-report.docx?rule=R-T2&rule=R-T1&subject=X01")"
expect "documents: 建议表 (county) with 700 parameters" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$docs/proposals.xlsx?$(seq -s '&' -f 'p%g=1' 700)")"
expect "tally print: session not a UUID" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/sessions/not-a-uuid/tally")"
expect "tally print: an unknown session" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/sessions/00000000-0000-0000-0000-000000000000/tally")"
expect "archive: year 99999999999999999999, grade of 4 kB" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/archive?year=99999999999999999999&grade=$(head -c 4000 /dev/zero | tr '\0' a)&page=-1")"
expect "archive: export with NUL in the name" 422 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/archive/export.xlsx?q=a%00b")"
archive_upload() {  # archive_upload FILE → HTTP code
  local c; c=$(csrf_of /archive)
  curl -sS -o "$data/upload.out" -w '%{http_code}' -b "$jar" -F "_csrf=$c" -F "file=@$1" "$base/archive/import"
}
for f in columns.xlsx rows.xlsx bomb.xlsx endless.xlsx entries.xlsx; do
  expect "archive import: $f" 422 "$(archive_upload "$data/$f")"
done
expect "archive import: 30 MB" 413 "$(archive_upload "$data/longline.csv")"

# 日常考核: hostile checks, subjects, filings, kinds and quarterly evaluations. A refusal is a 4xx, never a 500.
kind=$(curl -fsS -b "$jar" "$base/regular/new" | sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">经济责任审计.*/\1/p' | head -1)
[[ -n "$kind" ]] || { echo "FAIL: no 经济责任审计 on the new-check form"; exit 1; }
check_form() { form /regular --data-urlencode "kind=$kind" --data-urlencode startedOn=2026-10-01 --data-urlencode endedOn=2026-10-20 "$@"; }
expect "regular check: valid" 303 "$(check_form --data-urlencode title=审计)"
check=$(curl -fsS -b "$jar" "$base/regular" | python3 -c 'import re, sys; m = re.search(r"href=\"(/regular/[0-9A-Fa-f-]{36})\">审计<", sys.stdin.read()); print(m.group(1) if m else "")')
[[ -n "$check" ]] || { echo "FAIL: the new check is not listed"; exit 1; }
expect "regular check: kind unknown" 422 "$(form /regular --data-urlencode kind=00000000-0000-0000-0000-000000000000 --data-urlencode title=x --data-urlencode startedOn=2026-10-01 --data-urlencode endedOn=2026-10-20)"
expect "regular check: title of 100 kB" 422 "$(check_form --data-urlencode "title@$data/100kb")"
expect "regular check: content of 900 kB" 422 "$(check_form --data-urlencode title=x --data-urlencode "content@$data/900kb")"
expect "regular check: ended 99999999999999999999" 422 "$(form /regular --data-urlencode "kind=$kind" --data-urlencode title=x --data-urlencode startedOn=2026-10-01 --data-urlencode endedOn=99999999999999999999)"
expect "regular check: ended before it started" 422 "$(form /regular --data-urlencode "kind=$kind" --data-urlencode title=x --data-urlencode startedOn=2026-10-21 --data-urlencode endedOn=2026-10-20)"
expect "regular check: lead unit ../etc" 422 "$(check_form --data-urlencode title=x --data-urlencode leadUnit=../etc)"
expect "regular check: with NUL" 422 "$(check_form --data 'title=a%00b')"
expect "regular check: edit, blank fields" 303 "$(form "$check" --data-urlencode title= --data-urlencode content=)"
expect "regular subject: kind unknown" 422 "$(form "$check/subjects" --data-urlencode subject=unit --data-urlencode code=X01)"
expect "regular subject: cadre of 100 kB" 422 "$(form "$check/subjects" --data-urlencode subject=cadre --data-urlencode "code@$data/100kb")"
expect "regular subject: evaluation 称职" 422 "$(form "$check/subjects" --data-urlencode subject=team --data-urlencode unit=X01 --data-urlencode evaluation=称职)"
expect "regular subject: follow-up of 100 kB" 422 "$(form "$check/subjects" --data-urlencode subject=team --data-urlencode unit=X01 --data-urlencode "followUp@$data/100kb")"
expect "regular subject: valid team" 303 "$(form "$check/subjects" --data-urlencode subject=team --data-urlencode unit=X01 --data-urlencode evaluation=较好)"
expect "regular file: on 2026-02-30" 422 "$(form "$check/file" --data-urlencode on=2026-02-30)"
expect "regular file: valid" 303 "$(form "$check/file" --data-urlencode on=2026-10-25)"
expect "regular file: twice" 422 "$(form "$check/file" --data-urlencode on=2026-10-26)"
expect "regular check: not a UUID" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/regular/not-a-uuid")"
expect "regular report.docx of an unknown check" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/regular/00000000-0000-0000-0000-000000000000/report.docx")"
expect "regular list: year 99999999999999999999, status <script>" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/regular?year=99999999999999999999&status=%3Cscript%3E&kind=x")"
expect "regular kind: name of 100 kB" 422 "$(form /regular/kinds --data-urlencode "name@$data/100kb")"
expect "regular kind: unknown id" 404 "$(form /regular/kinds/00000000-0000-0000-0000-000000000000 --data-urlencode lead=x)"
unit01=$(curl -fsS -b "$jar" "$base/regular/evaluations" | sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">X01 .*/\1/p' | head -1)
expect "quarterly: year 99999999999999999999" 422 "$(form /regular/evaluations --data-urlencode "unit=$unit01" --data-urlencode year=99999999999999999999)"
expect "quarterly: unit unknown" 422 "$(form /regular/evaluations --data-urlencode unit=00000000-0000-0000-0000-000000000000 --data-urlencode year=2026)"
expect "quarterly: 20,000 extra fields" 303 "$(form /regular/evaluations --data-urlencode "unit=$unit01" --data-urlencode year=2026 --data "@$data/fields-20k")"
expect "quarterly: the page, year -1" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/regular/evaluations?unit=$unit01&year=-1")"

# 反馈整改 in the demo's clean-governance check: hostile feedback, measures, consequences.
clean=$(curl -fsS -b "$jar" "$base/campaigns" | python3 -c 'import re, sys; m = re.search(r"href=\"(/campaigns/[0-9A-Fa-f-]{36})\">[^<]*党风廉政建设责任制检查考核", sys.stdin.read()); print(m.group(1) if m else "")')
[[ "$clean" == /campaigns/* ]] || { echo "FAIL: the demo clean-governance check is not listed"; exit 1; }
x06=$(curl -fsS -b "$jar" "$base$clean/rectification" | python3 -c 'import re, sys; m = re.search(r"rectification\?unit=([0-9A-Fa-f-]{36})\">东湖街道<", sys.stdin.read()); print(m.group(1) if m else "")')
[[ -n "$x06" ]] || { echo "FAIL: no rectification in the demo"; exit 1; }
expect "rectification: feedback for an unknown unit" 422 "$(form "$clean/rectification" --data-urlencode unit=NOPE --data-urlencode feedbackOn=2026-01-01)"
expect "rectification: feedback dated 99999999999999999999" 422 "$(form "$clean/rectification" --data-urlencode "unit=$x06" --data-urlencode feedbackOn=99999999999999999999)"
expect "rectification: feedback of 100 kB" 422 "$(form "$clean/rectification" --data-urlencode "unit=$x06" --data-urlencode "feedback@$data/100kb")"
expect "rectification: the page of an unknown unit" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$clean/rectification?unit=00000000-0000-0000-0000-000000000000")"
expect "measure: unit not a UUID" 404 "$(form "$clean/rectification/measures" --data-urlencode unit=../x --data-urlencode problem=a --data-urlencode text=b --data-urlencode owner=c --data-urlencode due=2027-01-01)"
expect "measure: text of 100 kB" 422 "$(form "$clean/rectification/measures" --data-urlencode "unit=$x06" --data-urlencode problem=a --data-urlencode "text@$data/100kb" --data-urlencode owner=c --data-urlencode due=2027-01-01)"
expect "measure: due 2027-02-30" 422 "$(form "$clean/rectification/measures" --data-urlencode "unit=$x06" --data-urlencode problem=a --data-urlencode text=b --data-urlencode owner=c --data-urlencode due=2027-02-30)"
expect "measure: unknown measure id" 404 "$(form "$clean/rectification/measures" --data-urlencode "unit=$x06" --data-urlencode measure=00000000-0000-0000-0000-000000000000 --data-urlencode evidence=x)"
expect "measure: valid" 303 "$(form "$clean/rectification/measures" --data-urlencode "unit=$x06" --data-urlencode problem=学习 --data-urlencode text=每月学习 --data-urlencode owner=张三 --data-urlencode due=2027-01-31)"
expect "consequence: kind unknown" 422 "$(form "$clean/rectification/consequences" --data-urlencode "unit=$x06" --data-urlencode kind=罚款)"
expect "consequence: note of 100 kB" 422 "$(form "$clean/rectification/consequences" --data-urlencode "unit=$x06" --data-urlencode kind=约谈 --data-urlencode "note@$data/100kb")"
expect "close: measures open" 422 "$(form "$clean/rectification/close" --data-urlencode "unit=$x06")"
expect "submit: valid" 303 "$(form "$clean/rectification/submit" --data-urlencode "unit=$x06")"
expect "submit: twice" 422 "$(form "$clean/rectification/submit" --data-urlencode "unit=$x06")"

expect "scorecard: month 99999999999999999999 (this month), an item 1e999" 422 "$(form "$clean/scorecards" --data-urlencode month=99999999999999999999 --data-urlencode "s.$x06.1=1e999")"
expect "scorecard: 20,000 extra fields" 303 "$(form "$clean/scorecards" --data-urlencode month=1 --data "@$data/fields-20k")"
expect "scorecard: of a campaign without one" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base$graded/scorecards")"

# 目标责任考核: hostile ledger entries, headcounts and rule tables.
z01=$(curl -fsS -b "$jar" "$base/ledger" | python3 -c 'import re, sys; m = re.search(r"unit=([0-9A-Fa-f-]{36})[^\"]*\">县发展和改革局<", sys.stdin.read()); print(m.group(1) if m else "")')
[[ -n "$z01" ]] || { echo "FAIL: the demo ledger does not list 县发展和改革局"; exit 1; }
thisyear=$(date +%Y)
expect "ledger: kind unknown" 422 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode "year=$thisyear" --data-urlencode kind=bribe --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: count 1e308" 422 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode "year=$thisyear" --data-urlencode kind=missedTarget --data-urlencode count=1e308 --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: count NaN" 422 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode "year=$thisyear" --data-urlencode kind=missedTarget --data-urlencode count=nan --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: points -inf" 422 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode "year=$thisyear" --data-urlencode kind=otherInnovation --data-urlencode points=-inf --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: evidence of 100 kB" 422 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode "year=$thisyear" --data-urlencode kind=missedTarget --data-urlencode "on=$thisyear-01-02" --data-urlencode "evidence@$data/100kb")"
expect "ledger: unit unknown" 404 "$(form /ledger/entries --data-urlencode unit=NOPE --data-urlencode "year=$thisyear" --data-urlencode kind=missedTarget --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: year 99999999999999999999 (this year)" 303 "$(form /ledger/entries --data-urlencode "unit=$z01" --data-urlencode year=99999999999999999999 --data-urlencode kind=missedTarget --data-urlencode "on=$thisyear-01-02" --data-urlencode evidence=x)"
expect "ledger: withdraw an unknown entry" 404 "$(form /ledger/entries/withdraw --data-urlencode "unit=$z01" --data-urlencode entry=00000000-0000-0000-0000-000000000000 --data-urlencode reason=x)"
expect "ledger: headcount 99999999999999999999" 422 "$(form /ledger/headcount --data-urlencode "unit=$z01" --data-urlencode headcount=99999999999999999999)"
expect "ledger rules: points 1e400" 422 "$(form /ledger/rules --data-urlencode "year=$thisyear" --data-urlencode p.missedTarget=1e400)"
expect "ledger rules: 20,000 extra fields" 303 "$(form /ledger/rules --data-urlencode "year=$thisyear" --data "@$data/fields-20k")"
expect "ledger: the unit page of ../etc" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/ledger/unit?unit=..%2Fetc")"

# NUL in the bodies NULMiddleware does not read (multipart, JSON): a 422 like the form's, never stored (PostgreSQL: a 500).
printf 'a\0b' > "$data/nul-title"
expect "campaign: title with NUL (multipart)" 422 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -F "_csrf=$csrf" -F "title=<$data/nul-title" \
  -F kind=annual -F year=2026 -F cutoff=2026-12-31 -F preset=lushan-2022 "$base/campaigns")"
expect "campaign: title with \\u0000 (JSON)" 422 "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -H 'Content-Type: application/json' \
  --data-binary "{\"_csrf\": \"$csrf\", \"title\": \"a\\u0000b\", \"kind\": \"annual\", \"year\": \"2026\", \"cutoff\": \"2026-12-31\", \"preset\": \"lushan-2022\"}" "$base/campaigns")"
# A policy file in GBK (a Windows editor's Chinese): refused, and the page must say why.
expect "campaign: policy file in GBK" 422 "$(new_campaign 年度 annual 2026 2026-12-31 "" -F "policyFile=@$data/gbk.json;type=application/json")"
grep -q '<ul class="error"><li>' "$data/page.html" || { echo "FAIL: policy file in GBK: 422 with no problem named"; exit 1; }

peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "server peak memory: $((peak / 1024)) MB"
[ "$peak" -lt $((1536 * 1024)) ] || { echo "FAIL: peak memory ${peak} kB is not bounded"; exit 1; }
echo "hostile input test passed"
