package io.npywrapper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.Importer;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.Timestamps;
import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.LocalBlobStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Filter-only queries at 1% selectivity over a large collection (built with {@link Importer}, one
 * import per segment, rows in time order): latency and bytes read from the store, against a full
 * scan of the filter's column in every segment. The store is wrapped in a byte-counting {@link
 * BlobStore} that is not a local store, so the engine fetches every file it needs through it into a
 * fresh cache directory: the cold figure is the bytes a query pulls from the store. Run as {@code
 * filter DIR ROWS SEGMENTS --bytes}; the collection under DIR is reused when present. Not
 * thread-safe.
 */
final class FilterScaleBenchmark {
  private static final ValueLayout.OfLong LONG_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final int DIM = 8;
  private static final int REPS = 7;

  private FilterScaleBenchmark() {}

  /** A filter, the column file it needs, and the same test on its raw values: lo <= v < hi. */
  private record Case(String text, String column, long lo, long hi) {}

  static void run(Path dir, int rows, int segments) throws Exception {
    Map<String, AttributeType> types = new LinkedHashMap<>();
    types.put("t", AttributeType.TIMESTAMP);
    types.put("n", AttributeType.INT64);
    types.put("color", AttributeType.STRING);
    Schema schema = Schema.of(types);
    int per = rows / segments;
    Path storeDir = dir.resolve("store");
    EngineOptions options = Database.defaultOptions().withCompactionMillis(0).withSegmentRows(per);
    if (!Files.isDirectory(storeDir.resolve("bench/_manifests"))) {
      build(dir, storeDir, options.withWalRoot(dir.resolve("wal")), schema, segments, per);
    }
    Instant recent = T0.plusSeconds((long) (rows * 0.99));
    Instant middle = T0.plusSeconds(rows / 2);
    Instant middleEnd = T0.plusSeconds(rows / 2 + rows / 100);
    long recentMicros = Timestamps.toMicros(recent);
    long midFrom = Timestamps.toMicros(middle);
    long midTo = Timestamps.toMicros(middleEnd);
    Case[] cases = {
      new Case("n < 100", "attr.n.npy", Long.MIN_VALUE, 100),
      new Case("color = 'c7'", "attr.color.codes.npy", 0, 0),
      new Case("t >= TIMESTAMP '" + recent + "'", "attr.t.npy", recentMicros, Long.MAX_VALUE),
      new Case(
          "t >= TIMESTAMP '" + middle + "' AND t < TIMESTAMP '" + middleEnd + "'",
          "attr.t.npy",
          midFrom,
          midTo),
    };
    long total;
    try (Database db =
        Database.open(storeDir.toString(), options.withWalRoot(dir.resolve("wal")))) {
      total = db.collection("bench").count();
    }
    List<Seg> segs = segments(storeDir.resolve("bench"));
    long storeBytes = segs.stream().mapToLong(Seg::bytes).sum();
    System.out.printf(
        Locale.ROOT,
        "%,d rows in %d segments, %,d bytes of segment files%n",
        total,
        segs.size(),
        storeBytes);
    System.out.printf(
        Locale.ROOT,
        "%-62s %9s %10s %12s %10s %9s %9s %14s %9s %14s %8s%n",
        "filter",
        "matches",
        "count cold",
        "count bytes",
        "cold ms",
        "warm ms",
        "count ms",
        "bytes read",
        "scan ms",
        "scan bytes",
        "skipped");
    for (Case k : cases) {
      BoundFilter bound = Filter.parse(k.text()).bind(schema);
      long countBytes;
      double countColdMs;
      Path countCache = Files.createTempDirectory(dir, "cache-");
      CountingStore countStore = new CountingStore(LocalBlobStore.open(storeDir));
      try (Database db = Database.open(countStore, options.withWalRoot(countCache))) {
        Collection c = db.collection("bench");
        countStore.reset();
        long t = System.nanoTime();
        c.query().where(k.text()).count();
        countColdMs = (System.nanoTime() - t) / 1e6;
        countBytes = countStore.bytes();
      } finally {
        deleteTree(countCache);
      }
      Path cache = Files.createTempDirectory(dir, "cache-");
      CountingStore store = new CountingStore(LocalBlobStore.open(storeDir));
      double coldMs;
      long bytes;
      long matches;
      double warm;
      double countMs;
      int skipped;
      try (Database db = Database.open(store, options.withWalRoot(cache))) {
        Collection c = db.collection("bench");
        store.reset(); // opening read the manifest; count what the query reads
        long t = System.nanoTime();
        matches =
            c.query().where(k.text()).limit(Math.max(1, rows / 100 * 2)).execute().hits().size();
        coldMs = (System.nanoTime() - t) / 1e6;
        bytes = store.bytes();
        warm =
            median(
                () ->
                    c.query()
                        .where(k.text())
                        .limit(Math.max(1, rows / 100 * 2))
                        .execute()
                        .hits()
                        .size());
        countMs = median(() -> c.query().where(k.text()).count());
        var sel = c.snapshot().select(bound);
        skipped = 0;
        for (int s = 0; s < sel.segmentCount(); s++) {
          String prefix = "bench/" + segs.get(s).dir() + "/";
          skipped += store.touched(prefix) ? 0 : 1;
        }
      } finally {
        deleteTree(cache);
      }
      long[] scanBytes = new long[1];
      long scanned = scan(storeDir, segs, k, scanBytes);
      if (scanned != matches) {
        throw new IllegalStateException(
            k.text() + ": the column scan found " + scanned + ", the query " + matches);
      }
      double scanMs = median(() -> scan(storeDir, segs, k, new long[1]));
      System.out.printf(
          Locale.ROOT,
          "%-62s %9d %10.1f %,12d %10.1f %9.2f %9.2f %,14d %9.1f %,14d %5d/%d%n",
          k.text(),
          matches,
          countColdMs,
          countBytes,
          coldMs,
          warm,
          countMs,
          bytes,
          scanMs,
          scanBytes[0],
          skipped,
          segs.size());
      System.out.printf(
          Locale.ROOT,
          "RESULT {\"filter\":\"%s\",\"rows\":%d,\"segments\":%d,\"matches\":%d,"
              + "\"count_cold_ms\":%.2f,\"count_bytes_read\":%d,\"cold_ms\":%.2f,"
              + "\"warm_median_ms\":%.3f,\"count_median_ms\":%.3f,\"bytes_read\":%d,"
              + "\"scan_median_ms\":%.2f,\"scan_bytes\":%d,\"segments_skipped\":%d}%n",
          k.text().replace("'", "\\u0027"),
          total,
          segs.size(),
          matches,
          countColdMs,
          countBytes,
          coldMs,
          warm,
          countMs,
          bytes,
          scanMs,
          scanBytes[0],
          skipped);
    }
  }

