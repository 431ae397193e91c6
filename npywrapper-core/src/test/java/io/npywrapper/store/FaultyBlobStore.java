package io.npywrapper.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A {@link BlobStore} that wraps another and injects scheduled faults, the test tool for proving
 * that the layers above survive a misbehaving store. Per operation kind ({@link Op}) and optional
 * key predicate (for {@link Op#LIST}: tested against the prefix) it can:
 *
 * <ul>
 *   <li>{@link #failNext}: throw before doing anything (a clean failure);
 *   <li>{@link #delayNext}: sleep before the operation (slow storage, widened race windows);
 *   <li>{@link #tornPutNext}: store only the first half of the data, then throw (a non-atomic
 *       backend; callers must catch it with checksums);
 *   <li>{@link #succeedThenFail}: do the operation, then throw (a lost acknowledgement: the outcome
 *       is unknown to the caller).
 * </ul>
 *
 * <p>Faults fire in the order they were scheduled; each fires a given number of times ({@link
 * #FOREVER} for no limit). Every injected failure is an {@link InjectedFault}. Keys are validated
 * before any fault, so invalid keys behave exactly as on the wrapped store.
 *
 * <p>Counters record calls per operation and bytes moved ({@link #bytesRead()} counts bytes
 * returned by {@code read}, {@code readRange} and consumed from {@code open} streams), so tests can
 * prove that a query reads only what it must. This store deliberately does not implement {@link
 * LocalFiles}, so the engine cannot bypass it with memory-mapping.
 *
 * <p>Thread-safe; faults and counters may be changed while other threads use the store.
 */
public final class FaultyBlobStore implements BlobStore {
  /** The kinds of operation faults and counters apply to. */
  public enum Op {
    STAT,
    READ,
    READ_RANGE,
    OPEN,
    PUT,
    PUT_IF_ABSENT,
    LIST,
    DELETE
  }

  /** As a count of times: the fault fires on every matching call until {@link #clearFaults}. */
  public static final int FOREVER = Integer.MAX_VALUE;

  /** The exception of every injected failure; says whether the operation was carried out. */
  public static final class InjectedFault extends IOException {
    private static final long serialVersionUID = 1L;
    private final Op op;
    private final String key;
    private final boolean performed;

    InjectedFault(Op op, String key, boolean performed, String message) {
      super(message);
      this.op = op;
      this.key = key;
      this.performed = performed;
    }

    /** The operation that failed. */
    public Op op() {
      return op;
    }

    /** The key (or, for {@link Op#LIST}, the prefix) it was called with. */
    public String key() {
      return key;
    }

    /** Whether the operation changed or read the store before the fault was thrown. */
    public boolean performed() {
      return performed;
    }
  }

  private enum Kind {
    FAIL_BEFORE,
    DELAY,
    TORN,
    FAIL_AFTER
  }

  private record Rule(
      Op op, Kind kind, Predicate<String> keys, AtomicInteger remaining, Duration delay) {
    boolean take(Op o, String key) {
      if (o != op || !keys.test(key)) {
        return false;
      }
      while (true) {
        int r = remaining.get();
        if (r == FOREVER) {
          return true;
        }
        if (r <= 0) {
          return false;
        }
        if (remaining.compareAndSet(r, r - 1)) {
          return true;
        }
      }
    }
  }

  private final BlobStore delegate;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<Op, LongAdder> calls = counters();
  private final Map<Op, LongAdder> read = counters();
  private final Map<Op, LongAdder> written = counters();
  private final LongAdder injected = new LongAdder();

  /** Wraps {@code delegate}, which this store closes when it is closed. */
  public FaultyBlobStore(BlobStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped store, for checking what really happened behind a fault. */
  public BlobStore delegate() {
    return delegate;
  }

  // ---- scheduling -----------------------------------------------------------------------------

  /** The next {@code times} calls of {@code op} throw before doing anything. */
  public FaultyBlobStore failNext(Op op, int times) {
    return failNext(op, times, k -> true);
  }

  /** The next {@code times} calls of {@code op} on matching keys throw before doing anything. */
  public FaultyBlobStore failNext(Op op, int times, Predicate<String> keys) {
    return schedule(op, Kind.FAIL_BEFORE, times, keys, Duration.ZERO);
  }

  /** The next call of {@code op} on a matching key is carried out, then reported as failed. */
  public FaultyBlobStore succeedThenFail(Op op, Predicate<String> keys) {
    return succeedThenFail(op, 1, keys);
  }

  /** The next {@code times} calls of {@code op} on matching keys run, then throw. */
  public FaultyBlobStore succeedThenFail(Op op, int times, Predicate<String> keys) {
    return schedule(op, Kind.FAIL_AFTER, times, keys, Duration.ZERO);
  }

  /**
   * The next {@code times} {@link Op#PUT}s on matching keys store only the first half of their data
   * ({@code size / 2} bytes), then throw: what a backend without atomic writes can leave.
   */
  public FaultyBlobStore tornPutNext(int times, Predicate<String> keys) {
    return schedule(Op.PUT, Kind.TORN, times, keys, Duration.ZERO);
  }

  /** The next {@code times} calls of {@code op} on matching keys first sleep for {@code delay}. */
  public FaultyBlobStore delayNext(Op op, int times, Duration delay, Predicate<String> keys) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, got " + delay);
    }
    return schedule(op, Kind.DELAY, times, keys, delay);
  }

  /** Removes every scheduled fault, fired or not; counters are kept. */
  public FaultyBlobStore clearFaults() {
    rules.clear();
    return this;
  }

  /** How many scheduled faults have firings left ({@link #FOREVER} ones count as one each). */
  public int pendingFaults() {
    return (int) rules.stream().filter(r -> r.remaining().get() > 0).count();
  }

  private FaultyBlobStore schedule(
      Op op, Kind kind, int times, Predicate<String> keys, Duration delay) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(keys, "keys");
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1 (or FOREVER), got " + times);
    }
    rules.add(new Rule(op, kind, keys, new AtomicInteger(times), delay));
    return this;
  }

  // ---- counters -------------------------------------------------------------------------------

  /** How many times {@code op} was called, including calls that failed. */
  public long calls(Op op) {
    return calls.get(op).sum();
  }

  /** Bytes handed to callers by all reads. */
  public long bytesRead() {
    return read.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Bytes handed to callers by {@code op} ({@link Op#READ}, {@link Op#READ_RANGE}, {@link
   * Op#OPEN}).
   */
  public long bytesRead(Op op) {
    return read.get(op).sum();
  }

  /** Bytes sent to the wrapped store by all writes, including torn and failed-after writes. */
  public long bytesWritten() {
    return written.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** How many faults of any kind but delays were thrown. */
  public long faultsInjected() {
    return injected.sum();
  }

  /** Sets every counter to zero. */
  public void resetCounters() {
    for (Map<Op, LongAdder> m : List.of(calls, read, written)) {
      m.values().forEach(LongAdder::reset);
    }
    injected.reset();
  }

  // ---- the store ------------------------------------------------------------------------------

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    Kind k = before(Op.STAT, Keys.check(key));
    Optional<BlobInfo> r = delegate.stat(key);
    after(k, Op.STAT, key, r.isPresent() ? "found" : "absent");
    return r;
  }

  @Override
  public byte[] read(String key) throws IOException {
    Kind k = before(Op.READ, Keys.check(key));
    byte[] r = delegate.read(key);
    read.get(Op.READ).add(r.length);
    after(k, Op.READ, key, r.length + " bytes");
    return r;
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    Kind k = before(Op.READ_RANGE, Keys.check(key));
    byte[] r = delegate.readRange(key, offset, length);
    read.get(Op.READ_RANGE).add(r.length);
    after(k, Op.READ_RANGE, key, r.length + " bytes");
    return r;
  }

  @Override
  public InputStream open(String key) throws IOException {
    Kind k = before(Op.OPEN, Keys.check(key));
    InputStream in = new Counting(delegate.open(key), read.get(Op.OPEN));
    if (k == Kind.FAIL_AFTER) {
      in.close();
      after(k, Op.OPEN, key, "opened");
    }
    return in;
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    Kind k = before(Op.PUT, Keys.check(key));
    if (k == Kind.TORN) {
      byte[] half = Arrays.copyOf(data, data.length / 2);
      delegate.put(key, half);
      written.get(Op.PUT).add(half.length);
      throw torn(key, half.length, data.length);
    }
    delegate.put(key, data);
    written.get(Op.PUT).add(data.length);
    after(k, Op.PUT, key, "stored " + data.length + " bytes");
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Kind k = before(Op.PUT, Keys.check(key));
    if (k == Kind.TORN) {
      long size = Files.size(file);
      Path half = Files.createTempFile("npyw-torn", ".tmp");
      try {
        try (FileChannel in = FileChannel.open(file);
            FileChannel out = FileChannel.open(half, StandardOpenOption.WRITE)) {
          long pos = 0;
          while (pos < size / 2) {
            pos += in.transferTo(pos, size / 2 - pos, out);
          }
        }
        delegate.put(key, half);
      } finally {
        Files.deleteIfExists(half);
      }
      written.get(Op.PUT).add(size / 2);
      throw torn(key, size / 2, size);
    }
    delegate.put(key, file);
    long size = Files.size(file);
    written.get(Op.PUT).add(size);
    after(k, Op.PUT, key, "stored " + size + " bytes");
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) throws IOException {
    Kind k = before(Op.PUT_IF_ABSENT, Keys.check(key));
    boolean created = delegate.putIfAbsent(key, data);
    written.get(Op.PUT_IF_ABSENT).add(data.length);
    after(k, Op.PUT_IF_ABSENT, key, created ? "created" : "already existed");
    return created;
  }

  @Override
  public boolean putIfAbsent(String key, Path file) throws IOException {
    Kind k = before(Op.PUT_IF_ABSENT, Keys.check(key));
    boolean created = delegate.putIfAbsent(key, file);
    written.get(Op.PUT_IF_ABSENT).add(Files.size(file));
    after(k, Op.PUT_IF_ABSENT, key, created ? "created" : "already existed");
    return created;
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    Kind k = before(Op.LIST, Keys.checkPrefix(prefix));
    List<BlobInfo> r = delegate.list(prefix);
    after(k, Op.LIST, prefix, r.size() + " blobs");
    return r;
  }

  @Override
  public boolean delete(String key) throws IOException {
    Kind k = before(Op.DELETE, Keys.check(key));
    boolean deleted = delegate.delete(key);
    after(k, Op.DELETE, key, deleted ? "deleted" : "absent");
    return deleted;
  }

  @Override
  public String uri() {
    return delegate.uri();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultyBlobStore[" + delegate + ", " + rules.size() + " faults scheduled]";
  }

  // ---- fault machinery ------------------------------------------------------------------------

  /**
   * Counts the call, applies delays, throws a fail-before, and returns the fault still to apply.
   */
  private Kind before(Op op, String key) throws IOException {
    calls.get(op).increment();
    for (Rule r : rules) {
      if (r.kind() == Kind.DELAY && r.take(op, key)) {
        sleep(r.delay());
      }
    }
    for (Rule r : rules) {
      if (r.kind() != Kind.DELAY && r.take(op, key)) {
        if (r.kind() == Kind.FAIL_BEFORE) {
          injected.increment();
          throw new InjectedFault(
              op, key, false, where(op, key) + " failed before it ran (injected fault)");
        }
        return r.kind();
      }
    }
    return null;
  }

  private void after(Kind k, Op op, String key, String outcome) throws InjectedFault {
    if (k == Kind.FAIL_AFTER) {
      injected.increment();
      throw new InjectedFault(
          op,
          key,
          true,
          where(op, key)
              + " ran ("
              + outcome
              + ") but is reported as failed: the outcome is unknown to the caller (injected"
              + " fault)");
    }
  }

  private InjectedFault torn(String key, long stored, long size) {
    injected.increment();
    return new InjectedFault(
        Op.PUT,
        key,
        true,
        where(Op.PUT, key)
            + " stored only "
            + stored
            + " of "
            + size
            + " bytes, then failed (injected torn write)");
  }

  private String where(Op op, String key) {
    return op + " of '" + key + "' in store " + delegate.uri();
  }

  private static void sleep(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during an injected delay");
    }
  }

  private static Map<Op, LongAdder> counters() {
    Map<Op, LongAdder> m = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      m.put(op, new LongAdder());
    }
    return m;
  }

  /** Counts the bytes a caller consumes from a stream. */
  private static final class Counting extends FilterInputStream {
    private final LongAdder counter;

    Counting(InputStream in, LongAdder counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counter.increment();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        counter.add(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return in.skip(n); // skipped bytes are not handed to the caller
    }
  }
}
