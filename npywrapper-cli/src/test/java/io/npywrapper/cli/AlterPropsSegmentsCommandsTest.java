package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code npyw alter}, {@code props}, {@code segments} and {@code info --where}. */
class AlterPropsSegmentsCommandsTest {
  @TempDir Path dir;

  private Cli npyw(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.resolve("store").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private Path vectors(String name, int rows) throws Exception {
    float[] v = new float[rows * 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Path p = dir.resolve(name);
    NpyWriter.write(p, v, new long[] {rows, 2}, WriteOptions.DEFAULT);
    return p;
  }

  private long manifests(String coll) throws Exception {
    try (var s = Files.list(dir.resolve("store").resolve(coll).resolve("_manifests"))) {
      return s.count();
    }
  }

  @Test
  void alterAddsAttributesAndRejectsClashesAndBadNames() throws Exception {
    Path v = vectors("v.npy", 10);
    assertEquals(0, npyw("import", "docs", "--vectors", v.toString()).exitCode());
    Cli alter = npyw("alter", "docs", "--add", "price:float64,color:string");
    assertEquals(0, alter.exitCode(), alter.err());
    assertTrue(alter.out().contains("price=FLOAT64") || alter.out().contains("price"), alter.out());
    Cli info = npyw("info", "docs");
    assertTrue(info.out().contains("price") && info.out().contains("color"), info.out());
    Cli q = npyw("query", "docs", "--filter", "price IS NULL", "--limit", "100");
    assertEquals(0, q.exitCode(), q.err());
    long before = manifests("docs");
    Cli clash = npyw("alter", "docs", "--add", "price:int64");
    assertEquals(1, clash.exitCode());
    assertTrue(clash.err().contains("'price' already exists as float64"), clash.err());
    Cli bad = npyw("alter", "docs", "--add", "9x:int64");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().contains("invalid attribute name '9x'"), bad.err());
    Cli noType = npyw("alter", "docs", "--add", "size");
    assertEquals(1, noType.exitCode());
    assertTrue(noType.err().contains("expected NAME:TYPE"), noType.err());
    Cli badType = npyw("alter", "docs", "--add", "size:decimal");
    assertEquals(1, badType.exitCode());
    assertEquals(before, manifests("docs"));
  }

  @Test
  void propsInfoWhereAndSegments() throws Exception {
    Path v = vectors("first.npy", 5);
    Path w = vectors("second.npy", 5);
    assertEquals(0, npyw("import", "a", "--vectors", v.toString()).exitCode());
    Cli imp = npyw("import", "a", "--vectors", w.toString(), "--segment-property", "batch=2");
    assertEquals(0, imp.exitCode(), imp.err());
    assertEquals(0, npyw("import", "b", "--vectors", v.toString()).exitCode());

    Cli set = npyw("props", "a", "--set", "team=search", "--set", "owner=ann");
    assertEquals(0, set.exitCode(), set.err());
    assertEquals("owner=ann\nteam=search\n", set.out().replace("\r", ""));
    assertEquals(0, npyw("props", "b", "--set", "team=ads").exitCode());
    Cli removed = npyw("props", "a", "--remove", "owner");
    assertEquals("team=search\n", removed.out().replace("\r", ""));
    assertEquals("team=search\n", npyw("props", "a").out().replace("\r", ""));

    Cli where = npyw("info", "--where", "team = 'search'");
    assertEquals(0, where.exitCode(), where.err());
    assertTrue(where.out().contains(": 1 collection(s)"), where.out());
    assertTrue(where.out().lines().anyMatch(l -> l.strip().startsWith("a ")), where.out());
    assertTrue(!where.out().contains("  b "), where.out());
    Cli json = npyw("info", "--json", "--where", "team IS NOT NULL");
    assertEquals(2, json.out().strip().lines().count(), json.out());
    assertTrue(json.out().contains("\"properties\":{\"team\":\"ads\"}"), json.out());
    Cli malformed = npyw("info", "--where", "team = ");
    assertEquals(1, malformed.exitCode());
    assertTrue(malformed.err().contains("column"), malformed.err());

    Cli segs = npyw("segments", "a");
    assertEquals(0, segs.exitCode(), segs.err());
    assertTrue(segs.out().contains("2 segment(s)"), segs.out());
    assertTrue(segs.out().contains("source=first.npy"), segs.out());
    Cli second =
        npyw("segments", "a", "--where", "source = 'second.npy' AND batch = '2'", "--json");
    assertEquals(1, second.out().strip().lines().count(), second.out());
    assertTrue(second.out().contains("\"imported_at\":\""), second.out());
    String id = second.out().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    Cli segSet = npyw("props", "a", "--segment", id, "--set", "checked=yes", "--remove", "batch");
    assertEquals(0, segSet.exitCode(), segSet.err());
    assertTrue(
        segSet.out().contains("checked=yes") && !segSet.out().contains("batch"), segSet.out());
    assertEquals(
        1,
        npyw("segments", "a", "--where", "checked = 'yes'", "--json")
            .out()
            .strip()
            .lines()
            .count());
    long before = manifests("a");
    Cli badKey = npyw("props", "a", "--set", "bad-key=1");
    assertEquals(1, badKey.exitCode());
    assertTrue(badKey.err().contains("invalid property key 'bad-key'"), badKey.err());
    Cli noEq = npyw("props", "a", "--set", "novalue");
    assertEquals(1, noEq.exitCode());
    assertTrue(noEq.err().contains("expected KEY=VALUE"), noEq.err());
    Cli noSeg = npyw("props", "a", "--segment", "seg-nope", "--set", "k=v");
    assertEquals(1, noSeg.exitCode());
    assertTrue(noSeg.err().contains("no segment 'seg-nope'"), noSeg.err());
    Cli badFilter = npyw("segments", "a", "--where", "source > 5");
    assertEquals(1, badFilter.exitCode());
    assertEquals(before, manifests("a"));
  }
}
