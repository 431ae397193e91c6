# Sourced by ./npyw and ./build: finds a JDK 25 or newer and sets NPYW_JAVA_HOME.
# Looks at JAVA_HOME first, then every JDK under $NPYW_JVM_DIR (default /usr/lib/jvm); prints
# what to install when there is none.

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
  for candidate in "${NPYW_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$candidate" ] || continue
    major=$(npyw_java_major "$candidate") || continue
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    local seen="${JAVA_HOME:-unset}"
    if [ -n "${JAVA_HOME:-}" ]; then
      seen="$JAVA_HOME (Java $(npyw_java_major "$JAVA_HOME" || echo '?'))"
    fi
    cat >&2 <<MSG
npyw: no JDK 25 or newer found; npyWrapper needs Java 25.
  JAVA_HOME: $seen
  searched:  every JDK under ${NPYW_JVM_DIR:-/usr/lib/jvm}
  Install a JDK 25 (for example Eclipse Temurin 25, or your distribution's openjdk-25-jdk)
  and set JAVA_HOME to it, or place it under /usr/lib/jvm.
MSG
    return 1
  fi
  NPYW_JAVA_HOME=$best
}
