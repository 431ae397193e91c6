package io.npywrapper.bench.ann;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.query.Query;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * npyWrapper through its public path: a {@link Database} in a scratch directory, the training
 * {@code .npy} imported into a collection cut into {@code segments} segments, and every search a
 * {@code collection.query().nearest(q).limit(k).threads(1).execute()}, so one call uses one thread.
 * Searching is thread-safe.
 */
final class OursEngine implements AnnEngine {
  private static final String NAME = "ann";
  static final int M = 16;
  static final int EF_CONSTRUCTION = 200;

  private final Path store;
  private final int segments;
  private final boolean reuse;
  private Database db;
  private double importSeconds;
  private Collection collection;

  /**
   * An engine keeping its store in {@code store}, cut into {@code segments}: replaced by each
   * build, or with {@code reuse} kept when a complete build of the same data and settings is there
   * ({@link BuildMarker}).
   */
  OursEngine(Path store, int segments, boolean reuse) {
    if (segments < 1) {
      throw new IllegalArgumentException("segments must be at least 1, got " + segments);
    }
    this.store = store;
    this.segments = segments;
    this.reuse = reuse;
  }

  @Override
  public String library() {
    return "ours";
  }

  @Override
  public String variant() {
    return "HNSW M=" + M + " efC=" + EF_CONSTRUCTION + ", " + segmentsText();
  }

  /** The variant name of this engine's exact searches. */
  String exactVariant() {
    return "exact scan, " + segmentsText();
  }

  private String segmentsText() {
    return segments + (segments == 1 ? " segment" : " segments");
  }

  @Override
  public Build build(AnnDataset.Loaded data) throws IOException {
    var recorded =
        reuse
            ? BuildMarker.read(store, params(data))
            : java.util.Optional.<BuildMarker.Recorded>empty();
    if (recorded.isPresent()) {
      db = Database.open(store.toString());
      collection = db.collection(NAME);
      checkSegments();
      importSeconds = recorded.get().importSeconds();
      return recorded.get().build();
    }
    return build(data, true);
  }

  /**
   * Imports {@code data} into a fresh store and, when {@code indexes}, builds the graph indexes
   * (the exact scan needs none).
   */
  Build build(AnnDataset.Loaded data, boolean indexes) throws IOException {
    Dirs.deleteTree(store);
    long heap0 = HeapUse.usedAfterGc();
    long perSegment = (data.rows() + segments - 1) / segments;
    long t0 = System.nanoTime();
    IndexOptions index =
        IndexOptions.defaults()
            .withM(M)
            .withEfConstruction(EF_CONSTRUCTION)
            .withThreads(1)
            .withBackground(false)
            .withMinRows(1);
    db =
        Database.open(
            store.toString(),
            Database.defaultOptions()
                .withCompactionMillis(0)
                .withSegmentRows(perSegment)
                .withIndex(index));
    collection = db.create(CollectionSpec.of(NAME, data.dim(), Metric.L2));
    new Importer(collection.engine()).importNpy(data.set().train(), null, n -> {});
    importSeconds = (System.nanoTime() - t0) / 1e9;
    if (indexes) {
      collection.buildIndexes();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    checkSegments();
    Build b = new Build(seconds, Dirs.bytes(store), HeapUse.usedAfterGc() - heap0);
    if (indexes) {
      BuildMarker.write(store, params(data), b, importSeconds);
    }
    return b;
  }

  /** What a build record of this engine on {@code data} must say to be reused. */
  private String params(AnnDataset.Loaded data) {
    return data.set().name()
        + " "
        + data.rows()
        + "x"
        + data.dim()
        + " "
        + variant()
        + " threads=1";
  }

  private void checkSegments() throws IOException {
    int made = collection.segments().size();
    if (made != segments) {
      throw new IllegalStateException(
          store + ": the collection has " + made + " segments, not " + segments);
    }
  }

  /** The store's directory. */
  Path store() {
    return store;
  }

  /** The collection's name. */
  String collectionName() {
    return NAME;
  }

  /** Seconds the import took, the first part of the build time. */
  double importSeconds() {
    return importSeconds;
  }

  /** The collection's segment vector files, for the memory-bandwidth floor. */
  List<Path> vectorFiles() throws IOException {
    return Dirs.find(store, "vectors.npy");
  }

  @Override
  public long[] search(float[] q, int k, int ef) throws IOException {
    Query query = collection.query().nearest(q).limit(k).threads(1);
    return (ef == 0 ? query.exact() : query.ef(ef)).execute().ids()[0];
  }

  /** An exact search of {@code q} with up to {@code threads} scan threads. */
  long[] exact(float[] q, int k, int threads) throws IOException {
    return collection.query().nearest(q).limit(k).exact().threads(threads).execute().ids()[0];
  }

  @Override
  public void close() throws IOException {
    if (db != null) {
      db.close();
    }
  }
}
