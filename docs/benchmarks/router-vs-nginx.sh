#!/usr/bin/env bash
# Router benchmark (issue #4): requests/s and p99 of a small keep-alive GET through
#   1. the upstream directly (nginx answering `return 200` on 127.0.0.1),
#   2. nginx as a reverse proxy (1 worker process, upstream keepalive),
#   3. the Slipway router (1 worker event loop), fed by a tiny Python stub of the api-server's routes API,
#      event stream and /internal/logs (the router ships one log line per request to it, as in production).
# Each target gets a warm-up (not reported: the JVM compiles its hot path meanwhile), then
# `wrk -t1 -c50 -d15s --latency`; CPU per request of the proxy process comes from /proc.
# The same three targets then over HTTPS (issue 12), all with the same self-signed EC P-256 certificate:
#   HTTPS HTTP/1.1 keep-alive with wrk (one handshake per connection), and HTTP/2 with h2load (-c50 -m1: 50
#   connections, one stream in flight each; p50/p99 from h2load's per-request log). The negotiated protocol and
#   cipher of each TLS listener is printed (openssl s_client) so the rows compare the same work.
# Usage: [WARMUP=50] [ONLY=router] [TLS=0] docs/benchmarks/router-vs-nginx.sh [seconds=15] [connections=50]
#   ONLY=router skips the nginx rows (profiling runs); TLS=0 skips the HTTPS and HTTP/2 rows; ROWS="http https h2"
#   (the default) names the protocols to run, e.g. ROWS=h2 for an HTTP/2-only A/B; ROUTER_JAVA_OPTS replaces "-Xms256m -Xmx256m"
#   (e.g. to add -XX:StartFlightRecording=...); *_PORT variables move the four listeners.
#   ROUNDS=n measures nginx and the router n times each per row, alternately (the warm-up only before the first),
#   and prints the router / nginx CPU ratio of each round and their median: on 2 shared cores one pair varies by
#   tens of percent. PIN=1 gives the proxy under test (nginx's worker, the router's JVM) the last core alone and
#   puts the load generator, the upstream and the api stub on the others (taskset), the same for both proxies.
# Needs: nginx, wrk, h2load (nghttp2-client), openssl (installed with apt-get when missing), python3, java (the JDK slipway-component runs on; SLIPWAY_JAVA=java for the one on PATH); builds the project (./slipway build).
# Stops everything it started (by pid) on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-15}
CONN=${2:-50}
WARMUP=${WARMUP:-50}   # seconds of unreported load per target first (the JVM JIT-compiles the hot path)
# The warm-up runs in slices of 5 s, each on 50 new connections: every measured run opens its own connections, and
# a warm-up on one set of connections left the opening and closing paths to be compiled (and hot methods
# deoptimised and compiled again) inside the first measured rounds: p99 20-34 ms there against 3-4 ms in round 3.
warm() { # command...: the command with -d/-D SECONDS appended, WARMUP seconds in all, 5 s a slice
  local left=$WARMUP slice
  while [ "$left" -gt 0 ]; do
    slice=$(( left < 5 ? left : 5 )); left=$(( left - slice ))
    "$@" "$slice" >/dev/null 2>&1 || true
  done
}
UP_PORT=${UP_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-18082}
ROUTER_PORT=${ROUTER_PORT:-18083}
STUB_PORT=${STUB_PORT:-18084}
UP_TLS_PORT=${UP_TLS_PORT:-18091}
NGINX_TLS_PORT=${NGINX_TLS_PORT:-18092}
ROUTER_TLS_PORT=${ROUTER_TLS_PORT:-18093}
TLS=${TLS:-1}
ROUNDS=${ROUNDS:-1}
PIN=${PIN:-0}
D=$(mktemp -d /tmp/router-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$D"
}
trap cleanup EXIT

. docs/benchmarks/prepare.sh
bench_need nginx wrk python3 openssl h2load:nghttp2-client
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
echo "building..." >&2
bench_build
CP="$BENCH_CP"
# PIN=1: the proxy under test on the last core, everything else on the others (a command prefix, so that $! of a
# process started in the background is still its own pid)
ON_PROXY=(); ON_LOAD=()
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  bench_need taskset:util-linux
  ON_PROXY=(taskset -c "$(( $(nproc) - 1 ))"); ON_LOAD=(taskset -c "0-$(( $(nproc) - 2 ))")
else
  PIN=0
fi

# --- upstream: nginx answering a small static body, keep-alive -----------------------------------------------
mkdir -p "$D/up" "$D/proxy"
# one certificate for every TLS listener: what the operator's wildcard is to the router
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=*.localhost" \
  -addext "subjectAltName=DNS:*.localhost,DNS:bench.localhost" -keyout "$D/key.pem" -out "$D/cert.pem" 2>/dev/null
