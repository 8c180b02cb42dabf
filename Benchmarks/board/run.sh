#!/usr/bin/env bash
# The grading board (issue 11) for a county of 10,000 cadres in 500 units, with the release binary: imports the
# synthetic roster (Benchmarks/import/generate.py), makes a 年度考核 (lushan-2022) through the forms, arranges and
# closes a democratic evaluation for every unit (every participant voting with a one-time code: 21 a unit, 10,500 in
# all), walks the campaign to 等次评定, then times over HTTP on loopback:
#   - the board's first page right after a change (the campaign graded afresh: roster, 500 tallies, engine, page);
#   - the same page again (the grading cached for this data version), median of N;
#   - a grade decision (its trial grading included) and the board's next view (graded again with it).
#   - the county's 考核等次建议表 (.xlsx) and the first unit's 登记表 (.docx; UNITS=200 gives 50 cadres a unit).
# Targets: first page < 1 s; decision + next view < 2 s; county summary < 5 s; a unit's 50 登记表 < 1 s.
#
#   Benchmarks/board/run.sh                       # builds `swift build -c release --product kaohe`
#   KAOHE_BIN=/path/to/kaohe ROWS=10000 UNITS=500 N=10 Benchmarks/board/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${ROWS:-10000}"
units="${UNITS:-500}"
n="${N:-10}"
xlsx="$root/Benchmarks/data/roster-${rows}-u${units}.xlsx"
if [[ -z "${KAOHE_BIN:-}" ]]; then
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
mkdir -p "$root/Benchmarks/data"
[[ -s "$xlsx" ]] || python3 "$root/Benchmarks/import/generate.py" "$xlsx" --rows "$rows" --units "$units" >&2

work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning
"$KAOHE_BIN" migrate >/dev/null 2>&1
echo "importing $rows cadres in $units units…" >&2
"$KAOHE_BIN" import roster "$xlsx" >/dev/null

source "$here/../serve.sh"
serve_and_log_in
csrf=$(csrf_of /campaigns)
post() { curl -sS -o "$work/out.html" -w '%{http_code} %{time_total}\n' -b "$jar" --data-urlencode "_csrf=$csrf" "${@:2}" "$base$1"; }

loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" -F "_csrf=$csrf" -F title=县管干部年度考核 -F kind=annual -F year=2026 \
  -F cutoff=2026-12-31 -F preset=lushan-2022 "$base/campaigns")
