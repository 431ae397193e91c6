package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionCommandsTest {
  @TempDir Path dir;

  private Cli npyw(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.resolve("store").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private Path vectors(String name, int rows, int dim) throws Exception {
    float[] v = new float[rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = i / (float) dim;
    }
    Path p = dir.resolve(name);
    NpyWriter.write(p, v, new long[] {rows, dim}, WriteOptions.DEFAULT);
    return p;
  }

  @Test
  void importInfoGetDeleteCompactVersions() throws Exception {
    Path v = vectors("v.npy", 1000, 4);
    Cli imp = npyw("import", "docs", "--vectors", v.toString(), "--metric", "cosine");
    assertEquals(0, imp.exitCode(), imp.err());
    assertTrue(
        imp.out().contains("created collection 'docs' (dim 4, cosine, int64 ids)"), imp.out());
    assertTrue(imp.out().contains("imported 1000 rows into 'docs'"), imp.out());
    Cli again = npyw("import", "docs", "--vectors", v.toString());
    assertTrue(again.out().contains("2000 rows in all"), again.out());

    Cli info = npyw("info", "docs");
    assertTrue(info.out().contains("rows:        2,000"), info.out());
    assertTrue(info.out().contains("metric:      cosine"), info.out());
    Cli list = npyw("info", "--json");
    assertTrue(list.out().contains("\"name\":\"docs\""), list.out());
    assertTrue(list.out().contains("\"rows\":2000"), list.out());

    Cli get = npyw("get", "docs", "2", "1002");
    assertEquals(0, get.exitCode(), get.err());
    assertTrue(get.out().contains("{\"id\":2,\"vector\":[2.0,2.25,2.5,2.75]"), get.out());
    assertEquals(2, get.out().strip().lines().count());
    Cli missing = npyw("get", "docs", "5", "99999");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("not found: id 99999"), missing.err());

    Cli del = npyw("delete", "docs", "--ids", "5", "6", "99999");
    assertTrue(del.out().contains("deleted 2 row(s) from 'docs'; 1998 rows remain"), del.out());
    Cli compact = npyw("compact", "docs", "--vacuum", "0s");
    assertEquals(0, compact.exitCode(), compact.err());
    assertTrue(compact.out().contains("1998 rows written, 2 deleted rows dropped"), compact.out());
    Cli versions = npyw("versions", "docs");
    assertTrue(versions.out().contains("compact"), versions.out());
    assertEquals(
        1998,
        Long.parseLong(
            npyw("info", "--json", "docs").out().replaceAll(".*\"rows\":(\\d+).*\\s*", "$1")));
  }

  @Test
  void badInputGivesOneClearLine() throws Exception {
    Path v = vectors("v.npy", 10, 4);
    Path w = vectors("w.npy", 10, 3);
    assertEquals(0, npyw("import", "docs", "--vectors", v.toString()).exitCode());
    Cli dim = npyw("import", "docs", "--vectors", w.toString());
    assertEquals(1, dim.exitCode());
    assertTrue(dim.err().startsWith("npyw: error: " + w + ": vectors have dimension 3"), dim.err());
    Cli unknown = npyw("info", "nope");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().startsWith("npyw: error: no collection 'nope' in "), unknown.err());
    Cli badName = npyw("import", "../x", "--vectors", v.toString());
    assertEquals(1, badName.exitCode());
    assertTrue(badName.err().contains("invalid collection name '../x'"), badName.err());
    Cli badId = npyw("get", "docs", "abc");
    assertEquals(1, badId.exitCode());
    assertTrue(badId.err().contains("id 'abc' is not an integer"), badId.err());
    Cli badMetric = npyw("import", "other", "--vectors", v.toString(), "--metric", "manhattan");
    assertTrue(badMetric.err().contains("unknown metric 'manhattan'"), badMetric.err());
    assertEquals(
        10,
        Long.parseLong(
            npyw("info", "--json", "docs").out().replaceAll(".*\"rows\":(\\d+).*\\s*", "$1")));
  }
}