cat > "$D/up/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $D/up/nginx.pid; error_log $D/up/error.log;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000; keepalive_timeout 75s;
  client_body_temp_path $D/up; proxy_temp_path $D/up; fastcgi_temp_path $D/up; uwsgi_temp_path $D/up; scgi_temp_path $D/up;
  server { listen 127.0.0.1:$UP_PORT; location / { default_type text/plain; return 200 "hello from the upstream\n"; } }
  server { listen 127.0.0.1:$UP_TLS_PORT ssl http2; ssl_certificate $D/cert.pem; ssl_certificate_key $D/key.pem;
           ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:up:10m;
           location / { default_type text/plain; return 200 "hello from the upstream\n"; } }
}
CONF
# --- nginx as the reverse proxy: 1 worker, upstream keepalive, an access log line per request like the router --
cat > "$D/proxy/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $D/proxy/nginx.pid; error_log $D/proxy/error.log;
events { worker_connections 4096; }
http {
  access_log $D/proxy/access.log combined buffer=64k flush=1s; keepalive_requests 1000000;
  client_body_temp_path $D/proxy; proxy_temp_path $D/proxy; fastcgi_temp_path $D/proxy; uwsgi_temp_path $D/proxy; scgi_temp_path $D/proxy;
  upstream dyno { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;
    ssl_certificate $D/cert.pem; ssl_certificate_key $D/key.pem; ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:proxy:10m;
    location / {
      proxy_pass http://dyno; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme; proxy_set_header X-Forwarded-Port \$server_port;
      proxy_set_header X-Request-Id \$request_id;
    }
  }
}
CONF
"${ON_LOAD[@]}" "$NGINX" -c "$D/up/nginx.conf" -p "$D/up" & PIDS+=($!); UP_MASTER=$!
"${ON_PROXY[@]}" "$NGINX" -c "$D/proxy/nginx.conf" -p "$D/proxy" & PIDS+=($!); PROXY_MASTER=$!

# --- the api-server stand-in: routes, an idle event stream, a log sink ----------------------------------------
cat > "$D/stub.py" <<'PY'
import json, sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, up_port, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
APP = {"app_id": "00000000-0000-4000-8000-000000000001", "app_name": "bench", "hostnames": ["bench.localhost"],
       "maintenance": False, "web_state": "up",
       "web_dynos": [{"dyno_id": "00000000-0000-4000-8000-000000000002", "name": "web.1", "host": "127.0.0.1", "port": up_port}]}
