package io.npywrapper.server.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A writer client: until its deadline, back to back, adds batches of new rows under ids of its own
 * (50%), upserts rows it wrote before (30%) and deletes rows it wrote (20%) — each once first, then
 * at random; after each acknowledged write it reads one of the rows written back (it must be there,
 * or gone after a delete). When the time is up it checks a sample of the rows it left behind and of
 * those it deleted. Ids of writer {@code w} start at {@code 10^12 × (w + 1)}, so writers never
 * touch each other's rows nor the pre-existing ones readers get. Not thread-safe: one per thread.
 */
final class WriterClient implements Runnable {
  static final String ADD = "add";
  static final String UPSERT = "upsert";
  static final String DELETE = "delete";
  static final String READ_BACK = "read_back";
  static final String FINAL_CHECK = "final_check";
  private static final int SAMPLE = 50;
  private static final int[] FIRST = {0, 50, 80};

  private final LoadHttp http;
  private final LoadOptions o;
  private final Random rnd;
  private final long deadline;
  private final OpLog log;
  private final String path;
  private final List<Long> live = new ArrayList<>();
  private final List<Long> deleted = new ArrayList<>();
  private long nextId;

  WriterClient(LoadHttp http, LoadOptions o, int writer, long seed, long deadlineNanos, OpLog log) {
    this.http = http;
    this.o = o;
    this.rnd = new Random(seed);
    this.deadline = deadlineNanos;
    this.log = log;
    this.path = "/v1/collections/" + o.collection();
    this.nextId = 1_000_000_000_000L * (writer + 1);
  }

  @Override
  public void run() {
    for (int i = 0; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); i++) {
      // Add, upsert and delete once first, so that even a short run covers them all.
      int r = i < FIRST.length ? FIRST[i] : rnd.nextInt(100);
      String op = r < 50 || live.size() < o.writeBatch() ? ADD : r < 80 ? UPSERT : DELETE;
      try {
        switch (op) {
          case ADD -> write(newIds(), false);
          case UPSERT -> write(pick(false), true);
          default -> delete(pick(true));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.error(op, e.toString());
      }
    }
    try {
      finalCheck();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error(FINAL_CHECK, e.toString());
    }
  }

  private List<Long> newIds() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < o.writeBatch(); i++) {
      ids.add(nextId++);
    }
    return ids;
  }

  /** A batch of distinct live ids, removed from {@code live} when {@code remove}. */
  private List<Long> pick(boolean remove) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < o.writeBatch() && !live.isEmpty(); i++) {
      int at = rnd.nextInt(live.size());
      Long id = remove ? live.remove(at) : live.get(at);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private void write(List<Long> ids, boolean upsert) throws Exception {
    String op = upsert ? UPSERT : ADD;
    StringBuilder b = new StringBuilder("{\"ids\":").append(ids).append(",\"vectors\":[");
    for (int i = 0; i < ids.size(); i++) {
      LoadHttp.vector(b.append(i == 0 ? "" : ","), rnd, o.dim());
    }
    b.append("],\"attributes\":[");
    for (int i = 0; i < ids.size(); i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"category\":\"c")
          .append(rnd.nextInt(LoadData.CATEGORIES))
          .append("\",\"price\":")
          .append(rnd.nextInt(10_000) / 100.0)
          .append('}');
    }
    b.append("]}");
    long t0 = System.nanoTime();
    LoadHttp.Answer a = http.post(path + "/rows" + (upsert ? "?mode=upsert" : ""), b);
    long took = System.nanoTime() - t0;
    if (!a.ok()) {
      log.error(op, ids.size() + " rows: status " + a.describe());
      return;
    }
    if (a.json().path("count").asLong(-1) != ids.size()) {
      log.error(op, "wrote " + ids.size() + " rows, answer " + a.describe());
      return;
    }
    log.ok(op, took);
    if (!upsert) {
      live.addAll(ids);
    }
    readBack(ids.get(rnd.nextInt(ids.size())), true);
  }

  private void delete(List<Long> ids) throws Exception {
    long t0 = System.nanoTime();
    LoadHttp.Answer a = http.post(path + "/delete", "{\"ids\":" + ids + "}");
    long took = System.nanoTime() - t0;
    if (!a.ok()) {
      log.error(DELETE, "status " + a.describe());
      return;
    }
    if (a.json().path("deleted").asLong(-1) != ids.size()) {
      log.error(DELETE, "deleted " + ids.size() + " live rows, answer " + a.describe());
      return;
    }
    log.ok(DELETE, took);
    deleted.addAll(ids);
    readBack(ids.get(rnd.nextInt(ids.size())), false);
  }

  /** GET of an acknowledged row: 200 with that id when it should be there, else 404. */
  private void readBack(long id, boolean present) throws Exception {
    long t0 = System.nanoTime();
    String problem = check(id, present);
    if (problem == null) {
      log.ok(READ_BACK, System.nanoTime() - t0);
    } else {
      log.error(READ_BACK, problem);
    }
  }

  private String check(long id, boolean present) throws Exception {
    LoadHttp.Answer a = http.get(path + "/rows/" + id);
    if (present && (a.status() != 200 || a.json().path("id").asLong(-1) != id)) {
      return "acknowledged row " + id + " not readable: " + a.describe();
    }
    if (!present && a.status() != 404) {
      return "deleted row " + id + " still answers " + a.describe();
    }
    return null;
  }

  private void finalCheck() throws Exception {
    for (int i = 0; i < SAMPLE && i < live.size() + deleted.size(); i++) {
      boolean present = i % 2 == 0 ? !live.isEmpty() : deleted.isEmpty();
      List<Long> from = present ? live : deleted;
      long id = from.get(rnd.nextInt(from.size()));
      long t0 = System.nanoTime();
      String problem = check(id, present);
      if (problem == null) {
        log.ok(FINAL_CHECK, System.nanoTime() - t0);
      } else {
        log.error(FINAL_CHECK, problem);
      }
    }
  }
}
