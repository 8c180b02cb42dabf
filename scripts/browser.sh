#!/usr/bin/env bash
# The browser test (scripts/browser.py) against the built binary on SQLite: installs Chromium, its driver, CJK fonts,
# zbarimg (reads a printed slip's QR code) and Selenium when missing, starts the server, writes a small roster, runs
# the test. Screenshots stay in $KAOHE_SCREENSHOTS (default: a temporary folder, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KAOHE_BIN:-.build/debug/kaohe}
[ -x "$BIN" ] || swift build --product kaohe >/dev/null
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromedriver >/dev/null || ! command -v zbarimg >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk zbar-tools >/dev/null
fi
python3 -c 'import selenium' 2>/dev/null || pip install -q selenium
data=$(mktemp -d)
shots=${KAOHE_SCREENSHOTS:-$data/shots}; mkdir -p "$shots"
port=$((20000 + RANDOM % 20000))
export KAOHE_DATA_DIR="$data" KAOHE_ADMIN_PASSWORD="browser-admin-pass"
"$BIN" serve --hostname 127.0.0.1 --port "$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for i in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
# A roster as a clerk's would be: a unit with a long name, long titles, three cadres.
python3 - "$data/roster.xlsx" <<'PY'
import sys, zipfile
rows = [["干部编号", "姓名", "性别", "出生日期", "单位编码", "职务", "主要负责人", "任职日期"],
        ["B001", "欧阳娜娜", "女", "1978.05", "B01", "党委书记", "是", "2021-09-01"],
        ["B002", "阿不都热合曼·买买提依明", "男", "1980-01-02", "B01", "镇长", "是", "2021-09-01"],
        ["B003", "张三", "男", "1985-06-07", "B01", "党委委员、组织委员、统战委员兼人民武装部部长", "否", "2022-01-01"]]
units = [["单位编码", "单位名称", "单位类别"], ["B01", "某某县某某镇人民政府暨某某镇党委（示范性很长的单位名称用于检查换行）", "乡镇街道"]]
def sheet(rs):
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for i, r in enumerate(rs, 1):
        out.append(f'<row r="{i}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in r) + "</row>")
    return "".join(out) + "</sheetData></worksheet>"
ns = "http://schemas.openxmlformats.org"
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
    z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="r1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="干部" sheetId="1" r:id="r1"/><sheet name="单位" sheetId="2" r:id="r2"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="r1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet(rows))
    z.writestr("xl/worksheets/sheet2.xml", sheet(units))
PY
python3 scripts/browser.py "http://127.0.0.1:$port" "$KAOHE_ADMIN_PASSWORD" "$data/roster.xlsx" "$shots" \
  || { tail -20 "$data/serve.log"; exit 1; }
