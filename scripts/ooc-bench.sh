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
# MODES=balloon runs without a cgroup on a machine whose free memory is made smaller than the
# collection: a helper process (oom_score_adj 1000, so the kernel kills it first) writes to and
# holds all but LIMIT of the memory the kernel reports available (MemAvailable), so the search
# JVM, its heap and the page cache of the collection share what is left;
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

to_bytes() {
  python3 -c 'import sys; s=sys.argv[1].upper(); m={"K":1<<10,"M":1<<20,"G":1<<30}; print(int(s[:-1])*m[s[-1]] if s[-1] in m else int(s))' "$1"
}

mem_available() {
  echo $(( $(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) * 1024 ))
}

# Starts the balloon holding all but $1 bytes of MemAvailable; sets BALLOON to its pid and
# returns once every page of it is written (or exits when the balloon died first).
start_balloon() {
  READY=$(mktemp)
  python3 - "$1" "$READY" <<'PY' &
import signal, sys, time
import numpy as np
keep, ready = int(sys.argv[1]), sys.argv[2]
with open("/proc/self/oom_score_adj", "w") as f:
    f.write("1000")
avail = next(int(l.split()[1]) * 1024 for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))
size = avail - keep
if size <= 0:
    sys.exit("balloon: only %d bytes available, nothing to hold" % avail)
held = np.ones(size, dtype=np.uint8)  # written, so every page is resident
print("balloon: holding %.2f GiB; MemAvailable was %.2f GiB" % (size / 2**30, avail / 2**30), flush=True)
with open(ready, "w") as f:
    f.write("full")
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(1)
PY
  BALLOON=$!
  while kill -0 "$BALLOON" 2>/dev/null && [ ! -s "$READY" ]; do
    sleep 1
  done
  rm -f "$READY"
  kill -0 "$BALLOON" 2>/dev/null || { echo "balloon died before the run" >&2; exit 1; }
  sleep 5 # let the kernel finish reclaiming
}

MODES=${MODES:-free cgroup}
for variant in ${VARIANTS:-none int8}; do
  case " $MODES " in *" balloon "*)
    drop_cache
    start_balloon "$(to_bytes "$LIMIT")"
    echo "== $variant, machine memory available $(mem_available) bytes (balloon pid $BALLOON)"
    # shellcheck disable=SC2086
    "$JAVA" $JOPTS -jar "$JAR" ooc search --dir "$DIR" --variant "$variant" "$@"
    if kill -0 "$BALLOON" 2>/dev/null; then
      echo "after the run: memory available $(mem_available) bytes; balloon still held"
      kill "$BALLOON"; wait "$BALLOON" 2>/dev/null || true
    else
      echo "the balloon was killed during the run: this run does not count" >&2
    fi
  esac
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
