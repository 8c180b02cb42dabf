#!/usr/bin/env bash
# Times the roster preview (issue 8) on a synthetic 100,000-row roster with the release binary:
#   1. `kaohe import roster --dry-run` (the preview) and then the import, on a fresh database:
#      preview + commit must stay under 30 s;
#   2. a running `kaohe serve`: the upload of the same roster with 学历 changed on 1% of the rows (parse, plan,
#      draft stored; answered with a redirect to the preview) and then the preview's first page, each timed
#      over HTTP on loopback; the first page must render in under 2 s.
#
#   Benchmarks/import/preview.sh                  # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe ROWS=20000 Benchmarks/import/preview.sh
#   DATABASE_URL=postgres://…/empty_db KAOHE_BIN=… Benchmarks/import/preview.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${ROWS:-100000}"
units="${UNITS:-500}"
runs="${RUNS:-5}"
data_dir="$root/Benchmarks/data"
xlsx="$data_dir/roster-${rows}.xlsx"
changed="$data_dir/roster-${rows}-changed1pct.xlsx"

if [[ -z "${KAOHE_BIN:-}" ]]; then
    echo "building kaohe (release)…" >&2
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
mkdir -p "$data_dir"
[[ -s "$xlsx" ]] || python3 "$here/generate.py" "$xlsx" --rows "$rows" --units "$units" >&2
[[ -s "$changed" ]] || python3 "$here/generate.py" "$changed" --rows "$rows" --units "$units" --change-every 100 >&2

work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning
"$KAOHE_BIN" migrate >/dev/null 2>&1

now() { date +%s.%N; }
t0=$(now)
"$KAOHE_BIN" import roster "$xlsx" --dry-run >"$work/dry.log" 2>&1 || { tail "$work/dry.log"; exit 1; }
t1=$(now)
"$KAOHE_BIN" import roster "$xlsx" >"$work/import.log" 2>&1 || { tail "$work/import.log"; exit 1; }
t2=$(now)
preview=$(echo "$t1 - $t0" | bc -l); commit=$(echo "$t2 - $t1" | bc -l)
tail -1 "$work/dry.log" | head -1 >&2; grep -h "预览（\|导入成功" "$work/dry.log" "$work/import.log" >&2 || true

source "$here/../serve.sh"
serve_and_log_in

uploads=(); pages=()
for i in $(seq "$runs"); do
    c=$(csrf_of /roster/import)
    out=$(curl -sS -o /dev/null -b "$jar" -w '%{http_code} %{time_total} %{redirect_url}' -F "_csrf=$c" -F "file=@$changed" "$base/roster/import")
    read -r code upload location <<<"$out"
    [[ "$code" == 303 ]] || { echo "upload answered $code" >&2; tail -5 "$work/serve.log" >&2; exit 1; }
    page=$(curl -sS -o "$work/page.html" -b "$jar" -w '%{time_total}' "$location")
    grep -q "更新 $((rows / 100)) 人" "$work/page.html" || { echo "preview does not show $((rows / 100)) changed cadres" >&2; grep -o "新增[^<]*" "$work/page.html" >&2; exit 1; }
    uploads+=("$upload"); pages+=("$page")
    c=$(csrf_of "${location#$base}")
    curl -sS -o /dev/null -b "$jar" -F "_csrf=$c" "$location/discard"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'rows=%s cores=%s database=%s\n' "$rows" "$(nproc)" "${DATABASE_URL:+postgresql}${DATABASE_URL:-sqlite}" | sed 's#postgres://[^ ]*##'
printf 'fresh import: preview (--dry-run) %.1f s + commit %.1f s = %.1f s (target < 30 s)\n' "$preview" "$commit" "$(echo "$preview + $commit" | bc -l)"
printf 're-import with 1%% changed (%s runs, median): upload → preview stored %.2f s; first page %.3f s (target < 2 s)\n' \
    "$runs" "$(median "${uploads[@]}")" "$(median "${pages[@]}")"
awk -v s="$(echo "$preview + $commit" | bc -l)" 'BEGIN { exit !(s < 30) }' || { echo "IMPORT SLOWER THAN TARGET"; exit 1; }
awk -v p="$(median "${pages[@]}")" 'BEGIN { exit !(p < 2) }' || { echo "FIRST PAGE SLOWER THAN TARGET"; exit 1; }
