# Which java runs Slipway's JVMs (sourced by ../../slipway and slipway-component; docs/operators.md, "Which JDK").
#
#   slipway_java          sets JAVA to the java command the platform's JVMs run with, and SLIPWAY_JVM_FLAGS (an
#                         array) to the flags every platform JVM gets on that java (see slipway_jvm_flags)
#   slipway_java_major J  prints the feature release of the java command J (17, 25...; 0 when it cannot tell)
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
  if [[ -n "${SLIPWAY_JAVA:-}" ]]; then JAVA="$SLIPWAY_JAVA"; slipway_jvm_flags; return 0; fi
  if [[ -n "${JAVA:-}" ]]; then slipway_jvm_flags; return 0; fi
  for candidate in "${SLIPWAY_JVM_DIR:-/usr/lib/jvm}"/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(slipway_java_major "$candidate")"
    if (( major >= 25 && major > best_major )); then best="$candidate"; best_major="$major"; fi
  done
  JAVA="${best:-java}"
  slipway_jvm_flags
}

# SLIPWAY_JVM_FLAGS for $JAVA. On JDK 23 and later: --sun-misc-unsafe-memory-access=allow. Netty 4.2 leaves
# sun.misc.Unsafe alone on Java 25+ unless the JVM allows its memory access (so that the JVM prints no warning), and
# then reads and writes every byte of its direct buffers through the NIO ByteBuffer API, with an index and a
# liveness check per byte: about a fifth of the router's event loop in a profile (docs/benchmarks.md, "Session 20").
# JDK 17 and 21 do not know the flag (and Netty uses Unsafe there anyway).
slipway_jvm_flags() {
  SLIPWAY_JVM_FLAGS=()
  if (( $(slipway_java_major "$JAVA") >= 23 )); then SLIPWAY_JVM_FLAGS=(--sun-misc-unsafe-memory-access=allow); fi
}

slipway_java_major() {
  local bin home version
  bin="$(readlink -f "$(command -v "$1" 2>/dev/null)" 2>/dev/null)" || { echo 0; return 0; }
  home="$(dirname "$(dirname "$bin")")"
  # every JDK since 9 names its version in the release file: JAVA_VERSION="25.0.3" (or "17.0.15")
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)"
  echo "${version:-0}"
}
