package io.npywrapper.server.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A query client: until its deadline, back to back, a random mix of vector searches (k nearest,
 * 40%), filtered vector searches (20%), filter-only queries (15%), gets of pre-existing rows by id
 * (15%) and searches pinned to a version (10%) — each kind once first, then at random — checking
 * each answer: a 2xx status, exactly k hits (or {@code limit} rows), every hit matching the filter,
 * a get answering the id asked for, and the same ids each time the same search runs again at the
 * same version. Not thread-safe: one per thread.
 */
final class ReaderClient implements Runnable {
  static final String SEARCH = "search";
  static final String SEARCH_FILTER = "search_filter";
  static final String QUERY = "query";
  static final String GET = "get";
  static final String SEARCH_VERSION = "search_version";
  private static final int PINNED = 16;
  private static final int[] FIRST = {0, 40, 60, 75, 90};

  private record Pinned(String body, List<Long> ids) {}

  private final LoadHttp http;
  private final LoadOptions o;
  private final Random rnd;
  private final long deadline;
  private final OpLog log;
  private final String path;
  private final List<Pinned> pinned = new ArrayList<>();
  private long lastVersion = -1;

  ReaderClient(LoadHttp http, LoadOptions o, long seed, long deadlineNanos, OpLog log) {
    this.http = http;
    this.o = o;
    this.rnd = new Random(seed);
    this.deadline = deadlineNanos;
    this.log = log;
    this.path = "/v1/collections/" + o.collection();
  }

  @Override
  public void run() {
    for (int i = 0; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); i++) {
      // Every kind once first, so that even a short run covers them all.
      int r = i < FIRST.length ? FIRST[i] : rnd.nextInt(100);
      String op =
          r < 40 ? SEARCH : r < 60 ? SEARCH_FILTER : r < 75 ? QUERY : r < 90 ? GET : SEARCH_VERSION;
      long t0 = System.nanoTime();
      try {
        String problem =
            switch (op) {
              case SEARCH -> search();
              case SEARCH_FILTER -> searchFiltered();
              case QUERY -> query();
              case GET -> get();
              default -> searchAtVersion();
            };
        if (problem == null) {
          log.ok(op, System.nanoTime() - t0);
        } else {
          log.error(op, problem);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.error(op, e.toString());
      }
    }
  }

  private StringBuilder searchBody() {
    StringBuilder b = new StringBuilder("{\"vector\":");
    LoadHttp.vector(b, rnd, o.dim());
    return b.append(",\"k\":").append(o.k());
  }

  private String search() throws Exception {
    LoadHttp.Answer a = http.post(path + "/search", searchBody().append('}'));
    String problem = checkHits(a, null);
    if (problem == null) {
      lastVersion = a.json().path("version").asLong(-1);
    }
    return problem;
  }

  private String searchFiltered() throws Exception {
    String category = "c" + rnd.nextInt(LoadData.CATEGORIES);
    StringBuilder b =
        searchBody()
            .append(",\"filter\":\"category = '")
            .append(category)
            .append("'\",\"select\":[\"category\"]}");
    return checkHits(http.post(path + "/search", b), category);
  }

  /** Null when the answer holds exactly k hits (all of {@code category} when given). */
  private String checkHits(LoadHttp.Answer a, String category) {
    if (!a.ok()) {
      return "status " + a.describe();
    }
    JsonNode hits = a.json().path("results").path(0);
    if (hits.size() != o.k()) {
      return "expected " + o.k() + " hits, got " + hits.size() + ": " + a.describe();
    }
    if (category != null) {
      for (JsonNode h : hits) {
        if (!category.equals(h.path("category").asText())) {
          return "hit " + h + " does not match category = '" + category + "'";
        }
      }
    }
    return null;
  }

  private String query() throws Exception {
    double below = 1 + rnd.nextInt(20);
    String body =
        "{\"filter\":\"price < " + below + "\",\"select\":[\"price\"],\"limit\":" + o.k() + "}";
    LoadHttp.Answer a = http.post(path + "/query", body);
    if (!a.ok()) {
      return "status " + a.describe();
    }
    JsonNode rows = a.json().path("rows");
    if (rows.size() != o.k()) {
      return "expected " + o.k() + " rows for price < " + below + ", got " + rows.size();
    }
    for (JsonNode row : rows) {
      if (!(row.path("price").asDouble(Double.NaN) < below)) {
        return "row " + row + " does not match price < " + below;
      }
    }
    return null;
  }

  private String get() throws Exception {
    long id = (long) (rnd.nextDouble() * o.baseRows());
    LoadHttp.Answer a = http.get(path + "/rows/" + id);
    if (!a.ok()) {
      return "GET rows/" + id + ": status " + a.describe();
    }
    if (a.json().path("id").asLong(-1) != id) {
      return "GET rows/" + id + " answered id " + a.json().path("id");
    }
    if (a.json().path("vector").size() != o.dim()) {
      return "GET rows/" + id + " answered a vector of " + a.json().path("vector").size();
    }
    return null;
  }

  /**
   * Pins a new search to the last version seen, or repeats a pinned one and checks that the same
   * ids come back.
   */
  private String searchAtVersion() throws Exception {
    boolean repeat = !pinned.isEmpty() && (lastVersion < 1 || rnd.nextBoolean());
    if (!repeat && lastVersion < 1) {
      return search();
    }
    String body =
        repeat
            ? pinned.get(rnd.nextInt(pinned.size())).body()
            : searchBody().append(",\"version\":").append(lastVersion).append('}').toString();
    LoadHttp.Answer a = http.post(path + "/search", body);
    String problem = checkHits(a, null);
    if (problem != null) {
      return problem;
    }
    List<Long> ids = new ArrayList<>();
    for (JsonNode h : a.json().path("results").path(0)) {
      ids.add(h.path("id").asLong());
    }
    if (repeat) {
      Pinned p = pinned.stream().filter(x -> x.body().equals(body)).findFirst().orElseThrow();
      if (!p.ids().equals(ids)) {
        return "the same search at the same version answered " + ids + ", before " + p.ids();
      }
    } else {
      if (pinned.size() == PINNED) {
        pinned.remove(rnd.nextInt(PINNED));
      }
      pinned.add(new Pinned(body, ids));
    }
    return null;
  }
}
