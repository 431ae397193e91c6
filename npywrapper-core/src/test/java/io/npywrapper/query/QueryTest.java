package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Rows;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.meta.filter.FilterException;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The builder's checks, and filter-only queries (ordering, nulls, paging, count). */
class QueryTest {
  @TempDir Path dir;

  private static void fails(String messagePart, Executable e) {
    Exception ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(messagePart), ex.getMessage());
  }

  private Collection collection(Database db) throws Exception {
    Schema schema =
        Schema.of(
            new LinkedHashMap<>(
                Map.of(
                    "price", AttributeType.FLOAT64,
                    "name", AttributeType.STRING,
                    "tags", AttributeType.STRING_LIST)));
    Collection c = db.create(CollectionSpec.of("shop", 3, Metric.L2).withSchema(schema));
    Double[] prices = {5.0, null, 2.5, 9.0, 2.5, null, -0.0, 0.0, 7.0, 1.0};
    List<Map<String, Object>> attrs = new ArrayList<>();
    float[][] v = new float[prices.length][3];
    long[] ids = new long[prices.length];
    for (int i = 0; i < prices.length; i++) {
      Map<String, Object> a = new HashMap<>();
      a.put("price", prices[i]);
      a.put("name", "item" + i);
      attrs.add(a);
      ids[i] = 100 - i; // ids descend while insertion order ascends
      v[i][0] = i;
    }
    c.add(Rows.of(v).withIds(ids).withAttributes(attrs));
    c.flush();
    return c;
  }

  @Test
  void builderChecksArgumentsWhenGivenAndCombinationsWhenRun() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = collection(db);
      Query q = c.query();
      fails("limit must be between 1 and", () -> q.limit(0));
      fails("offset must be between 0 and", () -> q.offset(-1));
      fails("has dimension 2, collection 'shop' has dimension 3", () -> q.nearest(new float[2]));
      fails(
          "query vector 1 has dimension 4",
          () -> q.nearest(new float[][] {new float[3], new float[4]}));
      fails("has NaN at position 1", () -> q.nearest(new float[] {0, Float.NaN, 0}));
      fails("has Infinity at position 2", () -> q.nearest(new float[] {0, 0, 1 / 0f}));
      fails("a batch needs 1 to", () -> q.nearest(new float[0][]));
      fails("select: unknown attribute 'colour'", () -> q.select("price", "colour"));
      fails("orderBy: unknown attribute 'nope'", () -> q.orderBy("nope"));
      fails("string_list attributes have no order", () -> q.orderBy("tags"));
      fails("cannot be combined with nearest()", () -> q.nearest(new float[3]).orderBy("price"));
      fails("cannot be combined with orderBy", () -> q.orderBy("price").nearest(new float[3]));
      fails("version must be at least 1", () -> q.atVersion(0));
      fails("threads must be at least 1", () -> q.threads(0));
      FilterException syntax = assertThrows(FilterException.class, () -> q.where("price <"));
      assertTrue(
          syntax.getMessage().startsWith("filter syntax error at column"), syntax.getMessage());
      fails("invalid filter:", () -> q.where("colour = 'red'"));
      fails("withDistances() needs nearest()", () -> q.withDistances().execute());
      fails(
          "limit + offset of a nearest() query must be at most",
          () -> q.nearest(new float[3]).limit(Query.MAX_NEAREST_WINDOW).offset(1).execute());
      // immutability: a failed or later call leaves the earlier query as it was
      Query ten = q.where("price > 1");
      ten.limit(1);
      assertEquals(10, ten.execute().limit());
      assertTrue(ten.toString().contains("where price > 1"), ten.toString());
    }
  }

  @Test
  void filterOnlyOrdersByAttributeWithNullsLastAndTiesById() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = collection(db);
      // prices by id: 100:5, 99:null, 98:2.5, 97:9, 96:2.5, 95:null, 94:-0.0, 93:0.0, 92:7, 91:1
      assertEquals(
          List.of(93L, 94L, 91L, 96L, 98L, 100L, 92L, 97L, 95L, 99L),
          ids(c.query().orderBy("price").limit(100).execute()));
      assertEquals(
          List.of(97L, 92L, 100L, 96L, 98L, 91L, 93L, 94L, 95L, 99L),
          ids(c.query().orderBy("price", Query.Order.DESC).limit(100).execute()));
      assertEquals(
          List.of(96L, 98L, 100L), ids(c.query().orderBy("price").offset(3).limit(3).execute()));
      assertEquals(List.of(91L, 92L, 93L), ids(c.query().limit(3).execute()), "unordered: by id");
      assertEquals(List.of(), ids(c.query().offset(50).execute()));
      QueryResult r = c.query().where(Filter.gt("price", 4)).select("name", "price").execute();
      assertEquals(List.of(92L, 97L, 100L), ids(r));
      assertEquals(List.of("name", "price"), List.copyOf(r.hits().get(0).attributes().keySet()));
      assertEquals(7.0, r.hits().get(0).attributes().get("price"));
      assertEquals(3, c.query().where("price > 4").count());
      assertEquals(10, c.query().count());
      assertEquals(2, c.query().where("price IS NULL").limit(1).count());
      long[][] arr = c.query().where("price > 8").limit(3).execute().ids();
      assertEquals(List.of(97L, -1L, -1L), List.of(arr[0][0], arr[0][1], arr[0][2]));
      assertThrows(IllegalStateException.class, () -> r.distances());
      assertThrows(IllegalStateException.class, () -> r.stringIds());
    }
  }

  private static List<Object> ids(QueryResult r) {
    return r.hits().stream().map(Hit::id).toList();
  }
}
