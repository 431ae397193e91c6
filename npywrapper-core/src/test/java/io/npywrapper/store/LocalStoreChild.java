package io.npywrapper.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A child JVM that uses a {@link LocalBlobStore}, for tests that need real processes: one that
 * writes until it is killed with SIGKILL, and racers of {@code putIfAbsent} across processes. The
 * parent side ({@link #start}) runs it with the test's own java binary and class path.
 *
 * <p>Usage: {@code writer ROOT PUBLISH SEED SCRATCH} or {@code race ROOT PUBLISH ID KEYS}, where
 * PUBLISH is a {@link FilePublisher.Mode} name or {@code probe}. Both print {@code ready} once the
 * store is open; a racer then waits for a line on stdin, prints {@code won K} for each key it
 * created and {@code done} at the end.
 */
final class LocalStoreChild {
  private LocalStoreChild() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    FilePublisher.Mode publish =
        args[2].equals("probe") ? null : FilePublisher.Mode.valueOf(args[2]);
    try (LocalBlobStore store = LocalBlobStore.open(Path.of(args[1]), publish)) {
      switch (args[0]) {
        case "writer" -> writeForever(store, Long.parseLong(args[3]), Path.of(args[4]), out);
        case "race" -> race(store, Integer.parseInt(args[3]), Integer.parseInt(args[4]), out);
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    }
  }

  /** Puts self-checking blobs of up to 4 MiB, in every way a store writes, until killed. */
  private static void writeForever(LocalBlobStore store, long seed, Path scratch, PrintStream out)
      throws IOException {
    Files.createDirectories(scratch);
    Path source = scratch.resolve("source-" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[][] blobs = new byte[6][]; // made up front, so that the loop is nearly all writing
    for (int i = 0; i < blobs.length; i++) {
      blobs[i] = TestBlobs.selfChecking(rnd.nextLong(), 16 + rnd.nextInt(4 << 20));
    }
    out.println("ready");
    for (long i = 0; ; i++) {
      byte[] blob = blobs[(int) (i % blobs.length)];
      switch ((int) (i % 3)) {
        case 0 -> store.put("w/hot-" + (i % 8), blob);
        case 1 -> store.putIfAbsent("w/new-" + seed + "-" + i, blob);
        default -> store.put("w/file-" + (i % 8), Files.write(source, blob));
      }
    }
  }

  private static void race(LocalBlobStore store, int id, int keys, PrintStream out)
      throws IOException {
    out.println("ready");
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
    for (int k = 0; k < keys; k++) {
      if (store.putIfAbsent(raceKey(k), racePayload(id, k))) {
        out.println("won " + k);
      }
    }
    out.println("done");
  }

  static String raceKey(int k) {
    return "race/" + (k % 4) + "/key-" + k;
  }

  static byte[] racePayload(int id, int k) {
    return TestBlobs.selfChecking(id * 100_000L + k, 2048 + id * 10 + k);
  }

  /** Starts a child JVM with these arguments; its stderr goes to {@code log}. */
  static Process start(Path log, String... args) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                LocalStoreChild.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
  }
}
