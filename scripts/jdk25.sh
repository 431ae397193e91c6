# Sourced by ./npyw and ./build: finds a JDK 25 or newer and sets NPYW_JAVA_HOME.
# Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm; prints what to install when none.

npyw_java_major() {
  # prints the feature version (e.g. 25) of the JDK whose home is $1, or nothing
  local home=$1 release
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$release" ]; then
    release=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  fi
  [ -n "$release" ] && echo "$release"
}

npyw_find_jdk25() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(npyw_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      NPYW_JAVA_HOME=$JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    major=$(npyw_java_major "$candidate") || continue
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<'MSG'
npyw: no JDK 25 or newer found.
  Looked at JAVA_HOME (JAVA_HOME=${JAVA_HOME:-unset}) and every JDK under /usr/lib/jvm.
  Install one, for example:  apt-get install temurin-25-jdk   (Adoptium's Debian repository)
  or unpack a JDK 25 and set JAVA_HOME to it.
MSG
    return 1
  fi
  NPYW_JAVA_HOME=$best
}
