package io.npywrapper.server.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What a load run does: how many query and writer clients, for how long, against which collection
 * (made by {@link LoadData}: {@code baseRows} rows with ids {@code 0..baseRows-1}, attributes
 * {@code category} and {@code price}), with which API keys (null sends none). Immutable and
 * thread-safe.
 *
 * @param readers query clients, each on its own connection (0 to 1024)
 * @param writers writer clients (0 to 64)
 * @param duration how long clients keep sending (1 ms to 24 h); the run then stops by itself
 * @param collection the collection's name
 * @param dim its dimension
 * @param baseRows rows present before the run (ids 0 to baseRows - 1); readers get them by id
 * @param k neighbours per vector search (1 to 1000)
 * @param writeBatch rows per add, upsert or delete (1 to 1000)
 * @param readerToken API key of the query clients, or null
 * @param writerToken API key of the writer clients, or null
 * @param seed seed of every client's random choices (client i uses seed + i)
 */
public record LoadOptions(
    int readers,
    int writers,
    Duration duration,
    String collection,
    int dim,
    long baseRows,
    int k,
    int writeBatch,
    String readerToken,
    String writerToken,
    long seed) {
  public LoadOptions {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(collection, "collection");
    if (readers < 0 || readers > 1024) {
      throw new IllegalArgumentException("readers must be between 0 and 1024, got " + readers);
    }
    if (writers < 0 || writers > 64) {
      throw new IllegalArgumentException("writers must be between 0 and 64, got " + writers);
    }
    if (readers + writers == 0) {
      throw new IllegalArgumentException("a load run needs at least one client");
    }
    if (duration.toMillis() < 1 || duration.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException(
          "duration must be between 1 ms and 24 hours, got " + duration);
    }
    if (dim < 1 || k < 1 || k > 1000 || writeBatch < 1 || writeBatch > 1000) {
      throw new IllegalArgumentException(
          "dim must be positive, k and writeBatch between 1 and 1000; got dim "
              + dim
              + ", k "
              + k
              + ", writeBatch "
              + writeBatch);
    }
    if (baseRows < k) {
      throw new IllegalArgumentException(
          "baseRows must be at least k (" + k + "), got " + baseRows);
    }
  }

  /** 32 readers, 4 writers, 60 s, k 10, batches of 10 rows, no keys, seed 1. */
  public static LoadOptions defaults(String collection, int dim, long baseRows) {
    return new LoadOptions(
        32, 4, Duration.ofSeconds(60), collection, dim, baseRows, 10, 10, null, null, 1);
  }

  public LoadOptions withClients(int r, int w) {
    return new LoadOptions(
        r, w, duration, collection, dim, baseRows, k, writeBatch, readerToken, writerToken, seed);
  }

  public LoadOptions withDuration(Duration d) {
    return new LoadOptions(
        readers,
        writers,
        d,
        collection,
        dim,
        baseRows,
        k,
        writeBatch,
        readerToken,
        writerToken,
        seed);
  }

  public LoadOptions withTokens(String reader, String writer) {
    return new LoadOptions(
        readers, writers, duration, collection, dim, baseRows, k, writeBatch, reader, writer, seed);
  }

  public LoadOptions withSeed(long s) {
    return new LoadOptions(
        readers,
        writers,
        duration,
        collection,
        dim,
        baseRows,
        k,
        writeBatch,
        readerToken,
        writerToken,
        s);
  }
}
