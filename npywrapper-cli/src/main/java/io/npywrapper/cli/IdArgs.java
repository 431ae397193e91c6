package io.npywrapper.cli;

import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Ids;
import java.util.List;

/** Parses ids given on the command line for a collection's id type. Thread-safe. */
final class IdArgs {
  private IdArgs() {}

  static Ids parse(List<String> args, IdType type) {
    if (type == IdType.STRING) {
      return Ids.of(args.toArray(String[]::new));
    }
    long[] ids = new long[args.size()];
    for (int i = 0; i < ids.length; i++) {
      try {
        ids[i] = Long.parseLong(args.get(i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "id '" + args.get(i) + "' is not an integer; the collection has int64 ids");
      }
    }
    return Ids.of(ids);
  }
}
