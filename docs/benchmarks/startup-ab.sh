#!/usr/bin/env bash
# Start-up of two versions side by side (issue #13, point 3): this machine's speed changes by up to half between
# runs minutes apart, so one run per version cannot compare them. Builds BEFORE and AFTER (git revisions) in
# worktrees of their own, then:
#   `./slipway up`: each on its own data dir, started until its JDK AOT cache (or CDS archive) is mapped, then
#   PAIRS pairs of starts, the order swapped each pair: CLI answers (launch until GET /account answers 200) and
#   the JVM's CPU s by then;
#   an api-server replica (slipway-component api-server, the cluster's JVM options) of each, against BEFORE's
#   PostgreSQL, the same way: launch until GET /health answers 200, and its CPU s.
# Prints Markdown: every start, and per version the median of each column.
# Usage: docs/benchmarks/startup-ab.sh BEFORE AFTER [pairs=5]   (for example: startup-ab.sh HEAD~1 HEAD)
# Needs: git, curl, python3; each revision's ./slipway builds it.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
PAIRS=${3:-5}
DATA=$(mktemp -d /tmp/slipway-startup-ab.XXXXXX)
. docs/benchmarks/prepare.sh
. docs/benchmarks/startup-lib.sh
bench_need curl git python3

cleanup() {
  stop_started
  bench_versions_remove "$DATA"
}
trap cleanup EXIT
bench_versions "$DATA" "$1" "$2"

# enough starts for the next one to map its cache: JDK 25+ leaves a mark, records, then builds (3); JDK 17 writes
# the class list, then dumps (2)
JAVA_MAJOR=$(. deploy/bin/slipway-java.sh; slipway_java; "$JAVA" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p')
WARMUPS=$([ "${JAVA_MAJOR:-17}" -ge 25 ] && echo 3 || echo 2)
[ "${SLIPWAY_CDS:-on}" = off ] && WARMUPS=1
ORDER=()
for i in $(seq 1 "$PAIRS"); do
  if [ $((i % 2)) = 1 ]; then ORDER+=(before after); else ORDER+=(after before); fi
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M')

# `up`: a data dir per version (its schema is its own)
ROWS=()
for v in before after; do
  PLATFORM="$DATA/platform-$v"
  for i in $(seq 1 "$WARMUPS"); do start_up "${TREE[$v]}" "$DATA/up-$v-warmup-$i.log"; done
done
for v in "${ORDER[@]}"; do
  PLATFORM="$DATA/platform-$v"
  start_up "${TREE[$v]}" "$DATA/up-$v.log"
  ROWS+=("$v $CLI $CLI_CPU")
done

# replicas against BEFORE's PostgreSQL (kept running), each on its own port
PLATFORM="$DATA/platform-before"
start_up "${TREE[before]}" "$DATA/up-platform.log" keep
API2=$(free_port)
REPLICA_ROWS=()
for v in before after; do
  replica_env "$DATA/replica-$v.env" "${TREE[$v]}" "$API2"
  for i in $(seq 1 "$WARMUPS"); do start_replica "${TREE[$v]}" "$DATA/replica-$v.env" "$API2" "$DATA/replica-$v-warmup.log"; done
done
for v in "${ORDER[@]}"; do
  start_replica "${TREE[$v]}" "$DATA/replica-$v.env" "$API2" "$DATA/replica-$v.log"
  REPLICA_ROWS+=("$v $HEALTHY $HEALTHY_CPU")
done
stop_started
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# table ROWS-NAME COLUMN COLUMN: each start in its order, then the medians
table() {
  local -n rows=$1
  echo "| start | before (${REV[before]}): $2 | its $3 | after (${REV[after]}): $2 | its $3 |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}" | python3 -c '
import sys, statistics
runs = {"before": [], "after": []}
for line in sys.stdin:
    v, a, b = line.split()
    runs[v].append((float(a), float(b)))
for i, (x, y) in enumerate(zip(runs["before"], runs["after"]), 1):
    print(f"| {i} | {x[0]:.1f} | {x[1]:.1f} | {y[0]:.1f} | {y[1]:.1f} |")
b, a = ([statistics.median(c) for c in zip(*runs[v])] for v in ("before", "after"))
print(f"| **median** | **{b[0]:.1f}** | **{b[1]:.1f}** | **{a[0]:.1f}** | **{a[1]:.1f}** |")'
}
echo "### Start-up, ${REV[before]} against ${REV[after]} ($STARTED-$(date -u +%H:%M) UTC; $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after; JDK $JAVA_MAJOR; CDS/AOT cache ${SLIPWAY_CDS:-on}, $WARMUPS warm-up starts each)"
echo
echo "Seconds from the launch; CPU s: what the JVM had used by then (user + system). Pairs alternate which version starts first."
echo
echo "\`./slipway up\`, until the CLI answers:"
echo
table ROWS "CLI answers" "CPU s"
echo
echo "api-server replica (slipway-component api-server, -Xmx384m -XX:+UseSerialGC), until /health answers:"
echo
table REPLICA_ROWS "/health" "CPU s"
