#!/usr/bin/env bash
# Deploy timings (issue #3): wall time from the start of `git push` to its exit (the release is made by then), with
# the real git client over HTTPS through the TLS front door, against a `slipway up` started on a temporary data dir
# and port. Measures
#   (a) a Procfile-only app: RUNS pushes of new commits (after a first push), median;
#   (b) a Node.js app with one npm dependency (ms@2.1.3): the first push of COLD_RUNS new apps (empty build
#       cache, so npm fetches from the registry), median; then RUNS_WARM pushes of new commits to one of them
#       (npm's cache restored from the app's build cache), median;
#   (c) the Builds API path for the Procfile app (POST /sources, PUT the tarball, POST /apps/{app}/builds, read
#       output_stream_url to its end): RUNS builds, median.
# Prints a Markdown table.
# Usage: docs/benchmarks/deploy-timings.sh [runs=5] [runs_warm=3] [cold_runs=3]
# Needs: root and runc (builds run in containers), git, curl, node and npm (the stack's), a built project
# (./slipway builds it), and the npm registry for (b).
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(...) stops the script too
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
RUNS_WARM=${2:-3}
COLD_RUNS=${3:-3}
PORT=${BENCH_PORT:-5743}
DATA=$(mktemp -d /tmp/slipway-deploy-bench.XXXXXX)
[ "$(id -u)" = 0 ] || { echo "builds run in runc containers: run as root" >&2; exit 1; }
. docs/benchmarks/prepare.sh
bench_need curl git runc node:nodejs npm
bench_build

