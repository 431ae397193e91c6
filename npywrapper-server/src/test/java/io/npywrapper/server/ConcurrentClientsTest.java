package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers and writers at once over HTTP: every request succeeds, every search sees a consistent
 * snapshot (k hits once enough rows exist), and every acknowledged row is there at the end.
 */
class ConcurrentClientsTest {
  private static final int WRITERS = 3;
  private static final int BATCHES = 15;
  private static final int ROWS_PER_BATCH = 20;
  private static final int READERS = 6;
  private static final int SEARCHES = 40;

  @TempDir Path dir;

  @Test
  void readersAndWritersTogether() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("ConcurrentClientsTest seed " + seed);
    try (TestServer s = new TestServer(dir);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      assertEquals(201, s.post("/v1/collections", "{\"name\":\"c\",\"dim\":4}").status());
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        tasks.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed + writer);
                  for (int b = 0; b < BATCHES; b++) {
                    StringBuilder ids = new StringBuilder();
                    StringBuilder vectors = new StringBuilder();
                    for (int i = 0; i < ROWS_PER_BATCH; i++) {
                      long id = ((long) writer * BATCHES + b) * ROWS_PER_BATCH + i;
                      ids.append(i == 0 ? "" : ",").append(id);
                      vectors
                          .append(i == 0 ? "" : ",")
                          .append(
                              String.format(
                                  java.util.Locale.ROOT,
                                  "[%f,%f,%f,%f]",
                                  rnd.nextFloat(),
                                  rnd.nextFloat(),
                                  rnd.nextFloat(),
                                  rnd.nextFloat()));
                    }
                    var r =
                        s.post(
                            "/v1/collections/c/rows",
                            "{\"ids\":[" + ids + "],\"vectors\":[" + vectors + "]}");
                    if (r.status() != 200) {
                      failures.add("write " + r.status() + " " + r.body());
                    }
                  }
                  return null;
                }));
      }
      for (int q = 0; q < READERS; q++) {
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < SEARCHES; i++) {
                    var r =
                        s.post(
                            "/v1/collections/c/search", "{\"vector\":[0.5,0.5,0.5,0.5],\"k\":5}");
                    if (r.status() != 200) {
                      failures.add("search " + r.status() + " " + r.body());
                      continue;
                    }
                    int hits = r.json().at("/results/0").size();
                    if (hits > 5) {
                      failures.add("search returned " + hits + " hits for k=5");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
      assertTrue(failures.isEmpty(), failures.toString());
      long rows = s.get("/v1/collections/c").json().get("rows").asLong();
      assertEquals((long) WRITERS * BATCHES * ROWS_PER_BATCH, rows);
      assertEquals(
          5,
          s.post("/v1/collections/c/search", "{\"vector\":[0,0,0,0],\"k\":5}")
              .json()
              .at("/results/0")
              .size());
    }
  }
}
