package io.npywrapper.bench.ann;

import io.npywrapper.bench.FloatSum;
import io.npywrapper.npy.NpyArray;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exact-scan floor: how long one exact single-query search through our public path takes on one
 * thread, against the time a plain SIMD sum ({@link FloatSum#vector}) of the same memory-mapped
 * vector files takes on one thread. The sum reads every byte the scan must read and does almost
 * nothing else, so it is the memory-bandwidth floor; the ratio says how close the scan is to it
 * (goal: at most 1.10). The sum uses the same vector species as the scan's kernels ({@code
 * FloatVector.SPECIES_PREFERRED}) and reads each float of each segment's {@code vectors.npy} once,
 * through its own mapping of the same files. Sums and scans alternate (one sum, one query, ...) so
 * both see the same load of a shared machine; the medians are compared. Not thread-safe.
 */
final class BandwidthFloor {
  private BandwidthFloor() {}

  /** Measures both on {@code ours} (built) with up to {@code queries} queries of {@code data}. */
  static Map<String, Object> measure(
      OursEngine ours, AnnDataset.Loaded data, int k, int queries, PrintStream log)
      throws IOException {
    List<Path> files = ours.vectorFiles();
    List<NpyArray> arrays = new ArrayList<>();
    try {
      for (Path f : files) {
        arrays.add(NpyArray.open(f));
      }
      double sink = 0;
      long warmEnd = System.nanoTime() + 2_000_000_000L;
      for (int r = 0; r < 20 || (r < 200 && System.nanoTime() < warmEnd); r++) {
        for (NpyArray a : arrays) {
          sink += FloatSum.vector(a.data());
        }
      }
      float[][] qs = data.queries();
      int n = Math.min(queries, qs.length);
      for (int i = 0; i < Math.min(20, n); i++) {
        ours.exact(qs[i], k, 1);
      }
      // Interleaved, one sum then one scan, so that both see the same changes of machine load.
      // Wall time is the figure; the thread's CPU time is kept too, being less disturbed by
      // other processes on the same core.
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      double[] sums = new double[n];
      double[] scans = new double[n];
      double[] sumsCpu = new double[n];
      double[] scansCpu = new double[n];
      for (int i = 0; i < n; i++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (NpyArray a : arrays) {
          sink += FloatSum.vector(a.data());
        }
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        sink += ours.exact(qs[i], k, 1).length;
        long t2 = System.nanoTime();
        long c2 = mx.getCurrentThreadCpuTime();
        sums[i] = (t1 - t0) / 1e9;
        scans[i] = (t2 - t1) / 1e9;
        sumsCpu[i] = (c1 - c0) / 1e9;
        scansCpu[i] = (c2 - c1) / 1e9;
      }
      double sum = median(sums);
      double scan = median(scans);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", data.set().name());
      m.put("vector_bytes", arrays.stream().mapToLong(a -> a.data().byteSize()).sum());
      m.put("vector_bits", FloatSum.vectorBits());
      m.put("sum_s", AnnPoint.round(sum, 6));
      m.put("scan_s", AnnPoint.round(scan, 6));
      m.put("floor_qps", AnnPoint.round(1 / sum, 1));
      m.put("exact_qps", AnnPoint.round(1 / scan, 1));
      m.put("scan_over_floor", AnnPoint.round(scan / sum, 3));
      m.put("sum_cpu_s", AnnPoint.round(median(sumsCpu), 6));
      m.put("scan_cpu_s", AnnPoint.round(median(scansCpu), 6));
      m.put("scan_over_floor_cpu", AnnPoint.round(median(scansCpu) / median(sumsCpu), 3));
      m.put("checksum", sink);
      log.printf(
          Locale.ROOT,
          "  floor: SIMD sum %.2f ms (%.0f QPS), exact 1-thread scan %.2f ms (%.0f QPS):"
              + " scan/floor %.3f (CPU time %.3f)%n",
          sum * 1e3,
          1 / sum,
          scan * 1e3,
          1 / scan,
          scan / sum,
          median(scansCpu) / median(sumsCpu));
      return m;
    } finally {
      arrays.forEach(NpyArray::close);
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