  private static void build(
      Path dir, Path storeDir, EngineOptions options, Schema schema, int segments, int per)
      throws Exception {
    Path vectors = dir.resolve("vectors.npy");
    Files.createDirectories(dir);
    NpyWriter.write(
        vectors, new float[per * DIM], new long[] {per, DIM}, WriteOptions.DEFAULT.withoutSync());
    SplittableRandom rnd = new SplittableRandom(42);
    long start = System.nanoTime();
    try (Database db = Database.open(storeDir.toString(), options)) {
      Collection c = db.create(CollectionSpec.of("bench", DIM, Metric.L2).withSchema(schema));
      for (int s = 0; s < segments; s++) {
        List<Map<String, Object>> attrs = new ArrayList<>(per);
        for (int i = 0; i < per; i++) {
          long id = (long) s * per + i;
          Map<String, Object> a = new HashMap<>(4);
          a.put("t", T0.plusSeconds(id));
          a.put("n", (long) rnd.nextInt(10_000));
          a.put("color", "c" + rnd.nextInt(100));
          attrs.add(a);
        }
        new Importer(c.engine()).importNpy(vectors, null, attrs, n -> {});
        System.err.printf(
            Locale.ROOT,
            "imported segment %d/%d (%.1f s)%n",
            s + 1,
            segments,
            (System.nanoTime() - start) / 1e9);
      }
    }
    Files.delete(vectors);
  }

