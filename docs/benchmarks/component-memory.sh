#!/usr/bin/env bash
# Resident memory (RSS) of each Slipway component as its own process, idle and under load (issue #4).
# `slipway up` (temporary data dir) provides PostgreSQL, the object store and a first api-server; beside it this
# script starts, each as its own JVM with default heap settings:
#   - a second api-server replica (the executable jar, plain HTTP) on the same database and store,
#   - a dyno-agent (DynoAgentMain) announcing more memory than the embedded one, so the scheduler puts the app's
#     dynos there,
#   - a router (RouterMain).
# It deploys a Node.js app that logs one line per request, scales it to 3 dynos, and reads each process's RSS
# idle, then its peak during 20 s of load: wrk through the standalone router (which also drives the agent: every
# request is a dyno log line it ships) and, for the api-server replica, wrk on GET /apps/{app}.
# Prints Markdown. Needs: root, runc, git, curl, node, wrk, a built project (./slipway builds it).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
ROOT=$PWD
PORT=${BENCH_PORT:-5943}
DATA=$(mktemp -d /tmp/slipway-memory-bench.XXXXXX)
[ "$(id -u)" = 0 ] || { echo "dynos run in runc containers: run as root" >&2; exit 1; }
. docs/benchmarks/prepare.sh
bench_need wrk curl git runc node:nodejs
bench_build
PIDS=()
./slipway up --data-dir "$DATA/platform" --port "$PORT" --router-port 0 > "$DATA/up.log" 2>&1 &
UP=$!
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  kill -INT $UP 2>/dev/null || true
  wait $UP 2>/dev/null || true
  for _ in 1 2 3 4 5; do rm -rf "$DATA" 2>/dev/null && return; sleep 1; done
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ -f "$DATA/platform/state.json" ] && break
  kill -0 $UP 2>/dev/null || { cat "$DATA/up.log" >&2; exit 1; }
  sleep 1
done
P="$DATA/platform"
# shellcheck disable=SC1091
source "$P/env.sh"
CA="$P/tls/ca.pem"
TOKEN=$(cat "$P/secrets/internal-token")
prop() { grep "^$1.port=" "$P/ports.properties" | cut -d= -f2; }
CP="$BENCH_CP"

API2=$(free_port)
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$(prop postgres)/slipway" SPRING_DATASOURCE_USERNAME=postgres \
SPRING_DATASOURCE_PASSWORD=$(cat "$P/secrets/postgres-password") SERVER_PORT=$API2 SERVER_ADDRESS=127.0.0.1 \
SLIPWAY_INTERNAL_TOKEN=$TOKEN SLIPWAY_PUBLIC_URL="http://127.0.0.1:$API2" SLIPWAY_RENDEZVOUS_PORT=-1 \
SLIPWAY_S3_ENDPOINT="http://127.0.0.1:$(prop s3)" SLIPWAY_S3_BUCKET=slipway \
SLIPWAY_S3_ACCESS_KEY=$(cat "$P/secrets/s3-access-key") SLIPWAY_S3_SECRET_KEY=$(cat "$P/secrets/s3-secret-key") \
  java -jar "$ROOT"/api-server/target/slipway-api-server-*-exec.jar > "$DATA/api2.log" 2>&1 &
API2_PID=$!; PIDS+=($API2_PID)

SLIPWAY_API_URL="$HEROKU_HOST" SLIPWAY_INTERNAL_TOKEN=$TOKEN SLIPWAY_CA_FILE=$CA SLIPWAY_AGENT_DATA_DIR="$DATA/agent" \
SLIPWAY_AGENT_HOST=127.0.0.1 SLIPWAY_AGENT_MEMORY_MB=16384 SLIPWAY_AGENT_PORT_RANGE=51000-51999 \
  java -cp "$CP" io.slipway.dynoagent.DynoAgentMain > "$DATA/agent.log" 2>&1 &
AGENT_PID=$!; PIDS+=($AGENT_PID)

ROUTER=$(free_port)
SLIPWAY_API_URL="$HEROKU_HOST" SLIPWAY_INTERNAL_TOKEN=$TOKEN SLIPWAY_CA_FILE=$CA SLIPWAY_ROUTER_PORT=$ROUTER \
SLIPWAY_ROUTER_BIND=127.0.0.1 java -cp "$CP" io.slipway.router.RouterMain > "$DATA/router.log" 2>&1 &
ROUTER_PID=$!; PIDS+=($ROUTER_PID)

