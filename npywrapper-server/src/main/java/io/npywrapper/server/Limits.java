package io.npywrapper.server;

/**
 * Per-request limits of the server: the largest body, the most rows or query vectors in one request
 * and the largest {@code k} or {@code limit}. Requests over a limit get a 413 naming it. Immutable
 * and thread-safe.
 *
 * @param maxBodyBytes largest request body, checked against Content-Length before reading and
 *     enforced while reading
 * @param maxBatch most rows in one add/upsert/delete, or query vectors in one search
 * @param maxK largest k of a search and limit of a filter-only query
 */
public record Limits(long maxBodyBytes, int maxBatch, int maxK) {
  /** 64 MiB bodies, 10,000 rows or vectors per request, k up to 10,000. */
  public static final Limits DEFAULT = new Limits(64L << 20, 10_000, 10_000);

  public Limits {
    if (maxBodyBytes < 1024 || maxBodyBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be between 1024 and "
              + (Integer.MAX_VALUE - 8)
              + ", got "
              + maxBodyBytes);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    if (maxK < 1) {
      throw new IllegalArgumentException("maxK must be at least 1, got " + maxK);
    }
  }

  public Limits withMaxBodyBytes(long bytes) {
    return new Limits(bytes, maxBatch, maxK);
  }

  public Limits withMaxBatch(int n) {
    return new Limits(maxBodyBytes, n, maxK);
  }

  public Limits withMaxK(int k) {
    return new Limits(maxBodyBytes, maxBatch, k);
  }

  /** Throws a 413 unless {@code n} items fit in one request. */
  void checkBatch(String what, long n) {
    if (n > maxBatch) {
      throw ApiException.tooLarge(
          what + ": " + n + " in one request, the server allows at most " + maxBatch);
    }
  }

  /** Throws a 413 unless {@code k} is within the server's limit (and a 400 unless positive). */
  void checkK(String field, long k) {
    if (k < 1) {
      throw ApiException.badRequest("'" + field + "' must be at least 1, got " + k);
    }
    if (k > maxK) {
      throw ApiException.tooLarge(
          "'" + field + "' is " + k + ", the server allows at most " + maxK);
    }
  }
}
