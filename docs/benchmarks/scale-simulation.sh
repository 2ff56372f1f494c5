#!/usr/bin/env bash
# Internet scale, by simulation (issue 9): 1,000 simulated dyno-agents and 10,000 apps on a real api-server and a
# real PostgreSQL, each its own process on loopback. This script
#   - starts PostgreSQL (the Debian server binaries, a temporary cluster, pg_stat_statements loaded) and one
#     api-server (the executable jar, plain HTTP, no object store: the simulated agents never fetch a slug) whose
#     SLIPWAY_INTERNAL_TOKENS holds one hashed token per simulated agent;
#   - creates a user through POST /internal/users, then seeds the apps with SQL in one statement each: app, slug
#     row, release v1, formation web=1 (creating apps through the API is measured in "API latency"; a release
#     through the API needs a built slug in an object store);
#   - runs io.slipway.bench.ScaleSimulation (launcher/src/test/java/io/slipway/bench, compiled here with javac):
#     the agents register, follow /internal/events, read and report their assignments, heartbeat; it waits until
#     every app's web dyno is assigned and up, then measures heartbeat cost, event fan-out, ps:scale → assignment;
#   - prints Markdown: the simulator's tables, then the scheduler's pass times from the api-server's log.
# Usage: docs/benchmarks/scale-simulation.sh [agents=1000] [apps=10000] [scales=50] [fanouts=20]
# Environment: SIM_RUNNING_APPS (all) how many apps start with web=1, the rest web=0 (the initial placement of
# 10,000 dynos takes over 20 minutes here); SIM_PLACE_TIMEOUT (s, 1200) bounds the wait for the initial placement; SIM_API_JAR runs another
# build of the api-server (an executable jar kept from before a change, to measure before and after).
# Needs: root (PostgreSQL runs as the postgres user), curl, python3, the PostgreSQL server package, a built project.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
ROOT=$PWD
AGENTS=${1:-1000}
APPS=${2:-10000}
SCALES=${3:-50}
FANOUTS=${4:-20}
RUNNING=${SIM_RUNNING_APPS:-$APPS}
[ "$(id -u)" = 0 ] || { echo "run as root (PostgreSQL is started as the postgres user)" >&2; exit 1; }
. docs/benchmarks/prepare.sh
bench_need curl python3 pg_ctlcluster:postgresql
bench_build
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DATA=$(mktemp -d /tmp/slipway-scale-sim.XXXXXX)
chmod 755 "$DATA"
PGPORT=$(free_port); API=$(free_port); INTERNAL=$(free_port)
API_PID=
cleanup() {
  [ -n "$API_PID" ] && { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; }
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "starting PostgreSQL on 127.0.0.1:$PGPORT ..." >&2
mkdir -p "$DATA/pg" && chown postgres "$DATA/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$DATA/pg" -U postgres --auth=trust >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA/pg" -l "$DATA/pg/server.log" -w start -o \
  "-p $PGPORT -c listen_addresses=127.0.0.1 -k $DATA/pg -c shared_preload_libraries=pg_stat_statements -c max_connections=200" >/dev/null
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
psql_() { psql -v ON_ERROR_STOP=1 -qAt -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
psql_ -c "CREATE DATABASE slipway"
psql_ -d slipway -c "CREATE EXTENSION pg_stat_statements"

PREFIX=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
CP_SIM="$DATA/sim-classes"
mkdir -p "$CP_SIM"
javac -nowarn -d "$CP_SIM" -cp "$BENCH_CP" $(ls launcher/src/test/java/io/slipway/bench/*.java | grep -v 'Test\.java$')
OPERATOR=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
TOKENS="operator=sha256:$(printf %s "$OPERATOR" | sha256sum | cut -d' ' -f1)
$(java -cp "$CP_SIM:$BENCH_CP" io.slipway.bench.ScaleSimulation tokens "$PREFIX" "$AGENTS")"

echo "starting the api-server on 127.0.0.1:$API (internal :$INTERNAL) ..." >&2
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/slipway" SPRING_DATASOURCE_USERNAME=postgres \
SPRING_DATASOURCE_PASSWORD= SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$API SLIPWAY_PUBLIC_URL="http://127.0.0.1:$API" \
SLIPWAY_INTERNAL_BIND=127.0.0.1 SLIPWAY_INTERNAL_PORT=$INTERNAL SLIPWAY_INTERNAL_TOKENS="$TOKENS" \
SLIPWAY_RENDEZVOUS_PORT=-1 SLIPWAY_RATE_LIMIT_PER_HOUR=100000000 SLIPWAY_LIMITS_APPS_PER_USER=1000000 SLIPWAY_LIMITS_DYNOS_PER_USER=1000000 \
SLIPWAY_SECRETS_KEY="k1:$(head -c 32 /dev/urandom | base64)" \
  java -jar "${SIM_API_JAR:-$(ls "$ROOT"/api-server/target/slipway-api-server-*-exec.jar)}" > "$DATA/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$API/health" >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || { tail -30 "$DATA/api.log" >&2; exit 1; }
  sleep 1
done
USER_JSON=$(curl -sf -X POST -H "Authorization: Bearer $OPERATOR" -H "Content-Type: application/json" \
  -d '{"email":"sim@example.com"}' "http://127.0.0.1:$INTERNAL/internal/users")
API_KEY=$(echo "$USER_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
OWNER=$(echo "$USER_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "seeding $APPS apps (app, slug, release v1, formation web=1 for $RUNNING of them, web=0 for the rest) ..." >&2
psql_ -d slipway <<SQL
BEGIN;
CREATE TEMP TABLE seed AS SELECT i, gen_random_uuid() AS app, gen_random_uuid() AS slug FROM generate_series(1, $APPS) i;
INSERT INTO apps (id, name, owner_id, created_at, updated_at) SELECT app, 'sim-app-' || i, '$OWNER', now(), now() FROM seed;
INSERT INTO slugs (id, app_id, process_types, stack, object_key, size, checksum, created_at, updated_at)
  SELECT slug, app, '{"web":"node server.js"}', 'heroku-24', 'slugs/' || app || '/' || slug || '.tgz', 1024, NULL, now(), now() FROM seed;
INSERT INTO releases (id, app_id, version, description, status, slug_id, created_at, updated_at)
  SELECT gen_random_uuid(), app, 1, 'Deploy 00000000', 'succeeded', slug, now(), now() FROM seed;
INSERT INTO formations (id, app_id, type, quantity, size, command, created_at, updated_at)
  SELECT gen_random_uuid(), app, 'web', CASE WHEN i <= $RUNNING THEN 1 ELSE 0 END, 'Basic', 'node server.js', now(), now() FROM seed;
COMMIT;
ANALYZE;
SQL

echo "running the simulation ($AGENTS agents) ..." >&2
# common-pool parallelism 2: at 1 (what two cores give) the JDK HTTP client's async steps start a thread each
SIM_AGENTS=$AGENTS SIM_APPS=$APPS SIM_RUNNING_APPS=$RUNNING SIM_SCALES=$SCALES SIM_FANOUTS=$FANOUTS SIM_TOKEN_PREFIX=$PREFIX \
SIM_INTERNAL_URL="http://127.0.0.1:$INTERNAL" SIM_PUBLIC_URL="http://127.0.0.1:$API" SIM_API_KEY=$API_KEY \
SIM_API_PID=$API_PID SIM_PG_PID=$PG_PID SIM_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/slipway" SIM_DB_USER=postgres \
  java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -cp "$CP_SIM:$BENCH_CP" io.slipway.bench.ScaleSimulation \
  > "$DATA/results.md" 2> >(tee "$DATA/sim.log" >&2) || echo "the simulation exited with an error; its results so far:" >&2
cat "$DATA/results.md"
echo "### Scheduler passes"
echo
echo "From the api-server's log (\`scheduler pass\` lines: every full pass, and any pass of 1 s or more):"
echo
echo '```'
grep -o 'scheduler pass.*' "$DATA/api.log" || echo "(none)"
echo '```'
echo
echo "api-server warnings/errors: $(grep -c ' WARN \| ERROR ' "$DATA/api.log" || true)"
grep ' WARN \| ERROR ' "$DATA/api.log" | sed 's/^.*\(WARN\|ERROR\)/\1/' | cut -c1-160 | sort | uniq -c | sort -rn | head -5 || true
if [ -n "${SIM_KEEP_LOGS:-}" ]; then cp "$DATA/api.log" "$SIM_KEEP_LOGS.api.log"; cp "$DATA/sim.log" "$SIM_KEEP_LOGS.sim.log"; fi
