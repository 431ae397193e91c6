package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {
  @TempDir Path dir;

  @Test
  void selectSeesSegmentsMemtableAndHidesReplacedRows() throws Exception {
    Schema schema = Schema.of(Map.of("n", AttributeType.INT64));
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("sel", 2, Metric.L2).withSchema(schema));
      List<Map<String, Object>> attrs = new ArrayList<>();
      float[][] v = new float[10][2];
      long[] ids = new long[10];
      for (int i = 0; i < 10; i++) {
        ids[i] = i;
        attrs.add(Map.of("n", (long) i));
      }
      c.add(Rows.of(v).withIds(ids).withAttributes(attrs));
      c.flush();
      c.upsert(
          Rows.of(new float[][] {{1, 1}}).withIds(3).withAttributes(List.of(Map.of("n", 100L))));
      c.delete(Ids.of(4));
      Selection s = c.snapshot().select(Filter.parse("n >= 3").bind(schema));
      TreeSet<Object> found = new TreeSet<>();
      for (int seg = 0; seg < s.segmentCount(); seg++) {
        for (int row : s.rows(seg)) {
          found.add(s.id(seg, row));
        }
      }
      s.memRows().forEach(r -> found.add(r.id()));
      assertEquals(new TreeSet<>(List.of(3L, 5L, 6L, 7L, 8L, 9L)), found);
      assertEquals(6, s.count());
      assertEquals(9, c.snapshot().select(null).count());
    }
  }
}
