package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.Compactor;
import io.npywrapper.collection.Vacuum;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw compact COLLECTION [--vacuum DURATION]}: merges segments, drops deleted rows. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Merge small segments and rewrite delete-heavy ones without their deleted rows.",
      "With --vacuum, then remove files no version younger than DURATION needs (e.g. 7d, 12h,"
          + " 0s)."
    })
final class CompactCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--vacuum", paramLabel = "DURATION", description = "retention, e.g. 7d or 1h")
  String vacuum;

  @Override
  public Integer call() throws IOException {
    Duration retention = vacuum == null ? null : parseDuration(vacuum);
    try (Database db = openForChanges()) {
      Collection c = db.collection(collection);
      Compactor.Result r = c.compact();
      if (r.inputSegments() == 0) {
        out().printf("nothing to compact in '%s'%n", collection);
      } else {
        out()
            .printf(
                "compacted %d segment(s) into %d: %d rows written, %d deleted rows dropped;"
                    + " version %d%n",
                r.inputSegments(),
                r.outputSegments(),
                r.rowsWritten(),
                r.rowsDropped(),
                r.version());
      }
      if (retention != null) {
        Vacuum.Result v = new Vacuum(c.engine()).vacuum(retention);
        audit(
            db,
            "vacuum",
            collection,
            v.manifestsDeleted() + " manifests, " + v.filesDeleted() + " files deleted");
        out()
            .printf(
                "vacuumed %d manifest(s) and %d file(s), %s freed%n",
                v.manifestsDeleted(), v.filesDeleted(), Sizes.human(v.bytesFreed()));
      }
    }
    return 0;
  }

  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.matches("\\d+[smhd]")) {
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    throw new IllegalArgumentException(
        "invalid duration '" + s + "': expected a number and s, m, h or d, e.g. 7d");
  }
}