./slipway up --data-dir "$DATA/platform" --port "$PORT" > "$DATA/up.log" 2>&1 &
UP=$!
# PostgreSQL may still be writing its last files just after the launcher exits: retry the removal
cleanup() {
  kill -INT $UP 2>/dev/null || true
  wait $UP 2>/dev/null || true
  for _ in 1 2 3 4 5; do rm -rf "$DATA" 2>/dev/null && return; sleep 1; done
  echo "could not remove $DATA" >&2
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  [ -f "$DATA/platform/env.sh" ] && curl -sf --cacert "$DATA/platform/tls/ca.pem" "https://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $UP 2>/dev/null || { cat "$DATA/up.log" >&2; exit 1; }
  sleep 1
done
# shellcheck disable=SC1091
source "$DATA/platform/env.sh"
CA="$DATA/platform/tls/ca.pem"
H=(-H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3" -H "Content-Type: application/json")

# git as a user with nothing configured: isolated HOME, no system config, no prompts, the platform's CA
export HOME="$DATA/home" GIT_CONFIG_NOSYSTEM=1 GIT_SSL_CAINFO="$CA" GIT_TERMINAL_PROMPT=0 LC_ALL=C
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0 # env.sh's; GIT_SSL_CAINFO does the same here

create_app() {
  curl -sf --cacert "$CA" "${H[@]}" -X POST -d "{\"name\":\"$1\"}" "$HEROKU_HOST/apps" >/dev/null
}
remote() { echo "https://heroku:$HEROKU_API_KEY@127.0.0.1:$PORT/$1.git"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# push DIR APP: pushes main, prints the seconds from the start of git push to its exit; fails loudly
push() {
  local start end out
  start=$(now)
  if ! out=$(cd "$1" && timeout 600 git -c credential.helper= push "$(remote "$2")" main 2>&1); then
    echo "git push to $2 failed:" >&2; echo "$out" >&2; exit 1
  fi
  end=$(now)
  grep -q "Released v" <<<"$out" || { echo "no release in the push to $2:" >&2; echo "$out" >&2; exit 1; }
  elapsed "$start" "$end"
}
new_commit() { (cd "$1" && date +%s%N > .bench-stamp && git add -A && git commit -q -m "bench $(date +%s%N)"); }

# stats "values..." -> "median min max", seconds with one decimal
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}
row() { # name count "values..."
  local name=$1 n=$2; shift 2
  read -r med min max <<<"$(stats "$@")"
  echo "| $name | $n | $med | $min | $max |"
}

new_repo() { # DIR, files written by the caller's heredocs afterwards
  mkdir -p "$1" && (cd "$1" && git init -q -b main)
}

# (a) Procfile-only app
echo "(a) Procfile-only app..." >&2
APP=bench-procfile-$$
create_app "$APP"
new_repo "$DATA/procfile"
printf 'web: python3 -m http.server $PORT\nworker: sleep infinity\n' > "$DATA/procfile/Procfile"
(cd "$DATA/procfile" && git add -A && git commit -q -m first)
procfile_first=$(push "$DATA/procfile" "$APP")
procfile=()
for _ in $(seq 1 "$RUNS"); do new_commit "$DATA/procfile"; procfile+=("$(push "$DATA/procfile" "$APP")"); done

# (b) Node.js app with one npm dependency
echo "(b) Node.js app with an npm dependency..." >&2
node_cold=()
for i in $(seq 1 "$COLD_RUNS"); do
  NODE_APP=bench-node-$i-$$
  create_app "$NODE_APP"
  new_repo "$DATA/$NODE_APP"
  cat > "$DATA/$NODE_APP/package.json" <<'JSON'
{"name": "bench-node", "version": "1.0.0", "private": true,
 "scripts": {"start": "node index.js"}, "dependencies": {"ms": "2.1.3"}}
JSON
  echo "require('http').createServer((q, s) => s.end(require('ms')(60000))).listen(process.env.PORT)" > "$DATA/$NODE_APP/index.js"
  (cd "$DATA/$NODE_APP" && git add -A && git commit -q -m first)
  node_cold+=("$(push "$DATA/$NODE_APP" "$NODE_APP")")
done
node_warm=()
for _ in $(seq 1 "$RUNS_WARM"); do new_commit "$DATA/$NODE_APP"; node_warm+=("$(push "$DATA/$NODE_APP" "$NODE_APP")"); done

# (c) the Builds API path for the Procfile app: upload a tarball, create a build, read its output to the end
echo "(c) Builds API, Procfile app..." >&2
api_build() {
  local start end src put get build stream out
  start=$(now)
  tar czf "$DATA/src.tgz" -C "$DATA/procfile" --exclude=.git .
  src=$(curl -sf --cacert "$CA" "${H[@]}" -X POST "$HEROKU_HOST/sources")
  put=$(node -e 'console.log(JSON.parse(process.argv[1]).source_blob.put_url)' "$src")
  get=$(node -e 'console.log(JSON.parse(process.argv[1]).source_blob.get_url)' "$src")
  curl -sf --cacert "$CA" -T "$DATA/src.tgz" "$put" >/dev/null # PUT, no Content-Type (Heroku's docs: -H "Content-Type:")
  build=$(curl -sf --cacert "$CA" "${H[@]}" -X POST -d "{\"source_blob\":{\"url\":\"$get\"}}" "$HEROKU_HOST/apps/$APP/builds")
  stream=$(node -e 'console.log(JSON.parse(process.argv[1]).output_stream_url)' "$build")
  out=$(curl -sfN --max-time 600 --cacert "$CA" "$stream")
  end=$(now)
  grep -q "Released v" <<<"$out" || { echo "the build made no release:" >&2; echo "$out" >&2; exit 1; }
  elapsed "$start" "$end"
}
builds_api=()
for _ in $(seq 1 "$RUNS"); do new_commit "$DATA/procfile"; builds_api+=("$(api_build)"); done

echo "Measured $(date -u +%F) on $(nproc) cores with git $(git --version | cut -d' ' -f3), Node.js $(node --version), npm $(npm --version)."
echo
echo "| deploy (push start to exit; Builds API: upload to end of output) | runs | median s | min s | max s |"
echo "|---|---|---|---|---|"
row "Procfile-only app, first \`git push\` (new app)" 1 "$procfile_first"
row "Procfile-only app, \`git push\` of a new commit" "$RUNS" "${procfile[@]}"
row "Node.js app + 1 npm dependency, first \`git push\` (cold cache)" "$COLD_RUNS" "${node_cold[@]}"
row "Node.js app + 1 npm dependency, \`git push\` of a new commit (warm cache)" "$RUNS_WARM" "${node_warm[@]}"
row "Procfile-only app, Builds API (\`POST /sources\` + \`POST /apps/{app}/builds\`)" "$RUNS" "${builds_api[@]}"
