# Sourced by api-latency.sh and api-ab.sh: a platform to load, its seeded apps, and wrk's runs against it.
#   api_start TREE DATA PORT ROUTER_PORT    `./slipway up` of TREE on DATA, waits for /health; sets UP (its pid),
#                                           HOST, KEY and CA (its API URL, admin key and CA file)
#   api_stop                                stops it (SIGINT, as Ctrl-C)
#   api_seed APPS                           creates bench-1 .. bench-APPS (one curl, 16 requests in flight)
#   api_lua FILE APPS                       writes wrk's script: BENCH_MODE=get|patch|list picks the request
#   api_wrk FILE MODE SECONDS CONNECTIONS   one wrk run; prints its RESULT line
#   api_run FILE MODE SECONDS CONNECTIONS   api_wrk, plus the CPU µs per request of UP's JVM, of PostgreSQL and of
#                                           the whole machine (wrk included): jvm_us= pg_us= machine_us=
# The rate limit and the apps quota are raised for the platforms started here, so seeding and load are not refused.
export SLIPWAY_RATE_LIMIT_PER_HOUR=100000000

api_start() {
  local tree=$1 data=$2 port=$3 router=$4
  "$tree/slipway" up --data-dir "$data" --port "$port" --router-port "$router" > "$data.log" 2>&1 &
  UP=$!
  for _ in $(seq 1 600); do
    [ -f "$data/env.sh" ] && curl -sf --cacert "$data/tls/ca.pem" "https://127.0.0.1:$port/health" >/dev/null 2>&1 \
      && break
    kill -0 "$UP" 2>/dev/null || { echo "slipway up exited:" >&2; tail -5 "$data.log" >&2; return 1; }
    sleep 1
  done
  HOST=$(. "$data/env.sh"; echo "$HEROKU_HOST")
  KEY=$(. "$data/env.sh"; echo "$HEROKU_API_KEY")
  CA="$data/tls/ca.pem"
}

# `|| true`: a platform stopped by a signal ends with 130, which is not the caller's failure
api_stop() {
  [ -n "${UP:-}" ] || return 0
  kill -INT "$UP" 2>/dev/null; wait "$UP" 2>/dev/null || true; UP=
}

api_seed() {
  local apps=$1 cfg start last
  echo "seeding $apps apps on $HOST..." >&2
  start=$(date +%s)
  cfg=$(mktemp /tmp/bench-seed.XXXXXX)
  for i in $(seq 1 "$apps"); do
    [ "$i" -gt 1 ] && echo next
    printf 'url = "%s/apps"\nrequest = "POST"\nheader = "Authorization: Bearer %s"\nheader = "Accept: application/vnd.heroku+json; version=3"\nheader = "Content-Type: application/json"\ncacert = "%s"\ndata = "{\\"name\\":\\"bench-%d\\"}"\noutput = "/dev/null"\n' "$HOST" "$KEY" "$CA" "$i"
  done > "$cfg"
  curl -sS --no-progress-meter --parallel --parallel-max 16 -K "$cfg"
  rm -f "$cfg"
  echo "seeded in $(( $(date +%s) - start )) s" >&2
  last=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" -H "Authorization: Bearer $KEY" \
    -H "Accept: application/vnd.heroku+json; version=3" "$HOST/apps/bench-$apps")
  [ "$last" = 200 ] || { echo "seeding failed: GET /apps/bench-$apps answered $last" >&2; return 1; }
}

api_lua() {
  cat > "$1" <<LUAEOF
local key = "$KEY"
local apps = $2
local mode = os.getenv("BENCH_MODE")
-- each wrk thread seeds its own generator: seeded alike (os.time() only), the two threads sent the same PATCH to
-- the same app at the same moment, so half the PATCHes changed nothing (no release) and waited on the other's lock
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
end
request = function()
  local headers = { ["Authorization"] = "Bearer " .. key, ["Accept"] = "application/vnd.heroku+json; version=3",
                    ["Content-Type"] = "application/json" }
  local app = "bench-" .. math.random(1, apps)
  if mode == "list" then
    return wrk.format("GET", "/apps", headers)
  end
  if mode == "patch" then
    return wrk.format("PATCH", "/apps/" .. app .. "/config-vars", headers, '{"BENCH":"' .. math.random(1, 1000000) .. '"}')
  end
  return wrk.format("GET", "/apps/" .. app, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d rps=%.0f p50=%.2f p90=%.2f p99=%.2f max=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUAEOF
}

api_wrk() {
  BENCH_MODE=$2 wrk -t2 -c"$4" -d"$3s" -s "$1" "$HOST" | grep '^RESULT'
}

# CPU time in clock ticks: of processes (by pid), and of the whole machine (busy: user, nice, system, irq, softirq)
api_ticks_of() { for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $14 + $15 } END { print s + 0 }'; }
api_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# PostgreSQL: its processes started by then (the pool's backends live for the whole run; with two platforms up,
# both clusters' processes are counted)
api_run() {
  local pg jvm0 pg0 busy0 result hz
  pg=$(pgrep -x postgres | tr '\n' ' '); hz=$(getconf CLK_TCK)
  jvm0=$(api_ticks_of "$UP"); pg0=$(api_ticks_of $pg); busy0=$(api_busy_ticks)
  result=$(api_wrk "$@")
  echo "$result" | awk -v jvm=$(( $(api_ticks_of "$UP") - jvm0 )) -v pg=$(( $(api_ticks_of $pg) - pg0 )) \
      -v busy=$(( $(api_busy_ticks) - busy0 )) -v hz="$hz" '{
    split($2, r, "="); n = r[2] > 0 ? r[2] : 1; us = 1e6 / hz / n
    printf "%s jvm_us=%.0f pg_us=%.0f machine_us=%.0f\n", $0, jvm * us, pg * us, busy * us }'
}
