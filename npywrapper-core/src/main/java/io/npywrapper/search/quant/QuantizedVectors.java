package io.npywrapper.search.quant;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyFormatException;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * An opened pair of quantization files: the memory-mapped int8 codes ({@code vectors.i8.npy}, shape
 * {@code (rows, dim)}) and their parameters ({@code vectors.i8.params}). Opening reads and checks
 * the whole (small) parameters file and the codes' header against it; {@link #verify()} checks the
 * codes' CRC32C in a full pass. Row {@code r} of the codes is Lucene ordinal {@code r}.
 *
 * <p>Reads are thread-safe; {@link #close()} must not race with them.
 */
public final class QuantizedVectors implements AutoCloseable {
  /** The file name of the codes next to a segment's {@code vectors.npy}. */
  public static final String CODES_FILE = "vectors.i8.npy";

  /** The file name of the parameters next to a segment's {@code vectors.npy}. */
  public static final String PARAMS_FILE = "vectors.i8.params";

  private final NpyArray codes;
  private final MemorySegment data;
  private final ScalarQuantizer quantizer;
  private final long expectedCrc;
  private final int rows;
  private final int dim;

  private QuantizedVectors(NpyArray codes, ScalarQuantizer quantizer, long crc, int rows) {
    this.codes = codes;
    this.data = codes.data();
    this.quantizer = quantizer;
    this.expectedCrc = crc;
    this.rows = rows;
    this.dim = quantizer.dimension();
  }

  /** Opens {@link #CODES_FILE} and {@link #PARAMS_FILE} in {@code dir}. */
  public static QuantizedVectors open(Path dir) throws IOException {
    return open(dir.resolve(CODES_FILE), dir.resolve(PARAMS_FILE));
  }

  /**
   * Opens a codes file and its parameters file.
   *
   * @throws QuantFormatException naming the file that is corrupt, truncated, too new, or does not
   *     match the other one
   */
  public static QuantizedVectors open(Path codesFile, Path paramsFile) throws IOException {
    ParamsFile.Contents p = ParamsFile.read(paramsFile);
    String name = codesFile.toString();
    NpyArray codes;
    try {
      codes = NpyArray.open(codesFile);
    } catch (NpyFormatException e) {
      throw new QuantFormatException(name, "not a valid codes file: " + e.getMessage(), e);
    }
    try {
      int dim = p.params().dimension();
      long[] shape = codes.shape();
      if (!codes.dtype().equals(DType.INT8)
          || codes.isFortranOrder()
          || shape.length != 2
          || shape[1] != dim
          || shape[0] != p.rows()) {
        throw new QuantFormatException(
            name,
            "expected C-order int8 of shape ("
                + p.rows()
                + ", "
                + dim
                + ") as "
                + paramsFile
                + " records, found "
                + codes.header());
      }
      if (p.rows() > Integer.MAX_VALUE - 8) {
        throw new QuantFormatException(
            name, p.rows() + " rows is more than one graph can address (2^31 - 9)");
      }
      return new QuantizedVectors(
          codes, new ScalarQuantizer(p.params()), p.codesCrc(), (int) p.rows());
    } catch (IOException | RuntimeException e) {
      codes.close();
      throw e;
    }
  }

  /**
   * Reads every code byte and compares its CRC32C with the one the parameters file recorded.
   *
   * @throws QuantFormatException naming the codes file on a mismatch
   */
  public void verify() throws QuantFormatException {
    CRC32C crc = new CRC32C();
    long size = data.byteSize();
    for (long at = 0; at < size; at += 1 << 30) {
      ByteBuffer chunk = data.asSlice(at, Math.min(1 << 30, size - at)).asByteBuffer();
      crc.update(chunk);
    }
    if (crc.getValue() != expectedCrc) {
      throw new QuantFormatException(
          codes.source(),
          "corrupt: checksum of the codes is "
              + Long.toHexString(crc.getValue())
              + ", the parameters file recorded "
              + Long.toHexString(expectedCrc));
    }
  }

  public ScalarQuantizer quantizer() {
    return quantizer;
  }

  public Metric metric() {
    return quantizer.metric();
  }

  /** Number of code rows (graph ordinals {@code 0 .. size()-1}). */
  public int size() {
    return rows;
  }

  public int dimension() {
    return dim;
  }

  /** The mapped code bytes, row-major; row {@code r} starts at {@code r * dimension()}. */
  public MemorySegment data() {
    return data;
  }

  /** The approximate distance between a prepared query and row {@code ord}. */
  public float distance(QuantizedQuery query, int ord) {
    return query.distance(data, (long) ord * dim);
  }

  /** A Lucene scorer of {@code query} (not modified) against every row; one per thread. */
  public RandomVectorScorer scorer(float[] query) {
    return new QuantizedScorers.QueryScorer(this, quantizer.prepare(query));
  }

  /**
   * A Lucene scorer of a query prepared once with {@link ScalarQuantizer#prepare}; one per thread.
   */
  public RandomVectorScorer scorer(QuantizedQuery query) {
    if (query.dimension() != dim || query.metric() != metric()) {
      throw new IllegalArgumentException(
          "query is for "
              + query.metric().id()
              + " in "
              + query.dimension()
              + " dimensions, the codes for "
              + metric().id()
              + " in "
              + dim);
    }
    return new QuantizedScorers.QueryScorer(this, query);
  }

  /** The supplier Lucene's {@code HnswGraphBuilder} needs to build a graph over the codes. */
  public RandomVectorScorerSupplier scorerSupplier() {
    return new QuantizedScorers.Supplier(this);
  }

  /** Unmaps the codes. Idempotent. */
  @Override
  public void close() {
    codes.close();
  }

  @Override
  public String toString() {
    return "QuantizedVectors{"
        + codes.source()
        + ", rows="
        + rows
        + ", "
        + quantizer.params()
        + "}";
  }
}
