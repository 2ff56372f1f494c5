#!/usr/bin/env bash
# API latency of two versions side by side (issue #13, point 2): this machine's speed changes by up to half between
# runs minutes apart, so one api-latency.sh run per version cannot compare them. Builds BEFORE and AFTER (git
# revisions) in worktrees of their own, starts both platforms at once (each on its own data dir and ports, each
# seeded with APPS apps and warmed for WARMUP_SECONDS), then runs MODE's load (get: GET /apps/{app}; patch: PATCH
# /apps/{app}/config-vars; list: GET /apps) against one, then the other, ROUNDS times, the order swapped each
# round, so each pair of runs sees the same machine. Prints Markdown: every run (req/s, p50, p99, CPU µs per
# request of the platform's JVM and of the machine), then the medians per version.
# Usage: docs/benchmarks/api-ab.sh BEFORE AFTER [mode=get] [rounds=4] [apps=1000] [seconds=15] [connections=50]
# Env: WARMUP_SECONDS (20). Needs: git, wrk, curl; each revision's ./slipway builds it.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
MODE=${3:-get}
ROUNDS=${4:-4}
APPS=${5:-1000}
SECONDS_PER_RUN=${6:-15}
CONN=${7:-50}
case "$MODE" in get|patch|list) ;; *) echo "mode: get, patch or list" >&2; exit 2 ;; esac
DATA=$(mktemp -d /tmp/slipway-api-ab.XXXXXX)
. docs/benchmarks/prepare.sh
bench_need wrk curl git
. docs/benchmarks/api-lib.sh
export SLIPWAY_LIMITS_APPS_PER_USER=$((APPS + 100))

declare -A PID SIDE_HOST SIDE_KEY SIDE_CA
cleanup() {
  for v in before after; do UP=${PID[$v]:-}; api_stop; done
  bench_versions_remove "$DATA"
}
trap cleanup EXIT
bench_versions "$DATA" "$1" "$2"

# ports below the ephemeral range, apart from api-latency.sh's (5643)
port=5743
for v in before after; do
  api_start "${TREE[$v]}" "$DATA/platform-$v" "$port" $((port + 1))
  PID[$v]=$UP SIDE_HOST[$v]=$HOST SIDE_KEY[$v]=$KEY SIDE_CA[$v]=$CA
  api_seed "$APPS"
  api_lua "$DATA/$v.lua" "$APPS"
  port=$((port + 100))
done
use() { UP=${PID[$1]} HOST=${SIDE_HOST[$1]} KEY=${SIDE_KEY[$1]} CA=${SIDE_CA[$1]}; }
echo "warm-up..." >&2
for v in before after; do use "$v"; api_wrk "$DATA/$v.lua" "$MODE" "${WARMUP_SECONDS:-20}" "$CONN" >/dev/null; done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M')
ROWS=()
for i in $(seq 1 "$ROUNDS"); do
  if [ $((i % 2)) = 1 ]; then order=(before after); else order=(after before); fi
  for v in "${order[@]}"; do
    use "$v"
    ROWS+=("$i $v $(api_run "$DATA/$v.lua" "$MODE" "$SECONDS_PER_RUN" "$CONN")")
  done
done
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "$MODE with $CONN clients, $APPS apps each, ${SECONDS_PER_RUN} s runs; started $STARTED UTC, load average" \
  "$LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo
echo "| round | version | req/s | p50 ms | p99 ms | non-2xx | CPU µs per request: JVM / machine |"
echo "|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
  read -r i v rest <<< "$row"
  echo "| $i | $v (${REV[$v]}) | $(field "$rest" rps) | $(field "$rest" p50) | $(field "$rest" p99) |" \
    "$(field "$rest" non2xx) | $(field "$rest" jvm_us) / $(field "$rest" machine_us) |"
done
med_of() { tr ' ' '\n' | grep "^$1=" | cut -d= -f2 | median; }
for v in before after; do
  mine=$(printf '%s\n' "${ROWS[@]}" | awk -v v="$v" '$2 == v')
  echo "| **median** | **$v (${REV[$v]})** | **$(echo "$mine" | med_of rps)** | $(echo "$mine" | med_of p50) |" \
    "**$(echo "$mine" | med_of p99)** | | $(echo "$mine" | med_of jvm_us) / $(echo "$mine" | med_of machine_us) |"
done
