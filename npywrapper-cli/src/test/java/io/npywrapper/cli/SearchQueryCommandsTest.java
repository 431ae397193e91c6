package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.NpzFile;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npyw search, query, delete --filter and import --metadata, in-process. */
class SearchQueryCommandsTest {
  @TempDir Path dir;

  private Cli npyw(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.resolve("store").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  /** 20 rows of dim 2: row i is (i, 0); attributes n = i, even = i % 2 == 0, name "r<i>". */
  private void importDocs() throws Exception {
    float[] v = new float[40];
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      v[2 * i] = i;
      jsonl.append(
          String.format(
              "{\"n\": %d, \"even\": %s, \"name\": \"r%d\"%s}%n",
              i, i % 2 == 0, i, i == 3 ? ", \"score\": 1.5" : ""));
    }
    NpyWriter.write(dir.resolve("v.npy"), v, new long[] {20, 2}, WriteOptions.DEFAULT);
    Files.writeString(dir.resolve("m.jsonl"), jsonl);
    Cli imp =
        npyw(
            "import",
            "docs",
            "--vectors",
            dir.resolve("v.npy").toString(),
            "--metadata",
            dir.resolve("m.jsonl").toString());
    assertEquals(0, imp.exitCode(), imp.err());
    assertTrue(
        imp.out().contains("attributes n:int64, even:bool, name:string, score:float64"), imp.out());
  }

  private Path queries(float[] values, long... shape) throws Exception {
    Path q = dir.resolve("q" + shape.length + ".npy");
    NpyWriter.write(q, values, shape, WriteOptions.DEFAULT);
    return q;
  }

