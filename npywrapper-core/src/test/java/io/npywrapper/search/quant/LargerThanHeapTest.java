package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.SmallHeapChild;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection several times larger than the JVM heap: a child JVM with {@code -Xmx32m} writes
 * about 150 MB of float32 vectors, quantizes them (37 MB of codes, also larger than the heap),
 * builds an HNSW graph over the codes and searches it with exact re-ranking from the mapped file.
 */
class LargerThanHeapTest {
  private static final int ROWS = 36_000;
  private static final int DIM = 1024;
  private static final long HEAP = 32L << 20;

  @TempDir Path dir;

  @Test
  void quantizesAndSearchesVectorsFourTimesTheHeap() throws Exception {
    long seed = 20261125;
    System.out.println("LargerThanHeapTest seed " + seed);
    String result =
        SmallHeapChild.run(
            LargerThanHeapChild.class,
            HEAP,
            300,
            dir.toString(),
            Integer.toString(ROWS),
            Integer.toString(DIM),
            Long.toString(seed));
    long maxHeap = SmallHeapChild.field(result, "maxHeap");
    long vectorBytes = SmallHeapChild.field(result, "vectorBytes");
    long codeBytes = SmallHeapChild.field(result, "codeBytes");
    assertTrue(vectorBytes >= 4 * maxHeap, vectorBytes + " bytes of vectors vs heap " + maxHeap);
    assertEquals((long) ROWS * DIM, codeBytes);
    assertTrue(codeBytes > maxHeap, "codes alone exceed the heap");
    Matcher m = Pattern.compile("recall=([0-9.]+)").matcher(result);
    assertTrue(m.find());
    double recall = Double.parseDouble(m.group(1));
    assertTrue(recall >= 0.9, "recall@10 " + recall);
  }
}
