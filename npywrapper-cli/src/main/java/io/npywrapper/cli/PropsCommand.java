package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw props COLLECTION [--segment ID] [--set k=v ...] [--remove k ...]}: shows or changes
 * the key/value properties of a collection or of one of its segments.
 */
@Command(
    name = "props",
    mixinStandardHelpOptions = true,
    description =
        "Show or change a collection's key/value properties (or a segment's, with --segment).")
final class PropsCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "add or replace (repeatable)")
  List<String> set;

  @Option(names = "--remove", paramLabel = "KEY", description = "remove a key (repeatable)")
  List<String> remove;

  @Option(names = "--segment", paramLabel = "ID", description = "a segment's properties instead")
  String segment;

  @Override
  public Integer call() throws IOException {
    Map<String, String> toSet = ImportCommand.parseProperties(set, "--set");
    List<String> toRemove = remove == null ? List.of() : remove;
    try (Database db = openForChanges()) {
      Collection c = db.collection(collection);
      Map<String, String> now;
      if (segment != null) {
        now =
            toSet.isEmpty() && toRemove.isEmpty()
                ? segmentProperties(c)
                : c.updateSegmentProperties(segment, toSet, toRemove); // one commit
      } else {
        now =
            toSet.isEmpty() && toRemove.isEmpty()
                ? c.properties()
                : c.updateProperties(toSet, toRemove); // one commit
      }
      for (var e : new java.util.TreeMap<>(now).entrySet()) {
        out().printf("%s=%s%n", e.getKey(), e.getValue());
      }
    }
    return 0;
  }

  private Map<String, String> segmentProperties(Collection c) throws IOException {
    for (var s : c.segments()) {
      if (s.id().equals(segment)) {
        return s.properties();
      }
    }
    throw new java.util.NoSuchElementException(
        "collection '" + collection + "' has no segment '" + segment + "'");
  }
}
