# Class data sharing for Slipway's JVMs (sourced by ../../slipway and slipway-component; docs/benchmarks.md, "Start-up").
#
#   slipway_cds NAME CLASSPATH   sets the array SLIPWAY_CDS_OPTS: the JVM options for a start with this class path
#                                 and the java command in JAVA (slipway-java.sh chooses it)
#
# A JVM spends much of a Spring start loading, parsing, verifying and linking classes; an archive keeps that work
# from an earlier start. Three steps, one per start, none of them able to fail a start:
#   1. nothing yet: the JVM notes what it loads. JDK 25+: -XX:AOTMode=record writes an AOT configuration (the
#      classes, their linking, method profiles) when it exits, from the install's second start on (recording is
#      slow, so the very first start only leaves a mark); JDK 17: -XX:DumpLoadedClassList writes the names of the
#      classes as it loads them, which costs nothing;
#   2. the next start finds that and, in the background (nice), has a separate JVM build the archive from it:
#      JDK 25+ -XX:AOTMode=create (an AOT cache, JEP 483/514/515), JDK 17 -Xshare:dump (a static CDS archive);
#      a check run (-XX:AOTMode=on / -Xshare:on, which refuse an archive they cannot map or that does not match
#      the class path) accepts it before it is renamed into place; a failed build is remembered and not tried again
#      (for JDK 17 not -XX:ArchiveClassesAtExit: 17.0.15 crashed writing it at the exit of a full `slipway up`, in
#      SystemDictionaryShared::adjust_lambda_proxy_class_dictionary, and a static dump of the lambda proxies
#      crashes the same way, so they are left out; JDK 17 crashes with SIGBUS on a truncated archive, hence the check);
#   3. later starts map the archive (-XX:AOTCache / -XX:SharedArchiveFile with -Xshare:auto: a stale one is
#      ignored, never fatal).
# KEY hashes the JDK and every class path entry (size, time), so new jars or a new JDK get a new archive and the old
# ones of this install are removed. SLIPWAY_CDS=off turns all of this off. The files live in SLIPWAY_CDS_DIR
# (default $SLIPWAY_CACHE_DIR/cds, i.e. ~/.cache/slipway/cds; none when there is no HOME and neither is set).
slipway_cds() {
  local name="$1" classpath="$2" dir key entry part java_bin install base entries=()
  SLIPWAY_CDS_OPTS=()
  [[ "${SLIPWAY_CDS:-on}" == off ]] && return 0
  java_bin="$(readlink -f "$(command -v "${JAVA:-java}")" 2>/dev/null)" || return 0
  IFS=: read -ra entries <<< "$classpath"
  # a directory of classes cannot be archived (the JDK refuses: "Cannot have non-empty directory in paths")
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
  base="$dir/$name-$install-$key"
  # what this install's older jars or JDK left: never used again
  for part in "$dir/$name-$install"-*; do
    if [[ -e "$part" && "$part" != "$base"* ]]; then rm -rf "$part"; fi
  done
  if (( $(slipway_java_major "$java_bin") >= 25 )); then
    slipway_cds_aot "$base" "$classpath"
  else
    slipway_cds_static "$base" "$classpath"
  fi
}

