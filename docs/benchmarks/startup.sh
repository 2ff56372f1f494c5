#!/usr/bin/env bash
# Start-up times (issue #13, point 3): `./slipway up` on a built tree, first on a fresh data directory, then WARM
# more times on the same one; then an api-server replica (deploy/bin/slipway-component api-server, the command
# every cluster replica and systemd unit runs, with the cluster's JVM options) started RUNS times against that
# platform's PostgreSQL, as a replica restarting does.
#   per `up`: the launcher's own log lines (JVM start and settings: ports, secrets, certificates; PostgreSQL, object
#   store, apps' PostgreSQL, api-server context, the other components), "CLI answers" (launch until an authenticated GET /account answers 200, what `heroku apps`
#   needs) and "ready" (launch until the quickstart is printed, every component started); "stop" (Ctrl-C until
#   the JVM is gone: the first one also writes the class-data archive the later starts map);
#   per replica: launch until GET /health answers 200 (the balancer's check), and its stop.
# Class data sharing starts from nothing: its files go to a directory of this run (SLIPWAY_CDS=off: none). On JDK
# 17 the fresh start writes the class list, the first warm start has the archive dumped in the background (each start
# below waits until that is done, so it does not slow the next one), the later ones map it. On JDK 25+ (the scripts'
# choice when one is installed) every step comes one start later: the fresh start only leaves a mark, warm 1 records,
# warm 2 has the AOT cache built, warm 3 and later map it; so run at least `startup.sh 4 4` there.
# The default base image's background import (minutes of mmdebstrap on a fresh cache) is off: it is not start-up.
# Prints Markdown. Usage: docs/benchmarks/startup.sh [warm=3] [replica-runs=3]
# Needs: curl, a built project (./slipway builds it).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
WARM=${1:-3}
REPLICAS=${2:-3}
DATA=$(mktemp -d /tmp/slipway-startup-bench.XXXXXX)
. docs/benchmarks/prepare.sh
. docs/benchmarks/startup-lib.sh
bench_need curl
bench_build

PLATFORM="$DATA/platform"
cleanup() {
  stop_started
  for _ in 1 2 3 4 5; do rm -rf "$DATA" 2>/dev/null && return; sleep 1; done
}
trap cleanup EXIT

# the "(x s)" of the launcher's log line that contains $1, or "-"
step() { grep -F "$1" "$2" | head -1 | sed -n 's/.*(\([0-9.]*\) s[ )].*/\1/p' | grep . || echo -; }
# the JDK the platform runs on (the scripts' own choice)
JAVA_USED=$(. deploy/bin/slipway-java.sh; slipway_java; "$JAVA" -version 2>&1 | head -1)
ROWS=()
# start `up`, wait until the CLI answers and until it is ready, stop it unless $2 = keep
run_up() {
  local label=$1 log="$DATA/up-$1.log"
  cds_idle # (before the label: a cache still being built is mapped by this start)
  label="$label$(archived slipway-up)"
  start_up . "$log" "${2:-}"
  ROWS+=("| $label | $(step "Settings ready" "$log") | $(step "Platform - PostgreSQL ready" "$log") | $(step "Object store ready" "$log") | $(step "Apps' PostgreSQL ready" "$log") | $(step "API server ready" "$log") | $(step "git-gateway ready" "$log") | $(step "dyno-agent ready" "$log") | $(step "router ready" "$log") | $(step "components ready" "$log") | **$CLI** | $CLI_CPU | $READY | $STOPPED |")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M')
run_up fresh
for i in $(seq 1 "$WARM"); do
  if [ "$i" = "$WARM" ]; then run_up "warm $i" keep; else run_up "warm $i"; fi
done

# the replica: the up's PostgreSQL, its TLS files and object store; its own ports
API2=$(free_port)
ENV="$DATA/replica.env"
replica_env "$ENV" "$PWD" "$API2"
REPLICA_ROWS=()
for i in $(seq 1 "$REPLICAS"); do
  cds_idle
  label="$i$(archived api-server)"
  start_replica . "$ENV" "$API2" "$DATA/replica-$i.log"
  REPLICA_ROWS+=("| $label | **$HEALTHY** | $HEALTHY_CPU | $STOPPED |")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# what to paste: which tree, when, on how loaded a machine
echo "### slipway up (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + changes'), $STARTED-$(date -u +%H:%M) UTC; $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after; $JAVA_USED; CDS/AOT cache ${SLIPWAY_CDS:-on})"
echo
echo "Seconds. Steps as the launcher logs them (they overlap where it starts them together); CLI answers and ready from the launch of \`./slipway up\`; CPU s: what the JVM had used by then (user + system)."
echo
echo "| run | JVM + settings | PostgreSQL | object store | apps' PostgreSQL | api-server | git-gateway | dyno-agent | router | components | CLI answers | its CPU s | ready | stop |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "### api-server replica (slipway-component api-server, -Xmx384m -XX:+UseSerialGC)"
echo
echo "| run | /health answers | its CPU s | stop |"
echo "|---|---|---|---|"
printf '%s\n' "${REPLICA_ROWS[@]}"