  @Test
  void searchPrintsJsonLinesAndWritesNpzThatNumpyReads() throws Exception {
    importDocs();
    Path q = queries(new float[] {4.2f, 0, 100, 0, -3, 0}, 3, 2);
    Cli json = npyw("search", "docs", "--query", q.toString(), "--k", "2");
    assertEquals(0, json.exitCode(), json.err());
    String[] lines = json.out().strip().split("\n");
    assertEquals(3, lines.length);
    assertTrue(
        lines[0].startsWith("{\"query\":0,\"results\":[{\"id\":4,\"distance\":0.03999"), lines[0]);
    assertTrue(
        lines[2].contains("{\"id\":0,\"distance\":9.0},{\"id\":1,\"distance\":16.0}"), lines[2]);

    Path out = dir.resolve("res.npz");
    Cli npz =
        npyw(
            "search",
            "docs",
            "--query",
            q.toString(),
            "--k",
            "4",
            "--filter",
            "n >= 17",
            "--exact",
            "--threads",
            "2",
            "--out",
            out.toString());
    assertEquals(0, npz.exitCode(), npz.err());
    assertEquals("", npz.out());
    for (String py : Numpy.pythons()) {
      String r =
          Numpy.run(
              py,
              "import numpy as np\n"
                  + "z = np.load('"
                  + out
                  + "')\n"
                  + "print(z['ids'].dtype, z['ids'].shape, z['distances'].dtype, z['distances'].shape)\n"
                  + "print(z['ids'].tolist())\n"
                  + "print(z['distances'][0].tolist())\n",
              null);
      String[] l = r.strip().split("\n");
      assertEquals("int64 (3, 4) float32 (3, 4)", l[0]);
      assertEquals("[[17, 18, 19, -1], [19, 18, 17, -1], [17, 18, 19, -1]]", l[1]);
      assertTrue(l[2].endsWith(", inf]"), l[2]);
    }
    Cli again = npyw("search", "docs", "--query", q.toString(), "--out", out.toString());
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("file exists"), again.err());
    assertEquals(
        0,
        npyw("search", "docs", "--query", q.toString(), "--out", out.toString(), "--force")
            .exitCode());
  }

  @Test
  void statsPrintsOneJsonLineAndOneDimensionalQueriesWork() throws Exception {
    importDocs();
    Path q = queries(new float[] {1, 0}, 2);
    Cli s = npyw("search", "docs", "--query", q.toString(), "--stats", "--ef", "50");
    assertEquals(0, s.exitCode(), s.err());
    assertTrue(
        s.out().matches("\\{\"queries\":1,\"seconds\":[0-9.]+,\"qps\":[0-9.]+\\}\\n"), s.out());
    Cli both = npyw("search", "docs", "--query", q.toString(), "--ef", "5", "--exact");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("--ef and --exact are mutually exclusive"), both.err());
  }

  @Test
  void statsCountsEveryQueryAfterWarmUpAndStillWritesAllResults() throws Exception {
    importDocs();
    int n = SearchCommand.WARMUP_QUERIES + 6; // more queries than one warm-up pass searches
    float[] v = new float[2 * n];
    for (int i = 0; i < n; i++) {
      v[2 * i] = i % 20;
    }
    Path q = queries(v, n, 2);
    Path out = dir.resolve("stats.npz");
    Cli s =
        npyw(
            "search",
            "docs",
            "--query",
            q.toString(),
            "--k",
            "1",
            "--exact",
            "--stats",
            "--out",
            out.toString());
    assertEquals(0, s.exitCode(), s.err());
    assertTrue(
        s.out().matches("\\{\"queries\":" + n + ",\"seconds\":[0-9.]+,\"qps\":[0-9.]+\\}\\n"),
        s.out());
    try (NpzFile z = NpzFile.open(out)) {
      NpyArray ids = z.get("ids");
      assertArrayEquals(new long[] {n, 1}, ids.shape());
      for (int i = 0; i < n; i++) {
        assertEquals(i % 20, ids.getLong(i, 0), "query " + i);
      }
    }
  }

  @Test
  void queryOrdersAndSelectsAndDeleteByFilter() throws Exception {
    importDocs();
    Cli table =
        npyw(
            "query",
            "docs",
            "--filter",
            "even AND n > 10",
            "--select",
            "n,name",
            "--order-by",
            "n:desc",
            "--limit",
            "3");
    assertEquals(0, table.exitCode(), table.err());
    assertEquals("id\tn\tname\n18\t18\tr18\n16\t16\tr16\n14\t14\tr14\n", table.out());
    Cli json = npyw("query", "docs", "--filter", "n < 5", "--order-by", "score", "--json");
    assertEquals(0, json.exitCode(), json.err());
    String[] lines = json.out().strip().split("\n");
    assertEquals(5, lines.length);
    assertEquals(
        "{\"id\":3,\"attributes\":{\"n\":3,\"even\":false,\"name\":\"r3\",\"score\":1.5}}",
        lines[0]);
    assertTrue(lines[1].startsWith("{\"id\":0,"), "nulls last, then by id: " + lines[1]);

    Cli del = npyw("delete", "docs", "--filter", "n >= 15 OR name = 'r2'");
    assertEquals(0, del.exitCode(), del.err());
    assertTrue(del.out().contains("deleted 6 row(s) from 'docs'; 14 rows remain"), del.out());
    Cli none = npyw("delete", "docs");
    assertEquals(2, none.exitCode());
    Cli two = npyw("delete", "docs", "--ids", "1", "--filter", "n = 1");
    assertEquals(2, two.exitCode());
    assertTrue(two.err().contains("mutually exclusive"), two.err());
  }

  @Test
  void badInputExitsOneWithOneLineAndWritesNothing() throws Exception {
    importDocs();
    Path q = queries(new float[] {1, 0, 0}, 1, 3);
    Path out = dir.resolve("bad.npz");
    Cli dim = npyw("search", "docs", "--query", q.toString(), "--out", out.toString());
    assertEquals(1, dim.exitCode());
    assertEquals(
        "npyw: error: " + q + ": queries have dimension 3, collection 'docs' has dimension 2\n",
        dim.err());
    assertFalse(Files.exists(out));
    Path q2 = queries(new float[] {1, 0}, 2);
    Cli syntax =
        npyw(
            "search", "docs", "--query", q2.toString(), "--filter", "n >", "--out", out.toString());
    assertEquals(1, syntax.exitCode());
    assertTrue(syntax.err().startsWith("npyw: error: filter syntax error at column"), syntax.err());
    assertEquals(1, syntax.err().strip().lines().count());
    assertFalse(Files.exists(out));
    Cli unknown = npyw("query", "docs", "--filter", "colour = 'red'");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().startsWith("npyw: error: invalid filter:"), unknown.err());
    Cli sel = npyw("query", "docs", "--filter", "n > 1", "--select", "nope");
    assertEquals(1, sel.exitCode());
    assertTrue(sel.err().contains("unknown attribute 'nope'"), sel.err());

    // metadata with the wrong row count: nothing created, nothing written
    NpyWriter.write(dir.resolve("w.npy"), new float[6], new long[] {3, 2}, WriteOptions.DEFAULT);
    Files.writeString(dir.resolve("two.csv"), "n,name\n1,a\n2,\"b,c\"\n");
    Cli count =
        npyw(
            "import",
            "fresh",
            "--vectors",
            dir.resolve("w.npy").toString(),
            "--metadata",
            dir.resolve("two.csv").toString());
    assertEquals(1, count.exitCode());
    assertTrue(count.err().contains("two.csv: has 2 rows for 3 vectors"), count.err());
    assertFalse(Files.exists(dir.resolve("store").resolve("fresh")));
    Files.writeString(dir.resolve("bad.jsonl"), "{\"n\": 1}\n{\"n\": \"x\"}\n{\"n\": 3}\n");
    Cli type =
        npyw(
            "import",
            "docs",
            "--vectors",
            dir.resolve("w.npy").toString(),
            "--metadata",
            dir.resolve("bad.jsonl").toString());
    assertEquals(1, type.exitCode());
    assertTrue(type.err().contains("bad.jsonl: line 2: attribute 'n': expected int64"), type.err());
    assertTrue(npyw("info", "--json", "docs").out().contains("\"rows\":20"));
  }

  @Test
  void csvMetadataWithDeclaredTimestampAndStringIds() throws Exception {
    NpyWriter.write(
        dir.resolve("w.npy"),
        new float[] {0, 0, 1, 1, 5, 5},
        new long[] {3, 2},
        WriteOptions.DEFAULT);
    NpyWriter.writeStrings(
        dir.resolve("ids.npy"), new String[] {"a", "bé", "c"}, WriteOptions.DEFAULT);
    Files.writeString(
        dir.resolve("m.csv"),
        "at,tags,price\r\n2024-01-01,\"[\"\"x\"\"]\",1\r\n,[],2.5\r\n2024-06-01T10:00:00Z,,\r\n");
    Cli imp =
        npyw(
            "import",
            "s",
            "--vectors",
            dir.resolve("w.npy").toString(),
            "--ids",
            dir.resolve("ids.npy").toString(),
            "--metadata",
            dir.resolve("m.csv").toString(),
            "--schema",
            "at:timestamp");
    assertEquals(0, imp.exitCode(), imp.err());
    assertTrue(
        imp.out().contains("attributes at:timestamp, tags:string_list, price:float64"), imp.out());
    Cli q = npyw("query", "s", "--filter", "at > '2024-03-01' OR contains(tags, 'x')", "--json");
    assertEquals(
        "{\"id\":\"a\",\"attributes\":{\"at\":\"2024-01-01T00:00:00Z\",\"tags\":[\"x\"],\"price\":1.0}}\n"
            + "{\"id\":\"c\",\"attributes\":{\"at\":\"2024-06-01T10:00:00Z\",\"tags\":null,\"price\":null}}\n",
        q.out());
    Path out = dir.resolve("s.npz");
    Path qf = dir.resolve("q.npy");
    NpyWriter.write(qf, new float[] {1, 1}, new long[] {1, 2}, WriteOptions.DEFAULT);
    Cli s = npyw("search", "s", "--query", qf.toString(), "--k", "5", "--out", out.toString());
    assertEquals(0, s.exitCode(), s.err());
    for (String py : Numpy.pythons()) {
      String r =
          Numpy.run(
              py,
              "import numpy as np\nz = np.load('"
                  + out
                  + "')\n"
                  + "print(z['ids'].dtype, z['ids'].shape, z['ids'].tolist())\n",
              null);
      assertEquals("<U2 (1, 5) [['bé', 'a', 'c', '', '']]", r.strip());
    }
  }
}
