package io.npywrapper.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BusyPoll} over a real loopback connection: it ends on the first byte, on the window, on
 * load and on stop, and refuses to poll where it must not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyPollTest {
  /** Long enough that a test passing "before the window" cannot pass by the window ending. */
  private static final int LONG_MICROS = 30_000_000;

  private ServerSocket listener;
  private Socket client;
  private Socket served;
  private final AtomicInteger handling = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Object me = new Object();

  @BeforeEach
  void connect() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    served = listener.accept();
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    served.close();
    listener.close();
  }

  private CompletableFuture<Long> pollOnPlatformThread(BusyPoll poll) {
    poll.started(me); // this connection began the latest request
    CompletableFuture<Long> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              long t0 = System.nanoTime();
              try {
                assertTrue(poll.await(me, served.getInputStream(), handling::get, stop::get));
                done.complete(System.nanoTime() - t0);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }

  private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached in 20 s");
      Thread.sleep(1);
    }
  }

  @Test
  void endsWhenTheClientSendsAndLeavesTheBytesUnread() throws Exception {
    BusyPoll poll = new BusyPoll(LONG_MICROS, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    CompletableFuture<Long> done = pollOnPlatformThread(poll);
    waitUntil(() -> poll.polling() == 1);
    client.getOutputStream().write("GET".getBytes(StandardCharsets.US_ASCII));
    long took = done.get(20, TimeUnit.SECONDS);
    assertTrue(took < TimeUnit.MICROSECONDS.toNanos(LONG_MICROS), "took " + took + " ns");
    assertEquals(0, poll.polling());
    InputStream in = served.getInputStream();
    assertEquals(3, in.available(), "polling read nothing");
    assertEquals('G', in.read());
  }

  @Test
  void endsWhenTheWindowPasses() throws Exception {
    BusyPoll poll = new BusyPoll(20_000, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    long took = pollOnPlatformThread(poll).get(20, TimeUnit.SECONDS);
    assertTrue(took >= 20_000_000, "returned after " + took + " ns, before the 20 ms window");
  }

  /** Starts a long poll, makes {@code change} while it polls and expects the poll to end. */
  private void assertPollEndsWhen(java.util.function.Consumer<BusyPoll> change) throws Exception {
    BusyPoll poll = new BusyPoll(LONG_MICROS, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    CompletableFuture<Long> done = pollOnPlatformThread(poll);
    waitUntil(() -> poll.polling() == 1);
    change.accept(poll);
    long took = done.get(20, TimeUnit.SECONDS);
    assertTrue(took < TimeUnit.MICROSECONDS.toNanos(LONG_MICROS), "took " + took + " ns");
    assertEquals(0, poll.polling());
  }

  @Test
  void endsWhenEveryProcessorIsTakenByRequests() throws Exception {
    handling.set(1);
    assertPollEndsWhen(p -> handling.set(2));
  }

  @Test
  void endsWhenAnotherConnectionBeginsARequest() throws Exception {
    assertPollEndsWhen(p -> p.started(new Object()));
  }

  @Test
  void endsWhenTheServerStops() throws Exception {
    assertPollEndsWhen(p -> stop.set(true));
  }

  @Test
  void failsWhenTheSocketIsClosedMeanwhile() throws Exception {
    BusyPoll poll = new BusyPoll(LONG_MICROS, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    CompletableFuture<Long> done = pollOnPlatformThread(poll);
    waitUntil(() -> poll.polling() == 1);
    served.close(); // as Http1Server.stop closes an idle connection
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> done.get(20, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.getCause().toString());
    assertEquals(0, poll.polling());
  }

  @Test
  void doesNotPollWhereItMustNot() throws Exception {
    InputStream in = served.getInputStream();
    BusyPoll poll = new BusyPoll(LONG_MICROS, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    // another connection began a request after this one's
    poll.started(new Object());
    assertFalse(poll.await(me, in, () -> 0, () -> false));
    poll.started(me);
    // every processor busy with requests
    assertFalse(poll.await(me, in, () -> 2, () -> false));
    // switched off
    assertFalse(BusyPoll.OFF.await(me, in, () -> 0, () -> false));
    assertFalse(BusyPoll.of(0).await(me, in, () -> 0, () -> false));
    assertEquals(0, BusyPoll.of(0).windowMicros());
    assertEquals(50, BusyPoll.of(50).windowMicros());
    // a virtual thread
    CompletableFuture<Boolean> virtual = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                virtual.complete(poll.await(me, in, () -> 0, () -> false));
              } catch (IOException e) {
                virtual.completeExceptionally(e);
              }
            });
    assertFalse(virtual.get(20, TimeUnit.SECONDS));
    // more pollers than allowed: the second returns at once while the first polls
    CompletableFuture<Long> first = pollOnPlatformThread(poll);
    waitUntil(() -> poll.polling() == 1);
    assertFalse(poll.await(me, in, () -> 0, () -> false));
    assertEquals(1, poll.polling());
    stop.set(true);
    first.get(20, TimeUnit.SECONDS);
  }

  @Test
  void holdsOffWhileMoreConnectionsThanProcessorsSendRequests() throws Exception {
    InputStream in = served.getInputStream();
    Object a = new Object();
    Object b = new Object();
    // three connections took turns on two processors: no polling within the hold
    BusyPoll crowded = new BusyPoll(1_000, 1, () -> 2, 600_000);
    for (Object c : new Object[] {a, b, a, me}) {
      crowded.started(c);
    }
    assertFalse(crowded.await(me, in, () -> 0, () -> false));
    // two connections on two processors each have one to themselves
    BusyPoll two = new BusyPoll(1_000, 1, () -> 2, 600_000);
    for (Object c : new Object[] {a, me, a, me, a, me}) {
      two.started(c);
    }
    assertTrue(two.await(me, in, () -> 0, () -> false));
    // once the hold has passed, polling resumes
    BusyPoll brief = new BusyPoll(1_000, 1, () -> 2, 1_000);
    for (Object c : new Object[] {a, b, me}) {
      brief.started(c);
    }
    assertFalse(brief.await(me, in, () -> 0, () -> false));
    Thread.sleep(1_200);
    brief.started(me);
    assertTrue(brief.await(me, in, () -> 0, () -> false));
  }

  @Test
  void countsOnlyConnectionsThatBeganRequestsWithinTheHold() throws Exception {
    InputStream in = served.getInputStream();
    Object a = new Object();
    Object b = new Object();
    // a and b were active more than a hold ago: only this connection counts now
    BusyPoll poll = new BusyPoll(1_000, 1, () -> 2, 300);
    poll.started(a);
    poll.started(b);
    Thread.sleep(400);
    poll.started(me);
    assertTrue(poll.await(me, in, () -> 0, () -> false));
    // a run of one connection's requests keeps it counted by its latest one, not its first
    BusyPoll run = new BusyPoll(1_000, 1, () -> 1, 1_000);
    run.started(me);
    Thread.sleep(1_200);
    run.started(me); // me again, after more than a hold since its first request
    run.started(a); // another connection right after: two on one processor
    assertFalse(run.await(a, in, () -> 0, () -> false));
  }

  @Test
  void seesCrowdingWhenTheProcessorCountGrows() throws Exception {
    InputStream in = served.getInputStream();
    java.util.concurrent.atomic.AtomicInteger cpus =
        new java.util.concurrent.atomic.AtomicInteger(1);
    BusyPoll poll = new BusyPoll(1_000, 1, cpus::get, 600_000);
    cpus.set(4); // read again within a second; the tracked connections must grow with it
    Thread.sleep(1_100);
    Object[] five = {new Object(), new Object(), new Object(), new Object(), me};
    for (Object c : five) {
      poll.started(c);
    }
    assertFalse(poll.await(me, in, () -> 0, () -> false));
  }

  @Test
  void refusesNegativeSettings() {
    assertThrows(IllegalArgumentException.class, () -> new BusyPoll(-1, 1, () -> 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new BusyPoll(1, -1, () -> 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new BusyPoll(1, 1, () -> 1, -1));
  }

  @Test
  void aServerConnectionPollsBetweenRequestsAndAnswersTheNextOne() throws Exception {
    // 2 s: long enough to see it poll, short enough for the closed connection's last poll
    BusyPoll poll = new BusyPoll(2_000_000, 1, () -> 2, BusyPoll.CROWDED_HOLD_MILLIS);
    try (EchoServer s =
        new EchoServer(Http1Server.MAX_CONNECTIONS, new ConnectionThreads("t-", 4), poll)) {
      try (EchoServer.RawClient c = s.client()) {
        String get = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        assertEquals(200, c.write(get).read().status());
        waitUntil(() -> poll.polling() == 1); // the kept-alive connection waits by polling
        assertEquals(0, s.server.handlingRequests());
        EchoServer.Answer second = c.write(get).read();
        assertEquals(200, second.status());
        assertTrue(second.body().startsWith("GET /a"), second.body());
      }
      waitUntil(() -> s.server.openConnections() == 0);
      assertEquals(0, poll.polling());
      assertEquals(0, s.server.handlingRequests());
    }
  }
}
