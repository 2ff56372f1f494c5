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

. docs/benchmarks/api-lib.sh
export SLIPWAY_LIMITS_APPS_PER_USER=$((APPS + 100)) # the default quota (100 apps a user) would answer 422 to the seeding
# errexit holds inside the trap: `exit $rc` keeps the script's own status after a good run
trap 'rc=$?; api_stop; rm -rf "$DATA" "$DATA.log" "${LUA:-}"; exit $rc' EXIT
api_start . "$DATA" "$PORT" "$ROUTER_PORT"
api_seed "$APPS"
LUA=$(mktemp /tmp/bench.XXXXXX.lua)
api_lua "$LUA" "$APPS"

# Warm-up: every measured request kind, so the JIT has compiled each one's path before it is timed (with one C2
# thread on two busy cores, a path first run under load stays in its slowest tiers for a minute or more).
echo "warm-up..." >&2
for mode in get patch list; do
  api_wrk "$LUA" "$mode" "${WARMUP_SECONDS:-20}" "$CONN" >/dev/null
done

get=$(api_run "$LUA" get "$SECONDS_PER_RUN" "$CONN")
patch=$(api_run "$LUA" patch "$SECONDS_PER_RUN" "$CONN")
list=$(api_run "$LUA" list "$SECONDS_PER_RUN" "$CONN")
INTERNAL="http://127.0.0.1:$(grep '^internal.port=' "$DATA/ports.properties" | cut -d= -f2)"
fanout_round() {
  python3 docs/benchmarks/event-fanout.py "$INTERNAL" "$(cat "$DATA/secrets/token-router")" "$HOST" \
    "$KEY" "$CA" bench-1 "${FOLLOWERS:-100}" "${CHANGES:-50}"
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
