package io.npywrapper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's I/O counters from Linux's {@code /proc/self}: bytes it caused to be read from
 * storage ({@code io: read_bytes}, page-cache misses of reads and of memory-mapped page faults
 * alike), major page faults ({@code stat} field 12) and resident set size ({@code status: VmRSS}).
 * Zeros where the files are missing (not Linux). Stateless and thread-safe.
 */
final class ProcStats {
  private ProcStats() {}

  /** {read_bytes, major faults, RSS bytes}. */
  static long[] read() {
    long readBytes = 0;
    long majflt = 0;
    long rss = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("read_bytes:")) {
          readBytes = Long.parseLong(line.substring(11).trim());
        }
      }
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      majflt = Long.parseLong(f[9]); // field 12 overall: 3rd after ")" is field 3
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {readBytes, majflt, rss};
    }
    return new long[] {readBytes, majflt, rss};
  }
}