  /**
   * The baseline: the filter's column of every segment read in full from its file and tested row by
   * row (no statistics, no index); adds the column files' sizes to {@code bytes}.
   */
  private static long scan(Path storeDir, List<Seg> segs, Case k, long[] bytes) throws IOException {
    long n = 0;
    for (Seg s : segs) {
      Path seg = storeDir.resolve("bench").resolve(s.dir());
      Path file = seg.resolve(k.column());
      bytes[0] += Files.size(file);
      long lo = k.lo();
      long hi = k.hi();
      if (k.column().endsWith(".codes.npy")) { // the code of 'c7' in this segment's dictionary
        Path dict = seg.resolve("attr.color.dict.json");
        bytes[0] += Files.size(dict);
        String[] values = new ObjectMapper().readValue(dict.toFile(), String[].class);
        int code = Arrays.asList(values).indexOf("c7");
        lo = code;
        hi = code + 1L;
      }
      try (NpyArray a = NpyArray.open(file)) {
        MemorySegment d = a.data();
        long rows = a.rows();
        if (k.column().endsWith(".codes.npy")) {
          for (long i = 0; i < rows; i++) {
            int v = d.getAtIndex(INT_LE, i);
            n += v >= lo && v < hi ? 1 : 0;
          }
        } else {
          for (long i = 0; i < rows; i++) {
            long v = d.getAtIndex(LONG_LE, i);
            n += v >= lo && v < hi ? 1 : 0;
          }
        }
      }
    }
    return n;
  }

  /** A segment of the newest manifest: its directory (relative to the collection), file bytes. */
  private record Seg(String dir, long bytes) {}

  private static List<Seg> segments(Path collection) throws IOException {
    Path newest;
    try (Stream<Path> s = Files.list(collection.resolve("_manifests"))) {
      newest = s.sorted().reduce((a, b) -> b).orElseThrow();
    }
    List<Seg> out = new ArrayList<>();
    for (JsonNode seg : new ObjectMapper().readTree(newest.toFile()).path("segments")) {
      long bytes = 0;
      String d = null;
      for (JsonNode f : seg.path("files")) {
        bytes += f.path("size").asLong();
        String key = f.path("key").asText();
        d = key.substring(0, key.lastIndexOf('/'));
      }
      out.add(new Seg(d, bytes));
    }
    return out;
  }

  private interface Run {
    long run() throws Exception;
  }

  private static double median(Run r) throws Exception {
    r.run(); // warm-up
    double[] ms = new double[REPS];
    for (int i = 0; i < REPS; i++) {
      long t = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms[REPS / 2];
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /**
   * Counts the bytes read through it and remembers the keys read. Not a local store, so the engine
   * fetches segment files through {@link #open} into its cache instead of mapping them in place.
   */
  private static final class CountingStore implements BlobStore {
    private final BlobStore d;
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());

    CountingStore(BlobStore d) {
      this.d = d;
    }

    void reset() {
      bytes.set(0);
      keys.clear();
    }

    long bytes() {
      return bytes.get();
    }

    boolean touched(String prefix) {
      synchronized (keys) {
        return keys.stream().anyMatch(k -> k.startsWith(prefix));
      }
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
      return d.stat(key);
    }

    @Override
    public byte[] read(String key) throws IOException {
      byte[] b = d.read(key);
      keys.add(key);
      bytes.addAndGet(b.length);
      return b;
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
      byte[] b = d.readRange(key, offset, length);
      keys.add(key);
      bytes.addAndGet(b.length);
      return b;
    }

    @Override
    public InputStream open(String key) throws IOException {
      keys.add(key);
      return new FilterInputStream(d.open(key)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytes.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            bytes.addAndGet(n);
          }
          return n;
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
          byte[] buf = new byte[1 << 16];
          long total = 0;
          for (int n; (n = read(buf, 0, buf.length)) > 0; ) {
            out.write(buf, 0, n);
            total += n;
          }
          return total;
        }
      };
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      d.put(key, data);
    }

    @Override
    public void put(String key, Path file) throws IOException {
      d.put(key, file);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
      return d.putIfAbsent(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, Path file) throws IOException {
      return d.putIfAbsent(key, file);
    }

    @Override
    public List<BlobInfo> list(String prefix) throws IOException {
      return d.list(prefix);
    }

    @Override
    public boolean delete(String key) throws IOException {
      return d.delete(key);
    }

    @Override
    public String uri() {
      return "counting:" + d.uri();
    }

    @Override
    public void close() throws IOException {
      d.close();
    }
  }
}
