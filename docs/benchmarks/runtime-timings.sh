#!/usr/bin/env bash
# Runtime timings (issue #4) against a `slipway up` on a temporary data dir and ports, with a Node.js app (no npm
# dependencies) that answers the value of its BENCH_V config var:
#   (a) release-to-routed: `PATCH /apps/{app}/config-vars` (a new release, no build) until the router serves the
#       new value from the new dyno; RUNS times, median;
#   (b) push-to-routed: start of `git push` of a new commit until the router serves the new code; RUNS times;
#   (c) dyno start (slug cached on the agent): `PATCH /formation web=2` until web.2 answers through the router,
#       then back to 1; RUNS times;
#   (d) resident memory (RSS) of the `slipway up` JVM (api-server, git-gateway, build-worker, dyno-agent and
#       router in one process, plus its embedded PostgreSQL and s3proxy threads) idle, and its peak during 20 s of
#       wrk load through the router; and the app's dyno process.
# Prints Markdown. Usage: docs/benchmarks/runtime-timings.sh [runs=5]
# Needs: root and runc, git, curl, node, wrk (apt-get install wrk), a built project (./slipway builds it).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
PORT=${BENCH_PORT:-5843}
ROUTER=${BENCH_ROUTER_PORT:-18880}
DATA=$(mktemp -d /tmp/slipway-runtime-bench.XXXXXX)
[ "$(id -u)" = 0 ] || { echo "dynos run in runc containers: run as root" >&2; exit 1; }
. docs/benchmarks/prepare.sh
bench_need wrk curl git runc node:nodejs
bench_build

./slipway up --data-dir "$DATA/platform" --port "$PORT" --router-port "$ROUTER" > "$DATA/up.log" 2>&1 &
UP=$!
cleanup() {
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
# shellcheck disable=SC1091
source "$DATA/platform/env.sh"
CA="$DATA/platform/tls/ca.pem"
H=(-H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" -H "Content-Type: application/json")
api() { curl -sf --cacert "$CA" "${H[@]}" -X "$1" ${3:+-d "$3"} "$HEROKU_HOST$2"; }
export HOME="$DATA/home" GIT_CONFIG_NOSYSTEM=1 GIT_SSL_CAINFO="$CA" GIT_TERMINAL_PROMPT=0 LC_ALL=C
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
mkdir -p "$HOME"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}
row() { local name=$1 n=$2; shift 2; read -r med min max <<<"$(stats "$@")"; echo "| $name | $n | $med | $min | $max |"; }
# routed APP TEXT: polls the router every 20 ms until the body contains TEXT (fails after 120 s)
routed() {
  for _ in $(seq 1 6000); do
    curl -s --max-time 2 -H "Host: $1.localhost" "http://127.0.0.1:$ROUTER/" 2>/dev/null | grep -q -- "$2" && return 0
    sleep 0.02
  done
  echo "$1 never served $2" >&2; exit 1
}
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }

APP=bench-run-$$
api POST /apps "{\"name\":\"$APP\"}" >/dev/null
api PATCH "/apps/$APP/config-vars" '{"BENCH_V":"v0"}' >/dev/null
mkdir -p "$DATA/app" && cd "$DATA/app" && git init -q -b main
cat > package.json <<'JSON'
{"name": "bench-runtime", "version": "1.0.0", "private": true, "scripts": {"start": "node server.js"}}
JSON
echo 'web: node server.js' > Procfile
cat > server.js <<'JS'
const http = require('http');
const code = require('fs').readFileSync(__dirname + '/code.txt', 'utf8').trim();
const server = http.createServer((q, s) => s.end(code + ' ' + process.env.BENCH_V + ' ' + process.env.DYNO + '\n'));
server.listen(process.env.PORT);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
JS
echo code0 > code.txt
git add -A && git commit -q -m first
REMOTE="https://heroku:$HEROKU_API_KEY@127.0.0.1:$PORT/$APP.git"
git -c credential.helper= push -q "$REMOTE" main >/dev/null 2>&1
routed "$APP" "code0 v0"

echo "(a) release-to-routed..." >&2
release=()
for i in $(seq 1 "$RUNS"); do
  start=$(now); api PATCH "/apps/$APP/config-vars" "{\"BENCH_V\":\"v$i\"}" >/dev/null; routed "$APP" " v$i "
  release+=("$(elapsed "$start" "$(now)")")
done
echo "(b) push-to-routed..." >&2
pushed=()
for i in $(seq 1 "$RUNS"); do
  echo "code$i" > code.txt && git commit -q -am "code $i"
  start=$(now); git -c credential.helper= push -q "$REMOTE" main >/dev/null 2>&1; routed "$APP" "code$i "
  pushed+=("$(elapsed "$start" "$(now)")")
done
echo "(c) dyno start, slug cached..." >&2
scale=()
for _ in $(seq 1 "$RUNS"); do
  start=$(now); api PATCH "/apps/$APP/formation" '{"updates":[{"type":"web","quantity":2}]}' >/dev/null
  routed "$APP" "web.2"
  scale+=("$(elapsed "$start" "$(now)")")
  api PATCH "/apps/$APP/formation" '{"updates":[{"type":"web","quantity":1}]}' >/dev/null
  sleep 4
done
echo "(d) memory..." >&2
JVM=$(pgrep -f 'io.slipway.launcher.Slipway up --data-dir '"$DATA" | head -1)
idle=$(rss_kb "$JVM")
wrk -t1 -c20 -d20s -H "Host: $APP.localhost" "http://127.0.0.1:$ROUTER/" > "$DATA/wrk.txt" &
WRK=$!
peak=$idle
while kill -0 $WRK 2>/dev/null; do r=$(rss_kb "$JVM"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.5; done
rps=$(awk '/Requests\/sec/ { print $2 }' "$DATA/wrk.txt")
# the dyno's node process (not the bash that runs it as pid 1 of the container)
dyno_pid=""
for f in $(grep -l "BENCH_V=" /proc/[0-9]*/environ 2>/dev/null); do
  p=$(echo "$f" | cut -d/ -f3)
  tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q '^node ' && { dyno_pid=$p; break; }
done
dyno_rss=$([ -n "$dyno_pid" ] && rss_kb "$dyno_pid" || echo "?")

echo "Measured $(date -u +%F) on $(nproc) cores, Node.js $(node --version), $RUNS runs each."
echo
echo "| runtime timing | runs | median s | min s | max s |"
echo "|---|---|---|---|---|"
row "release-to-routed (config var change → new dyno serving through the router)" "$RUNS" "${release[@]}"
row "push-to-routed (\`git push\` start → new code served)" "$RUNS" "${pushed[@]}"
row "dyno start, slug cached (scale web=2 → web.2 answers through the router)" "$RUNS" "${scale[@]}"
echo
echo "| resident memory | RSS MiB |"
echo "|---|---|"
echo "| \`slipway up\` JVM (all components in one process), idle | $((idle / 1024)) |"
echo "| \`slipway up\` JVM, peak during 20 s of wrk -t1 -c20 through the router ($rps req/s) | $((peak / 1024)) |"
echo "| the app's web dyno (node) | $([ "$dyno_rss" = "?" ] && echo "?" || echo $((dyno_rss / 1024))) |"
