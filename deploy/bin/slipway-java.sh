# Which java runs Slipway's JVMs (sourced by ../../slipway and slipway-component; docs/operators.md, "Which JDK").
#
#   slipway_java          sets JAVA to the java command the platform's JVMs run with
#   slipway_java_major J  prints the feature release of the java command J (17, 25...; 0 when it cannot tell)
#   slipway_jit_opts      sets SLIPWAY_JIT_OPTS, the flags that put the JIT compiler's threads ahead of the others
#
# The build needs a JDK 17 (the bytecode targets 17) and the platform runs on 17, but it starts quicker on JDK 25 or
# later: JDK 25's AOT cache (JEP 483, 514, 515) keeps the classes loaded and linked, and the method profiles, of an
# earlier start, where JDK 17's class data sharing keeps only the parsed classes (a replica: 11 CPU s against 15;
# docs/benchmarks.md, "Start-up"). So the newest JDK 25+ installed is taken when there is one.
# Order: SLIPWAY_JAVA (a java command, e.g. /usr/lib/jvm/java-17-openjdk-amd64/bin/java, or plain `java` for the
# one on PATH); else JAVA (what these scripts honoured before); else the newest JDK 25 or later under
# SLIPWAY_JVM_DIR (default /usr/lib/jvm, where Debian's and Temurin's packages install); else `java` on PATH.
slipway_java() {
  local candidate major best="" best_major=0
  if [[ -n "${SLIPWAY_JAVA:-}" ]]; then JAVA="$SLIPWAY_JAVA"; return 0; fi
  if [[ -n "${JAVA:-}" ]]; then return 0; fi
  for candidate in "${SLIPWAY_JVM_DIR:-/usr/lib/jvm}"/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(slipway_java_major "$candidate")"
    if (( major >= 25 && major > best_major )); then best="$candidate"; best_major="$major"; fi
  done
  JAVA="${best:-java}"
}

slipway_java_major() {
  local bin home version
  bin="$(readlink -f "$(command -v "$1" 2>/dev/null)" 2>/dev/null)" || { echo 0; return 0; }
  home="$(dirname "$(dirname "$bin")")"
  # every JDK since 9 names its version in the release file: JAVA_VERSION="25.0.3" (or "17.0.15")
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)"
  echo "${version:-0}"
}

# Why the JIT's threads get a higher priority: a JVM has one C2 compiler thread on a 2-core machine, and under load it
# competes as one thread among the 50 request threads, so the hot paths stayed in their slowest compiled tiers for
# minutes (the api-server's TLS encryption was still C1-compiled, without the AES-GCM intrinsic, three minutes into
# a benchmark; docs/benchmarks.md, "Session 15"). With the compiler threads at nice SLIPWAY_JIT_NICE (default -10)
# the same benchmark ran 1.2-1.5 times the requests with a lower p99. Linux honours Java thread priorities only
# with -XX:ThreadPriorityPolicy=1, and only root (or a user whose RLIMIT_NICE allows it: systemd's LimitNICE=, as in
# deploy/systemd) may raise one; otherwise no flag is added (the JVM would warn and ignore them). Every Java thread
# keeps priority 5 (nice 0): nothing in Slipway changes a thread's priority. SLIPWAY_JIT_NICE=off: no flags.
slipway_jit_opts() {
  local nice="${SLIPWAY_JIT_NICE:--10}" limit
  SLIPWAY_JIT_OPTS=()
  [[ "$nice" == off ]] && return 0
  [[ "$nice" =~ ^-?[0-9]+$ ]] || { echo "SLIPWAY_JIT_NICE must be a nice value (-20..19) or off, not: $nice" >&2; return 1; }
  limit="$(ulimit -e 2>/dev/null || echo 0)"
  # RLIMIT_NICE: a process may lower its nice value down to 20 - limit
  if [[ "$(id -u)" == 0 || "$limit" == unlimited ]] || (( limit >= 20 - nice )); then
    SLIPWAY_JIT_OPTS=(-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority="$nice")
  fi
}
