package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.testing.Clustered;
import io.npywrapper.testing.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npyw index and npyw search --ef / --exact, end to end in-process. */
class IndexCommandTest {
  static final int N = 12_000;
  static final int DIM = 16;
  static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  @TempDir Path dir;

  private Cli npyw(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.resolve("store").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  /** The ids of each printed result line. */
  private static List<Set<Long>> ids(String out) {
    List<Set<Long>> all = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      Set<Long> s = new HashSet<>();
      Matcher m = ID.matcher(line);
      while (m.find()) {
        s.add(Long.parseLong(m.group(1)));
      }
      all.add(s);
    }
    return all;
  }

  @Test
  void indexThenSearchWithEfAndExact() throws Exception {
    Random rnd = new Random(Seeds.of(800));
    float[][] rows = Clustered.vectors(rnd, N, DIM, 20);
    NpyWriter.write(
        dir.resolve("v.npy"), Clustered.flat(rows), new long[] {N, DIM}, WriteOptions.DEFAULT);
    int nq = 20;
    float[][] q = new float[nq][];
    for (int i = 0; i < nq; i++) {
      q[i] = rows[rnd.nextInt(N)].clone();
      q[i][0] += 0.1f;
    }
    Path qf = dir.resolve("q.npy");
    NpyWriter.write(qf, Clustered.flat(q), new long[] {nq, DIM}, WriteOptions.DEFAULT);
    Cli imp = npyw("import", "docs", "--vectors", dir.resolve("v.npy").toString());
    assertEquals(0, imp.exitCode(), imp.err());

    Cli bad = npyw("index", "docs", "--m", "1");
    assertNotEquals(0, bad.exitCode());
    assertTrue(bad.err().contains("m must be between 2 and 512, got 1"), bad.err());

    Cli index = npyw("index", "docs", "--m", "12", "--ef-construction", "80");
    assertEquals(0, index.exitCode(), index.err());
    assertTrue(index.out().contains("indexed 1 segment(s) of 'docs', 12000 rows"), index.out());
    assertTrue(index.out().contains("(m=12, ef-construction=80, quantize=none)"), index.out());
    try (Stream<Path> s = Files.walk(dir.resolve("store/docs/segments"))) {
      assertEquals(1, s.filter(p -> p.toString().endsWith(".hnsw")).count());
    }
    Cli segs = npyw("segments", "docs", "--json");
    assertTrue(segs.out().contains("\"index\":\"segments/seg-"), segs.out());
    assertTrue(segs.out().contains("\"index_kind\":\"hnsw\"}"), segs.out());
    assertTrue(npyw("segments", "docs").out().contains(" hnsw "));
    Cli again = npyw("index", "docs");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("every segment of 'docs' that needs an index has one"));

    Cli exact = npyw("search", "docs", "--query", qf.toString(), "--k", "10", "--exact");
    Cli approx = npyw("search", "docs", "--query", qf.toString(), "--k", "10", "--ef", "120");
    assertEquals(0, exact.exitCode(), exact.err());
    assertEquals(0, approx.exitCode(), approx.err());
    List<Set<Long>> truth = ids(exact.out());
    assertRecall(truth, ids(approx.out()));

    Cli badQ = npyw("index", "docs", "--quantize", "pq");
    assertNotEquals(0, badQ.exitCode());
    assertTrue(badQ.err().contains("quantization must be one of none, int8; got 'pq'"), badQ.err());
    Cli int8 = npyw("index", "docs", "--quantize", "int8");
    assertEquals(0, int8.exitCode(), int8.err());
    assertTrue(int8.out().contains("indexed 1 segment(s)"), int8.out());
    assertTrue(int8.out().contains("quantize=int8)"), int8.out());
    try (Stream<Path> s = Files.walk(dir.resolve("store/docs/segments"))) {
      assertEquals(1, s.filter(p -> p.toString().endsWith(".i8.npy")).count());
    }
    Cli int8Segs = npyw("segments", "docs");
    assertEquals(0, int8Segs.exitCode(), int8Segs.err());
    assertTrue(int8Segs.out().contains(" hnsw+int8 "), int8Segs.out());
    assertTrue(
        npyw("segments", "docs", "--json").out().contains("\"index_kind\":\"hnsw+int8\"}"),
        "kind in --json");
    Cli int8Search = npyw("search", "docs", "--query", qf.toString(), "--k", "10");
    assertEquals(0, int8Search.exitCode(), int8Search.err());
    assertRecall(truth, ids(int8Search.out()));

    Cli deep = npyw("search", "docs", "--query", qf.toString(), "--k", "10", "--rerank", "100");
    assertEquals(0, deep.exitCode(), deep.err());
    assertRecall(truth, ids(deep.out()));
    Cli shallow = npyw("search", "docs", "--query", qf.toString(), "--k", "10", "--rerank", "5");
    assertNotEquals(0, shallow.exitCode());
    assertTrue(shallow.err().contains("--rerank must be at least --k (10), got 5"), shallow.err());
    Cli rerankExact = npyw("search", "docs", "--query", qf.toString(), "--rerank", "50", "--exact");
    assertNotEquals(0, rerankExact.exitCode());
    assertTrue(
        rerankExact.err().contains("--rerank and --exact are mutually exclusive"),
        rerankExact.err());

    Cli stats =
        npyw("search", "docs", "--query", qf.toString(), "--ef", "40", "--threads", "1", "--stats");
    assertEquals(0, stats.exitCode(), stats.err());
    assertTrue(stats.out().startsWith("{\"queries\":20,\"seconds\":"), stats.out());

    Cli both = npyw("search", "docs", "--query", qf.toString(), "--ef", "5", "--exact");
    assertNotEquals(0, both.exitCode());
    assertTrue(both.err().contains("--ef and --exact are mutually exclusive"), both.err());
  }

  private static void assertRecall(List<Set<Long>> truth, List<Set<Long>> got) {
    assertEquals(truth.size(), got.size());
    int hits = 0;
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(10, got.get(i).size());
      Set<Long> both = new HashSet<>(got.get(i));
      both.retainAll(truth.get(i));
      hits += both.size();
    }
    assertTrue(hits >= 0.95 * 10 * truth.size(), "recall@10 " + hits / (10.0 * truth.size()));
  }
}
