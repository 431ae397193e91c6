package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.npywrapper.testing.Seeds;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of the codec with seeded random inputs (see {@link Seeds}): random dtype, shape,
 * memory order and version round-trip through the writers and the reader; streamed rows give the
 * same file as one write; an unfinished stream leaves nothing behind; casts round once.
 */
class NpyPropertyTest {
  private static final WriteOptions NO_SYNC = WriteOptions.DEFAULT.withoutSync();

  @TempDir Path dir;

  /** A shape of up to {@code maxRank} axes of 1 to {@code maxDim}, or 0 one time in eight. */
  static long[] randomShape(Random rnd, int maxRank, int maxDim) {
    long[] s = new long[rnd.nextInt(maxRank + 1)];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(maxDim);
    }
    return s;
  }

  @RepeatedTest(200)
  void writeThenReadGivesTheSameArray(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          DType t = ArrayFixtures.randomDType(rnd);
          long[] shape = randomShape(rnd, 4, 5);
          boolean fortran = rnd.nextBoolean();
          NpyHeader h = NpyHeader.of(t, fortran, shape).withVersion(1 + rnd.nextInt(3));
          Object[] values = new Object[(int) ArrayFixtures.count(shape)];
          for (int i = 0; i < values.length; i++) {
            values[i] = randomValue(t, rnd);
          }
          byte[] data = ArrayFixtures.layout(h, values);
          Path file = dir.resolve("a.npy");
          try (Arena arena = Arena.ofConfined()) {
            NpyWriter.write(file, h, segmentOf(data, rnd, arena), NO_SYNC);
          }
          assertEquals(h, NpyHeader.parse(ByteBuffer.wrap(h.encode()), h.fileSize(), "encoded"));
          assertEquals(h.fileSize(), Files.size(file), "file size");
          try (NpyArray a = NpyArray.open(file)) {
            String ctx = h.toString();
            assertEquals(h, a.header(), "header");
            assertEquals(-1, a.data().mismatch(MemorySegment.ofArray(data)), ctx + " data bytes");
            float[] rows = new float[values.length];
            for (int i = 0; i < values.length; i++) {
              long[] idx = ArrayFixtures.unravel(i, shape);
              ArrayFixtures.assertElement(a, idx, values[i], ctx);
              long pos = ArrayFixtures.storageIndex(idx, shape, fortran);
              assertEquals(pos * t.itemSize(), a.byteOffset(idx), ctx + " byteOffset");
              if (t.isReal()) {
                rows[i] = ArrayFixtures.expectedFloat(t, values[i]);
              }
            }
            if (t.isReal()) {
              ArrayFixtures.assertRows(a, rows, ctx);
            }
            if (!fortran && shape.length > 0) {
              long rowBytes = a.rowLength() * t.itemSize();
              for (long r = 0; r < a.rows(); r++) {
                assertEquals(-1, a.row(r).mismatch(a.data().asSlice(r * rowBytes, rowBytes)));
              }
            }
          }
          Files.delete(file);
        });
  }

  /** Random values, with 64-bit integers often close to a rounding tie of float or double. */
  private static Object randomValue(DType t, Random rnd) {
    if ((t.kind() == DType.Kind.INT || t.kind() == DType.Kind.UINT)
        && t.itemSize() == 8
        && rnd.nextBoolean()) {
      int tieBit = rnd.nextBoolean() ? 10 : 39; // half an ulp of double / float at 2^63
      return (rnd.nextLong() & -(1L << (tieBit + 1))) | (1L << tieBit) | rnd.nextInt(2);
    }
    return ArrayFixtures.randomValue(t, rnd);
  }

  /** The bytes as a byte[] segment, a native segment, or a long[] segment (another copy path). */
  private static MemorySegment segmentOf(byte[] data, Random rnd, Arena arena) {
    switch (rnd.nextInt(3)) {
      case 0 -> {
        return MemorySegment.ofArray(data);
      }
      case 1 -> {
        return arena.allocate(data.length).copyFrom(MemorySegment.ofArray(data));
      }
      default -> {
        if (data.length % 8 != 0) {
          return MemorySegment.ofArray(data);
        }
        long[] longs = new long[data.length / 8];
        MemorySegment seg = MemorySegment.ofArray(longs);
        seg.copyFrom(MemorySegment.ofArray(data));
        return seg;
      }
    }
  }

  @RepeatedTest(150)
  void streamedRowsGiveTheSameFileAsOneWrite(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          DType t = ArrayFixtures.randomDType(rnd);
          long[] rowShape = randomShape(rnd, 3, 4);
          long rowBytes = ArrayFixtures.count(rowShape) * t.itemSize();
          int rows = rnd.nextInt(30);
          byte[] data = new byte[(int) (rows * rowBytes)];
          rnd.nextBytes(data);
          long[] shape = prepend(rows, rowShape);
          NpyHeader h = NpyHeader.of(t, false, shape);
          Path whole = dir.resolve("whole.npy");
          NpyWriter.write(whole, h, MemorySegment.ofArray(data), NO_SYNC);

          Path streamed = dir.resolve("streamed.npy");
          MemorySegment all = MemorySegment.ofArray(data);
          try (NpyStreamWriter w = NpyStreamWriter.create(streamed, t, rowShape, NO_SYNC);
              Arena arena = Arena.ofConfined()) {
            int r = 0;
            while (r < rows) {
              int k = Math.min(rows - r, rnd.nextInt(6));
              appendSome(w, t, all, r, k, rowBytes, rnd, arena);
              r += k;
              assertEquals(r, w.rows(), "rows so far");
            }
            assertEquals(h, w.finish(), "finished header");
          }
          assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed), h.toString());

          Path copied = dir.resolve("copied.npy");
          try (NpyArray src = NpyArray.open(whole);
              NpyStreamWriter w = NpyStreamWriter.create(copied, t, rowShape, NO_SYNC)) {
            for (long r = 0; r < rows; r++) {
              w.appendRow(src, r);
            }
            assertEquals(h, w.finish(), "header of rows copied from an array");
          }
          assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(copied), h.toString());
          assertEquals(
              List.of("copied.npy", "streamed.npy", "whole.npy"), list(dir), "files in the dir");
          for (Path p : List.of(whole, streamed, copied)) {
            Files.delete(p);
          }
        });
  }

  /** Appends rows {@code r .. r+k-1} of {@code all} by one of the writer's append paths. */
  private static void appendSome(
      NpyStreamWriter w,
      DType t,
      MemorySegment all,
      int r,
      int k,
      long rowBytes,
      Random rnd,
      Arena arena)
      throws IOException {
    MemorySegment rows = all.asSlice(r * rowBytes, k * rowBytes);
    if (rowBytes == 0) {
      for (int i = 0; i < k; i++) {
        w.appendRow(new long[0]);
      }
      return;
    }
    int n = (int) (rowBytes / t.itemSize());
    boolean little = t.order() == ByteOrder.LITTLE_ENDIAN;
    switch (rnd.nextInt(4)) {
      case 0 -> w.append(rows);
      case 1 -> w.append(arena.allocate(rows.byteSize()).copyFrom(rows));
      default -> {
        // typed rows where the type round-trips every bit pattern; bytes otherwise
        for (int i = 0; i < k; i++) {
          MemorySegment row = rows.asSlice(i * rowBytes, rowBytes);
          if (t.equals(DType.INT64) && little) {
            w.appendRow(row.toArray(ValueLayout.JAVA_LONG_UNALIGNED));
          } else if (t.equals(DType.FLOAT64) && !hasNaN(row, n)) {
            w.appendRow(row.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED));
          } else if (t.equals(DType.FLOAT32) && !hasNaN(row, n)) {
            w.appendRow(row.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
          } else {
            w.append(row);
          }
        }
      }
    }
  }

  private static boolean hasNaN(MemorySegment row, int n) {
    int size = (int) (row.byteSize() / n);
    for (int i = 0; i < n; i++) {
      double v =
          size == 4
              ? row.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i)
              : row.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8L * i);
      if (Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  private static long[] prepend(long first, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  private static List<String> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @RepeatedTest(40)
  void unfinishedStreamLeavesNothing(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          Path sub = Files.createDirectory(dir.resolve("s"));
          DType t = ArrayFixtures.randomDType(rnd);
          long[] rowShape = randomShape(rnd, 2, 6);
          long rowBytes = ArrayFixtures.count(rowShape) * t.itemSize();
          int rows = rnd.nextInt(20);
          byte[] data = new byte[(int) (rows * rowBytes)];
          rnd.nextBytes(data);
          boolean crash = rnd.nextBoolean();
          NpyStreamWriter[] kept = new NpyStreamWriter[1];
          try (NpyStreamWriter w =
              NpyStreamWriter.create(sub.resolve("x.npy"), t, rowShape, NO_SYNC)) {
            kept[0] = w;
            w.append(MemorySegment.ofArray(data));
            if (crash) {
              throw new IllegalStateException("the caller failed");
            }
          } catch (IllegalStateException e) {
            if (!crash) {
              throw e;
            }
          }
          assertEquals(List.of(), list(sub), "directory after close without finish");
          assertThrows(IllegalStateException.class, kept[0]::finish);
          assertThrows(IllegalStateException.class, () -> kept[0].append(MemorySegment.NULL));
          kept[0].close(); // idempotent
          Files.delete(sub);
        });
  }

  @RepeatedTest(20)
  void finishWithNoRowsGivesAnEmptyFirstAxis(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          DType t = ArrayFixtures.randomDType(rnd);
          long[] rowShape = randomShape(rnd, 3, 6);
          Path f = dir.resolve("empty.npy");
          NpyHeader h;
          try (NpyStreamWriter w = NpyStreamWriter.create(f, t, rowShape, NO_SYNC)) {
            h = w.finish();
          }
          long[] expected = prepend(0, rowShape);
          assertArrayEquals(expected, h.shape());
          assertEquals(h.dataOffset(), Files.size(f));
          try (NpyArray a = NpyArray.open(f)) {
            assertArrayEquals(expected, a.shape());
            assertEquals(0, a.rows());
            assertEquals(0, a.size());
            assertEquals(t, a.dtype());
          }
          Files.delete(f);
        });
  }

  @RepeatedTest(20)
  void castsToFloat16AndFloat32RoundOnce(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          int n = 256;
          double[] doubles = new double[n];
          long[] longs = new long[n];
          for (int i = 0; i < n; i++) {
            // a float16 midpoint, nudged by a few ulps of double or not at all
            short hb = (short) rnd.nextInt(0x7bff);
            double a = Float.float16ToFloat(hb);
            double b = Float.float16ToFloat((short) (hb + 1));
            double mid = (a + b) / 2;
            int nudge = rnd.nextInt(5) - 2;
            doubles[i] = (rnd.nextBoolean() ? 1 : -1) * (mid + nudge * Math.ulp(mid));
            long tie = (rnd.nextLong() & -(1L << 41)) | (1L << 39) | rnd.nextInt(2);
            longs[i] = tie >>> rnd.nextInt(3);
          }
          for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path f16 = dir.resolve("h.npy");
            Path f32 = dir.resolve("f.npy");
            try (NpyStreamWriter w =
                NpyStreamWriter.create(
                    f16, DType.FLOAT16.withOrder(order), new long[] {n}, NO_SYNC)) {
              w.appendRow(doubles);
              w.finish();
            }
            try (NpyStreamWriter w =
                NpyStreamWriter.create(
                    f32, DType.FLOAT32.withOrder(order), new long[] {n}, NO_SYNC)) {
              w.appendRow(longs);
              w.finish();
            }
            try (NpyArray h = NpyArray.open(f16);
                NpyArray f = NpyArray.open(f32)) {
              for (int i = 0; i < n; i++) {
                double expected16 = nearestFloat16(doubles[i]);
                if (Double.compare(expected16, h.getDouble(0, i)) != 0) {
                  fail(
                      "float16 of "
                          + doubles[i]
                          + ": expected "
                          + expected16
                          + ", got "
                          + h.getDouble(0, i));
                }
                float expected32 = new BigDecimal(longs[i]).floatValue();
                assertEquals(expected32, f.getFloat(0, i), "float32 of " + longs[i]);
              }
            }
            Files.delete(f16);
            Files.delete(f32);
          }
        });
  }

  /** The float16 nearest to {@code v}, ties to even, found by exact comparison of neighbours. */
  static double nearestFloat16(double v) {
    short guess = Float.floatToFloat16((float) v);
    double best = Float.float16ToFloat(guess);
    short bestBits = guess;
    for (int d = -2; d <= 2; d++) {
      short c = (short) (guess + d);
      double cv = Float.float16ToFloat(c);
      if (!Double.isFinite(cv) || Math.signum(cv) * Math.signum(v) < 0) {
        continue;
      }
      int cmp =
          new BigDecimal(cv)
              .subtract(new BigDecimal(v))
              .abs()
              .compareTo(new BigDecimal(best).subtract(new BigDecimal(v)).abs());
      if (cmp < 0 || (cmp == 0 && (c & 1) == 0 && (bestBits & 1) == 1)) {
        best = cv;
        bestBits = c;
      }
    }
    return best;
  }

  @Test
  void emptyRowsCopyAsRows() throws IOException {
    // regression: appendRow(array, r) of a row with no elements added no row
    Path src = dir.resolve("src.npy");
    NpyWriter.write(src, NpyHeader.of(DType.FLOAT32, false, 3, 0, 2), MemorySegment.NULL, NO_SYNC);
    Path dst = dir.resolve("dst.npy");
    try (NpyArray a = NpyArray.open(src);
        NpyStreamWriter w =
            NpyStreamWriter.create(dst, DType.FLOAT32, new long[] {0, 2}, NO_SYNC)) {
      for (long r = 0; r < a.rows(); r++) {
        w.appendRow(a, r);
      }
      assertArrayEquals(new long[] {3, 0, 2}, w.finish().shape());
    }
    assertEquals(Arrays.toString(new long[] {3, 0, 2}), Arrays.toString(shapeOf(dst)));
  }

  private static long[] shapeOf(Path f) throws IOException {
    try (NpyArray a = NpyArray.open(f)) {
      return a.shape();
    }
  }
}
