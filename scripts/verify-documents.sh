#!/usr/bin/env bash
# Issue 12's check of the documents in third-party readers: `kaohe demo` into a temporary KAOHE_DATA_DIR, the server
# started on it, then scripts/verify_documents.py downloads every .xlsx and .docx the demo campaign links (建议表, 排名表,
# 考核报告 with its chart pictures, 专题报告, 登记表, 测评结果统计表, the archive export) and opens each with openpyxl or
# python-docx (pip-installed into a virtualenv when missing, scripts/lib/office-python.sh).
# When LibreOffice is installed (soffice; poppler-utils for pdftoppm), every file is also converted to PDF headless
# and page 1 rendered to PNG, to look at beside the seeds' forms: kept in $KAOHE_DOCUMENT_PAGES when set.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${KAOHE_BIN:-.build/debug/kaohe}
[ -x "$BIN" ] || swift build --product kaohe >/dev/null
source "$ROOT/scripts/lib/office-python.sh"
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export KAOHE_DATA_DIR="$data/db" KAOHE_ADMIN_PASSWORD="verify-docs-admin"
"$BIN" demo >"$data/demo.out" 2>&1 || { cat "$data/demo.out"; echo "kaohe demo failed"; exit 1; }
"$BIN" serve --hostname 127.0.0.1 --port "$port" >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for i in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
files="$data/files"
"$PY" scripts/verify_documents.py "http://127.0.0.1:$port" "$KAOHE_ADMIN_PASSWORD" "$files" || { tail -20 "$data/serve.log"; exit 1; }

if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then
  pages=${KAOHE_DOCUMENT_PAGES:-$data/pages}; mkdir -p "$pages"
  soffice --headless --convert-to pdf --outdir "$pages" "$files"/*.xlsx "$files"/*.docx >"$data/soffice.log" 2>&1 \
    || { cat "$data/soffice.log"; echo "LibreOffice could not convert the documents"; exit 1; }
  for f in "$files"/*.xlsx "$files"/*.docx; do
    pdf="$pages/$(basename "${f%.*}").pdf"
    [ -s "$pdf" ] || { echo "LibreOffice made no PDF of $(basename "$f")"; exit 1; }
    pdftoppm -png -r 60 -f 1 -l 1 "$pdf" "${pdf%.pdf}"
  done
  echo "LibreOffice converted $(ls "$pages"/*.pdf | wc -l) documents to PDF; page 1 of each as PNG in $pages"
else
  echo "LibreOffice not installed: PDF conversion skipped (apt-get install libreoffice-writer libreoffice-calc poppler-utils)"
fi
echo "verify-documents: OK"
