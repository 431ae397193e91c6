package io.npywrapper.collection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for {@link WriteAheadLogTest}: takes the log in the directory given as the only
 * argument, appends one record ({@code "child"}), prints {@code locked} (or {@code busy} when the
 * log is held) and then holds the lock until it is killed or its stdin closes.
 */
public final class WalLockChild {
  private WalLockChild() {}

  public static void main(String[] args) throws Exception {
    WriteAheadLog log = WriteAheadLog.tryOpen(Path.of(args[0]));
    if (log == null) {
      System.out.println("busy");
      System.out.flush();
      return;
    }
    log.replay(0, e -> {});
    log.append("child".getBytes(StandardCharsets.UTF_8));
    System.out.println("locked");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lock until killed
    }
  }
}
