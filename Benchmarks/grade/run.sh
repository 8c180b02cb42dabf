#!/usr/bin/env bash
# Times `kaohe grade` on a synthetic province (10,000 teams, 100,000 cadres) beside Python merely parsing
# the same file, run in turn (A B A B), and prints the medians and the median of the pairs' ratios (target ≤ 0.7).
#
#   Benchmarks/grade/run.sh                 # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe Benchmarks/grade/run.sh
#   POLICY=county-2019 RUNS=7 Benchmarks/grade/run.sh
#
# Environment: KAOHE_BIN (skip the build), POLICY (default lushan-2022), RUNS (default 5),
# TEAMS / CADRES_PER_TEAM (default 10000 / 10), SHAPE (mixed or both, see generate.py; default mixed),
# KAOHE_ARGS (arguments before `grade`, default none).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_dir="$root/Benchmarks/data"
policy="${POLICY:-lushan-2022}"
runs="${RUNS:-5}"
teams="${TEAMS:-10000}"
per_team="${CADRES_PER_TEAM:-10}"
shape="${SHAPE:-mixed}"
input="$data_dir/province-${teams}x${per_team}-${shape}.json"
output="$data_dir/graded.json"

if [[ -z "${KAOHE_BIN:-}" ]]; then
    echo "building kaohe (release)…" >&2
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
[[ -x "$KAOHE_BIN" ]] || { echo "not executable: $KAOHE_BIN" >&2; exit 2; }

mkdir -p "$data_dir"
if [[ ! -s "$input" ]]; then
    echo "generating $input…" >&2
    python3 "$here/generate.py" "$input" --teams "$teams" --cadres-per-team "$per_team" --shape "$shape"
fi
size=$(wc -c < "$input")

kaohe_cmd=("$KAOHE_BIN" ${KAOHE_ARGS:-} grade --policy "$policy" --input "$input" --output "$output")
python_cmd=(python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$input")

# One warm-up run each (page cache), and a check that grading succeeds.
"${kaohe_cmd[@]}"
"${python_cmd[@]}"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Interleaved, A B A B, and the ratio taken pair by pair: the machine's speed drifts from minute to minute (other
# tenants), and a pair sees the same minute. The median of the pairs' ratios is the figure (as farm-bench gives it).
now() { date +%s.%N; }
k_times=(); p_times=(); ratios=()
for ((i = 0; i < runs; i++)); do
    t0=$(now); "${kaohe_cmd[@]}"; t1=$(now)
    "${python_cmd[@]}"; t2=$(now)
    k=$(echo "$t1 - $t0" | bc -l); p=$(echo "$t2 - $t1" | bc -l)
    k_times+=("$k"); p_times+=("$p"); ratios+=("$(echo "$k / $p" | bc -l)")
done
kaohe_s=$(printf '%s\n' "${k_times[@]}" | median)
python_s=$(printf '%s\n' "${p_times[@]}" | median)
ratio=$(printf '%s\n' "${ratios[@]}" | median)

printf 'input:   %s (%d bytes, %s teams × %s cadres, shape %s, policy %s, %s runs, median)\n' "$input" "$size" "$teams" "$per_team" "$shape" "$policy" "$runs"
printf 'kaohe grade:        %.3f s\n' "$kaohe_s"
printf 'python json.load:   %.3f s\n' "$python_s"
printf 'ratio:              %.2f (median of the %s pairs; target ≤ 0.70)\n' "$ratio" "$runs"
