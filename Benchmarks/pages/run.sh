#!/usr/bin/env bash
# Times the list pages at province scale (issue 15) with the release binary: imports the synthetic 100,000-row roster
# (Benchmarks/import/generate.py, 500 units) through `kaohe import roster`, starts `kaohe serve`, logs in, and requests
# each page N times over HTTP on loopback, printing the median and p95 per page (target: list pages < 100 ms median,
# < 200 ms p95; a cadre's page < 50 ms).
#
#   Benchmarks/pages/run.sh                        # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe N=30 Benchmarks/pages/run.sh
#   DATABASE_URL=postgres://…/empty_db KAOHE_BIN=… Benchmarks/pages/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${ROWS:-100000}"
n="${N:-20}"
xlsx="$root/Benchmarks/data/roster-${rows}.xlsx"
if [[ -z "${KAOHE_BIN:-}" ]]; then
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
mkdir -p "$root/Benchmarks/data"
[[ -s "$xlsx" ]] || python3 "$root/Benchmarks/import/generate.py" "$xlsx" --rows "$rows" >&2

work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning
"$KAOHE_BIN" migrate >/dev/null 2>&1
"$KAOHE_BIN" import roster "$xlsx" >/dev/null

source "$here/../serve.sh"
serve_and_log_in

first_link() { curl -fsS -b "$jar" "$base$1" >"$work/page.html"; grep -o "href=\"$1/[0-9A-F-]\{36\}\"" "$work/page.html" | sed -n '1s/href="\(.*\)"/\1/p'; }
unit=$(first_link /units)
cadre=$(first_link /cadres)
pages=("/cadres" "/cadres?page=1000" "/cadres?q=%E7%8E%8B" "/units" "$unit" "$cadre" "/audit" "/audit?page=1000" "/accounts")
printf 'rows=%s requests=%s per page database=%s\n' "$rows" "$n" "${DATABASE_URL:+postgresql}${DATABASE_URL:-sqlite}" | sed 's#postgres://[^ ]*##'
printf '%-28s %10s %10s\n' page median_ms p95_ms
for p in "${pages[@]}"; do
    curl -fsS -o /dev/null -b "$jar" "$base$p"  # warm
    times=()
    for _ in $(seq "$n"); do times+=("$(curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$base$p")"); done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | awk -v n="$n" 'NR == int((n + 1) / 2) { printf "%.1f", $1 * 1000 }')
    p95=$(echo "$sorted" | awk -v n="$n" 'NR == int(n * 0.95 + 0.999) { printf "%.1f", $1 * 1000 }')
    printf '%-28s %10s %10s\n' "${p:0:28}" "$median" "$p95"
done