campaign=${loc#"$base"}; campaign=${campaign%%\?*}
[[ "$campaign" == /campaigns/* ]] || { echo "no campaign made" >&2; exit 1; }

echo "arranging and closing $units democratic evaluations…" >&2
pages=$(( (units + 49) / 50 ))
for p in $(seq "$pages"); do
    curl -fsS -b "$jar" "$base$campaign?page=$p" >"$work/campaign.html"
    for unit in $(grep -o '<option value="[0-9A-Fa-f-]\{36\}"' "$work/campaign.html" | sed 's/.*value="\(.*\)"/\1/'); do
        read -r code _ < <(post "$campaign/sessions" --data-urlencode "unit=$unit" --data-urlencode heldOn=2026-12-20 \
          --data-urlencode place=会议室 --data-urlencode $'categories=班子成员 9\n中层干部 12')
        [[ "$code" == 303 ]] || { echo "session for $unit: HTTP $code" >&2; exit 1; }
    done
done
sessions=()
for p in $(seq "$pages"); do
    curl -fsS -b "$jar" "$base$campaign?page=$p" >"$work/campaign.html"
    sessions+=($(grep -o '/sessions/[0-9A-Fa-f-]\{36\}' "$work/campaign.html" | sort -u))
done
# Every participant votes with a one-time code (VOTERS per category, default 9 and 12): codes printed on the session
# pages, ballots through POST /api/v1/ballots, mostly 称职/好 with some spread.
: >"$work/codes.txt"
for session in "${sessions[@]}"; do
    for pair in "班子成员 ${LEADERS:-9}" "中层干部 ${MIDDLE:-12}"; do
        read -r category count <<<"$pair"
        curl -sS -o "$work/slips.html" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "category=$category" --data-urlencode "count=$count" "$base$session/codes"
        grep -o '[2-9A-HJ-NP-Z]\{5\}-[2-9A-HJ-NP-Z]\{5\}' "$work/slips.html" | sort -u | sed "s#^#$session #" >>"$work/codes.txt"
    done
done
echo "voting $(wc -l <"$work/codes.txt") ballots…" >&2
python3 - "$base" "$work/codes.txt" <<'PY'
import json, random, re, sys, urllib.request, urllib.error
base, path = sys.argv[1], sys.argv[2]
random.seed(2026)
items = {}
sent = 0
for line in open(path, encoding="utf-8"):
    session, code = line.split()
    if session not in items:
        page = urllib.request.urlopen(f"{base}/v?c={code}").read().decode()
        keys = {}
        for name, value in re.findall(r'name="([^"]+)" value="([^"]+)"', page):
            if re.fullmatch(r"team(\.\d)?|c\d+(\.\d)?", name):
                keys.setdefault(name, []).append(value)
        items[session] = keys
    answers = {}
    for key, options in items[session].items():
        weights = [60, 30, 8, 2] if key.startswith("team") else [15, 75, 8, 2]
        answers[key] = random.choices(options, weights=weights[:len(options)])[0]
    body = json.dumps({"code": code, "answers": answers}).encode()
    request = urllib.request.Request(f"{base}/api/v1/ballots", data=body, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request).read()
        sent += 1
    except urllib.error.HTTPError as e:
        sys.exit(f"ballot refused: {e.code} {e.read()[:300]!r}")
print(f"{sent} ballots accepted", file=sys.stderr)
PY
for session in "${sessions[@]}"; do post "$session/close" >/dev/null; done
for phase in fieldwork analysis grading; do
    read -r code _ < <(post "$campaign/phase" --data-urlencode "to=$phase")
    [[ "$code" == 303 ]] || { echo "phase $phase: HTTP $code: $(sed 's/<[^>]*>/ /g' "$work/out.html" | tr -s ' ' | head -c 600)" >&2; exit 1; }
done

ms() { awk -v t="$1" 'BEGIN { printf "%.0f", t * 1000 }'; }
result="$base$campaign/result"
first=$(curl -fsS -o "$work/result.html" -b "$jar" -w '%{time_total}' "$result")
times=()
for _ in $(seq "$n"); do times+=("$(curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$result")"); done
warm=$(printf '%s\n' "${times[@]}" | sort -n | awk -v n="$n" 'NR == int((n + 1) / 2)')
team=$(grep -o 'name="subject" value="team"><input type="hidden" name="code" value="[^"]*"' "$work/result.html" | head -1 | sed 's/.*value="\([^"]*\)"$/\1/')
decisions=()
for grade in 一般 良好 一般; do
    read -r code t < <(post "$campaign/decisions" --data-urlencode subject=team --data-urlencode "code=$team" --data-urlencode "grade=$grade" --data-urlencode reason=研究确定)
    [[ "$code" == 303 ]] || { echo "decision: HTTP $code" >&2; exit 1; }
    next=$(curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$result")
    decisions+=("$(awk -v a="$t" -v b="$next" 'BEGIN { printf "%.0f %.0f %.0f", a * 1000, b * 1000, (a + b) * 1000 }')")
done
cadres=$(grep -c 'name="subject" value="cadre"' "$work/result.html" || true)
printf 'board: %s cadres, %s units, %s ballots (%s units per page, %s cadres on the first page)\n' "$rows" "$units" "$(wc -l <"$work/codes.txt")" 20 "$cadres"
printf 'first page after a change: %s ms (target < 1000)\n' "$(ms "$first")"
printf 'same page again (cached), median of %s: %s ms\n' "$n" "$(ms "$warm")"
for d in "${decisions[@]}"; do
    read -r a b total <<<"$d"
    printf 'decision %s ms + next view %s ms = %s ms (target < 2000)\n' "$a" "$b" "$total"
done
# Documents (issue 12): the county's 考核等次建议表 (.xlsx, every team and cadre) and the first unit's 登记表 (.docx).
county=$(curl -fsS -o "$work/county.xlsx" -b "$jar" -w '%{time_total}' "$base$campaign/documents/proposals.xlsx")
curl -fsS -b "$jar" "$base$campaign" >"$work/campaign.html"
unit1=$(grep -o 'interviews?unit=[0-9A-Fa-f-]\{36\}' "$work/campaign.html" | head -1 | sed 's/.*unit=//')
forms=$(curl -fsS -o "$work/forms.docx" -b "$jar" -w '%{time_total}' "$base$campaign/registration.docx?unit=$unit1")
formCount=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode().count("年度考核登记表</w:t>"))' "$work/forms.docx")
printf 'county 考核等次建议表 (.xlsx, %s kB): %s ms (target < 5000)\n' "$(( $(stat -c %s "$work/county.xlsx") / 1024 ))" "$(ms "$county")"
printf "a unit's 登记表 (.docx, %s forms): %s ms (target < 1000 for 50)\n" "$formCount" "$(ms "$forms")"
peak=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
echo "server peak memory: $peak MB"
