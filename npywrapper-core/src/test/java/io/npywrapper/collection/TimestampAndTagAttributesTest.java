package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Numpy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timestamp and string_list attribute types through the engine: memtable, write-ahead log
 * encoding, segments, compaction and reopening give back the same values, and numpy reads the
 * columns as docs/FORMAT.md describes.
 */
class TimestampAndTagAttributesTest {
  @TempDir Path dir;

  private static final Schema SCHEMA;

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("t", AttributeType.TIMESTAMP);
    m.put("tags", AttributeType.STRING_LIST);
    m.put("color", AttributeType.STRING);
    SCHEMA = Schema.of(m);
  }

  private static Map<String, Object> attrs(Object t, Object tags) {
    Map<String, Object> m = new HashMap<>();
    m.put("t", t);
    m.put("tags", tags);
    return m;
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void roundTripThroughMemtableSegmentsCompactionAndReopen() throws Exception {
    List<Map<String, Object>> input =
        List.of(
            attrs(at("2024-05-01T12:30:00.123456789Z"), List.of("a", "b")),
            attrs("2024-05-01T14:30:00+02:00", new String[] {"b", "é", "b"}),
            attrs(null, List.of()),
            attrs(at("1969-12-31T23:59:59.999999Z"), null),
            Map.of("color", "red"),
            attrs("2024-05-01", List.of("😀")));
    Map<Long, List<Object>> expected = new LinkedHashMap<>();
    expected.put(1L, Arrays.asList(at("2024-05-01T12:30:00.123456Z"), List.of("a", "b")));
    expected.put(2L, Arrays.asList(at("2024-05-01T12:30:00Z"), List.of("b", "é", "b")));
    expected.put(3L, Arrays.asList(null, List.of()));
    expected.put(4L, Arrays.asList(at("1969-12-31T23:59:59.999999Z"), null));
    expected.put(5L, Arrays.asList(null, null));
    expected.put(6L, Arrays.asList(at("2024-05-01T00:00:00Z"), List.of("😀")));
    Path store = dir.resolve("store");
    try (Database db = Database.open(store.toString())) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2).withSchema(SCHEMA));
      c.add(Rows.of(vectors(6)).withIds(1, 2, 3, 4, 5, 6).withAttributes(input));
      check(c, expected); // memtable
      c.flush();
      check(c, expected); // one segment
      c.add(
          Rows.of(vectors(2))
              .withIds(7, 8)
              .withAttributes(List.of(attrs(at("2100-01-01T00:00:00Z"), List.of("z")), Map.of())));
      expected.put(7L, Arrays.asList(at("2100-01-01T00:00:00Z"), List.of("z")));
      expected.put(8L, Arrays.asList(null, null));
      c.flush();
      assertEquals(2, c.snapshot().segmentCount());
      new Compactor(c.engine()).compact();
      assertEquals(1, c.snapshot().segmentCount());
      check(c, expected);
    }
    try (Database db = Database.open(store.toString())) {
      check(db.collection("c"), expected);
    }
    numpyReadsTheColumns(store, expected);
  }

  private static float[][] vectors(int n) {
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      v[i] = new float[] {i, -i};
    }
    return v;
  }

  private static void check(Collection c, Map<Long, List<Object>> expected) throws IOException {
    for (var e : expected.entrySet()) {
      Map<String, Object> got = c.get(e.getKey()).orElseThrow().attributes();
      assertEquals(e.getValue().get(0), got.get("t"), "t of row " + e.getKey());
      assertEquals(e.getValue().get(1), got.get("tags"), "tags of row " + e.getKey());
    }
  }

  private static void numpyReadsTheColumns(Path store, Map<Long, List<Object>> expected)
      throws Exception {
    DateTimeFormatter us = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    Map<String, Object> want = new LinkedHashMap<>();
    for (var e : expected.entrySet()) {
      Instant t = (Instant) e.getValue().get(0);
      want.put(
          e.getKey().toString(),
          Arrays.asList(
              t == null ? null : us.format(t.atOffset(ZoneOffset.UTC)), e.getValue().get(1)));
    }
    ObjectMapper json = new ObjectMapper();
    for (String python : Numpy.pythons()) {
      String out =
          Numpy.run(
              python,
              """
              import glob, json, os
              import numpy as np
              root = 'store/c/'
              m = json.load(open(sorted(glob.glob(root + '_manifests/*.json'))[-1]))
              assert m['schema'] == {'t': 'timestamp', 'tags': 'string_list', 'color': 'string'}
              rows = {}
              for seg in m['segments']:
                  f = {name: root + ref['key'] for name, ref in seg['files'].items()}
                  def valid(name, n):
                      k = 'attr.%s.valid.npy' % name
                      return np.load(f[k]) if k in f else np.ones(n, dtype=bool)
                  ids = np.load(f['ids.npy'])
                  n = len(ids)
                  t = np.load(f['attr.t.npy'], mmap_mode='r')
                  assert t.dtype == np.int64 and t.shape == (n,)
                  ts = np.datetime_as_string(t.astype('datetime64[us]'), unit='us')
                  offsets = np.load(f['attr.tags.offsets.npy'])
                  codes = np.load(f['attr.tags.codes.npy'])
                  assert offsets.dtype == np.int64 and offsets.shape == (n + 1,)
                  assert codes.dtype == np.int32 and codes.shape == (offsets[-1],)
                  words = json.load(open(f['attr.tags.dict.json'], encoding='utf-8'))
                  vt, vtags = valid('t', n), valid('tags', n)
                  for i in range(n):
                      tags = [words[c] for c in codes[offsets[i]:offsets[i + 1]]]
                      rows[str(ids[i])] = [str(ts[i]) if vt[i] else None, tags if vtags[i] else None]
              print(json.dumps(rows, ensure_ascii=True))
              """,
              store.getParent());
      JsonNode got = json.readTree(out);
      assertEquals(json.valueToTree(want), got, python);
    }
  }

  @Test
  void writeAheadLogEncodingKeepsTheNewValues() throws Exception {
    CollectionSpec spec = CollectionSpec.of("w", 2, Metric.L2).withSchema(SCHEMA);
    List<Map<String, Object>> input =
        List.of(
            attrs(at("2024-05-01T12:30:00.123456Z"), List.of("a", "")),
            attrs(at("0001-01-01T00:00:00Z"), List.of()),
            attrs(null, null));
    Batch b =
        Batch.of(Batch.Op.ADD, Rows.of(vectors(3)).withAttributes(input), Ids.of(1, 2, 3), spec);
    Batch back = Batch.decode(b.encode(), spec);
    assertArrayEquals(b.columns.get("t"), back.columns.get("t"));
    assertArrayEquals(b.columns.get("tags"), back.columns.get("tags"));
    assertEquals(List.of("a", ""), back.columns.get("tags")[0]);
    assertEquals(at("0001-01-01T00:00:00Z"), back.columns.get("t")[1]);

    // a corrupt element count is refused before anything is allocated
    byte[] record =
        Batch.of(
                Batch.Op.ADD,
                Rows.of(vectors(1)).withAttributes(List.of(attrs(null, List.of("x")))),
                Ids.of(9),
                spec)
            .encode();
    int at = indexOf(record, new byte[] {7, 0, 0, 0, 1, 0, 0, 0, 1, 'x'});
    record[at + 1] = 0x7f;
    IOException e = assertThrows(IOException.class, () -> Batch.decode(record, spec));
    assertTrue(e.getMessage().contains("string list of"), e.getMessage());
  }

  @Test
  void badValuesAreRejectedBeforeAnythingIsWritten() throws Exception {
    try (Database db = Database.open(dir.resolve("bad").toString())) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2).withSchema(SCHEMA));
      List<Map<String, Object>> bad = new ArrayList<>();
      bad.add(attrs("yesterday", null));
      var e1 =
          assertThrows(
              IllegalArgumentException.class,
              () -> c.add(Rows.of(vectors(1)).withIds(1).withAttributes(bad)));
      assertTrue(
          e1.getMessage().contains("'yesterday' is not an ISO-8601 timestamp"), e1.getMessage());
      var e2 =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  c.add(
                      Rows.of(vectors(1))
                          .withIds(1)
                          .withAttributes(List.of(attrs(null, Arrays.asList("a", null))))));
      assertTrue(e2.getMessage().contains("attribute 'tags'"), e2.getMessage());
      assertTrue(e2.getMessage().contains("null at position 1"), e2.getMessage());
      var e3 =
          assertThrows(
              IllegalArgumentException.class,
              () -> c.add(Rows.of(vectors(1)).withIds(1).withAttributes(List.of(attrs(5L, null)))));
      assertTrue(e3.getMessage().contains("expected timestamp, got Long 5"), e3.getMessage());
      assertEquals(0, c.count());
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }
}
