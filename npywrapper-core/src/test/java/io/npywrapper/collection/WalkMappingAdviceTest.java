package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Clustered;
import io.npywrapper.testing.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A graph index reads its segment's {@code vectors.npy} through a mapping of its own advised
 * MADV_RANDOM, while the segment reader's mapping (exact scans, fetches) keeps the default
 * read-ahead. Checked in the kernel's view of this process: the {@code VmFlags} of each mapping in
 * {@code /proc/self/smaps} ({@code rr} = random-read advice). Linux only.
 */
class WalkMappingAdviceTest {
  static final Path SMAPS = Path.of("/proc/self/smaps");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(IndexQuantization.class)
  void scanMappingKeepsReadAheadWalkMappingIsRandom(IndexQuantization q) throws Exception {
    assumeTrue(Files.isReadable(SMAPS), "needs /proc/self/smaps (Linux)");
    Random rnd = new Random(Seeds.of(2100 + q.ordinal()));
    IndexOptions opts = new IndexOptions(16, 64, 1_000, 1, false).withQuantization(q);
    EngineOptions o = Database.defaultOptions().withCompactionMillis(0).withIndex(opts);
    try (Database db = Database.open(dir.toString(), o);
        Collection c = db.create(CollectionSpec.of("c", 16, Metric.L2))) {
      c.add(Rows.of(Clustered.vectors(rnd, 1_500, 16, 10)));
      c.flush();
      assertEquals(1, c.buildIndexes().built());
      Snapshot snap = c.engine().snapshot();
      assertNotNull(snap.select(null).graph(0), "the index opens");
      long scan = snap.segments().get(0).vectors().data().address();
      NpyArray walk = c.engine().graphs().walkRows(snap.manifest().segments().get(0).index());
      assertNotNull(walk, "the graph holds its own mapping of vectors.npy");
      assertNotEquals(scan, walk.data().address(), "two mappings of one file");
      List<String> scanFlags = vmFlags(scan);
      List<String> walkFlags = vmFlags(walk.data().address());
      assertFalse(scanFlags.contains("rr"), "scan mapping advised random: " + scanFlags);
      assertTrue(walkFlags.contains("rr"), "walk mapping not advised random: " + walkFlags);
    }
  }

  /** The VmFlags of the mapping holding {@code address}. */
  private static List<String> vmFlags(long address) throws Exception {
    boolean inside = false;
    for (String line : Files.readAllLines(SMAPS)) {
      int dash = line.indexOf('-');
      int space = line.indexOf(' ');
      if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
        long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
        long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
        inside =
            Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
      } else if (inside && line.startsWith("VmFlags:")) {
        return List.of(line.substring("VmFlags:".length()).trim().split("\\s+"));
      }
    }
    throw new AssertionError("no mapping holds address " + Long.toHexString(address));
  }
}
