package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes and this one create users and keys in one store at the same time while each prunes
 * old versions (keeping only {@value #KEEP}): every change survives (put-if-absent commits rebase
 * onto each other), exactly the newest versions are kept, and every change is in the audit log.
 */
class SecurityProcessesTest {
  private static final int PER_PROCESS = 12;
  private static final int KEEP = 15;

  @TempDir Path dir;

  @Test
  void threeProcessesChangingSecurityStateLoseNoUpdate() throws Exception {
    String store = dir.toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    try {
      for (String prefix : List.of("a", "b")) {
        ProcessBuilder pb =
            new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                SecurityChild.class.getName(),
                store,
                prefix,
                Integer.toString(PER_PROCESS),
                Integer.toString(KEEP));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        children.add(p);
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        outs.add(out);
        assertEquals("ready", out.readLine());
      }
      for (Process p : children) {
        PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("go");
      }
      try (BlobStore s = BlobStores.open(store);
          Security sec = Security.open(s, Clock.systemUTC(), KEEP)) {
        Principal owner = Principal.owner("parent");
        for (int i = 0; i < PER_PROCESS; i++) {
          sec.createUser(owner, "p-" + i, List.of("writer"));
        }
        for (BufferedReader out : outs) {
          assertEquals("done", out.readLine());
        }
        for (Process p : children) {
          assertEquals(0, p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1);
        }
        assertEquals(3 * PER_PROCESS, sec.users(owner).size());
        assertEquals(2 * PER_PROCESS, sec.keys(owner, Optional.empty()).size());
        long changes =
            sec.audit().read(Instant.EPOCH, Instant.now().plusSeconds(5), 10_000).stream()
                .filter(e -> e.action().startsWith("user.") || e.action().startsWith("key."))
                .count();
        assertEquals(5 * PER_PROCESS, changes);
        List<Long> versions = StateStore.open(s, Clock.systemUTC(), Duration.ZERO).versions();
        assertEquals(
            LongStream.rangeClosed(5 * PER_PROCESS - KEEP + 1, 5 * PER_PROCESS).boxed().toList(),
            versions,
            "one version per change, the newest kept");
      }
    } finally {
      for (Process p : children) {
        p.destroyForcibly();
      }
    }
  }
}
