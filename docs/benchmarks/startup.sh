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
PORT=${BENCH_PORT:-5743}
ROUTER=${BENCH_ROUTER_PORT:-18780}
DATA=$(mktemp -d /tmp/slipway-startup-bench.XXXXXX)
. docs/benchmarks/prepare.sh
bench_need curl
bench_build

export SLIPWAY_DEFAULT_BASE_IMAGE=off
export SLIPWAY_CDS_DIR="$DATA/cds"
export SLIPWAY_GIT_SSH_PORT=${BENCH_SSH_PORT:-2722}
PLATFORM="$DATA/platform"
UP=
REPLICA=
cleanup() {
  # (a JVM stopped by a signal waits with 130/143: not this script's status)
  if [ -n "$REPLICA" ]; then kill -TERM "$REPLICA" 2>/dev/null; wait "$REPLICA" 2>/dev/null || true; fi
  if [ -n "$UP" ]; then kill -INT "$UP" 2>/dev/null; wait "$UP" 2>/dev/null || true; fi
  for _ in 1 2 3 4 5; do rm -rf "$DATA" 2>/dev/null && return; sleep 1; done
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# CPU seconds (user + system) a process has used so far: on a shared machine less noisy than wall time
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo -; }
# the "(x s)" of the launcher's log line that contains $1, or "-"
step() { grep -F "$1" "$2" | head -1 | sed -n 's/.*(\([0-9.]*\) s[ )].*/\1/p' | grep . || echo -; }
account_ok() {
  [ -f "$PLATFORM/secrets/admin-api-key" ] || return 1
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$PLATFORM/tls/ca.pem" \
        -H "Authorization: Bearer $(cat "$PLATFORM/secrets/admin-api-key")" \
        -H "Accept: application/vnd.heroku+json; version=3" "https://127.0.0.1:$PORT/account")" = 200 ]
}

# ", AOT cache" or ", CDS" when the next start of $1 maps one (deploy/bin/slipway-cds.sh)
archived() {
  if compgen -G "$SLIPWAY_CDS_DIR/$1-*.aot" >/dev/null; then echo ", AOT cache"
  elif compgen -G "$SLIPWAY_CDS_DIR/$1-*.jsa" >/dev/null; then echo ", CDS"; fi
}
# the JDK the platform runs on (the scripts' own choice)
JAVA_USED=$(. deploy/bin/slipway-java.sh; slipway_java; "$JAVA" -version 2>&1 | head -1)
# a background CDS dump of the previous start still running: let it finish first
cds_idle() {
  for _ in $(seq 1 600); do compgen -G "$SLIPWAY_CDS_DIR/*.lock" >/dev/null || return 0; sleep 0.5; done
}

ROWS=()
# start `up`, wait until the CLI answers and until it is ready, stop it unless $2 = keep
run_up() {
  local label=$1 log="$DATA/up-$1.log" t0 cli cli_cpu=- ready stop
  cds_idle
  label="$label$(archived slipway-up)"
  t0=$(now)
  ./slipway up --data-dir "$PLATFORM" --port "$PORT" --router-port "$ROUTER" > "$log" 2>&1 &
  UP=$!
  cli=
  while ! grep -q "Slipway is running" "$log"; do
    kill -0 "$UP" 2>/dev/null || { echo "slipway up exited:" >&2; tail -20 "$log" >&2; exit 1; }
    if [ -z "$cli" ] && account_ok; then cli=$(elapsed "$t0" "$(now)"); cli_cpu=$(cpu "$UP"); fi
    sleep 0.05
  done
  ready=$(elapsed "$t0" "$(now)")
  [ -n "$cli" ] || { account_ok && cli=$ready && cli_cpu=$(cpu "$UP"); }
  stop=-
  if [ "${2:-}" != keep ]; then
    local s0; s0=$(now)
    kill -INT "$UP"; wait "$UP" || true; UP=
    stop=$(elapsed "$s0" "$(now)")
  fi
  ROWS+=("| $label | $(step "Settings ready" "$log") | $(step "Platform - PostgreSQL ready" "$log") | $(step "Object store ready" "$log") | $(step "Apps' PostgreSQL ready" "$log") | $(step "API server ready" "$log") | $(step "git-gateway ready" "$log") | $(step "dyno-agent ready" "$log") | $(step "router ready" "$log") | $(step "components ready" "$log") | **$cli** | $cli_cpu | $ready | $stop |")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M')
run_up fresh
for i in $(seq 1 "$WARM"); do
  if [ "$i" = "$WARM" ]; then run_up "warm $i" keep; else run_up "warm $i"; fi
done

# the replica: the up's PostgreSQL, its TLS files and object store; its own ports
PG_PORT=$(sed -n 's/^postgres.port=//p' "$PLATFORM/ports.properties")
S3_PORT=$(sed -n 's/^s3.port=//p' "$PLATFORM/ports.properties")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
API2=$(free_port)
ENV="$DATA/replica.env"
cat > "$ENV" <<EOF
SLIPWAY_LIB=$PWD/launcher/target/lib
SLIPWAY_JAVA_OPTS="-Xmx384m -XX:+UseSerialGC"
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/slipway
SPRING_DATASOURCE_USERNAME=postgres
SPRING_DATASOURCE_PASSWORD=$(cat "$PLATFORM/secrets/postgres-password")
SLIPWAY_SECRETS_KEY_FILE=$PLATFORM/secrets/secrets-key
SLIPWAY_PUBLIC_URL=https://127.0.0.1:$API2
SERVER_ADDRESS=127.0.0.1
SERVER_PORT=$API2
SERVER_SSL_CERTIFICATE=file:$PLATFORM/tls/server.pem
SERVER_SSL_CERTIFICATE_PRIVATE_KEY=file:$PLATFORM/tls/server-key.pem
SLIPWAY_INTERNAL_BIND=127.0.0.1
SLIPWAY_INTERNAL_PORT=$(free_port)
SLIPWAY_RENDEZVOUS_PORT=$(free_port)
SLIPWAY_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
SLIPWAY_S3_BUCKET=slipway
SLIPWAY_S3_ACCESS_KEY=$(cat "$PLATFORM/secrets/s3-access-key")
SLIPWAY_S3_SECRET_KEY=$(cat "$PLATFORM/secrets/s3-secret-key")
SLIPWAY_S3_REGION=us-east-1
EOF
REPLICA_ROWS=()
for i in $(seq 1 "$REPLICAS"); do
  log="$DATA/replica-$i.log"
  cds_idle
  label=$i
  label="$i$(archived api-server)"
  t0=$(now)
  deploy/bin/slipway-component api-server "$ENV" > "$log" 2>&1 &
  REPLICA=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$PLATFORM/tls/ca.pem" "https://127.0.0.1:$API2/health")" = 200 ]; do
    kill -0 "$REPLICA" 2>/dev/null || { echo "the replica exited:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.05
  done
  healthy=$(elapsed "$t0" "$(now)")
  healthy_cpu=$(cpu "$REPLICA")
  s0=$(now)
  kill -TERM "$REPLICA"; wait "$REPLICA" || true; REPLICA=
  REPLICA_ROWS+=("| $label | **$healthy** | $healthy_cpu | $(elapsed "$s0" "$(now)") |")
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
