package io.npywrapper.server;

import io.npywrapper.npy.NpyArray;
import java.io.IOException;
import java.util.Arrays;

/**
 * A request body of vectors in {@code .npy} form ({@code Content-Type: application/x-npy}), parsed
 * and checked before anything uses it: real numbers, a {@code (n, dim)} array (or, where one vector
 * is allowed, a {@code (dim,)} array), at least one row, at most the batch limit, the collection's
 * dimension. Each failure is a 400 (413 over the limit) naming what came. Stateless and
 * thread-safe.
 */
final class NpyBody {
  static final String CONTENT_TYPE = "application/x-npy";

  private NpyBody() {}

  /**
   * The body's vectors.
   *
   * @param what what the vectors are, for messages ({@code "vectors"}, {@code "query vectors"})
   * @param items what a row is counted as, for messages and the batch limit
   * @param oneVector whether a 1-d {@code (dim,)} array (one vector) is accepted
   */
  static NpyArray vectors(Request req, int dim, String what, String items, boolean oneVector)
      throws IOException {
    NpyArray a = NpyArray.of(req.body(), "request body");
    boolean rankOk = a.rank() == 2 || (oneVector && a.rank() == 1);
    if (!rankOk || !a.dtype().isReal()) {
      throw ApiException.badRequest(
          "request body: "
              + what
              + " must be "
              + (oneVector ? "a (dim,) or (n, dim)" : "a 2-d")
              + " array of numbers, got "
              + a.dtype().name()
              + " of shape "
              + Arrays.toString(a.shape()));
    }
    long length = a.rank() == 1 ? a.rows() : a.rowLength();
    if (a.rank() == 2) {
      if (a.rows() == 0) {
        throw ApiException.badRequest("request body holds no " + items);
      }
      req.limits().checkBatch(items, a.rows());
    }
    if (length != dim) {
      throw new ApiException(
          400,
          "wrong_dimension",
          "request body has "
              + what
              + " of dimension "
              + length
              + ", the collection's dimension is "
              + dim);
    }
    return a;
  }
}
