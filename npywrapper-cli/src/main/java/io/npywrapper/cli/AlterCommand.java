package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw alter COLLECTION --add name:type[,name:type...]}: adds attributes to the schema. */
@Command(
    name = "alter",
    mixinStandardHelpOptions = true,
    description =
        "Add attributes to a collection's schema (one commit). Rows written before read them as"
            + " null.")
final class AlterCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(
      names = "--add",
      required = true,
      split = ",",
      paramLabel = "NAME:TYPE",
      description = "attributes to add (string, int64, float64, bool, timestamp, string_list)")
  List<String> add;

  @Override
  public Integer call() throws IOException {
    Map<String, AttributeType> types = ImportCommand.parseTypes(add, "--add");
    try (Database db = openForChanges()) {
      Collection c = db.collection(collection);
      Schema s = c.addAttributes(types);
      out()
          .printf(
              "collection '%s': schema %s; version %d%n", collection, s, c.snapshot().version());
    }
    return 0;
  }
}
