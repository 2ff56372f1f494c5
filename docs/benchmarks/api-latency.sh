#!/usr/bin/env bash
# API latency benchmark (issues #2, #13): p50/p99 of GET /apps/{app}, PATCH /apps/{app}/config-vars and GET /apps
# (the one user owns every seeded app) with 50 concurrent clients, then the event stream's fan-out of a change to
# 100 followers (event-fanout.py). Starts its own `slipway up` on a temporary data dir and port (rate limit raised
# so the seeding and the load are not throttled), seeds the apps, runs wrk, prints a Markdown table.
# Usage: docs/benchmarks/api-latency.sh [apps=10000] [seconds=30] [connections=50]
# Env: WARMUP_SECONDS (20), FOLLOWERS (100), CHANGES (50), BENCH_PORT, BENCH_ROUTER_PORT.
# Needs: wrk (apt-get install wrk), curl, python3, a built project (./slipway builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
APPS=${1:-10000}
SECONDS_PER_RUN=${2:-30}
CONN=${3:-50}
PORT=${BENCH_PORT:-5643}
ROUTER_PORT=${BENCH_ROUTER_PORT:-$((PORT + 1))} # not 8080: another platform on the machine may hold it
DATA=$(mktemp -d /tmp/slipway-bench.XXXXXX)
. docs/benchmarks/prepare.sh
bench_need wrk curl python3
bench_build

export SLIPWAY_RATE_LIMIT_PER_HOUR=100000000
export SLIPWAY_LIMITS_APPS_PER_USER=$((APPS + 100)) # the default quota (100 apps a user) would answer 422 to the seeding
./slipway up --data-dir "$DATA" --port "$PORT" --router-port "$ROUTER_PORT" > "$DATA/up.log" 2>&1 &
UP=$!
# `|| true` after the wait: errexit still holds inside the trap, and the stopped platform's status (130 after
# SIGINT) would otherwise end the script with it, skipping `exit $rc`, after a good run.
trap 'rc=$?; kill -INT $UP 2>/dev/null; wait $UP 2>/dev/null || true; rm -rf "$DATA"; exit $rc' EXIT
for _ in $(seq 1 600); do
  [ -f "$DATA/env.sh" ] && curl -sf --cacert "$DATA/tls/ca.pem" "https://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$UP" 2>/dev/null || { echo "slipway up exited:" >&2; tail -5 "$DATA/up.log" >&2; exit 1; }
  sleep 1
