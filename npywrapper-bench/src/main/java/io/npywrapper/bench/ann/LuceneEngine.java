package io.npywrapper.bench.ann;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene's HNSW used the way Lucene users use it: an {@link IndexWriter} whose codec gives the
 * vector field {@link Lucene99HnswVectorsFormat}{@code (maxConn 16, beamWidth 200)}, one document
 * per vector ({@link KnnFloatVectorField}, EUCLIDEAN), commit and {@code forceMerge(1)} on one
 * thread ({@link SerialMergeScheduler}); then an {@link IndexSearcher} over the memory-mapped index
 * answering {@link KnnFloatVectorQuery} with {@code k = ef} candidates, of which the top k are
 * kept. The writer runs with a 1 GiB RAM buffer (the usual advice for bulk loads) and a log merge
 * policy, which keeps document numbers in insertion order: after the merge every document's number
 * is checked against the row number stored beside it. Searching is thread-safe.
 */
final class LuceneEngine implements AnnEngine {
  static final String FIELD = "v";
  private static final String ID = "id";
  static final int MAX_CONN = 16;
  static final int BEAM_WIDTH = 200;

  private final Path dir;
  private final boolean reuse;
  private FSDirectory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;

  /**
   * An engine keeping its index in {@code dir}: replaced by each build, or with {@code reuse} kept
   * when a complete build of the same data and settings is there ({@link BuildMarker}).
   */
  LuceneEngine(Path dir, boolean reuse) {
    this.dir = dir;
    this.reuse = reuse;
  }

  @Override
  public String library() {
    return "lucene";
  }

  @Override
  public String variant() {
    return "HNSW M=" + MAX_CONN + " beam=" + BEAM_WIDTH;
  }

  @Override
  public Build build(AnnDataset.Loaded data) throws IOException {
    String params = data.set().name() + " " + data.rows() + "x" + data.dim() + " " + variant();
    var recorded =
        reuse ? BuildMarker.read(dir, params) : java.util.Optional.<BuildMarker.Recorded>empty();
    if (recorded.isPresent()) {
      directory = FSDirectory.open(dir);
      reader = DirectoryReader.open(directory);
      checkOrder(reader);
      searcher = new IndexSearcher(reader);
      return recorded.get().build();
    }
    Dirs.deleteTree(dir);
    long heap0 = HeapUse.usedAfterGc();
    IndexWriterConfig config = new IndexWriterConfig();
    config.setCodec(
        new Lucene104Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
          }
        });
    config.setRAMBufferSizeMB(1024);
    config.setMergeScheduler(new SerialMergeScheduler());
    config.setMergePolicy(new LogByteSizeMergePolicy());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    directory = FSDirectory.open(dir);
    long t0 = System.nanoTime();
    try (IndexWriter w = new IndexWriter(directory, config)) {
      float[] row = new float[data.dim()];
      for (long r = 0; r < data.rows(); r++) {
        data.train().readRow(r, row, 0);
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, row.clone(), VectorSimilarityFunction.EUCLIDEAN));
        doc.add(new NumericDocValuesField(ID, r));
        w.addDocument(doc);
      }
      w.commit();
      w.forceMerge(1);
      w.commit();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    reader = DirectoryReader.open(directory);
    checkOrder(reader);
    searcher = new IndexSearcher(reader);
    long heap = HeapUse.usedAfterGc() - heap0;
    Build b = new Build(seconds, Dirs.bytes(dir), heap);
    BuildMarker.write(dir, params, b, 0);
    return b;
  }

  private static void checkOrder(DirectoryReader reader) throws IOException {
    if (reader.leaves().size() != 1) {
      throw new IllegalStateException("forceMerge(1) left " + reader.leaves().size() + " segments");
    }
    LeafReader leaf = reader.leaves().get(0).reader();
    NumericDocValues ids = leaf.getNumericDocValues(ID);
    for (int d = 0; d < leaf.maxDoc(); d++) {
      if (!ids.advanceExact(d) || ids.longValue() != d) {
        throw new IllegalStateException("document " + d + " is not row " + d + " after the merge");
      }
    }
  }

  @Override
  public long[] search(float[] q, int k, int ef) throws IOException {
    ScoreDoc[] hits =
        searcher.search(new KnnFloatVectorQuery(FIELD, q, Math.max(k, ef)), k).scoreDocs;
    long[] ids = new long[hits.length];
    for (int i = 0; i < hits.length; i++) {
      ids[i] = hits[i].doc;
    }
    return ids;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
    if (directory != null) {
      directory.close();
    }
  }
}
