package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw delete COLLECTION --ids ID...}: deletes rows by id. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete rows by id; ids not present are ignored. Prints how many were deleted.")
final class DeleteCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--ids", arity = "1..*", required = true, paramLabel = "ID")
  List<String> ids;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      Collection c = db.collection(collection);
      long n = c.delete(IdArgs.parse(ids, c.spec().idType()));
      c.flush();
      out().printf("deleted %d row(s) from '%s'; %d rows remain%n", n, collection, c.count());
    }
    return 0;
  }
}
