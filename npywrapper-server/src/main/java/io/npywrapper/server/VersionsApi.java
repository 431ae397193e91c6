package io.npywrapper.server;

import io.npywrapper.Collection;
import io.npywrapper.collection.Compactor;
import io.npywrapper.collection.VersionInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A collection's history and maintenance: versions and compaction. Stateless and thread-safe. */
final class VersionsApi {
  void register(Router r) {
    r.add("GET", "/v1/collections/{c}/versions", Access.READ, this::versions);
    r.add("POST", "/v1/collections/{c}/compact", Access.WRITE, this::compact);
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
    Compactor.Result r = new Compactor(c.engine()).compact();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("input_segments", r.inputSegments());
    out.put("output_segments", r.outputSegments());
    out.put("rows_written", r.rowsWritten());
    out.put("rows_dropped", r.rowsDropped());
    out.put("version", r.version());
    return Response.ok(out);
  }
}