done
# shellcheck disable=SC1091
source "$DATA/env.sh"
CA="$DATA/tls/ca.pem"
H=(-H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" -H "Content-Type: application/json")

echo "seeding $APPS apps..." >&2
start=$(date +%s)
# one curl, connections reused, 16 requests in flight: a config file with one POST per app
CFG=$(mktemp /tmp/bench-seed.XXXXXX)
for i in $(seq 1 "$APPS"); do
  [ "$i" -gt 1 ] && echo next
  printf 'url = "%s/apps"\nrequest = "POST"\nheader = "Authorization: Bearer %s"\nheader = "Accept: application/vnd.heroku+json; version=3"\nheader = "Content-Type: application/json"\ncacert = "%s"\ndata = "{\\"name\\":\\"bench-%d\\"}"\noutput = "/dev/null"\n' "$HEROKU_HOST" "$HEROKU_API_KEY" "$CA" "$i"
done > "$CFG"
curl -sS --no-progress-meter --parallel --parallel-max 16 -K "$CFG"
rm -f "$CFG"
echo "seeded in $(( $(date +%s) - start )) s" >&2
last=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" "${H[@]}" "$HEROKU_HOST/apps/bench-$APPS")
[ "$last" = 200 ] || { echo "seeding failed: GET /apps/bench-$APPS answered $last" >&2; exit 1; }

LUA=$(mktemp /tmp/bench.XXXXXX.lua)
cat > "$LUA" <<LUAEOF
local key = "$HEROKU_API_KEY"
local apps = $APPS
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

# CPU time in clock ticks: of processes (by pid), and of the whole machine (busy: user, nice, system, irq, softirq)
ticks_of() { for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $14 + $15 } END { print s + 0 }'; }
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# one measured run: wrk's RESULT line plus the CPU each request cost the platform's JVM ($UP, `exec`ed by
# ./slipway), PostgreSQL (its processes started by then: the pool's backends live for the whole run) and the
# whole machine (wrk included), in microseconds per request
run() {
  local pg jvm0 pg0 busy0 result hz
  pg=$(pgrep -x postgres | tr '\n' ' '); hz=$(getconf CLK_TCK)
  jvm0=$(ticks_of "$UP"); pg0=$(ticks_of $pg); busy0=$(busy_ticks)
  result=$(BENCH_MODE=$1 wrk -t2 -c"$CONN" -d"${SECONDS_PER_RUN}s" -s "$LUA" "$HEROKU_HOST" | grep '^RESULT')
  echo "$result" | awk -v jvm=$(( $(ticks_of "$UP") - jvm0 )) -v pg=$(( $(ticks_of $pg) - pg0 )) \
      -v busy=$(( $(busy_ticks) - busy0 )) -v hz="$hz" '{
    split($2, r, "="); n = r[2] > 0 ? r[2] : 1; us = 1e6 / hz / n
    printf "%s jvm_us=%.0f pg_us=%.0f machine_us=%.0f\n", $0, jvm * us, pg * us, busy * us }'
}
# Warm-up: every measured request kind, so the JIT has compiled each one's path before it is timed (with one C2
# thread on two busy cores, a path first run under load stays in its slowest tiers for a minute or more).
echo "warm-up..." >&2
for mode in get patch list; do
  BENCH_MODE=$mode wrk -t2 -c"$CONN" -d${WARMUP_SECONDS:-20}s -s "$LUA" "$HEROKU_HOST" >/dev/null
done

get=$(run get)
patch=$(run patch)
list=$(run list)
INTERNAL="http://127.0.0.1:$(grep '^internal.port=' "$DATA/ports.properties" | cut -d= -f2)"
fanout_round() {
  python3 docs/benchmarks/event-fanout.py "$INTERNAL" "$(cat "$DATA/secrets/token-router")" "$HEROKU_HOST" \
    "$HEROKU_API_KEY" "$CA" bench-1 "${FOLLOWERS:-100}" "${CHANGES:-50}"
}
# the fan-out warmed like the rest: one round unmeasured (its followers' and senders' code is first run here)
fanout_round >/dev/null 2>&1 || true
fanout=$(fanout_round | grep "^RESULT" || true)
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
echo "| endpoint | apps in DB | clients | requests | non-2xx | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU µs per request: platform JVM / PostgreSQL / machine |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for pair in "GET /apps/{app}:$get" "PATCH /apps/{app}/config-vars:$patch" "GET /apps (first page):$list"; do
  name=${pair%%:*}; r=${pair#*:}
  echo "| \`$name\` | $APPS | $CONN | $(field "$r" requests) | $(field "$r" non2xx) | $(field "$r" rps) | $(field "$r" p50) | $(field "$r" p90) | $(field "$r" p99) | $(field "$r" max) | $(field "$r" jvm_us) / $(field "$r" pg_us) / $(field "$r" machine_us) |"
done
echo
echo "| event stream | followers | changes | deliveries | p50 ms | p90 ms | p99 ms | max ms | p50 / p99 ms after the PATCH's response |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| PATCH sent to \`release.created\` read | $(field "$fanout" followers) | $(field "$fanout" changes) | $(field "$fanout" deliveries) | $(field "$fanout" p50) | $(field "$fanout" p90) | $(field "$fanout" p99) | $(field "$fanout" max) | $(field "$fanout" answered_p50) / $(field "$fanout" answered_p99) |"
rm -f "$LUA"
