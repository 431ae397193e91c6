package io.npywrapper.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A set of Linux CPUs that benchmark threads are bound to ({@code sched_setaffinity}) and whose
 * busy time is read from {@code /proc/stat}: with the server's threads on one set and the load
 * generator's on another, the busy time of the server's set per query is what the server costs,
 * kernel network work on those CPUs included, as if the clients ran on another machine. Immutable
 * and thread-safe; binding fails with a clear message off Linux.
 */
final class CpuSet {
  /** Bytes of the kernel's {@code cpu_set_t} we pass: room for 1,024 CPUs. */
  private static final int MASK_BYTES = 128;

  /** Clock ticks of {@code /proc/stat} per second ({@code USER_HZ}, 100 on every Linux port). */
  private static final long TICKS_PER_SECOND = 100;

  private static final MethodHandle SET_AFFINITY = find();

  private final BitSet cpus;
  private final String text;

  private CpuSet(BitSet cpus, String text) {
    this.cpus = cpus;
    this.text = text;
  }

  /**
   * Parses a list such as {@code 1}, {@code 0,2} or {@code 0-3}.
   *
   * @throws IllegalArgumentException naming the part that is not a CPU number or range
   */
  static CpuSet parse(String list) {
    BitSet set = new BitSet();
    for (String part : list.split(",")) {
      String[] ends = part.trim().split("-", -1);
      try {
        int lo = Integer.parseInt(ends[0].trim());
        int hi = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : lo;
        if (ends.length > 2 || lo < 0 || hi < lo || hi >= MASK_BYTES * 8) {
          throw new NumberFormatException();
        }
        set.set(lo, hi + 1);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "CPU list "
                + list
                + ": expected CPU numbers or ranges such as 0,2 or 0-3 (below 1024), got '"
                + part
                + "'");
      }
    }
    return new CpuSet(set, list);
  }

  /** Binds the calling thread to these CPUs. */
  void bindCurrentThread() {
    bind(0);
  }

  /**
   * Binds every thread of this process whose name does not start with one of {@code exceptPrefixes}
   * (as the kernel shows names: their first 15 characters) to these CPUs: the server's, JIT's and
   * GC's threads alike.
   */
  void bindProcessExcept(List<String> exceptPrefixes) throws IOException {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String name;
        try {
          name = Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        if (exceptPrefixes.stream().noneMatch(name::startsWith)) {
          int tid = Integer.parseInt(task.getFileName().toString());
          if (!trySetAffinity(tid) && Files.exists(task)) { // not failed if the thread just ended
            throw failed(tid);
          }
        }
      }
    }
  }

  /** CPU time these CPUs spent running anything (user, nice, system, irq, softirq), nanoseconds. */
  long busyNanos() throws IOException {
    long ticks = 0;
    List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
    for (String line : lines) {
      if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
        continue;
      }
      String[] f = line.split("\\s+");
      int cpu = Integer.parseInt(f[0].substring(3));
      if (cpus.get(cpu)) {
        // user nice system idle iowait irq softirq steal ...: idle, iowait and steal are not ours.
        ticks +=
            Long.parseLong(f[1])
                + Long.parseLong(f[2])
                + Long.parseLong(f[3])
                + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
      }
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  @Override
  public String toString() {
    return text;
  }

  private void bind(int tid) {
    if (!trySetAffinity(tid)) {
      throw failed(tid);
    }
  }

  /** Binds thread {@code tid} (0: the calling thread); false if the kernel refused. */
  private boolean trySetAffinity(int tid) {
    if (SET_AFFINITY == null) {
      throw new IllegalStateException(
          "binding threads to CPUs needs Linux's sched_setaffinity, not available on "
              + System.getProperty("os.name"));
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mask = arena.allocate(MASK_BYTES);
      byte[] bytes = Arrays.copyOf(cpus.toByteArray(), MASK_BYTES);
      MemorySegment.copy(bytes, 0, mask, ValueLayout.JAVA_BYTE, 0, MASK_BYTES);
      return (int) SET_AFFINITY.invokeExact(tid, (long) MASK_BYTES, mask) == 0;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("sched_setaffinity failed", e);
    }
  }

  private IllegalStateException failed(int tid) {
    return new IllegalStateException(
        String.format(
            Locale.ROOT,
            "sched_setaffinity(%d, CPUs %s) failed: are these CPUs online (nproc: %d)?",
            tid,
            text,
            Runtime.getRuntime().availableProcessors()));
  }

  private static MethodHandle find() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find("sched_setaffinity")
          .map(
              a ->
                  linker.downcallHandle(
                      a,
                      FunctionDescriptor.of(
                          ValueLayout.JAVA_INT,
                          ValueLayout.JAVA_INT,
                          ValueLayout.JAVA_LONG,
                          ValueLayout.ADDRESS)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
