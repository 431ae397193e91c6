package io.npywrapper.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Platform threads for the first connections, virtual threads beyond, slots given back. */
class ConnectionThreadsTest {
  private static final String GET = "GET /p HTTP/1.1\r\nHost: t\r\n\r\n";

  @Test
  void platformThreadsUpToTheLimitThenVirtualOnes() throws Exception {
    ConnectionThreads threads = new ConnectionThreads("t-", 2);
    CountDownLatch release = new CountDownLatch(1);
    Runnable waits =
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread a = threads.newThread(waits);
    Thread b = threads.newThread(waits);
    Thread c = threads.newThread(waits);
    assertFalse(a.isVirtual());
    assertFalse(b.isVirtual());
    assertTrue(c.isVirtual());
    assertTrue(a.getName().startsWith("t-p-"), a.getName());
    assertTrue(c.getName().startsWith("t-v-"), c.getName());
    assertEquals(2, threads.platformThreadsInUse());
    a.start();
    b.start();
    c.start();
    release.countDown();
    a.join();
    b.join();
    c.join();
    assertEquals(0, threads.platformThreadsInUse(), "slots come back when the tasks end");
    assertFalse(threads.newThread(() -> {}).isVirtual());
  }

  @Test
  void aTaskThatThrowsGivesItsSlotBack() throws Exception {
    ConnectionThreads threads = new ConnectionThreads("t-", 1);
    Thread t =
        threads.newThread(
            () -> {
              throw new IllegalStateException("boom");
            });
    t.setUncaughtExceptionHandler((th, e) -> {});
    t.start();
    t.join();
    assertEquals(0, threads.platformThreadsInUse());
  }

  @Test
  void zeroMeansVirtualThreadsOnlyAndNegativeIsRefused() {
    assertTrue(new ConnectionThreads("t-", 0).newThread(() -> {}).isVirtual());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ConnectionThreads("t-", -1));
    assertEquals("platformLimit must be 0 or more, got -1", e.getMessage());
  }

  @Test
  void aServerAnswersOnBothKindsAndReusesAFreedPlatformSlot() throws Exception {
    ConnectionThreads threads = new ConnectionThreads("t-", 1);
    try (EchoServer s = new EchoServer(Http1Server.MAX_CONNECTIONS, threads)) {
      try (EchoServer.RawClient first = s.client();
          EchoServer.RawClient second = s.client()) {
        EchoServer.Answer a = first.write(GET).read();
        EchoServer.Answer b = second.write(GET).read();
        assertEquals(200, a.status());
        assertEquals(200, b.status());
        assertTrue(a.head().contains("X-Virtual: false\r\n"), a.head());
        assertTrue(b.head().contains("X-Virtual: true\r\n"), b.head());
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (threads.platformThreadsInUse() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(0, threads.platformThreadsInUse(), "the closed connection's slot is free");
      try (EchoServer.RawClient third = s.client()) {
        EchoServer.Answer c = third.write(GET).read();
        assertTrue(c.head().contains("X-Virtual: false\r\n"), c.head());
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
