# Sourced by every benchmark script, first thing: what a fresh clone on a fresh Debian/Ubuntu machine lacks.
#   bench_need CMD[:PACKAGE] ...   installs (as root, apt-get) the packages whose command is missing
#   bench_build                    builds the project as `./slipway up` would (nothing is resolved from ~/.m2 that
#                                  the reactor builds itself), so a script can start jars as separate processes
#   free_port                      prints a port free now, for a server that binds it later
#   bench_versions DATA BEFORE AFTER   for the A/B scripts: sets TREE and REV (by "before" and "after"), each
#                                  revision checked out in a worktree under DATA and built
#   bench_versions_remove DATA     removes those worktrees, then DATA
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

declare -A TREE REV
bench_versions() {
  TREE=([before]="$1/before" [after]="$1/after")
  REV=([before]=$(git rev-parse --short "$2") [after]=$(git rev-parse --short "$3"))
  for v in before after; do
    git worktree add --detach -q "${TREE[$v]}" "${REV[$v]}"
    echo "building $v (${REV[$v]})..." >&2
    "${TREE[$v]}/slipway" build >&2
  done
}

bench_versions_remove() {
  for v in before after; do [ -n "${TREE[$v]:-}" ] && git worktree remove --force "${TREE[$v]}" 2>/dev/null || true; done
  for _ in 1 2 3 4 5; do rm -rf "$1" 2>/dev/null && return; sleep 1; done
}

# a port free now for a server that binds it later: below the kernel's ephemeral range, as shared's LocalPorts picks
# them, so no outgoing connection takes it meanwhile (binding port 0 would give one inside the range)
free_port() {
  python3 - <<'PY'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(100):
    port = random.randrange(10000, max(low, 11000))
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
PY
}
