package io.npywrapper.bench;

import io.npywrapper.security.CreatedKey;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code auth [BATCHES]}: what {@link Security#authenticate} and {@link Security#allowed} cost per
 * call on a store with 100 users and keys (a temporary directory, removed afterwards). Calls run in
 * batches of 1,000 after a warm-up; the per-call time of each batch is one sample, reported as
 * median, min and max. Not thread-safe; one run at a time.
 */
final class AuthBenchmark {
  static final String USAGE =
      "auth [BATCHES]   cost of Security.authenticate and allowed per call\n";
  private static final int PER_BATCH = 1000;

  private AuthBenchmark() {}

  static void run(String[] args, PrintStream out, PrintStream err) throws IOException {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    if (batches < 1) {
      throw new IllegalArgumentException("BATCHES must be at least 1, got " + batches);
    }
    Path dir = Files.createTempDirectory("npyw-auth-bench");
    try (BlobStore store = BlobStores.open(dir.toString());
        Security sec = Security.open(store)) {
      Principal owner = Principal.owner("bench");
      CreatedKey key = null;
      for (int i = 0; i < 100; i++) {
        sec.createUser(owner, "user" + i, List.of(i % 2 == 0 ? "reader" : "writer"));
        key = sec.createKey(owner, "user" + i, Optional.empty());
      }
      String token = key.token();
      err.println("auth: warming up");
      Principal p = null;
      for (int i = 0; i < 200_000; i++) {
        p = sec.authenticate(token);
      }
      double[] auth = new double[batches];
      double[] allowed = new double[batches];
      boolean sink = false;
      for (int b = 0; b < batches; b++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < PER_BATCH; i++) {
          p = sec.authenticate(token);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < PER_BATCH; i++) {
          sink ^= sec.allowed(p, "docs", Permission.WRITE);
        }
        long t2 = System.nanoTime();
        auth[b] = (t1 - t0) / (double) PER_BATCH;
        allowed[b] = (t2 - t1) / (double) PER_BATCH;
      }
      Samples a = Samples.of(auth);
      Samples w = Samples.of(allowed);
      out.printf(Locale.ROOT, "%-14s %12s %12s %12s%n", "call", "median ns", "min ns", "max ns");
      out.printf(
          Locale.ROOT,
          "%-14s %12.0f %12.0f %12.0f%n",
          "authenticate",
          a.median(),
          a.min(),
          a.max());
      out.printf(
          Locale.ROOT, "%-14s %12.0f %12.0f %12.0f%n", "allowed", w.median(), w.min(), w.max());
      out.printf(
          Locale.ROOT,
          "RESULT {\"bench\":\"auth\",\"batches\":%d,\"per_batch\":%d,"
              + "\"authenticate_median_ns\":%.0f,\"allowed_median_ns\":%.0f,\"user\":\"%s\",\"sink\":%b}%n",
          batches,
          PER_BATCH,
          a.median(),
          w.median(),
          p.user(), // names are [A-Za-z0-9_.@-]: nothing to escape
          sink);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
