package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Selection;
import io.npywrapper.meta.filter.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw delete COLLECTION (--ids ID... | --filter EXPR)}: deletes rows. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete rows by id (ids not present are ignored) or every row matching a filter"
          + " (docs/FILTERS.md). Prints how many were deleted.",
      "With --filter, the rows matching at the start are deleted; rows written meanwhile are"
          + " not."
    })
final class DeleteCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  /** Exactly one of --ids and --filter. */
  static final class Which {
    @Option(names = "--ids", arity = "1..*", required = true, paramLabel = "ID")
    List<String> ids;

    @Option(names = "--filter", required = true, paramLabel = "EXPR")
    String filter;
  }

  @Override
  public Integer call() throws IOException {
    try (Database db = openForChanges()) {
      Collection c = db.collection(collection);
      Ids ids =
          which.ids != null
              ? IdArgs.parse(which.ids, c.spec().idType())
              : matching(c, which.filter);
      long n = ids.size() == 0 ? 0 : c.delete(ids);
      c.flush();
      out().printf("deleted %d row(s) from '%s'; %d rows remain%n", n, collection, c.count());
    }
    return 0;
  }

  private static Ids matching(Collection c, String filter) throws IOException {
    Selection sel = c.snapshot().select(Filter.parse(filter).bind(c.spec().schema()));
    List<Object> found = new ArrayList<>();
    for (int s = 0; s < sel.segmentCount(); s++) {
      for (int row : sel.rows(s)) {
        found.add(sel.id(s, Integer.toUnsignedLong(row)));
      }
    }
    sel.memRows().forEach(r -> found.add(r.id()));
    if (c.spec().idType() == IdType.STRING) {
      return Ids.of(found.toArray(String[]::new));
    }
    return Ids.of(found.stream().mapToLong(o -> (Long) o).toArray());
  }
}
