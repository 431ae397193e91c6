package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Seeds;
import io.npywrapper.testing.SmallHeapChild;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection about four times larger than the JVM heap, with an int8 graph index: a child JVM
 * with {@code -Xmx64m} imports about 260 MB of float32 vectors, builds the index (its 65 MB of
 * codes also exceed the heap) and searches it through the public API with exact re-ranking from the
 * memory-mapped {@code vectors.npy}, checking recall against exact queries.
 */
class LargerThanHeapIndexTest {
  private static final int ROWS = 32_000;
  private static final int DIM = 2048;
  private static final long HEAP = 64L << 20;

  @TempDir Path dir;

  @Test
  void importsIndexesAndSearchesACollectionFourTimesTheHeap() throws Exception {
    long seed = Seeds.of(2026);
    String result =
        SmallHeapChild.run(
            LargeIndexedCollectionChild.class,
            HEAP,
            600,
            dir.toString(),
            Integer.toString(ROWS),
            Integer.toString(DIM),
            Long.toString(seed));
    long maxHeap = SmallHeapChild.field(result, "maxHeap");
    long vectorBytes = SmallHeapChild.field(result, "vectorBytes");
    assertTrue(vectorBytes >= 4 * maxHeap, vectorBytes + " bytes of vectors vs heap " + maxHeap);
    long codeBytes = SmallHeapChild.field(result, "codeBytes");
    assertTrue(
        codeBytes >= (long) ROWS * DIM && codeBytes < (long) ROWS * DIM + 4096,
        "one int8 code per value plus a .npy header: " + codeBytes);
    assertTrue(codeBytes > maxHeap, "the codes alone exceed the heap");
    assertTrue(SmallHeapChild.field(result, "built") >= 1, "an index was built");
    assertEquals(
        SmallHeapChild.field(result, "built"),
        SmallHeapChild.field(result, "graphs"),
        "every index is searched");
    Matcher m = Pattern.compile("recall=([0-9.]+)").matcher(result);
    assertTrue(m.find());
    double recall = Double.parseDouble(m.group(1));
    assertTrue(recall >= 0.95, "recall@10 " + recall);
  }
}
