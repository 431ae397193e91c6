package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old security state versions are pruned to the newest {@link StateStore#KEEP_VERSIONS} without
 * losing a change: readers whose version was pruned find the newest, writers that stall while their
 * base is pruned retry on the newest or (stalled inside the publish) remove their stale copy and
 * report an unknown outcome, and concurrent writers lose no update.
 */
class SecurityPruningTest {
  private static final Principal OWNER = Principal.owner("test");
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path dir;
  private BlobStore store;

  @BeforeEach
  void open() throws Exception {
    store = BlobStores.open(dir.toString());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static User user(String name) {
    return new User(name, List.of("reader"), T0, false);
  }

  private List<Long> versions() throws IOException {
    return StateStore.open(store, Clock.systemUTC(), Duration.ofHours(1)).versions();
  }

  @Test
  void manyChangesKeepTheNewestVersionsAndEveryChange() throws Exception {
    int users = StateStore.KEEP_VERSIONS / 2 + 10; // a user and a key each: 120 versions
    List<String> tokens = new ArrayList<>();
    try (Security empty = Security.open(store);
        Security sec = Security.open(store)) {
      sec.createUser(OWNER, "u-0", List.of("reader"));
      try (Security early = Security.open(store)) { // at version 1, soon pruned
        tokens.add(sec.createKey(OWNER, "u-0", Optional.empty()).token());
        for (int i = 1; i < users; i++) {
          sec.createUser(OWNER, "u-" + i, List.of("reader"));
          tokens.add(sec.createKey(OWNER, "u-" + i, Optional.empty()).token());
        }
        long newest = 2L * users;
        assertEquals(
            LongStream.rangeClosed(newest - StateStore.KEEP_VERSIONS + 1, newest).boxed().toList(),
            versions());
        for (Security reader : List.of(empty, early)) {
          assertEquals(users, reader.users(OWNER).size(), "a reader whose version was pruned");
          assertEquals("u-0", reader.authenticate(tokens.getFirst()).user());
        }
      }
    }
    try (Security reopened = Security.open(store)) {
      assertEquals(users, reopened.users(OWNER).size());
      assertEquals(users, reopened.keys(OWNER, Optional.empty()).size());
      for (int i = 0; i < users; i++) {
        assertEquals("u-" + i, reopened.authenticate(tokens.get(i)).user());
      }
    }
  }

  @Test
  void aWriterWhoseBaseIsPrunedWhileItAppliesRetriesOnTheNewest() throws Exception {
    StateStore a = StateStore.open(store, Clock.systemUTC(), Duration.ofHours(1), 3);
    StateStore b = StateStore.open(store, Clock.systemUTC(), Duration.ofHours(1), 3);
    b.commit("b", "user.create b-0", Changes.createUser(user("b-0")));
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger applied = new AtomicInteger();
    StateStore.Change slow =
        (base, next) -> {
          if (applied.incrementAndGet() == 1) {
            applying.countDown();
            await(release);
          }
          Changes.createUser(user("a")).apply(base, next);
        };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SecurityState> done = pool.submit(() -> a.commit("a", "user.create a", slow));
      assertTrue(applying.await(30, TimeUnit.SECONDS));
      for (int i = 1; i <= 6; i++) {
        b.commit("b", "user.create b-" + i, Changes.createUser(user("b-" + i)));
      }
      assertEquals(List.of(5L, 6L, 7L), versions(), "a's base, version 1, is gone");
      release.countDown();
      SecurityState after = done.get(30, TimeUnit.SECONDS);
      assertEquals(2, applied.get(), "applied again on the newest version");
      assertEquals(8, after.version);
      assertEquals(8, after.users.size());
      assertEquals(List.of(6L, 7L, 8L), versions());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aWriterStalledInsideItsPublishRemovesItsStaleCopyAndReportsAnUnknownOutcome()
      throws Exception {
    CountDownLatch putting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlobStore gated = gateBefore(store, StateStore.key(2), putting, release);
    StateStore a = StateStore.open(gated, Clock.systemUTC(), Duration.ofHours(1), 3);
    StateStore b = StateStore.open(store, Clock.systemUTC(), Duration.ofHours(1), 3);
    b.commit("b", "user.create b-0", Changes.createUser(user("b-0")));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SecurityState> done =
          pool.submit(() -> a.commit("a", "user.create a", Changes.createUser(user("a"))));
      assertTrue(putting.await(30, TimeUnit.SECONDS));
      for (int i = 1; i <= 6; i++) {
        b.commit("b", "user.create b-" + i, Changes.createUser(user("b-" + i)));
      }
      assertEquals(
          List.of(5L, 6L, 7L), versions(), "a's slot, version 2, was published and pruned");
      release.countDown();
      Exception e = assertThrows(Exception.class, done::get);
      assertTrue(e.getCause() instanceof IOException, e.toString());
      assertTrue(e.getCause().getMessage().contains("may or may not be visible"), e.toString());
      assertEquals(List.of(5L, 6L, 7L), versions(), "the stale copy was removed");
      SecurityState newest = StateStore.open(store, Clock.systemUTC(), Duration.ZERO).current();
      assertEquals(7, newest.version);
      assertFalse(newest.users.containsKey("a"));
      assertEquals(7, a.refresh().version, "the stalled writer sees the newest state");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritersWhilePruningLoseNoUpdate() throws Exception {
    int threads = 4;
    int each = 20;
    int keep = 20; // small enough to prune 60 of 80 versions while writers race
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Security> instances = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        Security sec = Security.open(store, Clock.systemUTC(), keep);
        instances.add(sec);
        int id = t;
        done.add(
            pool.submit(
                () -> {
                  await(go);
                  for (int i = 0; i < each; i++) {
                    sec.createUser(OWNER, "t" + id + "-" + i, List.of("reader"));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      long total = (long) threads * each;
      assertEquals(LongStream.rangeClosed(total - keep + 1, total).boxed().toList(), versions());
      for (Security sec : instances) {
        assertEquals(total, sec.users(OWNER).size());
      }
    } finally {
      pool.shutdownNow();
      for (Security sec : instances) {
        sec.close();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting for the test");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code delegate}, but a put-if-absent of {@code key} signals and waits for a release first. */
  private static BlobStore gateBefore(
      BlobStore delegate, String key, CountDownLatch reached, CountDownLatch release) {
    return (BlobStore)
        Proxy.newProxyInstance(
            BlobStore.class.getClassLoader(),
            new Class<?>[] {BlobStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("putIfAbsent") && key.equals(args[0])) {
                reached.countDown();
                await(release);
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
