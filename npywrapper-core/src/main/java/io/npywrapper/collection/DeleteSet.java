package io.npywrapper.collection;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * The deleted row positions of one segment, sorted and distinct, as stored in {@code
 * deletes/<segment>-<stamp>.npy} (int32). Immutable and thread-safe.
 */
final class DeleteSet {
  static final DeleteSet EMPTY = new DeleteSet(new int[0]);

  private final int[] rows;

  private DeleteSet(int[] rows) {
    this.rows = rows;
  }

  static DeleteSet read(Path file, long segmentRows) throws IOException {
    try (NpyArray a = NpyArray.open(file)) {
      if (a.rank() != 1 || !a.dtype().equals(DType.INT32)) {
        throw new CorruptFileException(
            file.toString(), "expected a 1-d int32 array, found " + a.header());
      }
      int[] rows = new int[(int) a.rows()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (int) a.getLong(i);
        if (rows[i] < 0 || rows[i] >= segmentRows || (i > 0 && rows[i] <= rows[i - 1])) {
          throw new CorruptFileException(
              file.toString(), "row positions must be sorted, distinct and < " + segmentRows);
        }
      }
      return new DeleteSet(rows);
    }
  }

  void write(Path file) throws IOException {
    NpyWriter.write(file, rows, new long[] {rows.length}, WriteOptions.DEFAULT.withoutSync());
  }

  boolean contains(long row) {
    return row <= Integer.MAX_VALUE && Arrays.binarySearch(rows, (int) row) >= 0;
  }

  /** The deleted positions as a bitmap. */
  RoaringBitmap bitmap() {
    return RoaringBitmap.bitmapOf(rows);
  }

  int size() {
    return rows.length;
  }

  /** This set plus {@code more} (any order, duplicates allowed). */
  DeleteSet with(int[] more) {
    int[] all = Arrays.copyOf(rows, rows.length + more.length);
    System.arraycopy(more, 0, all, rows.length, more.length);
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || all[i] != all[n - 1]) {
        all[n++] = all[i];
      }
    }
    return new DeleteSet(Arrays.copyOf(all, n));
  }
}
