package io.npywrapper.security;

import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The append-only audit log of a store. {@link #record} buffers an event; the buffer is written as
 * one new object {@code _security/audit/<first ms>-<last ms>-<writer>-<seq>.jsonl} (docs/FORMAT.md)
 * shortly after (the flush delay), when it holds {@value #MAX_BATCH} events, on {@link #flush} and
 * on {@link #close}. Objects are created with put-if-absent under unique names and never rewritten.
 * Any number of processes may write to the same log.
 *
 * <p>Memory is bounded under a flood of denials (e.g. unauthenticated requests): once {@value
 * #MAX_BUFFERED} events wait to be written (the store is slow or failing), further events with
 * outcome {@code denied} are counted instead of kept, and the next object written holds one {@code
 * audit.dropped} event saying how many were lost. Other events (writes, security changes) are
 * always kept: they come from callers who passed authentication and authorization.
 *
 * <p>Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  static final String PREFIX = "_security/audit/";
  static final int MAX_BATCH = 1000;

  /** Buffered events beyond which denials are counted, not kept. */
  static final int MAX_BUFFERED = 10 * MAX_BATCH;

  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final Pattern KEY =
      Pattern.compile("_security/audit/(\\d{15})-(\\d{15})-([0-9a-f]{16})-(\\d{8})\\.jsonl");

  private final BlobStore store;
  private final long flushDelayMs;
  private final String writer = ApiKeys.newId();
  private final ScheduledExecutorService flusher;
  private final List<AuditEvent> buffer = new ArrayList<>();
  private boolean flushScheduled;
  private boolean flushQueued;
  private long dropped;
  private int writing; // events taken by a flush in progress; they return to the buffer on failure
  private int seq;
  private boolean closed;

  AuditLog(BlobStore store, Duration flushDelay) {
    this.store = store;
    this.flushDelayMs = flushDelay.toMillis();
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "npyw-audit-flush");
              t.setDaemon(true);
              return t;
            });
  }

  /** Appends {@code event}; it is written to the store within the flush delay. */
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    boolean flushNow;
    synchronized (buffer) {
      if (closed) {
        throw new IllegalStateException("audit log of " + store.uri() + " is closed");
      }
      if (buffer.size() + writing >= MAX_BUFFERED && AuditEvent.DENIED.equals(event.outcome())) {
        dropped++;
        return;
      }
      buffer.add(event);
      flushNow = buffer.size() >= MAX_BATCH && !flushQueued;
      if (flushNow) {
        flushQueued = true; // one queued flush at a time, however many events arrive meanwhile
      } else if (!flushScheduled) {
        flushScheduled = true;
        flusher.schedule(this::backgroundFlush, flushDelayMs, TimeUnit.MILLISECONDS);
      }
    }
    if (flushNow) {
      flusher.execute(this::backgroundFlush);
    }
  }

  private void backgroundFlush() {
    synchronized (buffer) {
      flushQueued = false;
    }
    try {
      flush();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "audit log of " + store.uri() + ": flush failed", e);
      synchronized (buffer) {
        if (!closed && !flushScheduled && !buffer.isEmpty()) {
          flushScheduled = true;
          flusher.schedule(
              this::backgroundFlush, Math.max(flushDelayMs, 1000), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /** Writes every buffered event now. On failure the events stay buffered for the next try. */
  public void flush() throws IOException {
    synchronized (this) { // one writer of objects at a time keeps objects in event order
      List<AuditEvent> batch;
      synchronized (buffer) {
        flushScheduled = false;
        if (dropped > 0) {
          buffer.add(droppedEvent(dropped));
          dropped = 0;
        }
        if (buffer.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(buffer);
        buffer.clear();
        writing = batch.size();
      }
      int done = 0;
      try {
        for (int i = 0; i < batch.size(); i += MAX_BATCH) {
          List<AuditEvent> part = batch.subList(i, Math.min(batch.size(), i + MAX_BATCH));
          write(part);
          done += part.size();
          synchronized (buffer) {
            writing -= part.size();
          }
        }
      } catch (IOException | RuntimeException e) {
        synchronized (buffer) {
          buffer.addAll(0, batch.subList(done, batch.size()));
          writing = 0;
        }
        throw e;
      }
    }
  }

  private AuditEvent droppedEvent(long count) {
    return new AuditEvent(
        Instant.now(),
        "audit",
        "audit.dropped",
        null,
        AuditEvent.FAILED,
        count
            + " denied events were not recorded: more than "
            + MAX_BUFFERED
            + " events were waiting to be written to "
            + store.uri());
  }

  /** Events waiting to be written (for tests). */
  int buffered() {
    synchronized (buffer) {
      return buffer.size();
    }
  }

  private void write(List<AuditEvent> batch) throws IOException {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (AuditEvent e : batch) {
      first = Math.min(first, e.time().toEpochMilli());
      last = Math.max(last, e.time().toEpochMilli());
    }
    byte[] data = AuditFormat.write(batch);
    while (true) {
      String key =
          String.format(
              "%s%015d-%015d-%s-%08d.jsonl",
              PREFIX, Math.max(0, first), Math.max(0, last), writer, seq++);
      if (store.putIfAbsent(key, data)) {
        return;
      }
    }
  }

  /**
   * The events with {@code from <= time < to}, in time order (events of equal time in the order
   * written), at most {@code limit} of them, earliest first. Events buffered here are flushed
   * first. An object that cannot be read (torn, truncated, tampered with) is not skipped silently:
   * it shows up as an event with action {@code audit.corrupt}, outcome {@code failed} and the
   * object's name and problem as detail.
   */
  public List<AuditEvent> read(Instant from, Instant to, int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    flush();
    long fromMs = from.toEpochMilli();
    long toMs = to.toEpochMilli();
    List<AuditEvent> out = new ArrayList<>();
    for (BlobInfo b : store.list(PREFIX)) {
      Matcher m = KEY.matcher(b.key());
      if (!m.matches()) {
        continue; // not ours (e.g. a temporary file of another tool)
      }
      long first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      if (last < fromMs || first > toMs) {
        continue;
      }
      String source = store.uri() + "/" + b.key();
      try {
        for (AuditEvent e : AuditFormat.read(store.read(b.key()), source)) {
          if (!e.time().isBefore(from) && e.time().isBefore(to)) {
            out.add(e);
          }
        }
      } catch (SecurityFormatException e) {
        out.add(
            new AuditEvent(
                Instant.ofEpochMilli(first),
                "audit",
                "audit.corrupt",
                null,
                AuditEvent.FAILED,
                e.getMessage()));
      }
    }
    out.sort(Comparator.comparing(AuditEvent::time));
    return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
  }

  /** Flushes buffered events and stops the background flusher; idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (buffer) {
      if (closed) {
        return;
      }
    }
    try {
      flush();
    } finally {
      synchronized (buffer) {
        closed = true;
      }
      flusher.shutdownNow();
    }
  }
}
