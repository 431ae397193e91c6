package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link NpyWriter#encode}: in-memory float32 images that read back as written. */
class NpyEncodeTest {
  @Test
  void oneAndTwoDimensionalImagesReadBack() throws Exception {
    float[] v = {1.5f, -2f, Float.MIN_VALUE, 3e38f, 0f, 7f};
    try (NpyArray a = NpyArray.of(NpyWriter.encode(v, 6), "vector")) {
      assertArrayEquals(new long[] {6}, a.shape());
      assertEquals(DType.FLOAT32, a.dtype());
      for (int i = 0; i < v.length; i++) {
        assertEquals(v[i], a.getFloat(i));
      }
    }
    try (NpyArray m = NpyArray.of(NpyWriter.encode(v, 2, 3), "matrix")) {
      assertArrayEquals(new long[] {2, 3}, m.shape());
      assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE}, m.readRow(0));
      assertArrayEquals(new float[] {3e38f, 0f, 7f}, m.readRow(1));
    }
  }

  @Test
  void aShapeThatDoesNotHoldTheValuesIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.encode(new float[5], 2, 3));
    assertEquals("shape [2, 3] holds 6 elements, got 5 values", e.getMessage());
  }
}
