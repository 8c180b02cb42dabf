# Sourced by run.sh and fault.sh after serve_and_log_in (Benchmarks/serve.sh): a campaign from lushan-2022, a session of
# 城关镇 (from `kaohe demo`), $1 codes issued through the slips page into $work/codes, and one complete ballot's answers
# (each item's first option, read from the ballot page) into $work/answers. Sets csrf and session.
ballot_session() {
    local ncodes=$1 campaign unit left n
    csrf=$(csrf_of /campaigns)
    campaign=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "title=负载测试" \
      --data-urlencode kind=annual --data-urlencode year=2026 --data-urlencode cutoff=2026-12-31 --data-urlencode preset=lushan-2022 "$base/campaigns")
    campaign=${campaign%%\?*}
    unit=$(curl -fsS -b "$jar" "$campaign" | sed -n 's/.*<option value="\([0-9A-Fa-f-]\{36\}\)">城关镇（X01）.*/\1/p' | head -1)
    session=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "unit=$unit" \
      --data-urlencode heldOn=2026-12-20 --data-urlencode place=礼堂 --data-urlencode "categories=职工代表 300" "$campaign/sessions")
    session=${session%%\?*}
    [[ -n "$session" ]] || { echo "no session"; exit 1; }
    : >"$work/codes"
    for ((left = ncodes; left > 0; left -= 1000)); do
        n=$(( left < 1000 ? left : 1000 ))
        curl -fsS -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "category=职工代表" --data-urlencode "count=$n" "$session/codes" \
          | grep -o '[2-9A-HJ-NP-Z]\{5\}-[2-9A-HJ-NP-Z]\{5\}' | sort -u >>"$work/codes"
    done
    curl -fsS "$base/v?c=$(head -1 "$work/codes")" | grep -o 'name="[^"]*" value="[^"]*"' | grep -v 'name="code"' \
      | awk -F'"' '!seen[$2]++ { printf "%s\"%s\":\"%s\"", (n++ ? "," : ""), $2, $4 }' >"$work/answers"
}
