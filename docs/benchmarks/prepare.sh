# Sourced by every benchmark script, first thing: what a fresh clone on a fresh Debian/Ubuntu machine lacks.
#   bench_need CMD[:PACKAGE] ...   installs (as root, apt-get) the packages whose command is missing
#   bench_build                    builds the project as `./slipway up` would (nothing is resolved from ~/.m2 that
#                                  the reactor builds itself), so a script can start jars as separate processes
# Classpath of a built tree, every component and its runtime jars: $BENCH_CP.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_CP="$BENCH_ROOT/launcher/target/classes:$BENCH_ROOT/launcher/target/lib/*"

bench_need() {
  local missing=() spec cmd pkg
  for spec in "$@"; do
    cmd=${spec%%:*}; pkg=${spec#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "missing: ${missing[*]} (install them)" >&2; return 1; }
  echo "installing ${missing[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

bench_build() {
  "$BENCH_ROOT/slipway" build
}
