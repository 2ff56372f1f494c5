# Class data sharing for Slipway's JVMs (sourced by ../../slipway and slipway-component; docs/benchmarks.md, "Start-up").
#
#   slipway_cds NAME CLASSPATH   sets the array SLIPWAY_CDS_OPTS: the JVM options for a start with this class path
#
# A JVM spends much of a Spring start loading, parsing and verifying classes; a CDS archive keeps them ready to
# map from one file. Three steps, one per start, none of them able to fail a start:
#   1. no archive yet: the JVM writes the names of the classes it loads (-XX:DumpLoadedClassList), which costs
#      nothing and cannot crash;
#   2. the next start finds that list and, in the background (nice), has a separate JVM dump a static
#      archive from it (-Xshare:dump; minutes on a busy machine), then a check run (-Xshare:on, which refuses an archive it cannot map or that
#      does not match the class path) accept it before it is renamed into place; a failed dump is remembered and
#      not tried again. (Not -XX:ArchiveClassesAtExit: JDK 17.0.15 crashed writing it at the exit of a full
#      `slipway up`, in SystemDictionaryShared::adjust_lambda_proxy_class_dictionary, and a static dump of the
#      lambda proxies crashes the same way, so they are left out; JDK 17 crashes with SIGBUS on a truncated
#      archive, hence the check.)
#   3. later starts map the archive (-XX:SharedArchiveFile, -Xshare:auto: a stale one is ignored, never fatal).
# KEY hashes the JDK and every class path entry (size, time), so new jars or a new JDK get a new archive and the old
# ones of this install are removed. SLIPWAY_CDS=off turns all of this off. The files live in SLIPWAY_CDS_DIR
# (default $SLIPWAY_CACHE_DIR/cds, i.e. ~/.cache/slipway/cds; none when there is no HOME and neither is set).
slipway_cds() {
  local name="$1" classpath="$2" dir key entry part pid java_bin install archive list entries=()
  SLIPWAY_CDS_OPTS=()
  [[ "${SLIPWAY_CDS:-on}" == off ]] && return 0
  java_bin="$(readlink -f "$(command -v "${JAVA:-java}")" 2>/dev/null)" || return 0
  IFS=: read -ra entries <<< "$classpath"
  # a directory of classes cannot be archived (JDK 17 refuses: "Cannot have non-empty directory in paths")
  for entry in "${entries[@]}"; do
    [[ "$entry" == *'*' || "$entry" == *.jar ]] || return 0
  done
  key="$( { echo "$java_bin"; stat -c '%s %Y' "$java_bin" "$(dirname "$java_bin")/../lib/modules"
            for entry in "${entries[@]}"; do
              if [[ "$entry" == *'*' ]]; then stat -c '%n %s %Y' "${entry%\*}" "${entry%\*}"*.jar; else stat -c '%n %s %Y' "$entry"; fi
            done; } 2>/dev/null | sha256sum | cut -c1-16)" || true
  # (a system service may have no HOME: then no archive unless a directory is configured)
  dir="${SLIPWAY_CDS_DIR:-${SLIPWAY_CACHE_DIR:-${HOME:+$HOME/.cache/slipway}}}"
  [[ -n "$dir" ]] || return 0
  [[ -n "${SLIPWAY_CDS_DIR:-}" ]] || dir="$dir/cds"
  mkdir -p "$dir" 2>/dev/null || return 0
  # one archive per install (a checkout, /opt/slipway) and component; several installs share the directory
  install="$(echo "$classpath" | sha256sum | cut -c1-8)"
  archive="$dir/$name-$install-$key.jsa"
  list="$dir/$name-$install-$key.classlist"
  # what this install's older jars or JDK left: never used again
  for part in "$dir/$name-$install"-*; do
    if [[ -e "$part" && "$part" != "$archive"* && "$part" != "$list"* ]]; then rm -rf "$part"; fi
  done

  if [[ -f "$archive" ]]; then
    SLIPWAY_CDS_OPTS=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
    return 0
  fi
  [[ -e "$archive.failed" ]] && return 0
  # a dump in progress; or one killed with its host (SIGKILL runs no trap), whose lock is stale
  if [[ -d "$archive.lock" ]]; then
    pid="$(cat "$archive.lock/pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then return 0; fi
    if [[ -z "$pid" && -n "$(find "$archive.lock" -maxdepth 0 -mmin -10 2>/dev/null)" ]]; then return 0; fi
    rm -rf "$archive.lock"
  fi
  if [[ ! -f "$list" ]]; then
    for part in "$list".part.*; do
      [[ -f "$part" ]] || continue
      pid="${part##*.part.}"
      # its JVM still runs (and still writes it)
      if kill -0 "$pid" 2>/dev/null; then return 0; fi
      # a JVM killed mid-line: its last line may be cut. Without the lambda proxies: dumping those crashes JDK
      # 17.0.15 (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary), statically as at exit
      if [[ ! -f "$list" ]]; then
        head -n -1 "$part" | grep -v '^@lambda-proxy' > "$list.tmp" || true
        mv -f "$list.tmp" "$list"
      fi
      rm -f "$part"
    done
  fi
  if [[ -f "$list" ]]; then
    if mkdir "$archive.lock" 2>/dev/null; then
      ( trap 'rm -rf "$archive.lock"' EXIT
        echo "$BASHPID" > "$archive.lock/pid"
        j="${JAVA:-java}"
        if nice -n 10 "$j" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive.part" \
              -XX:ErrorFile=/dev/null -Xlog:disable -cp "$classpath" \
           && nice -n 10 "$j" -Xshare:on -XX:SharedArchiveFile="$archive.part" -XX:ErrorFile=/dev/null -Xlog:disable \
              -cp "$classpath" -version; then
          mv -f "$archive.part" "$archive"
        else
          rm -f "$archive.part"; touch "$archive.failed"
        fi ) </dev/null >/dev/null 2>&1 &
      disown 2>/dev/null || true
    fi
    return 0
  fi
  # $$: the JVM exec'd from this shell keeps its pid, the one step 2 looks for
  SLIPWAY_CDS_OPTS=(-XX:DumpLoadedClassList="$list.part.$$")
  return 0
}
