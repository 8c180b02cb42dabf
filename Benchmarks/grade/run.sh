#!/usr/bin/env bash
# Times `kaohe grade` on a synthetic province (10,000 teams, 100,000 cadres) beside Python merely parsing
# the same file, and prints both and their ratio (target: ratio ≤ 0.7).
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

if command -v hyperfine >/dev/null 2>&1; then
    json="$data_dir/hyperfine.json"
    hyperfine --warmup 1 --runs "$runs" --export-json "$json" \
        -n kaohe "$(printf '%q ' "${kaohe_cmd[@]}")" \
        -n python "$(printf '%q ' "${python_cmd[@]}")" >&2
    kaohe_s=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["median"])' "$json")
    python_s=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[1]["median"])' "$json")
else
    k_times=(); p_times=()
    for ((i = 0; i < runs; i++)); do
        # Interleave the two so that machine load affects both alike.
        t0=$(date +%s.%N); "${kaohe_cmd[@]}"; t1=$(date +%s.%N)
        "${python_cmd[@]}"; t2=$(date +%s.%N)
        k_times+=("$(echo "$t1 - $t0" | bc -l)")
        p_times+=("$(echo "$t2 - $t1" | bc -l)")
    done
    kaohe_s=$(printf '%s\n' "${k_times[@]}" | median)
    python_s=$(printf '%s\n' "${p_times[@]}" | median)
fi

ratio=$(echo "$kaohe_s / $python_s" | bc -l)
printf 'input:   %s (%d bytes, %s teams × %s cadres, shape %s, policy %s, %s runs, median)\n' "$input" "$size" "$teams" "$per_team" "$shape" "$policy" "$runs"
printf 'kaohe grade:        %.3f s\n' "$kaohe_s"
printf 'python json.load:   %.3f s\n' "$python_s"
printf 'ratio:              %.2f (target ≤ 0.70)\n' "$ratio"
