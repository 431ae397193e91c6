package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path dir;

  private Path write(String name, int rows, int dim, Random rnd) throws Exception {
    float[][] v = new float[rows][dim];
    for (float[] r : v) {
      for (int j = 0; j < dim; j++) {
        r[j] = (float) rnd.nextGaussian();
      }
    }
    Path p = dir.resolve(name);
    NpyWriter.write(p, v, WriteOptions.DEFAULT);
    return p;
  }

  @Test
  void annMeasuresRecallAndQpsAndCleansUp() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("BenchCommandTest seed " + seed);
    Random rnd = new Random(seed);
    Path train = write("train.npy", 1500, 12, rnd);
    Path queries = write("q.npy", 30, 12, rnd);
    Path work = dir.resolve("work");
    Cli r =
        Cli.run(
            "bench",
            "ann",
            "--train",
            train.toString(),
            "--queries",
            queries.toString(),
            "--k",
            "5",
            "--reps",
            "1",
            "--segments",
            "2",
            "--ef",
            "5,200",
            "--work",
            work.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    String exact = r.out().lines().filter(l -> l.contains("\"mode\":\"exact\"")).findFirst().get();
    assertTrue(exact.contains("\"recall\":1.0000"), exact);
    assertTrue(exact.contains("\"queries\":30,\"rows\":1500,\"segments\":2"), exact);
    assertEquals(3, r.out().lines().count(), r.out());
    String wide = r.out().lines().filter(l -> l.contains("\"mode\":\"ef=200\"")).findFirst().get();
    double recall = Double.parseDouble(wide.replaceAll(".*\"recall\":([0-9.]+).*", "$1"));
    assertTrue(recall >= 0.95, "ef=200 on 1,500 rows finds nearly all neighbours: " + wide);
    try (Stream<Path> s = Files.list(work)) {
      assertEquals(0, s.count(), "the scratch store is deleted");
    }

    Cli table =
        Cli.run(
            "bench",
            "ann",
            "--train",
            train.toString(),
            "--queries",
            queries.toString(),
            "--reps",
            "1",
            "--work",
            work.toString());
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains("recall@10"), table.out());
  }

  @Test
  void badInputIsReported() throws Exception {
    Random rnd = new Random(1);
    Path train = write("train.npy", 50, 4, rnd);
    Path queries = write("q.npy", 3, 5, rnd);
    Cli r =
        Cli.run(
            "bench",
            "ann",
            "--train",
            train.toString(),
            "--queries",
            queries.toString(),
            "--work",
            dir.resolve("w").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("dimension 5"), r.err());
    Cli k =
        Cli.run(
            "bench", "ann", "--train", train.toString(), "--queries", train.toString(), "--k", "0");
    assertEquals(2, k.exitCode());
    assertTrue(k.err().contains("--k must be between 1 and"), k.err());
  }
}