lines = [0]
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def ok(self):
        if self.headers.get("Authorization") != "Bearer " + token:
            self.send_response(401); self.send_header("Content-Length", "0"); self.end_headers(); return False
        return True
    def body(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def do_GET(self):
        if not self.ok(): return
        if self.path == "/internal/routes": return self.body(200, {"seq": 0, "apps": [APP]})
        if self.path.startswith("/internal/routes/"): return self.body(200, APP)
        if self.path.startswith("/internal/events"):
            self.send_response(200); self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close"); self.end_headers()
            try:
                while True:
                    self.wfile.write(b":keepalive\n\n"); self.wfile.flush(); time.sleep(10)
            except OSError:
                return
        self.body(404, {"id": "not_found", "message": "no"})
    def do_POST(self):
        if not self.ok(): return
        n = int(self.headers.get("Content-Length", "0"))
        data = json.loads(self.rfile.read(n))
        lines[0] += len(data.get("lines", []))
        self.send_response(204); self.end_headers()
        if lines[0] and lines[0] % 100000 < len(data.get("lines", [])):
            print("log lines received:", lines[0], flush=True)
srv = ThreadingHTTPServer(("127.0.0.1", port), H)
srv.daemon_threads = True
srv.serve_forever()
PY
"${ON_LOAD[@]}" python3 "$D/stub.py" "$STUB_PORT" "$UP_PORT" bench-token > "$D/stub.log" 2>&1 & PIDS+=($!); STUB=$!

# the JDK the deployed router runs on (slipway-component's choice: the newest JDK 25+ installed, else java)
. deploy/bin/slipway-java.sh
slipway_java
SLIPWAY_INTERNAL_API_URL="http://127.0.0.1:$STUB_PORT" SLIPWAY_INTERNAL_TOKEN=bench-token SLIPWAY_ROUTER_BIND=127.0.0.1 \
SLIPWAY_ROUTER_PORT=$ROUTER_PORT SLIPWAY_ROUTER_THREADS=1 SLIPWAY_ROUTER_TLS_PORT=$ROUTER_TLS_PORT \
SLIPWAY_ROUTER_TLS_CERT_FILE="$D/cert.pem" SLIPWAY_ROUTER_TLS_KEY_FILE="$D/key.pem" \
  "${ON_PROXY[@]}" "$JAVA" "${SLIPWAY_JVM_FLAGS[@]}" ${ROUTER_JAVA_OPTS:--Xms256m -Xmx256m} -cp "$CP" io.slipway.router.RouterMain > "$D/router.log" 2>&1 & PIDS+=($!); ROUTER=$!

for _ in $(seq 1 100); do
  curl -sf -H 'Host: bench.localhost' "http://127.0.0.1:$ROUTER_PORT/" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf -H 'Host: bench.localhost' "http://127.0.0.1:$ROUTER_PORT/" >/dev/null || { echo "router not up:" >&2; tail -20 "$D/router.log" >&2; exit 1; }

# CPU time (user+system, clock ticks) of processes, all threads: the cost per request regardless of how much
# CPU the rest of the (shared) machine left us
ticks() { local t=0 p f; for p in "$@"; do read -r -a f < "/proc/$p/stat"; t=$((t + f[13] + f[14])); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
run() { # name url pids-to-account...
  local name=$1 url=$2; shift 2
  warm_wrk() { "${ON_LOAD[@]}" wrk -t1 -c"$CONN" -H 'Host: bench.localhost' "$url" -d "${1}s"; }
  warm warm_wrk
  local out before after
  before=$(ticks "$@")
  thread_ticks "$ROUTER" > "$D/threads.before"
  out=$("${ON_LOAD[@]}" wrk -t1 -c"$CONN" -d"${DURATION}s" --latency -H 'Host: bench.localhost' "$url")
  after=$(ticks "$@")
  thread_ticks "$ROUTER" > "$D/threads.after"
  echo "$out" > "$D/run.wrk"
  local rps p50 p99 errors requests cpu
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
  cpu=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  LAST_CPU=$cpu
  echo "| $name | $rps | $p50 | $p99 | $cpu | ${errors:-none} |"
}
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), wrk -t1 -c$CONN -d${DURATION}s --latency, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), router on $("$JAVA" -version 2>&1 | head -1)$([ "$PIN" = 1 ] && echo ", proxy under test pinned to its own core")"
echo
echo "| target | requests/s | p50 | p99 | CPU µs/request (proxy process) | errors |"
echo "|---|---|---|---|---|---|"
ONLY=${ONLY:-all}   # ONLY=router skips the two nginx rows (for profiling runs)
ROWS=" ${ROWS:-http https h2} "
row() { [[ "$ROWS" == *" $1 "* ]]; }
SUMMARY=()
# nginx's proxy, then the router, ROUNDS times alternately on one row; the warm-up only before the first round.
# Adds the row's router / nginx CPU ratios and their median to SUMMARY.
pair() { # label run-function nginx-name nginx-url router-name router-url
  local label=$1 kind=$2 r tag nginx_cpu ratios=() warmup=$WARMUP
  for r in $(seq 1 "$ROUNDS"); do
    tag=""; [ "$ROUNDS" -gt 1 ] && tag=" (round $r)"
    if [ "$ONLY" = all ]; then
      # shellcheck disable=SC2046
      "$kind" "$3$tag" "$4" $(pgrep -P "$PROXY_MASTER"); nginx_cpu=$LAST_CPU
    fi
    "$kind" "$5$tag" "$6" "$ROUTER"
    [ "$ONLY" = all ] && ratios+=("$(awk -v a="$LAST_CPU" -v b="$nginx_cpu" 'BEGIN {printf "%.2f", a / b}')")
    WARMUP=0
  done
  WARMUP=$warmup
  [ ${#ratios[@]} -gt 0 ] || return 0
  SUMMARY+=("| $label | $(IFS=,; echo "${ratios[*]}" | sed 's/,/, /g') | $(printf '%s\n' "${ratios[@]}" | sort -n \
    | awk '{a[NR]=$1} END {printf "%.2f", NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}') |")
}
thread_ticks() { local t f; for t in /proc/"$1"/task/*; do { read -r -a f < "$t/stat"; } 2>/dev/null || continue; echo "$(cat "$t/comm" 2>/dev/null | tr ' ' _) $((f[13] + f[14]))"; done; }
if row http; then
if [ "$ONLY" = all ]; then
# shellcheck disable=SC2046
run "upstream direct (nginx return 200)" "http://127.0.0.1:$UP_PORT/" $(pgrep -P "$UP_MASTER")
fi
stub_before=$(ticks "$STUB")
pair "plain HTTP/1.1" run "nginx reverse proxy (1 worker, keepalive 64)" "http://127.0.0.1:$NGINX_PORT/" \
  "Slipway router (1 event loop, epoll)" "http://127.0.0.1:$ROUTER_PORT/"
stub_after=$(ticks "$STUB")
echo
echo "CPU of the Python api stub receiving the router's log lines during the router runs: $(( (stub_after - stub_before) * 1000 / HZ )) ms"
echo "router CPU by thread during its (last) measured run (ms, threads above 100 ms; same-named threads summed):"
awk -v hz="$HZ" 'NR==FNR {b[$1]+=$2; next} {a[$1]+=$2} END {for (k in a) if ((a[k]-b[k])*1000/hz >= 100) printf "  %s %d\n", k, (a[k]-b[k])*1000/hz}' \
  "$D/threads.before" "$D/threads.after" | sort -k2 -nr
fi

if [ "$TLS" = 1 ]; then
  h2run() { # name url pids-to-account...: HTTP/2, h2load, one stream in flight per connection
    local name=$1 url=$2; shift 2
    # :authority, not Host: HTTP/2 servers refuse a host field that differs from :authority (nginx 400, router reset)
    warm_h2() { "${ON_LOAD[@]}" h2load -c"$CONN" -m1 -H ':authority: bench.localhost' "$url" -D "$1"; }
    warm warm_h2
    rm -f "$D/h2.log"
    local out before after
    before=$(ticks "$@")
    out=$("${ON_LOAD[@]}" h2load -c"$CONN" -m1 -D "$DURATION" -H ':authority: bench.localhost' --log-file="$D/h2.log" "$url" 2>&1)
    after=$(ticks "$@")
    local rps done_ failed cpu pct
    rps=$(echo "$out" | awk '/^finished in/ {print $4}')
    done_=$(echo "$out" | awk '/^requests:/ {print $6}')
    failed=$(echo "$out" | awk '/^requests:/ {print $10 " failed, " $12 " errored"} /^status codes:/ {print "(" $3 " 2xx)"}' | tr '\n' ' ')
    # the log: start (µs since epoch), status, duration (µs) per request
    pct=$(awk '{print $3}' "$D/h2.log" | sort -n | awk '{a[NR]=$1} END {printf "%.2fms | %.2fms", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
    cpu=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$done_" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    LAST_CPU=$cpu
    echo "| $name | $rps | $pct | $cpu | $failed |"
  }
  negotiated() { echo | openssl s_client -connect "127.0.0.1:$1" -servername bench.localhost 2>/dev/null \
    | awk '/^New,/ {print $2, $5}' | tr -d ','; }
  echo
  echo "HTTPS, same certificate (EC P-256). Negotiated by openssl s_client: upstream $(negotiated "$UP_TLS_PORT"),"
  echo "nginx $(negotiated "$NGINX_TLS_PORT"), router $(negotiated "$ROUTER_TLS_PORT")"
  echo
  echo "| target | requests/s | p50 | p99 | CPU µs/request (proxy process) | errors |"
  echo "|---|---|---|---|---|---|"
  if row https; then
  if [ "$ONLY" = all ]; then
  # shellcheck disable=SC2046
  run "HTTPS/1.1 upstream direct (nginx return 200)" "https://127.0.0.1:$UP_TLS_PORT/" $(pgrep -P "$UP_MASTER")
  fi
  pair "HTTPS/1.1" run "HTTPS/1.1 nginx reverse proxy" "https://127.0.0.1:$NGINX_TLS_PORT/" \
    "HTTPS/1.1 Slipway router" "https://127.0.0.1:$ROUTER_TLS_PORT/"
  fi
  if row h2; then
  if [ "$ONLY" = all ]; then
  # shellcheck disable=SC2046
  h2run "HTTP/2 upstream direct (nginx return 200)" "https://127.0.0.1:$UP_TLS_PORT/" $(pgrep -P "$UP_MASTER")
  fi
  pair "HTTP/2" h2run "HTTP/2 nginx reverse proxy" "https://127.0.0.1:$NGINX_TLS_PORT/" \
    "HTTP/2 Slipway router" "https://127.0.0.1:$ROUTER_TLS_PORT/"
  fi
fi
if [ ${#SUMMARY[@]} -gt 0 ]; then
  echo
  echo "Router / nginx CPU per request, each round measured back to back ($ROUNDS round(s); target: at most 1.00):"
  echo
  echo "| row | per round | median |"
  echo "|---|---|---|"
  printf '%s\n' "${SUMMARY[@]}"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
