package io.npywrapper.server;

import io.npywrapper.Collection;
import io.npywrapper.collection.Compactor;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.collection.VersionInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A collection's history and maintenance: versions, compaction and index builds. Stateless and
 * thread-safe.
 */
final class VersionsApi {
  void register(Router r) {
    r.add("GET", "/v1/collections/{c}/versions", Access.READ, this::versions);
    r.add("POST", "/v1/collections/{c}/compact", Access.WRITE, this::compact);
    r.add("POST", "/v1/collections/{c}/index", Access.WRITE, this::index);
  }

  private Response versions(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (VersionInfo v : c.versions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("committed_at", v.committedAt().toString());
      m.put("operation", v.operation());
      m.put("rows", v.rows());
      m.put("segments", v.segments());
      out.add(m);
    }
    return Response.ok(Map.of("versions", out));
  }

  private Response compact(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    Compactor.Result r = c.compact();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("input_segments", r.inputSegments());
    out.put("output_segments", r.outputSegments());
    out.put("rows_written", r.rowsWritten());
    out.put("rows_dropped", r.rowsDropped());
    out.put("version", r.version());
    return Response.ok(out);
  }

  /**
   * Builds every missing graph index and returns when done. Optional body: {"m", "ef_construction",
   * "min_rows", "threads"}; without one the database's index options apply.
   */
  private Response index(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    byte[] body = req.body();
    SegmentIndexer.Result r;
    if (body.length == 0) {
      r = c.buildIndexes();
    } else {
      JsonBody b = JsonBody.parse(body, Set.of("m", "ef_construction", "min_rows", "threads"));
      IndexOptions o = IndexOptions.defaults().withBackground(false);
      if (b.has("m")) {
        o = o.withM(b.intIn("m", 1, 1, Integer.MAX_VALUE));
      }
      if (b.has("ef_construction")) {
        o = o.withEfConstruction(b.intIn("ef_construction", 1, 1, Integer.MAX_VALUE));
      }
      if (b.has("min_rows")) {
        o = o.withMinRows(b.integer("min_rows"));
      }
      if (b.has("threads")) {
        o = o.withThreads(b.intIn("threads", 1, 1, Runtime.getRuntime().availableProcessors()));
      }
      r = c.buildIndexes(o);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("built", r.built());
    out.put("rows_indexed", r.rowsIndexed());
    out.put("seconds", r.seconds());
    out.put("version", r.version());
    return Response.ok(out);
  }
}
