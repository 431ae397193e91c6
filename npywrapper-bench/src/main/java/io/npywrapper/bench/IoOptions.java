package io.npywrapper.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Options of the {@code io} benchmark. Immutable and thread-safe.
 *
 * @param sizeGib data size of the test file in GiB (2^30 bytes); rows = size / (dim * 4)
 * @param dim floats per row
 * @param dir directory for the test file and the written files (on the disk to measure)
 * @param reps runs of each throughput measurement (medians are reported)
 * @param openReps runs of each open measurement
 * @param chunkRows rows per {@code append} for the streaming writer
 * @param python the Python interpreter that has numpy
 * @param parts which measurements to run
 * @param keep keep the test files after the run (a later run rewrites them anyway)
 */
public record IoOptions(
    double sizeGib,
    int dim,
    Path dir,
    int reps,
    int openReps,
    int chunkRows,
    String python,
    Set<Part> parts,
    boolean keep) {

  /** The separately selectable measurements. */
  public enum Part {
    OPEN,
    SUM,
    WRITE,
    FSYNC
  }

  public static final String USAGE =
      """
      usage: io [options]
        --size-gib X     test file data size in GiB (default 2)
        --dim N          floats per row (default 768)
        --dir DIR        where files are written (default /tmp/npyw-bench)
        --reps N         runs per throughput figure, medians reported (default 5)
        --open-reps N    runs per open-time figure (default 2000)
        --chunk-rows N   rows per NpyStreamWriter.append (default 1024)
        --python EXE     interpreter with numpy (default python3)
        --only LIST      comma-separated subset of open,sum,write,fsync (default all)
        --keep           leave the test files in DIR after the run
      """;

  public IoOptions {
    if (!(sizeGib > 0)) {
      throw new IllegalArgumentException("--size-gib must be positive");
    }
    if (dim <= 0 || reps <= 0 || openReps <= 0 || chunkRows <= 0) {
      throw new IllegalArgumentException("--dim, --reps, --open-reps, --chunk-rows must be > 0");
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("--only selects nothing");
    }
    parts = Set.copyOf(parts);
  }

  /** Rows of the test file: the most whole rows that fit in the size. */
  public long rows() {
    long bytes = (long) (sizeGib * (1L << 30));
    long rows = bytes / ((long) dim * Float.BYTES);
    if (rows <= 0) {
      throw new IllegalArgumentException("--size-gib is smaller than one row");
    }
    return rows;
  }

  /** Bytes of array data in the test file. */
  public long dataBytes() {
    return rows() * dim * Float.BYTES;
  }

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the offending argument
   */
  public static IoOptions parse(String... args) {
    var o = // the options read so far, with their defaults; assigned by the walker below
        new Object() {
          double sizeGib = 2;
          int dim = 768;
          Path dir = Path.of("/tmp/npyw-bench");
          int reps = 5;
          int openReps = 2000;
          int chunkRows = 1024;
          String python = "python3";
          Set<Part> parts = EnumSet.allOf(Part.class);
          boolean keep = false;
        };
    BenchArgs.forEach(
        args,
        Set.of("--keep"),
        (name, v) -> {
          switch (name) {
            case "--size-gib" -> o.sizeGib = Double.parseDouble(v);
            case "--dim" -> o.dim = Integer.parseInt(v);
            case "--dir" -> o.dir = Path.of(v);
            case "--reps" -> o.reps = Integer.parseInt(v);
            case "--open-reps" -> o.openReps = Integer.parseInt(v);
            case "--chunk-rows" -> o.chunkRows = Integer.parseInt(v);
            case "--python" -> o.python = v;
            case "--only" -> o.parts = parseParts(v);
            case "--keep" -> o.keep = true;
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        });
    return new IoOptions(
        o.sizeGib, o.dim, o.dir, o.reps, o.openReps, o.chunkRows, o.python, o.parts, o.keep);
  }

  private static Set<Part> parseParts(String list) {
    Set<Part> parts = EnumSet.noneOf(Part.class);
    for (String p : list.split(",")) {
      if (!p.isBlank()) {
        try {
          parts.add(Part.valueOf(p.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--only: unknown part " + p);
        }
      }
    }
    return parts;
  }
}
