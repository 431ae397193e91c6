package io.npywrapper.search.quant;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Int8 scalar quantization of float32 vectors. Each value {@code x} of dimension {@code j} becomes
 * the code {@code c = clamp(round((x - o[j]) / s[j]), -128, 127)} and decodes to {@code o[j] + s[j]
 * * c} (see {@link QuantizationParams}); for {@link Metric#COSINE} rows are scaled to unit length
 * first. The parameters are learned by {@link #train} from a seeded sample of rows; {@link
 * #encode(NpyArray, Path, Path, WriteOptions)} then streams every row of a memory-mapped array of
 * any size into a numpy-readable int8 {@code .npy} plus its parameters file, holding one block of
 * rows in memory at a time.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScalarQuantizer {
  private static final int BLOCK_BYTES = 1 << 20;

  private final QuantizationParams params;
  private final float[] offsets;
  private final float[] steps;
  private final float[] inverseSteps;

  public ScalarQuantizer(QuantizationParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.offsets = params.offsets();
    this.steps = params.steps();
    this.inverseSteps = new float[steps.length];
    for (int j = 0; j < steps.length; j++) {
      inverseSteps[j] = steps[j] == 0 ? 0 : 1 / steps[j];
    }
  }

  /**
   * Learns the ranges from a sample of the rows of {@code vectors} (rank 2, any real dtype, either
   * memory order), reading only the sampled rows.
   *
   * @throws IllegalArgumentException naming the file and row when a sampled value is NaN or
   *     infinite, or when the array is empty or not a matrix
   */
  public static ScalarQuantizer train(NpyArray vectors, Metric metric, TrainingOptions options) {
    int dim = checkMatrix(vectors);
    return new ScalarQuantizer(
        Training.train(
            new Training.RowSource() {
              @Override
              public long rows() {
                return vectors.rows();
              }

              @Override
              public int dimension() {
                return dim;
              }

              @Override
              public void read(long r, float[] dst) {
                vectors.readRow(r, dst, 0);
              }

              @Override
              public String name() {
                return vectors.source();
              }
            },
            metric,
            options));
  }

  /** Learns the ranges from rows held in memory (all of the same length). */
  public static ScalarQuantizer train(float[][] rows, Metric metric, TrainingOptions options) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("no rows (or empty rows) to train a quantizer on");
    }
    int dim = rows[0].length;
    return new ScalarQuantizer(
        Training.train(
            new Training.RowSource() {
              @Override
              public long rows() {
                return rows.length;
              }

              @Override
              public int dimension() {
                return dim;
              }

              @Override
              public void read(long r, float[] dst) {
                if (rows[(int) r].length != dim) {
                  throw new IllegalArgumentException(
                      "row " + r + " has " + rows[(int) r].length + " values, expected " + dim);
                }
                System.arraycopy(rows[(int) r], 0, dst, 0, dim);
              }

              @Override
              public String name() {
                return "rows in memory";
              }
            },
            metric,
            options));
  }

  private static int checkMatrix(NpyArray vectors) {
    if (vectors.rank() != 2 || !vectors.dtype().isReal()) {
      throw new IllegalArgumentException(
          vectors.source()
              + ": expected a 2-d array of real numbers, got "
              + vectors.dtype().name()
              + " of rank "
              + vectors.rank());
    }
    long dim = vectors.rowLength();
    if (dim < 1 || dim > QuantizationParams.MAX_DIMENSION) {
      throw new IllegalArgumentException(
          vectors.source()
              + ": rows of "
              + dim
              + " values; quantization supports 1 to "
              + QuantizationParams.MAX_DIMENSION);
    }
    return (int) dim;
  }

  public QuantizationParams params() {
    return params;
  }

  public int dimension() {
    return steps.length;
  }

  public Metric metric() {
    return params.metric();
  }

  /**
   * Writes the codes of {@code vector} into {@code out} (both of length {@link #dimension()}). The
   * vector is not modified; for cosine a normalized copy is encoded.
   */
  public void encode(float[] vector, byte[] out) {
    checkLength(vector.length);
    float[] v = vector;
    if (params.metric() == Metric.COSINE) {
      v = vector.clone();
      normalize(v);
    }
    encodeInto(v, out, 0);
  }

  private void encodeInto(float[] v, byte[] out, int at) {
    for (int j = 0; j < v.length; j++) {
      int c = Math.round((v[j] - offsets[j]) * inverseSteps[j]);
      out[at + j] = (byte) Math.max(-128, Math.min(127, c));
    }
  }

  /** The vector {@code code} stands for: {@code o[j] + s[j] * code[j]}. */
  public float[] decode(byte[] code) {
    checkLength(code.length);
    float[] v = new float[code.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = offsets[j] + steps[j] * code[j];
    }
    return v;
  }

  /**
   * Prepares {@code query} (not modified) for comparison with code rows; see {@link
   * QuantizedQuery}.
   */
  public QuantizedQuery prepare(float[] query) {
    checkLength(query.length);
    QuantizedQuery q = new QuantizedQuery(params.metric(), steps, offsets);
    q.set(query, params.metric() == Metric.COSINE);
    return q;
  }

  /**
   * Encodes every row of {@code vectors} into {@code codesFile} ({@code int8}, shape {@code (rows,
   * dimension)}) and then writes {@code paramsFile} with the row count and the codes' CRC32C. Rows
   * are streamed one block (about 1 MB of codes) at a time, so an array many times larger than the
   * heap is fine. Both files are published atomically, codes first.
   *
   * @throws IllegalArgumentException naming the file and row for a NaN or infinite value, or when
   *     the array's row length is not this quantizer's dimension; nothing is published then
   */
  public void encode(NpyArray vectors, Path codesFile, Path paramsFile, WriteOptions options)
      throws IOException {
    int dim = checkMatrix(vectors);
    checkLength(dim);
    long n = vectors.rows();
    int blockRows = Math.max(1, BLOCK_BYTES / dim);
    byte[] block = new byte[blockRows * dim];
    MemorySegment blockSeg = MemorySegment.ofArray(block);
    float[] row = new float[dim];
    boolean cosine = params.metric() == Metric.COSINE;
    CRC32C crc = new CRC32C();
    try (NpyStreamWriter w =
        NpyStreamWriter.create(codesFile, DType.INT8, new long[] {dim}, options)) {
      for (long start = 0; start < n; start += blockRows) {
        int count = (int) Math.min(blockRows, n - start);
        for (int i = 0; i < count; i++) {
          vectors.readRow(start + i, row, 0);
          checkFinite(row, vectors.source(), start + i);
          if (cosine) {
            normalize(row);
          }
          encodeInto(row, block, i * dim);
        }
        crc.update(block, 0, count * dim);
        w.append(blockSeg.asSlice(0, (long) count * dim));
      }
      w.finish();
    }
    ParamsFile.write(paramsFile, new ParamsFile.Contents(params, n, crc.getValue()), options);
  }

  private void checkLength(int length) {
    if (length != steps.length) {
      throw new IllegalArgumentException(
          "vector has " + length + " values, the quantizer expects " + steps.length);
    }
  }

  /** Throws naming {@code source} and {@code row} when a value is NaN or infinite. */
  static void checkFinite(float[] v, String source, long row) {
    for (int j = 0; j < v.length; j++) {
      if (!Float.isFinite(v[j])) {
        throw new IllegalArgumentException(
            source + ": row " + row + " value " + j + " is " + v[j] + "; vectors must be finite");
      }
    }
  }

  /** Scales {@code v} to unit length in place; a zero vector stays zero. */
  static void normalize(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    if (s > 0) {
      float inv = (float) (1 / Math.sqrt(s));
      for (int j = 0; j < v.length; j++) {
        v[j] *= inv;
      }
    }
  }
}
