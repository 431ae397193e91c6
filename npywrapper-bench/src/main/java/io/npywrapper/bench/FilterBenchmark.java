package io.npywrapper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.Selection;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.meta.index.Pruner;
import io.npywrapper.meta.index.SegmentStats;
import io.npywrapper.search.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Filter-only selection over a collection of {@code rows} rows in {@code segments} segments, rows
 * imported in time order: {@code Snapshot.select} (statistics pruning + per-segment indexes)
 * against row-by-row evaluation (every live row's attribute map through {@code BoundFilter.test},
 * what select did before indexes), at about 1% selectivity, and the share of segments pruned by a
 * recent time range. Usage: {@code FilterBenchmark [DIR] [ROWS] [SEGMENTS] [--bytes]}; with {@code
 * --bytes}, {@link FilterScaleBenchmark} instead (latency and bytes read from the store against a
 * full column scan, for collections of 10^7 rows). Not thread-safe.
 */
public final class FilterBenchmark {
  private FilterBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("filterbench");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int segments = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (args.length > 3 && args[3].equals("--bytes")) {
      FilterScaleBenchmark.run(dir, rows, segments);
      return;
    }
    Map<String, AttributeType> types = new LinkedHashMap<>();
    types.put("t", AttributeType.TIMESTAMP);
    types.put("n", AttributeType.INT64);
    types.put("color", AttributeType.STRING);
    types.put("tags", AttributeType.STRING_LIST);
    Schema schema = Schema.of(types);
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    SplittableRandom rnd = new SplittableRandom(42);
    try (Database db =
        Database.open(dir.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = db.create(CollectionSpec.of("bench", 2, Metric.L2).withSchema(schema));
      int per = rows / segments;
      long load = System.nanoTime();
      for (int s = 0; s < segments; s++) {
        long[] ids = new long[per];
        List<Map<String, Object>> attrs = new ArrayList<>(per);
        for (int i = 0; i < per; i++) {
          long id = (long) s * per + i;
          ids[i] = id;
          Map<String, Object> a = new HashMap<>();
          a.put("t", t0.plusSeconds(id));
          a.put("n", (long) rnd.nextInt(10_000));
          a.put("color", "c" + rnd.nextInt(100));
          a.put("tags", List.of("k" + rnd.nextInt(100), "k" + rnd.nextInt(100)));
          attrs.add(a);
        }
        c.add(Rows.of(new float[per][2]).withIds(ids).withAttributes(attrs));
        c.flush();
      }
      System.out.printf(
          Locale.ROOT,
          "loaded %,d rows in %d segments in %.1f s%n",
          rows,
          segments,
          (System.nanoTime() - load) / 1e9);
      Snapshot snap = c.snapshot();
      Instant recent = t0.plusSeconds((long) (rows * 0.99));
      String[] filters = {
        "color = 'c7'",
        "n < 100",
        "contains(tags, 'k3')",
        "n BETWEEN 5000 AND 5099 AND NOT color IN ('c1', 'c2')",
        "t >= TIMESTAMP '" + recent + "'",
      };
      for (String text : filters) {
        BoundFilter f = Filter.parse(text).bind(schema);
        long cold = System.nanoTime();
        long count = snap.select(f).count();
        double coldMs = (System.nanoTime() - cold) / 1e6;
        double indexed = median(() -> snap.select(f).count(), 7);
        double byRow = median(() -> rowByRow(snap, f), 3);
        System.out.printf(
            Locale.ROOT,
            "%-60s matches %,8d (%.2f%%)  indexed cold %8.1f ms warm %7.2f ms  row-by-row %8.1f ms  (%.0fx)%n",
            text,
            count,
            100.0 * count / rows,
            coldMs,
            indexed,
            byRow,
            byRow / indexed);
      }
      BoundFilter f = Filter.parse("t >= TIMESTAMP '" + recent + "'").bind(schema);
      int pruned = pruned(dir.resolve("bench/_manifests"), schema, f);
      System.out.printf(
          Locale.ROOT,
          "pruning on t >= %s: %d of %d segments skipped without reading a file%n",
          recent,
          pruned,
          segments);
    }
  }

  private interface Run {
    long run() throws Exception;
  }

  private static double median(Run r, int times) throws Exception {
    double[] ms = new double[times];
    for (int i = 0; i < times; i++) {
      long t = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms[times / 2];
  }

  /** The pre-index way: every live row's attribute map through the filter. */
  private static long rowByRow(Snapshot snap, BoundFilter f) throws Exception {
    Selection all = snap.select(null);
    long n = 0;
    for (int s = 0; s < all.segmentCount(); s++) {
      for (int row : all.rows(s)) {
        if (f.test(all.attributes(s, row))) {
          n++;
        }
      }
    }
    return n;
  }

  /** Segments of the newest manifest that the statistics rule out. */
  private static int pruned(Path manifests, Schema schema, BoundFilter f) throws Exception {
    Path newest;
    try (Stream<Path> s = Files.list(manifests)) {
      newest = s.sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonNode m = new ObjectMapper().readTree(newest.toFile());
    int n = 0;
    for (JsonNode seg : m.path("segments")) {
      SegmentStats st =
          SegmentStats.fromManifestJson(seg.path("rows").asLong(), seg.path("stats"), schema);
      n += Pruner.mayMatch(f.root(), st) ? 0 : 1;
    }
    return n;
  }
}
