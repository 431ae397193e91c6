package io.npywrapper.collection;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A writer process for {@link TwoWriterProcessesTest}. Opens collection {@code shared}, prints
 * {@code ready <writer id>}, waits for {@code go} on stdin, then repeats rounds of: add a batch of
 * new ids from its own range, upsert every shared id, flush. It stops after the given number of
 * rounds once one of its own commits was built on a commit of the other writer (so that the two
 * writers' commits interleave), then prints {@code done <writer id> <next id> <last round>} and
 * closes. Row {@code id} added has vector {@code vector(id, 0)}; shared id {@code k} upserted in
 * round {@code r} by writer {@code w} has {@code vector(k, tag(w, r))}.
 *
 * <p>Arguments: store directory, writer number (0 or 1), rounds, shared ids.
 */
public final class SharedWriter {
  static final int DIM = 3;
  static final long RANGE = 1_000_000;
  private static final long DEADLINE_MS = 60_000;

  private SharedWriter() {}

  static float[] vector(long id, int tag) {
    return new float[] {id, tag, id + 0.5f * tag};
  }

  static int tag(int writer, int round) {
    return 1 + writer * 10_000 + round;
  }

  static long firstId(int writer) {
    return RANGE * (writer + 1);
  }

  public static void main(String[] args) throws Exception {
    String store = args[0];
    int writer = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int shared = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Random rnd = new Random(writer);
    try (Database db =
        Database.open(
            store, Database.defaultOptions().withRefreshMillis(0).withCompactionMillis(0))) {
      Collection c = db.collection("shared");
      String me = c.engine().writerId();
      out.println("ready " + me);
      if (!"go".equals(in.readLine())) {
        throw new IllegalStateException("expected go");
      }
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      long next = firstId(writer);
      int round = 0;
      while (true) {
        int n = 1 + rnd.nextInt(30);
        long[] ids = new long[n];
        float[][] v = new float[n][];
        for (int i = 0; i < n; i++) {
          ids[i] = next + i;
          v[i] = vector(ids[i], 0);
        }
        c.add(v, ids);
        next += n;
        long[] sharedIds = new long[shared];
        float[][] sv = new float[shared][];
        for (int k = 0; k < shared; k++) {
          sharedIds[k] = k;
          sv[k] = vector(k, tag(writer, round));
        }
        c.upsert(Rows.of(sv).withIds(sharedIds));
        c.flush();
        boolean builtOnOther =
            c.engine().committedSnapshot().manifest().walApplied().keySet().stream()
                .anyMatch(w -> !w.equals(me));
        if (round + 1 >= rounds && builtOnOther) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the other writer never committed");
        }
        round++;
      }
      out.println("done " + me + " " + next + " " + round);
    }
  }
}
