package io.npywrapper.cli;

import io.npywrapper.Database;
import io.npywrapper.collection.VersionInfo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code npyw versions COLLECTION}: every retained version. */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = "List a collection's retained versions: time, operation, rows, segments.")
final class VersionsCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      out()
          .printf(
              "%8s  %-24s  %-11s  %12s  %8s%n",
              "version", "committed", "operation", "rows", "segments");
      for (VersionInfo v : db.collection(collection).versions()) {
        out()
            .printf(
                "%8d  %-24s  %-11s  %,12d  %8d%n",
                v.version(), v.committedAt(), v.operation(), v.rows(), v.segments());
      }
    }
    return 0;
  }
}