# JDK 25+: an AOT cache from an AOT configuration recorded by an earlier start
slipway_cds_aot() {
  local base="$1" classpath="$2" part pid
  local cache="$base.aot" conf="$base.aotconf" quiet=(-Xlog:aot=off -Xlog:cds=off)
  if [[ -f "$cache" ]]; then
    SLIPWAY_CDS_OPTS=(-XX:AOTCache="$cache" "${quiet[@]}")
    return 0
  fi
  slipway_cds_busy "$cache" && return 0
  if [[ ! -f "$conf" ]]; then
    # written by a recording JVM when it exits; one whose JVM is gone is complete unless that JVM was killed
    # while writing it, and then the create step fails and is not tried again
    for part in "$conf".part.*; do
      [[ -f "$part" ]] || continue
      pid="${part##*.part.}"
      if kill -0 "$pid" 2>/dev/null; then continue; fi
      if [[ -f "$conf" ]]; then rm -f "$part"; else mv -f "$part" "$conf"; fi
    done
  fi
  if [[ -f "$conf" ]]; then
    slipway_cds_build "$cache" "$classpath" \
      "-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$cache.part" "-XX:AOTMode=on -XX:AOTCache=$cache.part"
    return 0
  fi
  # Recording slows the start it is made in (quiet machine: `up` 35 s instead of 19-22, its stop 12 s instead of
  # 1; a replica 28 s instead of 20) so an install's first start runs without it: a new user's first `up`, and every
  # CI run's, are not slowed; the second start records
  if [[ ! -e "$base.started" ]]; then
    touch "$base.started" 2>/dev/null || true
    return 0
  fi
  # $$: the JVM exec'd from this shell keeps its pid, the one the step above looks for. (At its exit the JVM
  # prints "AOTConfiguration recorded: <file>" on its standard output; no -Xlog option silences that line.)
  SLIPWAY_CDS_OPTS=(-XX:AOTMode=record -XX:AOTConfiguration="$conf.part.$$" "${quiet[@]}")
}

# JDK 17: a static CDS archive from a class list written by an earlier start
slipway_cds_static() {
  local base="$1" classpath="$2" part pid archive="$1.jsa" list="$1.classlist"
  if [[ -f "$archive" ]]; then
    SLIPWAY_CDS_OPTS=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
    return 0
  fi
  slipway_cds_busy "$archive" && return 0
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
    slipway_cds_build "$archive" "$classpath" \
      "-Xshare:dump -XX:SharedClassListFile=$list -XX:SharedArchiveFile=$archive.part" "-Xshare:on -XX:SharedArchiveFile=$archive.part"
    return 0
  fi
  SLIPWAY_CDS_OPTS=(-XX:DumpLoadedClassList="$list.part.$$")
}

# true when ARCHIVE has failed before, or another start is building it now; clears a lock whose builder is gone
# (killed with its host: SIGKILL runs no trap)
slipway_cds_busy() {
  local archive="$1" pid
  [[ -e "$archive.failed" ]] && return 0
  if [[ -d "$archive.lock" ]]; then
    pid="$(cat "$archive.lock/pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then return 0; fi
    if [[ -z "$pid" && -n "$(find "$archive.lock" -maxdepth 0 -mmin -10 2>/dev/null)" ]]; then return 0; fi
    rm -rf "$archive.lock"
  fi
  return 1
}

# builds ARCHIVE in the background: BUILD options make ARCHIVE.part, CHECK options must then start a JVM with it
# (word splitting of the two option strings is intended: the file names in them have no spaces)
slipway_cds_build() {
  local archive="$1" classpath="$2" build="$3" check="$4"
  mkdir "$archive.lock" 2>/dev/null || return 0
  ( trap 'rm -rf "$archive.lock"' EXIT
    echo "$BASHPID" > "$archive.lock/pid"
    j="${JAVA:-java}"
    # the platform's JVM flags (slipway-java.sh) here too: the archive is made and checked as the JVMs run
    flags=("${SLIPWAY_JVM_FLAGS[@]+"${SLIPWAY_JVM_FLAGS[@]}"}")
    # shellcheck disable=SC2086
    if nice -n 10 "$j" "${flags[@]}" $build -XX:ErrorFile=/dev/null -Xlog:disable -cp "$classpath" \
       && nice -n 10 "$j" "${flags[@]}" $check -XX:ErrorFile=/dev/null -Xlog:disable -cp "$classpath" -version; then
      mv -f "$archive.part" "$archive"
    else
      rm -f "$archive.part"; touch "$archive.failed"
    fi ) </dev/null >/dev/null 2>&1 &
  disown 2>/dev/null || true
}
