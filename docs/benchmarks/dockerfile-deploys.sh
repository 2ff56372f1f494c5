#!/usr/bin/env bash
# Dockerfile deploys (issue #11): push-to-serving seconds, from the start of `git push` until the router answers
# the new page, for a multi-stage Dockerfile app on the default base image heroku-24:
#   first push  - a new app: every Buildah step runs (base image loaded into the worker's storage if needed);
#   second push - only the app's page changed: the RUN steps come from Buildah's layer cache, one COPY layer is new.
# RUNS apps, each pushed twice; medians. Against a `slipway up` on a temporary data dir and ports; the default
# base image comes from the Slipway cache (built by mmdebstrap the first time on a machine: minutes, not counted).
# Prints a Markdown table.
# Usage: docs/benchmarks/dockerfile-deploys.sh [runs=3]
# Needs: root, runc, buildah, mmdebstrap, git, curl, a built project (./slipway builds it).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
PORT=${BENCH_PORT:-5753}
ROUTER_PORT=${BENCH_ROUTER_PORT:-5780}
# its own SSH port too: 2222 may be another platform's on a shared machine
export SLIPWAY_GIT_SSH_PORT=${BENCH_SSH_PORT:-5722}
# lowercase only: the build-worker's `buildah pull oci:<path>` takes an image name from the path (see the report)
DATA=/tmp/slipway-dockerfile-bench-$$-$(date +%s)
mkdir -p "$DATA"
[ "$(id -u)" = 0 ] || { echo "builds run in runc containers: run as root" >&2; exit 1; }
. docs/benchmarks/prepare.sh
bench_need curl git runc buildah mmdebstrap
bench_build

./slipway up --data-dir "$DATA/platform" --port "$PORT" --router-port "$ROUTER_PORT" > "$DATA/up.log" 2>&1 &
UP=$!
cleanup() {
  kill -INT $UP 2>/dev/null || true
  wait $UP 2>/dev/null || true
  # image dynos' roots stay mounted after the agent stops (cleared at its next start): unmount this run's
  grep -o " $DATA/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount "$m" || true; done
  for _ in 1 2 3 4 5; do rm -rf "$DATA" 2>/dev/null && return; sleep 1; done
  echo "could not remove $DATA" >&2
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ -f "$DATA/platform/env.sh" ] && curl -sf --cacert "$DATA/platform/tls/ca.pem" "https://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $UP 2>/dev/null || { cat "$DATA/up.log" >&2; exit 1; }
  sleep 1
done
# the default base image is imported in the background (first time on a machine: mmdebstrap, minutes)
for _ in $(seq 1 1800); do
  ./slipway images --data-dir "$DATA/platform" 2>/dev/null | grep -q '^heroku-24:latest ' && break
  sleep 1
done
./slipway images --data-dir "$DATA/platform" | grep -q '^heroku-24:latest ' || { echo "no heroku-24 base image" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DATA/platform/env.sh"
CA="$DATA/platform/tls/ca.pem"
H=(-H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" -H "Content-Type: application/json")
export HOME="$DATA/home" GIT_CONFIG_NOSYSTEM=1 GIT_SSL_CAINFO="$CA" GIT_TERMINAL_PROMPT=0 LC_ALL=C
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
remote() { echo "https://heroku:$HEROKU_API_KEY@127.0.0.1:$PORT/$1.git"; }

# push_to_serving DIR APP MARKER: seconds from the start of git push until GET / through the router has MARKER
push_to_serving() {
  local start out end
  start=$(now)
  if ! out=$(cd "$1" && timeout 900 git -c credential.helper= push "$(remote "$2")" main 2>&1); then
    echo "git push to $2 failed:" >&2; echo "$out" >&2; exit 1
  fi
  echo "$out" > "$DATA/$2.last-push.txt"
  for _ in $(seq 1 3000); do
    curl -s --max-time 5 -H "Host: $2.localhost" "http://127.0.0.1:$ROUTER_PORT/" | grep -q "$3" && break
    sleep 0.1
  done
  end=$(now)
  curl -s --max-time 5 -H "Host: $2.localhost" "http://127.0.0.1:$ROUTER_PORT/" | grep -q "$3" \
    || { echo "$2 never served $3" >&2; exit 1; }
  elapsed "$start" "$end"
}

write_app() { # DIR MARKER
  mkdir -p "$1/www"
  cat > "$1/Dockerfile" <<'EOF'
FROM heroku-24 AS build
RUN mkdir -p /out && echo "made-in-build-stage" > /out/stage.txt
FROM heroku-24
RUN mkdir -p /app/www && echo "base layer of the final stage" > /app/base.txt
COPY --from=build /out/stage.txt /app/www/stage.txt
COPY www/ /app/www/
WORKDIR /app
USER 1000
CMD ["/bin/sh", "-c", "exec busybox httpd -f -p $PORT -h /app/www"]
EOF
  echo "<p>$2</p>" > "$1/www/index.html"
}

stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}
row() { local name=$1 n=$2; shift 2; read -r med min max <<<"$(stats "$@")"; echo "| $name | $n | $med | $min | $max |"; }

first=(); second=(); cached=()
for i in $(seq 1 "$RUNS"); do
  APP=bench-img-$i-$$
  curl -sf --cacert "$CA" "${H[@]}" -X POST -d "{\"name\":\"$APP\"}" "$HEROKU_HOST/apps" >/dev/null
  write_app "$DATA/$APP" "first-$i"
  (cd "$DATA/$APP" && git init -q -b main && git add -A && git commit -q -m first)
  first+=("$(push_to_serving "$DATA/$APP" "$APP" "first-$i")")
  echo "<p>second-$i</p>" > "$DATA/$APP/www/index.html"
  (cd "$DATA/$APP" && git commit -q -am "only app code")
  second+=("$(push_to_serving "$DATA/$APP" "$APP" "second-$i")")
  cached+=("$(grep -c 'Using cache' "$DATA/$APP.last-push.txt" || true)")
done

echo "Measured $(date -u +%F) on $(nproc) cores with $(buildah --version), git $(git --version | cut -d' ' -f3)."
echo "Buildah 'Using cache' lines in the second pushes: ${cached[*]}."
echo
echo "| Dockerfile deploy (git push start to the new page served by the router) | runs | median s | min s | max s |"
echo "|---|---|---|---|---|"
row "multi-stage app on heroku-24, first push (new app)" "$RUNS" "${first[@]}"
row "same app, second push (only app code changed: cached layers)" "$RUNS" "${second[@]}"
