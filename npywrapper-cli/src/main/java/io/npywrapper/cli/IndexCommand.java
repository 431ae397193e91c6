package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.SegmentIndexer;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw index COLLECTION [--m M] [--ef-construction N] [--threads T] [--quantize none|int8]}:
 * builds every missing graph index (and converts indexes of another quantization) and returns when
 * done.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Build the graph (HNSW) index of every segment that lacks one, or whose index failed its"
          + " checks; returns when done. Each index is committed as soon as it is built.",
      "Segments under 10,000 rows get none: an exact scan of them is as fast.",
      "--quantize int8 also writes int8 codes of the vectors next to each graph; searches walk"
          + " the codes and re-rank the candidates exactly from vectors.npy. Indexes of the other"
          + " kind are rebuilt."
    })
final class IndexCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--m", paramLabel = "M", description = "neighbours per node (default 16)")
  int m = IndexOptions.defaults().m();

  @Option(
      names = "--ef-construction",
      paramLabel = "N",
      description = "candidate list size while building (default 200)")
  int efConstruction = IndexOptions.defaults().efConstruction();

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "threads building one index (default 1)")
  int threads = 1;

  @Option(
      names = "--quantize",
      paramLabel = "none|int8",
      description = "what the walk scores: float32 vectors (none, default) or int8 codes")
  String quantize = IndexQuantization.NONE.id();

  @Override
  public Integer call() throws IOException {
    IndexQuantization quantization = IndexQuantization.parse(quantize);
    IndexOptions options =
        IndexOptions.defaults()
            .withM(m)
            .withEfConstruction(efConstruction)
            .withThreads(threads)
            .withBackground(false)
            .withQuantization(quantization);
    try (Database db = openForChanges()) {
      Collection c = db.collection(collection);
      SegmentIndexer.Result r = c.buildIndexes(options);
      if (r.built() == 0) {
        out().printf("every segment of '%s' that needs an index has one%n", collection);
      } else {
        out()
            .printf(
                Locale.ROOT,
                "indexed %d segment(s) of '%s', %d rows, in %.1f s (m=%d, ef-construction=%d,"
                    + " quantize=%s); version %d%n",
                r.built(),
                collection,
                r.rowsIndexed(),
                r.seconds(),
                m,
                efConstruction,
                quantization.id(),
                r.version());
      }
    }
    return 0;
  }
}