for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API2/health" >/dev/null 2>&1 && break; sleep 1; done

H=(-H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" -H "Content-Type: application/json")
api() { curl -sf --cacert "$CA" "${H[@]}" -X "$1" ${3:+-d "$3"} "$HEROKU_HOST$2"; }
APP=bench-mem-$$
api POST /apps "{\"name\":\"$APP\"}" >/dev/null
export HOME="$DATA/home" GIT_CONFIG_NOSYSTEM=1 GIT_SSL_CAINFO="$CA" GIT_TERMINAL_PROMPT=0 LC_ALL=C
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
mkdir -p "$HOME" "$DATA/app" && cd "$DATA/app" && git init -q -b main
echo '{"name":"mem","version":"1.0.0","private":true,"scripts":{"start":"node server.js"}}' > package.json
echo 'web: node server.js' > Procfile
cat > server.js <<'JS'
const http = require('http');
http.createServer((q, s) => { console.log('GET ' + q.url); s.end('ok ' + process.env.DYNO + '\n'); }).listen(process.env.PORT);
JS
git add -A && git commit -q -m first
git -c credential.helper= push -q "https://heroku:$HEROKU_API_KEY@127.0.0.1:$PORT/$APP.git" main >/dev/null 2>&1
api PATCH "/apps/$APP/formation" '{"updates":[{"type":"web","quantity":3}]}' >/dev/null
for _ in $(seq 1 600); do
  n=$(curl -s --max-time 2 -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER/" 2>/dev/null | grep -c 'ok web' || true)
  [ "$(api GET "/apps/$APP/dynos" | grep -o '"state":"up"' | wc -l)" -ge 3 ] && [ "$n" = 1 ] && break
  sleep 0.2
done
for pair in api:$API2_PID:api2 agent:$AGENT_PID:agent router:$ROUTER_PID:router; do
  IFS=: read -r n pid log <<<"$pair"
  kill -0 "$pid" 2>/dev/null || { echo "the $n process exited; its log:" >&2; tail -n 40 "$DATA/$log.log" >&2; exit 1; }
done
# dynos of the standalone agent: its directories under its data dir (one per running dyno)
on_agent=$(ls "$DATA/agent/dynos" 2>/dev/null | wc -l)
sleep 20 # settle
rss() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
JVM=$(pgrep -f "io.slipway.launcher.Slipway up --data-dir $P" | head -1)
declare -A IDLE PEAK
for name in up:$JVM api:$API2_PID agent:$AGENT_PID router:$ROUTER_PID; do
  IDLE[${name%%:*}]=$(rss "${name#*:}"); PEAK[${name%%:*}]=${IDLE[${name%%:*}]}
done
wrk -t1 -c20 -d20s -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER/" > "$DATA/wrk-router.txt" &
W1=$!
wrk -t1 -c10 -d20s -H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" \
  "http://127.0.0.1:$API2/apps/$APP" > "$DATA/wrk-api.txt" &
W2=$!
while kill -0 $W1 2>/dev/null || kill -0 $W2 2>/dev/null; do
  for name in up:$JVM api:$API2_PID agent:$AGENT_PID router:$ROUTER_PID; do
    r=$(rss "${name#*:}"); [ "$r" -gt "${PEAK[${name%%:*}]}" ] && PEAK[${name%%:*}]=$r
  done
  sleep 0.5
done
rps_router=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$DATA/wrk-router.txt")
rps_api=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$DATA/wrk-api.txt")
echo "Measured $(date -u '+%F %H:%M') UTC on $(nproc) cores, $(java -version 2>&1 | head -1), default heap settings (no -Xmx)."
echo
echo "| process | RSS idle MiB | RSS peak under load MiB | load |"
echo "|---|---|---|---|"
echo "| api-server replica (executable jar) | ${IDLE[api]} | ${PEAK[api]} | wrk -c10 GET /apps/{app}: $rps_api req/s |"
echo "| router (RouterMain) | ${IDLE[router]} | ${PEAK[router]} | wrk -c20 through it: $rps_router req/s |"
echo "| dyno-agent (DynoAgentMain), running $on_agent of the app's 3 dynos | ${IDLE[agent]} | ${PEAK[agent]} | shipping one log line per routed request |"
echo "| \`slipway up\` JVM (api-server, git-gateway, build-worker, its own agent and router, s3proxy; PostgreSQL is separate) | ${IDLE[up]} | ${PEAK[up]} | ingesting the log lines, routes |"
