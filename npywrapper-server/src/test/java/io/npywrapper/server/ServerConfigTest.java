package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server settings' defaults and range checks. */
class ServerConfigTest {
  @Test
  void defaults() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals("127.0.0.1", c.bind());
    assertEquals(7070, c.port());
    assertEquals(Duration.ofSeconds(10), c.shutdownGrace());
    assertEquals(256, c.platformThreads());
    assertEquals(0, c.withPlatformThreads(0).platformThreads());
    assertEquals(10_000, c.withPlatformThreads(10_000).platformThreads());
    assertEquals(ServerConfig.DEFAULT_BUSY_POLL_MICROS, c.busyPollMicros());
    assertEquals(50, c.withBusyPollMicros(50).busyPollMicros());
    assertEquals(0, c.withBusyPollMicros(0).busyPollMicros());
    assertEquals(1_000, c.withBusyPollMicros(1_000).busyPollMicros());
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheirName() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals(
        "platformThreads must be between 0 and 10000, got -1",
        assertThrows(IllegalArgumentException.class, () -> c.withPlatformThreads(-1)).getMessage());
    assertEquals(
        "platformThreads must be between 0 and 10000, got 10001",
        assertThrows(IllegalArgumentException.class, () -> c.withPlatformThreads(10_001))
            .getMessage());
    assertEquals(
        "busyPollMicros must be between 0 and 1000, got -1",
        assertThrows(IllegalArgumentException.class, () -> c.withBusyPollMicros(-1)).getMessage());
    assertEquals(
        "busyPollMicros must be between 0 and 1000, got 1001",
        assertThrows(IllegalArgumentException.class, () -> c.withBusyPollMicros(1_001))
            .getMessage());
    assertEquals(
        "port must be between 0 and 65535, got 65536",
        assertThrows(IllegalArgumentException.class, () -> c.withPort(65536)).getMessage());
    assertEquals(
        "shutdownGrace must be between 0 and 1 hour, got PT-1S",
        assertThrows(
                IllegalArgumentException.class, () -> c.withShutdownGrace(Duration.ofSeconds(-1)))
            .getMessage());
  }
}
