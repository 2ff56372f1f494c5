# Sourced by startup.sh and startup-ab.sh, after prepare.sh (its free_port) and once DATA (the run's directory)
# is set: timing a start of `./slipway up` or of an api-server replica. PLATFORM (a data dir) and PORT (its API
# port) name the `up` the functions look at.

PORT=${BENCH_PORT:-5743}
ROUTER=${BENCH_ROUTER_PORT:-18780}
# the default base image's background import (minutes of mmdebstrap on a fresh cache) is not start-up
export SLIPWAY_DEFAULT_BASE_IMAGE=off
# class data sharing starts from nothing: its files go to the run's directory (SLIPWAY_CDS=off: none)
export SLIPWAY_CDS_DIR="$DATA/cds"
export SLIPWAY_GIT_SSH_PORT=${BENCH_SSH_PORT:-2722}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# CPU seconds (user + system) a process has used so far: on a shared machine less noisy than wall time
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo -; }
# whether an authenticated GET /account answers 200: what `heroku apps` needs
account_ok() {
  [ -f "$PLATFORM/secrets/admin-api-key" ] || return 1
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$PLATFORM/tls/ca.pem" \
        -H "Authorization: Bearer $(cat "$PLATFORM/secrets/admin-api-key")" \
        -H "Accept: application/vnd.heroku+json; version=3" "https://127.0.0.1:$PORT/account")" = 200 ]
}
# ", AOT cache" or ", CDS" when the next start of component $1 maps one (deploy/bin/slipway-cds.sh)
archived() {
  if compgen -G "$SLIPWAY_CDS_DIR/$1-*.aot" >/dev/null; then echo ", AOT cache"
  elif compgen -G "$SLIPWAY_CDS_DIR/$1-*.jsa" >/dev/null; then echo ", CDS"; fi
}
# a background CDS dump or AOT cache build of the previous start still running: let it finish first
cds_idle() {
  for _ in $(seq 1 600); do compgen -G "$SLIPWAY_CDS_DIR/*.lock" >/dev/null || return 0; sleep 0.5; done
}

# replica_env FILE TREE API-PORT: the environment of an api-server replica of TREE's build against $PLATFORM's
# PostgreSQL, TLS files and object store (with the cluster's JVM options), on its own ports
replica_env() {
  local pg s3
  pg=$(sed -n 's/^postgres.port=//p' "$PLATFORM/ports.properties")
  s3=$(sed -n 's/^s3.port=//p' "$PLATFORM/ports.properties")
  cat > "$1" <<EOT
SLIPWAY_LIB=$2/launcher/target/lib
SLIPWAY_JAVA_OPTS="-Xmx384m -XX:+UseSerialGC"
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg/slipway
SPRING_DATASOURCE_USERNAME=postgres
SPRING_DATASOURCE_PASSWORD=$(cat "$PLATFORM/secrets/postgres-password")
SLIPWAY_SECRETS_KEY_FILE=$PLATFORM/secrets/secrets-key
SLIPWAY_PUBLIC_URL=https://127.0.0.1:$3
SERVER_ADDRESS=127.0.0.1
SERVER_PORT=$3
SERVER_SSL_CERTIFICATE=file:$PLATFORM/tls/server.pem
SERVER_SSL_CERTIFICATE_PRIVATE_KEY=file:$PLATFORM/tls/server-key.pem
SLIPWAY_INTERNAL_BIND=127.0.0.1
SLIPWAY_INTERNAL_PORT=$(free_port)
SLIPWAY_RENDEZVOUS_PORT=$(free_port)
SLIPWAY_S3_ENDPOINT=http://127.0.0.1:$s3
SLIPWAY_S3_BUCKET=slipway
SLIPWAY_S3_ACCESS_KEY=$(cat "$PLATFORM/secrets/s3-access-key")
SLIPWAY_S3_SECRET_KEY=$(cat "$PLATFORM/secrets/s3-secret-key")
SLIPWAY_S3_REGION=us-east-1
EOT
}

# start_replica TREE ENV-FILE API-PORT LOG: starts it, waits until GET /health answers 200 (the balancer's check),
# stops it; sets HEALTHY (s from launch), HEALTHY_CPU and STOPPED (s to stop)
REPLICA=
start_replica() {
  local t0 s0
  cds_idle
  t0=$(now)
  "$1/deploy/bin/slipway-component" api-server "$2" > "$4" 2>&1 &
  REPLICA=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$PLATFORM/tls/ca.pem" "https://127.0.0.1:$3/health")" = 200 ]; do
    kill -0 "$REPLICA" 2>/dev/null || { echo "the replica exited:" >&2; tail -20 "$4" >&2; exit 1; }
    sleep 0.05
  done
  HEALTHY=$(elapsed "$t0" "$(now)")
  HEALTHY_CPU=$(cpu "$REPLICA")
  s0=$(now)
  kill -TERM "$REPLICA"; wait "$REPLICA" || true; REPLICA=
  STOPPED=$(elapsed "$s0" "$(now)")
}

# start_up TREE LOG [keep]: `./slipway up` of TREE on $PLATFORM and $PORT (router on $ROUTER); waits until it is
# ready (the quickstart printed), noting when the CLI first answers; stops it unless keep. Sets CLI and CLI_CPU
# (s from launch, and the JVM's CPU s by then), READY, STOPPED ("-" when kept) and UP (the pid while it runs)
UP=
start_up() {
  local t0 s0
  cds_idle
  t0=$(now)
  "$1/slipway" up --data-dir "$PLATFORM" --port "$PORT" --router-port "$ROUTER" > "$2" 2>&1 &
  UP=$!
  CLI= CLI_CPU=-
  while ! grep -q "Slipway is running" "$2"; do
    kill -0 "$UP" 2>/dev/null || { echo "slipway up exited:" >&2; tail -20 "$2" >&2; exit 1; }
    if [ -z "$CLI" ] && account_ok; then CLI=$(elapsed "$t0" "$(now)"); CLI_CPU=$(cpu "$UP"); fi
    sleep 0.05
  done
  READY=$(elapsed "$t0" "$(now)")
  [ -n "$CLI" ] || { account_ok && CLI=$READY && CLI_CPU=$(cpu "$UP"); }
  STOPPED=-
  if [ "${3:-}" != keep ]; then
    s0=$(now)
    kill -INT "$UP"; wait "$UP" || true; UP=
    STOPPED=$(elapsed "$s0" "$(now)")
  fi
}

# stops whatever start_up or start_replica left running (a JVM stopped by a signal waits with 130/143: not the
# caller's status)
stop_started() {
  if [ -n "$REPLICA" ]; then kill -TERM "$REPLICA" 2>/dev/null; wait "$REPLICA" 2>/dev/null || true; REPLICA=; fi
  if [ -n "$UP" ]; then kill -INT "$UP" 2>/dev/null; wait "$UP" 2>/dev/null || true; UP=; fi
}
