#!/usr/bin/env bash
# Times `kaohe import roster` on a synthetic 100,000-row roster (花名册) on a fresh database, and prints the
# seconds (target: < 30 s on a 2-core machine). Then re-imports the same rows as a GB18030 .csv (every row
# unchanged: nothing written) and checks the audit chain.
#
#   Benchmarks/import/run.sh                       # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe Benchmarks/import/run.sh
#   ROWS=20000 Benchmarks/import/run.sh
#
# Environment: KAOHE_BIN (skip the build), ROWS (default 100000), UNITS (default 500),
# DATABASE_URL (PostgreSQL instead of a fresh SQLite file; the database must be empty).
# The roster is written with openpyxl when it is importable (or in $TMPDIR/kaohe-office-venv), else with zipfile.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${ROWS:-100000}"
units="${UNITS:-500}"
data_dir="$root/Benchmarks/data"
xlsx="$data_dir/roster-${rows}.xlsx"
csv="$data_dir/roster-${rows}.csv"

if [[ -z "${KAOHE_BIN:-}" ]]; then
    echo "building kaohe (release)…" >&2
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
[[ -x "$KAOHE_BIN" ]] || { echo "not executable: $KAOHE_BIN" >&2; exit 2; }

py=python3
venv="${TMPDIR:-/tmp}/kaohe-office-venv"
if ! $py -c 'import openpyxl' 2>/dev/null && [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import openpyxl' 2>/dev/null; then
    py="$venv/bin/python"
fi
mkdir -p "$data_dir"
if [[ ! -s "$xlsx" || ! -s "$csv" ]]; then
    echo "generating $xlsx and $csv…" >&2
    "$py" "$here/generate.py" "$xlsx" --csv "$csv" --rows "$rows" --units "$units" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning

# Migrations and the first administrator are not part of the import: run them first.
"$KAOHE_BIN" migrate >/dev/null 2>&1 || "$KAOHE_BIN" audit verify >/dev/null

now() { date +%s.%N; }
t0=$(now)
"$KAOHE_BIN" import roster "$xlsx" >"$work/import.log" 2>&1 || { cat "$work/import.log"; exit 1; }
t1=$(now)
"$KAOHE_BIN" import roster "$csv" >"$work/reimport.log" 2>&1 || { cat "$work/reimport.log"; exit 1; }
t2=$(now)
"$KAOHE_BIN" audit verify >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; exit 1; }

first=$(echo "$t1 - $t0" | bc -l)
second=$(echo "$t2 - $t1" | bc -l)
grep -h "导入成功" "$work/import.log" "$work/reimport.log" >&2
tail -1 "$work/verify.log" >&2
printf 'rows=%s xlsx=%s bytes csv=%s bytes cores=%s\n' "$rows" "$(wc -c <"$xlsx")" "$(wc -c <"$csv")" "$(nproc)"
printf 'import .xlsx (fresh database): %.1f s\n' "$first"
printf 're-import .csv GB18030 (all unchanged): %.1f s\n' "$second"
awk -v s="$first" 'BEGIN { exit !(s < 30) }' || { echo "SLOWER THAN TARGET (30 s)"; exit 1; }
