package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.Checksums;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.store.FaultyBlobStore.Op;
import io.npywrapper.store.LocalBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commits against a misbehaving store ({@link FaultyBlobStore}, which is not a local directory, so
 * segment files are also read through the download cache): lost acknowledgements, clean failures,
 * outcomes that cannot be found out, failed and torn uploads. Whatever happens, every acknowledged
 * row ends up committed exactly once, nothing that might be referenced is deleted, and no manifest
 * references a missing or damaged file.
 */
class CommitFailuresTest {
  private static final String NAME = "c";
  private static final int DIM = 3;
  private static final Predicate<String> MANIFESTS = k -> k.contains("/_manifests/");

  @TempDir Path dir;
  private FaultyBlobStore faulty;

  private EngineOptions options(int flushRows) {
    return Database.defaultOptions()
        .withFlushRows(flushRows)
        .withRefreshMillis(0)
        .withWalRoot(dir.resolve("local"));
  }

  /** Opens the database over a new fault-injecting wrapper of the same directory. */
  private Database open(int flushRows) throws IOException {
    faulty = new FaultyBlobStore(LocalBlobStore.open(dir.resolve("store")));
    return Database.open(faulty, options(flushRows));
  }

  private Database open() throws IOException {
    return open(100_000);
  }

  static float[] vector(long id, int version) {
    return new float[] {id, version, id * 2 + version};
  }

