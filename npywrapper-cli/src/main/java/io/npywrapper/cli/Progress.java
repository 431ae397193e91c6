package io.npywrapper.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error, drawn only when it is a terminal and at most ten times a
 * second. Not thread-safe.
 */
final class Progress {
  private final PrintWriter err;
  private final long total;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastDraw;

  Progress(PrintWriter err, long total) {
    this.err = err;
    this.total = total;
    this.terminal = System.console() != null && System.console().isTerminal();
  }

  void update(long done) {
    long now = System.nanoTime();
    if (!terminal || now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int width = 30;
    int filled = total == 0 ? width : (int) (width * done / total);
    double seconds = (now - start) / 1e9;
    err.printf(
        Locale.ROOT,
        "\r[%s%s] %5.1f%%  %,d/%,d rows  %,.0f rows/s",
        "#".repeat(filled),
        " ".repeat(width - filled),
        total == 0 ? 100.0 : 100.0 * done / total,
        done,
        total,
        done / Math.max(seconds, 1e-9));
    err.flush();
  }

  void done() {
    if (terminal && lastDraw != 0) {
      err.print("\r" + " ".repeat(90) + "\r");
      err.flush();
    }
  }
}
