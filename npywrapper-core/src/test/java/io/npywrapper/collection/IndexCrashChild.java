package io.npywrapper.collection;

import io.npywrapper.Collection;
import io.npywrapper.Database;

/**
 * Child process of {@link IndexCrashTest}: builds the missing graph indexes of "c" until killed.
 */
public final class IndexCrashChild {
  private IndexCrashChild() {}

  public static void main(String[] args) throws Exception {
    try (Database db = Database.open(args[0], IndexCrashTest.options());
        Collection c = db.collection("c")) {
      System.out.println("ready");
      System.out.flush();
      SegmentIndexer.Result r = c.buildIndexes();
      System.out.println("done " + r.built());
    }
  }
}
