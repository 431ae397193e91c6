package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.Rows;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The cold exact scan of an int8-indexed segment in a process that has already walked its graph
 * (the index, and with it any access advice, is open): {@code create DIR [ROWS] [DIM]} writes a
 * collection {@code c} of clustered rows with an int8 graph index (m 8, efConstruction 32: the
 * graph's quality does not matter here); {@code run DIR} opens it, runs one graph query, drops the
 * page cache ({@code /proc/sys/vm/drop_caches}, needs root) and times one exact single-thread
 * query. Only a process's first scan is cold: pages it has mapped are not dropped, so repeat by
 * starting the process again. Not thread-safe; a command-line tool.
 */
final class ColdScan {
  static final Path DROP = Path.of("/proc/sys/vm/drop_caches");

  private ColdScan() {}

  static void run(String[] args, PrintStream out) throws IOException {
    if (args.length < 2 || !(args[0].equals("create") || args[0].equals("run"))) {
      throw new IllegalArgumentException("usage: cold-scan create DIR [ROWS] [DIM] | run DIR");
    }
    Path dir = Path.of(args[1]);
    if (args[0].equals("create")) {
      int rows = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
      int dim = args.length > 3 ? Integer.parseInt(args[3]) : 512;
      create(dir, rows, dim, out);
    } else {
      measure(dir, out);
    }
  }

  private static void create(Path dir, int rows, int dim, PrintStream out) throws IOException {
    IndexOptions io =
        new IndexOptions(8, 32, 1_000, 1, false).withQuantization(IndexQuantization.INT8);
    Random rnd = new Random(7);
    float[][] centres = new float[50][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) rnd.nextGaussian();
      }
    }
    try (Database db =
            Database.open(
                dir.toString(), Database.defaultOptions().withCompactionMillis(0).withIndex(io));
        Collection c = db.create(CollectionSpec.of("c", dim, Metric.L2))) {
      for (int done = 0; done < rows; ) {
        int n = Math.min(10_000, rows - done);
        float[][] v = new float[n][dim];
        for (float[] r : v) {
          float[] ctr = centres[rnd.nextInt(centres.length)];
          for (int i = 0; i < dim; i++) {
            r[i] = ctr[i] + 0.5f * (float) rnd.nextGaussian();
          }
        }
        c.add(Rows.of(v));
        done += n;
      }
      c.flush();
      c.compact();
      out.printf(
          Locale.ROOT,
          "%d x %d, int8 index built in %.1f s%n",
          rows,
          dim,
          c.buildIndexes().seconds());
    }
  }

  private static void measure(Path dir, PrintStream out) throws IOException {
    if (!Files.isWritable(DROP)) {
      throw new IllegalArgumentException(DROP + " is not writable: cold runs need root");
    }
    try (Database db = Database.open(dir.toString(), Database.defaultOptions());
        Collection c = db.collection("c")) {
      int dim = c.spec().dim();
      float[] q = new float[dim];
      Random rnd = new Random(3);
      for (int i = 0; i < dim; i++) {
        q[i] = (float) rnd.nextGaussian();
      }
      c.query().nearest(q).limit(10).threads(1).execute(); // opens the graph index
      Files.writeString(DROP, "1");
      long t0 = System.nanoTime();
      c.query().nearest(q).limit(10).exact().threads(1).execute();
      out.printf(Locale.ROOT, "cold exact scan %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }
  }
}
