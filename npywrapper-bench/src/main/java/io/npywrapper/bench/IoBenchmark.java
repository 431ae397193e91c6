package io.npywrapper.bench;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code io} benchmark: open latency, memory-mapped sum throughput and write throughput of
 * npyWrapper's codec against numpy's on the same file, in the same run, interleaved run by run so
 * that both sides see the same machine load and page-cache state. See docs/BENCHMARKS.md.
 *
 * <p>Not thread-safe: one instance runs once.
 */
public final class IoBenchmark {
  private static final double OPEN_GOAL_MICROS = 1000;
  private static final double RATIO_GOAL = 0.9;
  private static final int OPEN_ROUNDS = 10;
  private static final int SUM_WARMUPS = 2;
  private static final int PY_CHUNK_BYTES = 8 << 20;

  private final IoOptions options;
  private final PrintStream log;
  private final Path input;
  private final Path small;

  public IoBenchmark(IoOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
    this.input = options.dir().resolve("input-" + options.rows() + "x" + options.dim() + ".npy");
    this.small = options.dir().resolve("input-1x" + options.dim() + ".npy");
  }

  /** Runs the selected measurements and returns the report. */
  public Report run() throws IOException, InterruptedException {
    Files.createDirectories(options.dir());
    Report report = new Report("io");
    NpyHeader h = TestData.header(options.rows(), options.dim());
    report
        .context("file", input + " float32 " + NpyHeader.shapeString(h.shape()))
        .context("file_bytes", h.fileSize())
        .context("reps", options.reps())
        .context("open_reps", options.openReps())
        .context("java", Runtime.version().toString())
        .context("vector_bits", FloatSum.vectorBits())
        .context("cpu", SystemInfo.cpuModel() + " x" + Runtime.getRuntime().availableProcessors())
        .context("os", SystemInfo.os())
        .context("load_before", SystemInfo.loadAverage());
    log.printf("preparing %s (%,d bytes)%n", input, h.fileSize());
    TestData.write(input, options.rows(), options.dim());
    TestData.write(small, 1, options.dim());
    try (NumpyWorker numpy = NumpyWorker.start(options.python())) {
      Map<String, Object> hello = numpy.call("hello");
      report.context("numpy", hello.get("numpy") + " (python " + hello.get("python") + ")");
      if (options.parts().contains(IoOptions.Part.OPEN)) {
        openLatency(numpy, report, input, sizeLabel() + " file");
        openLatency(numpy, report, small, "1-row file");
      }
      if (options.parts().contains(IoOptions.Part.SUM)) {
        sum(numpy, report, h.dataBytes());
      }
      if (options.parts().contains(IoOptions.Part.WRITE)) {
        write(numpy, report, h, false);
      }
      if (options.parts().contains(IoOptions.Part.FSYNC)) {
        write(numpy, report, h, true);
      }
    } finally {
      if (!options.keep()) {
        Files.deleteIfExists(input);
        Files.deleteIfExists(small);
      }
    }
    report.context("load_after", SystemInfo.loadAverage());
    return report;
  }

  private String sizeLabel() {
    return Measurement.fmt(options.sizeGib()) + " GiB";
  }

  // ---------------------------------------------------------------------------------- open

  private void openLatency(NumpyWorker numpy, Report report, Path file, String label)
      throws IOException {
    log.println("open+close: " + label);
    int per = Math.max(1, options.openReps() / OPEN_ROUNDS);
    oursOpen(file, per); // warm-up (JIT)
    numpyOpen(numpy, file, per);
    List<Double> ours = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    for (int round = 0; round < OPEN_ROUNDS; round++) {
      ours.addAll(oursOpen(file, per));
      theirs.addAll(numpyOpen(numpy, file, per));
    }
    report.add(
        Measurement.latency(
            "open+close, " + label, Samples.of(ours), Samples.of(theirs), OPEN_GOAL_MICROS));
  }

