#!/usr/bin/env bash
# Cross-checks the OfficeDocuments target against openpyxl and python-docx:
#   1. writes an .xlsx with openpyxl (dates, numbers, text digits, rich text, skipped row)
#   2. runs OfficeDocumentsTests.ExternalToolTests, which reads that file through XLSXReader and
#      writes sample.xlsx / sample.docx with XLSXWorkbook / DOCXDocument
#   3. opens the samples with openpyxl and python-docx and checks their contents
# openpyxl and python-docx are pip-installed into a virtualenv when missing.
#
# Environment:
#   KAOHE_OFFICE_PACKAGE_PATH  Swift package to test (default: the repository root)
#   KAOHE_OFFICE_SCRATCH_PATH  optional --scratch-path for swift test
#   KAOHE_OFFICE_VENV          virtualenv location (default: $TMPDIR/kaohe-office-venv)
#   PYTHON                     python interpreter (default: python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="${KAOHE_OFFICE_PACKAGE_PATH:-$ROOT}"
HELPER="$ROOT/scripts/verify_office.py"

source "$ROOT/scripts/lib/office-python.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kaohe-office.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "==> writing openpyxl fixture"
"$PY" "$HELPER" make-fixture "$WORK/openpyxl.xlsx"

echo "==> swift test (ExternalToolTests) in $PKG"
SCRATCH_ARGS=()
if [ -n "${KAOHE_OFFICE_SCRATCH_PATH:-}" ]; then
    SCRATCH_ARGS=(--scratch-path "$KAOHE_OFFICE_SCRATCH_PATH")
fi
KAOHE_OFFICE_SAMPLES_DIR="$WORK" KAOHE_OPENPYXL_FIXTURE="$WORK/openpyxl.xlsx" \
    swift test --package-path "$PKG" "${SCRATCH_ARGS[@]}" --filter 'OfficeDocumentsTests.ExternalToolTests'

# Make sure the tests really ran (a filter that matches nothing also "passes").
for f in sample.xlsx sample.docx openpyxl-fixture.ok; do
    if [ ! -s "$WORK/$f" ]; then
        echo "FAIL: $f was not produced; did ExternalToolTests run?" >&2
        exit 1
    fi
done

echo "==> opening the samples with openpyxl and python-docx"
"$PY" "$HELPER" check-samples "$WORK"
echo "verify-office: OK"
