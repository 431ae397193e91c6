package io.npywrapper.search.graph;

import java.io.IOException;

/**
 * A graph index file that cannot be used: corrupt (bad magic, checksum, structure), of a format
 * version this build does not read, or built for other vectors. Names the file and what was
 * expected. An index is derived data: the caller ignores it and builds a new one.
 */
public final class GraphIndexException extends IOException {
  public GraphIndexException(String file, String problem) {
    super(file + ": " + problem);
  }
}
