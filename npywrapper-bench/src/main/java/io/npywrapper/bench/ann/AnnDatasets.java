package io.npywrapper.bench.ann;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the benchmark's data sets under a cache directory, each once: {@code fashion-mnist}
 * (Debian's {@code dataset-fashion-mnist}: the 60,000 training images as vectors, the first 1,000
 * test images as queries) and {@code clustered-<rows>x<dim>} ({@link ClusteredSet}, seeded, one
 * cluster per 1,000 rows, at least 16). A set is complete when its {@code READY} marker exists,
 * written after every file; an incomplete directory is rebuilt. Not thread-safe: one preparer per
 * cache directory.
 */
public final class AnnDatasets {
  /** Where Debian's {@code dataset-fashion-mnist} puts its IDX files. */
  public static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private static final Pattern CLUSTERED = Pattern.compile("clustered-(\\d+)x(\\d+)");
  private static final long SEED = 20261125L;

  private final Path cache;
  private final Path fashionDir;
  private final int queries;
  private final int threads;
  private final PrintStream log;

  /** The data sets of {@code o}'s data directory, as the {@code ann} options give them. */
  static AnnDatasets of(AnnOptions o, PrintStream log) {
    return new AnnDatasets(
        o.data().resolve("sets"),
        o.fashionDir(),
        o.queries(),
        Runtime.getRuntime().availableProcessors(),
        log);
  }

  /**
   * @param cache the directory holding one subdirectory per data set
   * @param fashionDir where the Fashion-MNIST IDX files are
   * @param queries query vectors per set
   * @param threads threads for the exact ground truth
   */
  public AnnDatasets(Path cache, Path fashionDir, int queries, int threads, PrintStream log) {
    if (queries < 1) {
      throw new IllegalArgumentException("queries must be at least 1, got " + queries);
    }
    this.cache = cache;
    this.fashionDir = fashionDir;
    this.queries = queries;
    this.threads = threads;
    this.log = log;
  }

  /** The name of the clustered set of {@code rows} vectors of dimension {@code dim}. */
  public static String clusteredName(long rows, int dim) {
    return "clustered-" + rows + "x" + dim;
  }

  /**
   * The prepared set called {@code name}, built first when it is not in the cache yet.
   *
   * @throws IllegalArgumentException for an unknown name or missing source files
   */
  public AnnDataset prepare(String name) throws IOException, InterruptedException {
    Matcher m = CLUSTERED.matcher(name);
    boolean fashion = name.equals("fashion-mnist");
    if (!fashion && !m.matches()) {
      throw new IllegalArgumentException(
          "unknown data set '" + name + "': expected fashion-mnist or clustered-<rows>x<dim>");
    }
    String dirName = name + "-q" + queries;
    AnnDataset set = new AnnDataset(name, cache.resolve(dirName));
    Path ready = set.dir().resolve("READY");
    if (Files.exists(ready)) {
      log.println("data set " + name + ": cached in " + set.dir());
      return set;
    }
    Dirs.deleteTree(set.dir());
    Files.createDirectories(set.dir());
    long t0 = System.nanoTime();
    if (fashion) {
      writeFashion(set);
    } else {
      long rows = Long.parseLong(m.group(1));
      int dim = Integer.parseInt(m.group(2));
      if (rows < 1 || dim < 1) {
        throw new IllegalArgumentException(name + ": rows and dimension must be positive");
      }
      ClusteredSet gen = new ClusteredSet(dim, (int) Math.max(16, rows / 1000), SEED);
      gen.write(set.train(), rows, 0);
      gen.write(set.queries(), queries, 1);
    }
    log.printf(Locale.ROOT, "data set %s: vectors written in %.1f s%n", name, since(t0));
    t0 = System.nanoTime();
    writeGroundTruth(set);
    log.printf(Locale.ROOT, "data set %s: exact ground truth in %.1f s%n", name, since(t0));
    Files.writeString(ready, name + "\n");
    return set;
  }

  private void writeFashion(AnnDataset set) throws IOException {
    Path train = fashionDir.resolve("train-images-idx3-ubyte.gz");
    Path test = fashionDir.resolve("t10k-images-idx3-ubyte.gz");
    for (Path p : new Path[] {train, test}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(
            p + " is missing: install Debian's dataset-fashion-mnist or give --fashion-dir");
      }
    }
    IdxImages.toNpy(train, set.train(), Long.MAX_VALUE);
    long q = IdxImages.toNpy(test, set.queries(), queries);
    if (q < queries) {
      throw new IllegalArgumentException(
          test + " holds only " + q + " images, " + queries + " asked");
    }
  }

  private void writeGroundTruth(AnnDataset set) throws IOException, InterruptedException {
    float[][] qs = AnnDataset.readFloats(set.queries());
    GroundTruth gt;
    try (NpyArray train = NpyArray.open(set.train())) {
      if (train.rows() < AnnDataset.GT_K) {
        throw new IllegalArgumentException(
            set.train()
                + " has "
                + train.rows()
                + " rows, at least "
                + AnnDataset.GT_K
                + " needed");
      }
      gt = GroundTruth.compute(train, qs, AnnDataset.GT_K, threads);
    }
    int q = qs.length;
    long[] ids = new long[q * AnnDataset.GT_K];
    float[] dist = new float[q * AnnDataset.GT_K];
    for (int i = 0; i < q; i++) {
      System.arraycopy(gt.ids()[i], 0, ids, i * AnnDataset.GT_K, AnnDataset.GT_K);
      System.arraycopy(gt.distances()[i], 0, dist, i * AnnDataset.GT_K, AnnDataset.GT_K);
    }
    long[] shape = {q, AnnDataset.GT_K};
    NpyWriter.write(set.gt(), ids, shape, WriteOptions.DEFAULT);
    NpyWriter.write(set.gtDistances(), dist, shape, WriteOptions.DEFAULT);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
