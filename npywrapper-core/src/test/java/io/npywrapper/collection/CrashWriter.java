package io.npywrapper.collection;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import java.io.PrintStream;
import java.util.Random;

/**
 * A writer process for crash tests: adds rows (and flushes, compacts or upserts, by mode) in a loop
 * and prints {@code try <first> <count>} before each write and {@code ack <first> <count>} once it
 * is acknowledged, until killed. Row {@code id}'s vector is {@code [id, id + 0.5, ...]} so a reader
 * can check its content.
 *
 * <p>Arguments: store directory, mode ({@code ingest}, {@code flush}, {@code compact}), seed.
 */
public final class CrashWriter {
  static final int DIM = 8;

  static float[] vector(long id) {
    float[] v = new float[DIM];
    for (int j = 0; j < DIM; j++) {
      v[j] = id + j * 0.5f;
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    String store = args[0];
    String mode = args[1];
    Random random = new Random(Long.parseLong(args[2]));
    PrintStream out = new PrintStream(System.out, true);
    var options =
        Database.defaultOptions()
            .withFlushRows(mode.equals("ingest") ? 5000 : 400)
            .withSegmentRows(2000);
    try (Database db = Database.open(store, options)) {
      Collection c =
          db.exists("crash")
              ? db.collection("crash")
              : db.create(CollectionSpec.of("crash", DIM, Metric.L2));
      long next = c.engine().committedSnapshot().manifest().nextId();
      next = Math.max(next, 1_000_000L * (1 + random.nextInt(1000)));
      out.println("ready");
      while (true) {
        int n = 1 + random.nextInt(100);
        float[][] v = new float[n][];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
          ids[i] = next + i;
          v[i] = vector(ids[i]);
        }
        out.println("try " + next + " " + n);
        c.add(v, ids);
        out.println("ack " + next + " " + n);
        next += n;
        if (mode.equals("compact") && random.nextInt(10) == 0) {
          new Compactor(c.engine()).compact();
          out.println("compacted");
        }
        if (mode.equals("flush") && random.nextInt(5) == 0) {
          c.flush();
        }
      }
    }
  }
}
