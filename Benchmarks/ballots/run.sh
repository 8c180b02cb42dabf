#!/usr/bin/env bash
# Ballot load (issue 10): a release binary on loopback, a session whose ballot has the team and 13 cadres (84 items),
# CODES one-time codes issued through the slips page, then wrk with C concurrent connections submitting complete ballots
# through POST /api/v1/ballots for D seconds. Prints ballots/s and p50/p90/p99 latency (target on 2 cores with SQLite:
# ≥ 2,000 ballots/s, p99 < 100 ms at 200 concurrent voters), then checks the database: every accepted ballot stored
# once, every used code with its ballot.
#
#   Benchmarks/ballots/run.sh                         # builds the release binary
#   KAOHE_BIN=/path/to/kaohe C=200 D=10 CODES=40000 Benchmarks/ballots/run.sh
#   DATABASE_URL=postgres://…/empty_db Benchmarks/ballots/run.sh
#   PROFILE=/tmp/ballots.perf Benchmarks/ballots/run.sh  # also records the server with `perf record -g` during the load
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
c="${C:-200}"; d="${D:-10}"; ncodes="${CODES:-40000}"; threads="${THREADS:-2}"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)"; exit 1; }; }
if [[ -z "${KAOHE_BIN:-}" ]]; then
    (cd "$root" && swift build -c release --product kaohe >&2)
    KAOHE_BIN="$(cd "$root" && swift build -c release --product kaohe --show-bin-path)/kaohe"
fi
work="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export KAOHE_DATA_DIR="$work" KAOHE_ADMIN_PASSWORD="bench-admin-password" LOG_LEVEL=warning KAOHE_BACKUP_TIME=off
cd "$root"  # the server reads its templates from Resources/
"$KAOHE_BIN" demo >/dev/null 2>&1

source "$here/../serve.sh"
serve_and_log_in

source "$here/session.sh"
echo "issuing $ncodes codes through the slips page" >&2
t0=$(date +%s.%N)
ballot_session "$ncodes"
t1=$(date +%s.%N)
echo "codes: $(wc -l <"$work/codes") in $(echo "$t1 - $t0" | bc) s (slips with QR codes included)"
echo "ballot: $(grep -o '":"' "$work/answers" | wc -l) items"

[[ -n "${PROFILE:-}" ]] && { perf record -g -o "$PROFILE" -p "$pid" -- sleep "$d" >/dev/null 2>&1 & }
# The server's CPU time (user + system, clock ticks) and the machine's busy ticks, before and after: CPU per ballot is
# steadier than throughput on a machine whose neighbours come and go.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
idle_ticks() { awk '/^cpu / {print $5 + $6}' /proc/stat; }
steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }
server0=$(cpu_ticks); busy0=$(busy_ticks); idle0=$(idle_ticks); steal0=$(steal_ticks)
CODES="$work/codes" ANSWERS="$work/answers" THREADS="$threads" \
  wrk -t "$threads" -c "$c" -d "${d}s" --timeout 10s -s "$here/ballots.lua" "$base" | tee "$work/wrk.out" | grep -E "accepted|latency|Socket errors|Non-2xx" || true
server1=$(cpu_ticks); busy1=$(busy_ticks); idle1=$(idle_ticks); steal1=$(steal_ticks)
accepted=$(sed -n 's/^ACCEPTED=//p' "$work/wrk.out")
hz=$(getconf CLK_TCK)
if (( accepted > 0 )); then
    echo "CPU per ballot: server $(( (server1 - server0) * 1000000 / hz / accepted )) µs, whole machine (server, wrk, kernel) $(( (busy1 - busy0) * 1000000 / hz / accepted )) µs; the cores were idle $(( (idle1 - idle0) * 100 / (busy1 - busy0 + idle1 - idle0 + steal1 - steal0) ))% and taken by the host (steal) $(( (steal1 - steal0) * 100 / (busy1 - busy0 + idle1 - idle0 + steal1 - steal0) ))% of the time"
fi
# Closed: the tally is shown only then.
curl -sS -o /dev/null -b "$jar" --data-urlencode "_csrf=$csrf" "$session/close"
page=$(curl -sS -b "$jar" "$session")
row=$(echo "$page" | tr -d '\n' | grep -o '<th>合计</th><th>[0-9]*</th><th>[0-9]*</th><th>[0-9]*</th>' | grep -o '[0-9]\+' | tail -1 || true)
stored=$(echo "$page" | grep -o '测评结果（[0-9]* 票）' | grep -o '[0-9]\+' || true)
echo "session page: $row codes used, $stored ballots tallied; wrk saw $accepted accepted"
# wrk stops at D seconds with up to C requests in flight: those may be stored without wrk counting their answer.
[[ -n "$stored" && "$row" == "$stored" ]] || { echo "MISMATCH: used codes ($row) differ from ballots ($stored)"; exit 1; }
(( stored >= accepted && stored - accepted <= c )) || { echo "MISMATCH: $stored ballots stored for $accepted accepted (in flight at most $c)"; exit 1; }
echo "every used code has its ballot; every accepted ballot stored (and $((stored - accepted)) in flight when wrk stopped)"