  private static void add(Collection c, long from, long to) throws IOException {
    long[] ids = new long[(int) (to - from)];
    float[][] v = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = from + i;
      v[i] = vector(ids[i], 0);
    }
    c.add(v, ids);
  }

  /** A collection with rows 0..9 committed and rows 10..19 acknowledged but not flushed. */
  private Collection seeded(Database db) throws IOException {
    Collection c = db.create(CollectionSpec.of(NAME, DIM, Metric.L2));
    add(c, 0, 10);
    c.flush();
    add(c, 10, 20);
    return c;
  }

  /**
   * Checks, on the store behind the faults: every version's files exist with the size and CRC32C
   * its manifest records, and at the newest version each id has exactly one live row.
   */
  private static void assertIntact(BlobStore store) throws IOException {
    List<BlobInfo> manifests = store.list(NAME + "/_manifests/");
    assertFalse(manifests.isEmpty());
    for (BlobInfo b : manifests) {
      Manifest m = Manifest.parse(store.read(b.key()), b.key());
      for (SegmentRef s : m.segments()) {
        for (FileRef f : s.files().values()) {
          assertFile(store, m, f);
        }
        if (s.deletes() != null) {
          assertFile(store, m, s.deletes());
        }
      }
    }
  }

  private static void assertFile(BlobStore store, Manifest m, FileRef f) throws IOException {
    String key = NAME + "/" + f.key();
    assertTrue(
        store.stat(key).isPresent(), "version " + m.version() + " references missing " + key);
    byte[] data = store.read(key);
    assertEquals(f.size(), data.length, "size of " + key);
    assertEquals(f.crc32c(), (int) Checksums.crc32c(data), "CRC32C of " + key);
  }

  /** Every id with a live row in the committed segments, with how many rows it has. */
  private static Map<Object, Integer> liveRows(Collection c) throws IOException {
    Snapshot s = c.engine().committedSnapshot();
    Map<Object, Integer> out = new HashMap<>();
    for (int i = 0; i < s.segments().size(); i++) {
      SegmentReader r = s.segments().get(i);
      for (long row = 0; row < r.ref().rows(); row++) {
        if (!s.deletes().get(i).contains(row)) {
          out.merge(r.idAt(row), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  /** Rows 0..n-1 are committed, each once, with version-0 vectors except where {@code changed}. */
  private static void assertRows(Collection c, long n, Map<Long, float[]> changed)
      throws IOException {
    c.flush();
    Map<Object, Integer> live = liveRows(c);
    assertEquals(n, live.size(), "live ids: " + live.keySet());
    for (var e : live.entrySet()) {
      assertEquals(1, e.getValue(), "rows of id " + e.getKey());
    }
    assertEquals(n, c.count());
    for (long id = 0; id < n; id++) {
      float[] want = changed.getOrDefault(id, vector(id, 0));
      assertArrayEquals(want, c.get(id).orElseThrow().vector(), "row " + id);
    }
  }

  private Set<String> storeKeys() throws IOException {
    return faulty.delegate().list("").stream().map(BlobInfo::key).collect(Collectors.toSet());
  }

  @Test
  void lostAcknowledgementOfTheManifestIsRecognisedAsOurs() throws Exception {
    try (Database db = open()) {
      Collection c = seeded(db);
      int versions = c.versions().size();
      faulty.succeedThenFail(Op.PUT_IF_ABSENT, MANIFESTS);
      c.flush();
      assertEquals(1, faulty.faultsInjected());
      assertEquals(versions + 1, c.versions().size(), "exactly one new version");
      assertRows(c, 20, Map.of());
      assertEquals(versions + 1, c.versions().size());
      assertIntact(faulty.delegate());
    }
    try (Database db = open()) {
      assertRows(db.collection(NAME), 20, Map.of());
    }
  }

  @Test
  void cleanPublishFailuresAreRetried() throws Exception {
    try (Database db = open()) {
      Collection c = seeded(db);
      int versions = c.versions().size();
      long puts = faulty.calls(Op.PUT_IF_ABSENT);
      faulty.failNext(Op.PUT_IF_ABSENT, 3, MANIFESTS);
      c.flush();
      assertEquals(3, faulty.faultsInjected());
      assertEquals(puts + 4, faulty.calls(Op.PUT_IF_ABSENT));
      assertEquals(versions + 1, c.versions().size());
      assertRows(c, 20, Map.of());
      assertIntact(faulty.delegate());
    }
  }

  @Test
  void createWithALostAcknowledgementSucceeds() throws Exception {
    try (Database db = open()) {
      faulty.succeedThenFail(Op.PUT_IF_ABSENT, MANIFESTS);
      Collection c = db.create(CollectionSpec.of(NAME, DIM, Metric.L2));
      assertEquals(1, c.versions().size());
      faulty.failNext(Op.PUT_IF_ABSENT, 2, MANIFESTS);
      Collection d = db.create(CollectionSpec.of("d", DIM, Metric.L2));
      assertEquals(1, d.versions().size());
      assertThrows(
          IllegalStateException.class, () -> db.create(CollectionSpec.of("d", DIM, Metric.L2)));
    }
  }

  /** Publishes with an outcome that cannot be found out: the manifest lands or not, reads fail. */
  private CommitStateUnknownException unknownFlush(Collection c, boolean landed) {
    if (landed) {
      faulty.succeedThenFail(Op.PUT_IF_ABSENT, MANIFESTS);
    } else {
      faulty.failNext(Op.PUT_IF_ABSENT, 1, MANIFESTS);
    }
    faulty.failNext(Op.READ, FaultyBlobStore.FOREVER, MANIFESTS);
    return assertThrows(CommitStateUnknownException.class, c::flush);
  }

  @ParameterizedTest(name = "manifest landed: {0}")
  @ValueSource(booleans = {true, false})
  void unknownOutcomeIsReportedAndTheNextFlushCommitsExactlyOnce(boolean landed) throws Exception {
    try (Database db = open()) {
      Collection c = seeded(db);
      int versions = c.versions().size();
      Set<String> before = storeKeys();
      long deletes = faulty.calls(Op.DELETE);
      CommitStateUnknownException e = unknownFlush(c, landed);
      assertTrue(e.getMessage().contains("may or may not be visible"), e.getMessage());
      assertEquals(deletes, faulty.calls(Op.DELETE), "nothing is deleted on an unknown outcome");
      assertTrue(storeKeys().containsAll(before));
      assertEquals(20, c.count(), "acknowledged rows stay visible");
      faulty.clearFaults();
      c.flush();
      assertEquals(versions + 1, c.versions().size(), "the rows are committed exactly once");
      assertRows(c, 20, Map.of());
      assertIntact(faulty.delegate());
    }
    try (Database db = open()) {
      Collection c = db.collection(NAME);
      assertRows(c, 20, Map.of());
    }
  }

  @Test
  void writesAfterAnUnknownOutcomeAreCommittedOnTopOfTheLandedVersion() throws Exception {
    try (Database db = open()) {
      Collection c = seeded(db);
      int versions = c.versions().size();
      unknownFlush(c, true);
      faulty.clearFaults();
      add(c, 20, 25);
      c.upsert(Rows.of(new float[][] {vector(5, 1), vector(15, 1)}).withIds(5, 15));
      assertEquals(1, c.delete(Ids.of(3)));
      c.flush();
      List<VersionInfo> all = c.versions();
      assertEquals(versions + 2, all.size(), "the landed version and one for the later writes");
      assertEquals(24, all.getLast().rows());
      Manifest last = c.engine().committedSnapshot().manifest();
      assertEquals(7, last.segments().getLast().rows(), "the last segment holds the later writes");
      Map<Object, Integer> live = liveRows(c);
      assertFalse(live.containsKey(3L));
      live.values().forEach(n -> assertEquals(1, n));
      assertEquals(24, live.size());
      assertArrayEquals(vector(15, 1), c.get(15L).orElseThrow().vector());
      assertArrayEquals(vector(5, 1), c.get(5L).orElseThrow().vector());
      assertArrayEquals(vector(22, 0), c.get(22L).orElseThrow().vector());
      assertIntact(faulty.delegate());
    }
  }

  @ParameterizedTest(name = "manifest landed: {0}")
  @ValueSource(booleans = {true, false})
  void unknownOutcomeThenFailedCloseIsRecoveredExactlyOnceOnReopen(boolean landed)
      throws Exception {
    int versions;
    Database db = open();
    Collection c = seeded(db);
    versions = c.versions().size();
    unknownFlush(c, landed);
    faulty.failNext(Op.PUT_IF_ABSENT, FaultyBlobStore.FOREVER, MANIFESTS);
    assertThrows(IOException.class, db::close, "closing cannot flush while the store fails");
    try (Database again = open()) {
      Collection r = again.collection(NAME);
      assertEquals(versions + 1, r.versions().size(), "the rows are committed exactly once");
      assertRows(r, 20, Map.of());
      assertIntact(faulty.delegate());
    }
    try (Stream<Path> logs = Files.walk(dir.resolve("local"))) {
      assertEquals(
          List.of(), logs.filter(p -> p.toString().endsWith(".wal")).toList(), "log left over");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"failed ids.npy", "torn vectors.npy", "failed deletes"})
  void failedUploadIsAClearErrorAndNoManifestReferencesMissingFiles(String fault) throws Exception {
    try (Database db = open()) {
      Collection c = seeded(db);
      c.upsert(Rows.of(new float[][] {vector(4, 1)}).withIds(4)); // a deletion file for 4
      int versions = c.versions().size();
      String part =
          switch (fault) {
            case "failed ids.npy" -> {
              faulty.failNext(Op.PUT, 1, k -> k.endsWith("/ids.npy"));
              yield "/ids.npy";
            }
            case "torn vectors.npy" -> {
              faulty.tornPutNext(1, k -> k.endsWith("/vectors.npy"));
              yield "/vectors.npy";
            }
            default -> {
              faulty.failNext(Op.PUT, 1, k -> k.contains("/deletes/"));
              yield "/deletes/";
            }
          };
      IOException e = assertThrows(IOException.class, c::flush);
      assertTrue(e.getMessage().contains(part), e.getMessage());
      assertEquals(versions, c.versions().size(), "nothing committed");
      assertIntact(faulty.delegate());
      assertEquals(20, c.count());
      c.flush();
      assertEquals(versions + 1, c.versions().size());
      assertRows(c, 20, Map.of(4L, vector(4, 1)));
      assertIntact(faulty.delegate());
    }
    try (Database db = open()) {
      assertRows(db.collection(NAME), 20, Map.of(4L, vector(4, 1)));
    }
  }

  @Test
  void manifestFileKeyReachingOutsideTheStoreIsCorruption() throws Exception {
    long size;
    try (Database db = open()) {
      Collection c = seeded(db);
      c.flush();
      Manifest m = c.engine().committedSnapshot().manifest();
      FileRef vectors = m.segments().getFirst().files().get(SegmentWriter.VECTORS);
      size = vectors.size();
      String evil = "../../../outside.npy"; // from the download cache's c/ to the test directory
      String json =
          new String(m.toJson(), java.nio.charset.StandardCharsets.UTF_8)
              .replace(vectors.key(), evil);
      faulty
          .delegate()
          .putIfAbsent(
              NAME + "/" + Manifest.key(m.version() + 1),
              json.replace("\"version\" : " + m.version(), "\"version\" : " + (m.version() + 1))
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("outside.npy"), new byte[(int) size]); // right size, wrong content
    try (Database db = open()) {
      CorruptFileException e = assertThrows(CorruptFileException.class, () -> db.collection(NAME));
      assertTrue(e.getMessage().contains("_manifests/v00000000000000000004.json"), e.getMessage());
      assertTrue(e.getMessage().contains("../../../outside.npy"), e.getMessage());
    }
  }

  @Test
  void failingAutomaticFlushesDoNotFailAcknowledgedWrites() throws Exception {
    try (Database db = open(8)) {
      Collection c = db.create(CollectionSpec.of(NAME, DIM, Metric.L2));
      faulty.failNext(Op.PUT, FaultyBlobStore.FOREVER, k -> k.contains("/segments/"));
      for (long i = 0; i < 40; i += 4) {
        add(c, i, i + 4); // every write past 8 rows tries to flush, and that fails
      }
      assertTrue(faulty.faultsInjected() > 0);
      assertEquals(40, c.count());
      assertThrows(IOException.class, c::flush, "an explicit flush reports the failure");
      faulty.clearFaults();
      add(c, 40, 44);
      c.flush();
      assertEquals(2, c.versions().size());
      assertRows(c, 44, Map.of());
      assertIntact(faulty.delegate());
    }
  }

  @Test
  void automaticFlushWithAnUnknownOutcomeIsResolvedByALaterOne() throws Exception {
    try (Database db = open(8)) {
      Collection c = db.create(CollectionSpec.of(NAME, DIM, Metric.L2));
      add(c, 0, 4);
      faulty.succeedThenFail(Op.PUT_IF_ABSENT, MANIFESTS);
      faulty.failNext(Op.READ, FaultyBlobStore.FOREVER, MANIFESTS);
      add(c, 4, 8); // flushes: the manifest lands, the outcome stays unknown
      add(c, 8, 12);
      faulty.clearFaults();
      add(c, 12, 16); // flushes again: adopts the landed version, commits rows 8..15
      List<VersionInfo> versions = c.versions();
      assertEquals(3, versions.size(), versions.toString());
      assertEquals(8, versions.get(1).rows());
      assertRows(c, 16, Map.of());
      assertIntact(faulty.delegate());
    }
    try (Database db = open()) {
      assertRows(db.collection(NAME), 16, Map.of());
    }
  }
}
