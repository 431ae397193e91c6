#!/bin/sh
# The larger-than-memory benchmark's search step (docs/BENCHMARKS.md): for each index variant
# (none = float32 graph, int8 = graph over int8 codes + exact re-ranking) runs
# `npyw-bench.jar ooc search` twice, first without a memory limit, then inside a Linux memory
# cgroup (v1) limited to LIMIT, which charges the page cache of the memory-mapped files to the
# process, so it cannot keep more than LIMIT of the collection resident. The page cache of the
# collection's files is dropped (posix_fadvise DONTNEED) before every run. Needs root and the
# data of `ooc build --dir DIR`.
#
# usage: scripts/ooc-bench.sh DIR LIMIT [ooc search options...]
#   e.g. scripts/ooc-bench.sh /work/npyw-ooc 256M --ef 100,200 --use-queries 300
# MODES="free cgroup" (default) chooses the runs: without a limit, in the cgroup, or both;
# VARIANTS="none int8" (default) the indexes.
set -eu
DIR=${1:?usage: ooc-bench.sh DIR LIMIT [options]}
LIMIT=${2:?usage: ooc-bench.sh DIR LIMIT [options]}
shift 2
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=${JAR:-npywrapper-bench/target/npyw-bench.jar}
JOPTS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx64m -XX:+UseSerialGC"
# Our own memory cgroup (v1), a child of the one this shell is in.
CGPATH=$(grep ':memory:' /proc/self/cgroup | cut -d: -f3)
CG=/sys/fs/cgroup/memory$CGPATH/npyw-ooc

drop_cache() {
  python3 - "$DIR" <<'PY'
import os, sys
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        fd = os.open(os.path.join(root, f), os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
PY
}

MODES=${MODES:-free cgroup}
for variant in ${VARIANTS:-none int8}; do
  case " $MODES " in *" free "*)
    drop_cache
    echo "== $variant, no memory limit"
    # shellcheck disable=SC2086
    "$JAVA" $JOPTS -jar "$JAR" ooc search --dir "$DIR" --variant "$variant" "$@"
  esac
  case " $MODES " in *" cgroup "*) ;; *) continue ;; esac
  drop_cache
  mkdir -p "$CG"
  echo "$LIMIT" > "$CG/memory.limit_in_bytes"
  echo 0 > "$CG/memory.max_usage_in_bytes"
  echo "== $variant, memory cgroup limit $LIMIT ($(cat "$CG/memory.limit_in_bytes") bytes)"
  # shellcheck disable=SC2086
  sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$CG" \
    "$JAVA" $JOPTS -jar "$JAR" ooc search --dir "$DIR" --variant "$variant" "$@"
  echo "cgroup max usage $(cat "$CG/memory.max_usage_in_bytes") bytes," \
    "limit hits $(cat "$CG/memory.failcnt")"
  rmdir "$CG" 2>/dev/null || true
done
