package io.npywrapper.bench.ann;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The record of a finished index build kept in the index's directory ({@value #FILE}): what was
 * built (a parameter string naming data set, sizes and build settings) and what the build cost, so
 * {@code ann --reuse-indexes} can search an index built by an earlier run and still report its
 * build time. Written last, after the index is complete: a directory without it is rebuilt.
 * Stateless and thread-safe.
 */
final class BuildMarker {
  static final String FILE = "BUILT.properties";

  private BuildMarker() {}

  /** The recorded build of {@code dir} if it was made with {@code params}. */
  static Optional<Recorded> read(Path dir, String params) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      p.load(r);
    }
    if (!params.equals(p.getProperty("params"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Recorded(
              new AnnEngine.Build(
                  Double.parseDouble(p.getProperty("seconds")),
                  Long.parseLong(p.getProperty("indexBytes")),
                  Long.parseLong(p.getProperty("heapBytes"))),
              Double.parseDouble(p.getProperty("importSeconds", "0"))));
    } catch (NullPointerException | NumberFormatException e) {
      throw new IOException(
          f + ": damaged build record (" + e.getMessage() + "); delete " + dir, e);
    }
  }

  /** Records that {@code dir} now holds a complete build made with {@code params}. */
  static void write(Path dir, String params, AnnEngine.Build b, double importSeconds)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("params", params);
    p.setProperty("seconds", Double.toString(b.seconds()));
    p.setProperty("indexBytes", Long.toString(b.indexBytes()));
    p.setProperty("heapBytes", Long.toString(b.heapBytes()));
    p.setProperty("importSeconds", Double.toString(importSeconds));
    try (Writer w = Files.newBufferedWriter(dir.resolve(FILE))) {
      p.store(w, "index build record of the ann benchmark");
    }
  }

  /** A build found on disk and what it cost when it was made. */
  record Recorded(AnnEngine.Build build, double importSeconds) {}
}
