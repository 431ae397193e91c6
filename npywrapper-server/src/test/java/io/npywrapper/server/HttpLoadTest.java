package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Database;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.server.load.LoadData;
import io.npywrapper.server.load.LoadDriver;
import io.npywrapper.server.load.LoadKeys;
import io.npywrapper.server.load.LoadOptions;
import io.npywrapper.server.load.LoadReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load test of the server, short enough for every build: 8 query clients and 2 writer clients
 * for 8 s over loopback against a real server on an indexed 20,000-row collection, with a reader
 * key and a writer key. Every response must be a 2xx with a correct answer (k hits, filters
 * honoured, acknowledged rows readable, deleted rows gone, searches at a version repeatable). The
 * full-size run (32 + 4 clients, 60 s, 100,000 × 128) is {@code npyw-bench http-load}.
 */
class HttpLoadTest {
  private static final int ROWS = 20_000;
  private static final int DIM = 32;

  @TempDir Path dir;

  @Test
  void readersAndWritersForEightSecondsWithoutAnError() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("HttpLoadTest seed " + seed);
    // Tiny flushes, so that writers commit new versions while readers pin old ones; a small graph
    // (m 8, efConstruction 32), built once in the foreground, so that the setup stays short.
    EngineOptions options =
        Database.defaultOptions()
            .withFlushRows(20)
            .withCompactionMillis(0)
            .withIndex(
                IndexOptions.defaults().withM(8).withEfConstruction(32).withBackground(false));
    try (Database db = Database.open(dir.resolve("store").toString(), options);
        NpywServer server = NpywServer.start(db, TestServer.config())) {
      assertEquals(1, LoadData.create(db, "load", ROWS, DIM, seed, dir.resolve("scratch")).built());
      int versionsBefore = db.collection("load").versions().size();
      Duration ttl = Duration.ofHours(1);
      String admin = LoadKeys.admin(db, ttl);
      LoadOptions o =
          LoadOptions.defaults("load", DIM, ROWS)
              .withClients(8, 2)
              .withDuration(Duration.ofSeconds(8))
              .withTokens(
                  LoadKeys.reader(server.uri(), admin, ttl),
                  LoadKeys.writer(server.uri(), admin, ttl))
              .withSeed(seed);
      LoadReport r = LoadDriver.run(server.uri(), o);
      System.out.print(r.table());
      assertEquals(0, r.errors(), r.table());
      for (String op :
          List.of(
              "search",
              "search_filter",
              "query",
              "get",
              "search_version",
              "add",
              "upsert",
              "delete",
              "read_back",
              "final_check")) {
        assertTrue(
            r.op(op).map(s -> s.calls() > 0).orElse(false), op + " never ran:\n" + r.table());
      }
      assertTrue(
          db.collection("load").versions().size() > versionsBefore,
          "writers should have committed new versions during the run");
    }
  }

  @Test
  void refusalsAndWrongAnswersAreCountedAsErrors() throws Exception {
    try (Database db = Database.open(dir.resolve("store"));
        NpywServer server = NpywServer.start(db, TestServer.config())) {
      LoadData.create(db, "load", 200, 4, 7, dir.resolve("scratch"));
      Duration ttl = Duration.ofHours(1);
      String admin = LoadKeys.admin(db, ttl);
      String reader = LoadKeys.reader(server.uri(), admin, ttl);
      String writer = LoadKeys.writer(server.uri(), admin, ttl);
      // A collection of another name answers 404 to everything: every call is an error.
      LoadReport missing =
          LoadDriver.run(
              server.uri(),
              LoadOptions.defaults("nope", 4, 200)
                  .withClients(1, 1)
                  .withDuration(Duration.ofSeconds(2))
                  .withTokens(reader, writer));
      assertTrue(missing.errors() > 0, missing.table());
      assertEquals(0, missing.calls(), missing.table());
      assertTrue(missing.failures().getFirst().contains("404"), missing.table());
      // Without keys every call is refused with a 401.
      LoadReport anonymous =
          LoadDriver.run(
              server.uri(),
              LoadOptions.defaults("load", 4, 200)
                  .withClients(1, 0)
                  .withDuration(Duration.ofSeconds(1)));
      assertTrue(anonymous.errors() > 0, anonymous.table());
      assertEquals(0, anonymous.calls(), anonymous.table());
      assertTrue(anonymous.failures().getFirst().contains("401"), anonymous.table());
      // A reader's key may not write: the writer's calls are refused with a 403.
      LoadReport readOnly =
          LoadDriver.run(
              server.uri(),
              LoadOptions.defaults("load", 4, 200)
                  .withClients(0, 1)
                  .withDuration(Duration.ofSeconds(1))
                  .withTokens(null, reader));
      assertTrue(readOnly.errors() > 0, readOnly.table());
      assertTrue(readOnly.failures().getFirst().contains("403"), readOnly.table());
    }
  }
}