  private static List<Double> oursOpen(Path file, int reps) throws IOException {
    List<Double> ns = new ArrayList<>(reps);
    long check = 0;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      try (NpyArray a = NpyArray.open(file)) {
        check += a.rows();
      }
      ns.add((double) (System.nanoTime() - t0));
    }
    if (check != reps * rowsOf(file)) {
      throw new IllegalStateException("open read a wrong header");
    }
    return ns;
  }

  private static long rowsOf(Path file) throws IOException {
    try (NpyArray a = NpyArray.open(file)) {
      return a.rows();
    }
  }

  private static List<Double> numpyOpen(NumpyWorker numpy, Path file, int reps) throws IOException {
    return doubles(numpy.call("open", "path", file.toString(), "reps", reps).get("open_ns"));
  }

  // ---------------------------------------------------------------------------------- sum

  private void sum(NumpyWorker numpy, Report report, long bytes) throws IOException {
    log.println("mapped sum (warm page cache)");
    warmUpSumLoops();
    for (int i = 0; i < SUM_WARMUPS; i++) {
      oursSum(true);
      numpySum(numpy);
    }
    oursSum(false);
    List<Double> vector = new ArrayList<>();
    List<Double> scalar = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    double[] values = new double[3];
    for (int rep = 0; rep < options.reps(); rep++) {
      // Alternate who goes first so that neither always follows the other.
      double[] np;
      double[] vs;
      if (rep % 2 == 0) {
        vs = oursSum(true);
        np = numpySum(numpy);
      } else {
        np = numpySum(numpy);
        vs = oursSum(true);
      }
      double[] sc = oursSum(false);
      vector.add(vs[0]);
      theirs.add(np[0]);
      scalar.add(sc[0]);
      values = new double[] {vs[1], np[1], sc[1]};
      log.printf(
          "  rep %d: vector %.3f s, numpy %.3f s, scalar %.3f s%n",
          rep + 1, vs[0] / 1e9, np[0] / 1e9, sc[0] / 1e9);
    }
    report.context(
        "sum_values",
        String.format("vector %.6g, numpy %.6g, scalar %.6g", values[0], values[1], values[2]));
    // Uniform values in [-0.5, 0.5): sum |x| is about n/4; float32 sums agree far closer.
    double tolerance = 1e-5 * (bytes / Float.BYTES) / 4;
    if (Math.abs(values[0] - values[1]) > tolerance
        || Math.abs(values[2] - values[1]) > tolerance) {
      log.println("WARNING: the sums disagree beyond float32 rounding; see sum_values");
    }
    Samples np = Samples.of(theirs);
    report.add(
        Measurement.throughput(
            "mapped sum, Vector API (open+sum+close)", Samples.of(vector), np, bytes, RATIO_GOAL));
    report.add(
        Measurement.throughput(
            "mapped sum, scalar Java (reference)", Samples.of(scalar), np, bytes, Double.NaN));
  }

  /**
   * Gets both sum loops compiled by C2 through many short calls before any timed run, so that no
   * timed run executes interpreted or on-stack-replacement code (the first whole-file runs were
   * measured 20-40% slower).
   */
  private void warmUpSumLoops() throws IOException {
    try (NpyArray a = NpyArray.open(input)) {
      // A ragged length, so that the profile also covers the tail loop: a branch C2 never saw
      // taken is compiled as a trap, and each trap means deoptimisation in a timed run.
      long bytes = (1 << 20) + 37 * Float.BYTES;
      MemorySegment head = a.data().asSlice(0, Math.min(a.data().byteSize(), bytes));
      double sink = 0;
      for (int i = 0; i < 2000; i++) {
        sink += FloatSum.vector(head);
      }
      for (int i = 0; i < 200; i++) {
        sink += FloatSum.scalar(head);
      }
      if (Double.isNaN(sink)) {
        throw new IllegalStateException("NaN in the test data");
      }
    }
  }

  /** {nanoseconds, sum} of open + sum + close. */
  private double[] oursSum(boolean vector) throws IOException {
    long t0 = System.nanoTime();
    double s;
    try (NpyArray a = NpyArray.open(input)) {
      s = vector ? FloatSum.vector(a.data()) : FloatSum.scalar(a.data());
    }
    return new double[] {System.nanoTime() - t0, s};
  }

  private double[] numpySum(NumpyWorker numpy) throws IOException {
    Map<String, Object> r = numpy.call("sum", "path", input.toString());
    return new double[] {(Double) r.get("ns"), (Double) r.get("value")};
  }

  // ---------------------------------------------------------------------------------- write

  /** The writers compared, in the order of their columns. */
  private enum Writer {
    NPY_WRITER("NpyWriter"),
    STREAM("NpyStreamWriter"),
    NP_SAVE("np.save"),
    PY_CHUNKED("python 8 MiB writes");

    final String label;

    Writer(String label) {
      this.label = label;
    }
  }

  private void write(NumpyWorker numpy, Report report, NpyHeader h, boolean sync)
      throws IOException, InterruptedException {
    String mode = sync ? "fsync" : "no fsync";
    log.println("write, " + mode);
    WriteOptions opts = sync ? WriteOptions.DEFAULT : WriteOptions.DEFAULT.withoutSync();
    Writer[] writers = Writer.values();
    Map<Writer, List<Double>> times = new EnumMap<>(Writer.class);
    try (Arena arena = Arena.ofShared()) {
      MemorySegment src = TestData.loadData(input, arena);
      numpy.call("load", "path", input.toString());
      // One unrecorded round first (JIT, allocator, file system warm-up).
      for (int rep = -1; rep < options.reps(); rep++) {
        Map<Writer, Double> round = new EnumMap<>(Writer.class);
        // Rotate the order of the writers from round to round.
        for (int k = 0; k < writers.length; k++) {
          Writer w = writers[Math.floorMod(rep + k, writers.length)];
          Path out = options.dir().resolve("out-" + w.name().toLowerCase(Locale.ROOT) + ".npy");
          settle();
          round.put(w, timeWrite(w, numpy, out, h, src, opts));
          checkSize(out, h.fileSize());
          Files.delete(out);
        }
        StringBuilder line = new StringBuilder(rep < 0 ? "  warm-up:" : "  rep " + (rep + 1) + ":");
        round.forEach((w, ns) -> line.append(String.format(" %s %.3f s,", w.label, ns / 1e9)));
        log.println(line.substring(0, line.length() - 1));
        if (rep >= 0) {
          round.forEach((w, ns) -> times.computeIfAbsent(w, x -> new ArrayList<>()).add(ns));
        }
      }
    } finally {
      numpy.call("drop");
    }
    Samples npSave = Samples.of(times.get(Writer.NP_SAVE));
    Samples pyChunked = Samples.of(times.get(Writer.PY_CHUNKED));
    for (Writer ours : List.of(Writer.NPY_WRITER, Writer.STREAM)) {
      String name =
          ours == Writer.STREAM
              ? "write, NpyStreamWriter (" + options.chunkRows() + "-row appends)"
              : "write, NpyWriter";
      Samples s = Samples.of(times.get(ours));
      report.add(
          Measurement.throughput(
              name + " vs np.save, " + mode, s, npSave, h.fileSize(), RATIO_GOAL));
      report.add(
          Measurement.throughput(
              name + " vs python 8 MiB writes, " + mode, s, pyChunked, h.fileSize(), Double.NaN));
    }
  }

  private double timeWrite(
      Writer w, NumpyWorker numpy, Path out, NpyHeader h, MemorySegment src, WriteOptions opts)
      throws IOException {
    boolean sync = opts.sync();
    return switch (w) {
      case NPY_WRITER -> timeWriter(out, h, src, opts);
      case STREAM -> timeStream(out, src, opts);
      case NP_SAVE -> (Double) numpy.call("save", "path", out.toString(), "fsync", sync).get("ns");
      case PY_CHUNKED ->
          (Double)
              numpy
                  .call(
                      "save_chunked",
                      "path",
                      out.toString(),
                      "fsync",
                      sync,
                      "chunk_bytes",
                      PY_CHUNK_BYTES)
                  .get("ns");
    };
  }

  private static double timeWriter(Path out, NpyHeader h, MemorySegment src, WriteOptions opts)
      throws IOException {
    long t0 = System.nanoTime();
    NpyWriter.write(out, h, src, opts);
    return System.nanoTime() - t0;
  }

  private double timeStream(Path out, MemorySegment src, WriteOptions opts) throws IOException {
    long chunk = (long) options.chunkRows() * options.dim() * Float.BYTES;
    long t0 = System.nanoTime();
    try (NpyStreamWriter w = NpyStreamWriter.createFloat32(out, options.dim(), opts)) {
      for (long off = 0; off < src.byteSize(); off += chunk) {
        w.append(src.asSlice(off, Math.min(chunk, src.byteSize() - off)));
      }
      w.finish();
    }
    return System.nanoTime() - t0;
  }

  private static void checkSize(Path file, long expected) throws IOException {
    long size = Files.size(file);
    if (size != expected) {
      throw new IllegalStateException(file + " has " + size + " bytes, expected " + expected);
    }
  }

  /**
   * Flushes every dirty page on the machine (ours, numpy's, other processes') so that each write
   * starts from the same state and no earlier run's writeback competes with it.
   */
  private static void settle() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sync").inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("sync failed");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Double> doubles(Object jsonArray) {
    return (List<Double>) jsonArray;
  }
}
