#!/usr/bin/env bash
# Times the list pages at province scale (issue 15) with the release binary. Fills a database through the real import
# path — the synthetic 100,000-row roster over 10,000 units (Benchmarks/import/generate.py), then REIMPORTS re-imports
# that change every cadre, so the audit log holds about 530,000 entries — starts `kaohe serve`, logs in, and requests
# each page N times over HTTP on loopback, printing the median and p95 per page (target: list pages < 100 ms median,
# < 200 ms p95; a cadre's page < 50 ms), and the first request's time (before the memo of a filtered list).
#
#   Benchmarks/pages/run.sh                        # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe N=30 Benchmarks/pages/run.sh
#   DATA=/tmp/pagesdb Benchmarks/pages/run.sh      # fills DATA once, then reuses it (SQLite)
#   DATABASE_URL=postgres://…/empty_db DATA=/tmp/pgdata Benchmarks/pages/run.sh
#                                                  # then REUSE=1 with the same DATA (its audit key) skips the filling
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${ROWS:-100000}"
units="${UNITS:-10000}"
reimports="${REIMPORTS:-3}"
n="${N:-20}"
xlsx="$root/Benchmarks/data/roster-${rows}-u${units}.xlsx"
changed="$root/Benchmarks/data/roster-${rows}-u${units}-changed.xlsx"
if [[ -z "${KAOHE_BIN:-}" ]]; then
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
mkdir -p "$root/Benchmarks/data"
[[ -s "$xlsx" ]] || python3 "$root/Benchmarks/import/generate.py" "$xlsx" --rows "$rows" --units "$units" >&2
[[ -s "$changed" ]] || python3 "$root/Benchmarks/import/generate.py" "$changed" --rows "$rows" --units "$units" --change-every 1 >&2

work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="${DATA:-$work}" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning
mkdir -p "$KAOHE_DATA_DIR"
if [[ -z "${REUSE:-}" && ( -n "${DATABASE_URL:-}" || ! -s "$KAOHE_DATA_DIR/kaohe.sqlite" ) ]]; then
    "$KAOHE_BIN" migrate >/dev/null 2>&1
    echo "filling: $rows cadres, $units units, $reimports re-imports" >&2
    "$KAOHE_BIN" import roster "$xlsx" >/dev/null
    for i in $(seq "$reimports"); do
        if (( i % 2 )); then "$KAOHE_BIN" import roster "$changed" >/dev/null; else "$KAOHE_BIN" import roster "$xlsx" >/dev/null; fi
    done
fi

source "$here/../serve.sh"
serve_and_log_in

first_link() { curl -fsS -b "$jar" "$base$1" >"$work/page.html"; grep -o "href=\"$2/[0-9A-F-]\{36\}\"" "$work/page.html" | sed -n '1s/href="\(.*\)"/\1/p'; }
unit=$(first_link "/units?page=100" /units)
cadre=$(first_link "/cadres?page=700" /cadres)
pages=("/cadres" "/cadres?page=1000" "/cadres?page=1999" "/cadres?q=%E7%8E%8B" "/cadres?q=%E7%8E%8B&page=100"
       "/cadres?rank=%E6%AD%A3%E7%A7%91" "/cadres?status=village" "/cadres?status=nopost" "/cadres?unit=U0500"
       "/units" "/units?page=150" "$unit" "$cadre" "/audit" "/audit?page=1000" "/audit?page=10000"
       "/audit?entity=cadre&page=1000" "/audit?person=G000001" "/accounts")
printf 'rows=%s units=%s requests=%s per page database=%s\n' "$rows" "$units" "$n" "${DATABASE_URL:+postgresql}${DATABASE_URL:-sqlite}" | sed 's#postgres://[^ ]*##'
printf '%-36s %10s %10s %10s %8s\n' page median_ms p95_ms first_ms kbytes
for p in "${pages[@]}"; do
    # The first request: a list filtered on the cadre computes its order here (memoised until the next write).
    read -r size first < <(curl -fsS -o /dev/null -b "$jar" -w '%{size_download} %{time_total}\n' "$base$p")
    times=()
    for _ in $(seq "$n"); do times+=("$(curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$base$p")"); done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | awk -v n="$n" 'NR == int((n + 1) / 2) { printf "%.1f", $1 * 1000 }')
    p95=$(echo "$sorted" | awk -v n="$n" 'NR == int(n * 0.95 + 0.999) { printf "%.1f", $1 * 1000 }')
    printf '%-36s %10s %10s %10.1f %8s\n' "${p:0:36}" "$median" "$p95" "$(awk -v t="$first" 'BEGIN { print t * 1000 }')" "$((size / 1024))"
done

# The roster export of every cadre: streamed (target: first byte under 1 s, memory flat). The server's peak resident
# memory (VmHWM) before and after tells whether the export held the workbook in memory.
peak() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status"; }
before=$(peak)
read -r ttfb total size < <(curl -fsS -o "$work/export.xlsx" -b "$jar" -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$base/roster/export.xlsx")
after=$(peak)
awk -v f="$ttfb" -v t="$total" -v s="$size" -v b="$before" -v a="$after" \
    'BEGIN { printf "export: first byte %.0f ms, whole %.1f s, %.1f MB; server peak memory %d MB before, %d MB after\n", f * 1000, t, s / 1048576, b, a }'
if python3 -c 'import openpyxl' 2>/dev/null; then
    python3 - "$work/export.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["干部"]
print(f"export opened with openpyxl: {sum(1 for _ in ws.iter_rows()) - 1} cadres")
PY
fi
