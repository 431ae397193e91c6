package io.npywrapper.bench.ann;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured point of a recall/QPS curve. Immutable and thread-safe.
 *
 * @param dataset the data set's name
 * @param library the library, e.g. {@code ours}, {@code lucene}, {@code hnswlib}, {@code faiss}
 * @param variant its configuration, e.g. {@code HNSW M=16 efC=200}
 * @param threads threads issuing queries, one query per call each
 * @param param the search parameter's name ({@code ef}, {@code nprobe}, or {@code exact})
 * @param value its value (0 for exact)
 * @param recall recall@k against the exact ground truth
 * @param qps queries per second, the median of the runs
 * @param qpsRuns every run's queries per second
 * @param build what building the index cost, or null when nothing was built
 */
public record AnnPoint(
    String dataset,
    String library,
    String variant,
    int threads,
    String param,
    int value,
    double recall,
    double qps,
    double[] qpsRuns,
    AnnEngine.Build build) {

  /** The point as a JSON-ready map. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("library", library);
    m.put("variant", variant);
    m.put("threads", threads);
    m.put("param", param);
    m.put("value", value);
    m.put("recall", round(recall, 4));
    m.put("qps", round(qps, 1));
    m.put("qps_runs", java.util.Arrays.stream(qpsRuns).map(q -> round(q, 1)).boxed().toList());
    if (build != null) {
      m.put("build_s", round(build.seconds(), 2));
      m.put("index_bytes", build.indexBytes());
      m.put("heap_bytes", build.heapBytes());
    }
    return m;
  }

  /** The CSV header matching {@link #toCsv()}. */
  public static String csvHeader() {
    return "dataset,library,variant,threads,param,value,recall,qps,build_s,index_bytes,heap_bytes";
  }

  /** The point as one CSV line (the variant quoted). */
  public String toCsv() {
    return String.join(
        ",",
        dataset,
        library,
        "\"" + variant.replace("\"", "\"\"") + "\"",
        Integer.toString(threads),
        param,
        Integer.toString(value),
        String.format(java.util.Locale.ROOT, "%.4f", recall),
        String.format(java.util.Locale.ROOT, "%.1f", qps),
        build == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", build.seconds()),
        build == null || build.indexBytes() < 0 ? "" : Long.toString(build.indexBytes()),
        build == null || build.heapBytes() < 0 ? "" : Long.toString(build.heapBytes()));
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
