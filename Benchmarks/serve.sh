# Sourced by the benchmark scripts: starts "$KAOHE_BIN serve" on a random loopback port with the data of $work and
# logs in as the first administrator (KAOHE_ADMIN_PASSWORD), changing its first password. Sets base, jar, pid and
# defines csrf_of PATH (the CSRF token of a page). The caller's trap kills $pid.
serve_and_log_in() {
    port=$((20000 + RANDOM % 20000)); base="http://127.0.0.1:$port"; jar="$work/jar"
    "$KAOHE_BIN" serve --hostname 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 120); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
    local c
    log_in "$KAOHE_ADMIN_PASSWORD"
    c=$(csrf_of /password)
    if [[ -z "$c" ]]; then log_in Bench-Own-Pass-42; return; fi  # a reused database: changed by an earlier run
    curl -sS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$c" --data-urlencode "current=$KAOHE_ADMIN_PASSWORD" \
      --data-urlencode new=Bench-Own-Pass-42 --data-urlencode confirm=Bench-Own-Pass-42 "$base/password"
}

log_in() {
    curl -sS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$(csrf_of /login)" --data-urlencode username=admin \
      --data-urlencode "password=$1" "$base/login"
}

csrf_of() { curl -fsS -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
