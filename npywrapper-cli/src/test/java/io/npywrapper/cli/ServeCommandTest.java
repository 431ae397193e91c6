package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code npyw serve} refuses out-of-range tuning options before it opens or creates a store. */
class ServeCommandTest {
  @TempDir Path dir;

  private Cli serve(String option, String value) {
    return Cli.run(
        "--store", dir.resolve("store").toString(), "serve", "--port", "0", option, value);
  }

  @Test
  void outOfRangeOptionsAreRefusedWithTheirRange() {
    Cli poll = serve("--busy-poll-micros", "5000");
    assertEquals(1, poll.exitCode(), poll.err());
    assertTrue(
        poll.err().contains("busyPollMicros must be between 0 and 1000, got 5000"), poll.err());
    Cli threads = serve("--platform-threads", "-1");
    assertEquals(1, threads.exitCode(), threads.err());
    assertTrue(
        threads.err().contains("platformThreads must be between 0 and 10000, got -1"),
        threads.err());
    assertFalse(Files.exists(dir.resolve("store")), "nothing written for a refused command");
  }
}
