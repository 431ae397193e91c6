package io.npywrapper.server;

import io.npywrapper.Collection;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Row;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.Selection;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.npy.NpyArray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows: add or upsert (a JSON body, or a binary {@code .npy} body with ids in the query string),
 * get by id, delete by ids or filter. Every request is validated whole before anything is written:
 * a rejected request leaves the collection unchanged. Stateless and thread-safe.
 */
final class RowsApi {
  private static final Set<String> ADD_FIELDS = Set.of("ids", "vectors", "attributes");
  private static final Set<String> DELETE_FIELDS = Set.of("ids", "filter");

  void register(Router r) {
    r.add("POST", "/v1/collections/{c}/rows", Access.WRITE, this::write);
    r.add("GET", "/v1/collections/{c}/rows/{id}", Access.READ, this::get);
    r.add("POST", "/v1/collections/{c}/delete", Access.WRITE, this::delete);
  }

  private Response write(Request req) throws IOException {
    req.allowQuery(Set.of("mode", "ids"));
    String mode = req.query("mode") == null ? "add" : req.query("mode");
    if (!mode.equals("add") && !mode.equals("upsert")) {
      throw ApiException.badRequest("'mode' must be add or upsert, got '" + mode + "'");
    }
    Collection c = req.db().collection(req.path("c"));
    CollectionSpec spec = c.spec();
    Rows rows =
        req.contentType().equals(NpyBody.CONTENT_TYPE) ? fromNpy(req, spec) : fromJson(req, spec);
    if (mode.equals("upsert") && rows.ids() == null) {
      throw ApiException.badRequest("an upsert needs ids: rows are replaced by id");
    }
    Ids ids = mode.equals("upsert") ? c.upsert(rows) : c.add(rows);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", mode);
    out.put("count", ids.size());
    out.put("ids", idList(ids));
    return Response.ok(out);
  }

  private static Rows fromJson(Request req, CollectionSpec spec) throws IOException {
    if (req.query("ids") != null) {
      throw ApiException.badRequest(
          "the 'ids' query parameter is for .npy bodies; a JSON body carries \"ids\"");
    }
    JsonBody b = req.jsonWithVectors(ADD_FIELDS, spec.dim());
    if (!b.has("vectors")) {
      throw ApiException.badRequest("missing field 'vectors'");
    }
    float[][] vectors = b.vectors("vectors", spec.dim(), !spec.allowNonFinite(), req.limits());
    Rows rows = Rows.of(vectors);
    if (b.has("ids")) {
      Ids ids = JsonValues.ids(b.get("ids"), "ids");
      if (ids.size() != vectors.length) {
        throw ApiException.badRequest(
            "got " + ids.size() + " ids for " + vectors.length + " vectors");
      }
      rows = rows.withIds(ids);
    }
    if (b.has("attributes")) {
      List<Map<String, Object>> attrs = JsonValues.attributes(b.get("attributes"), "attributes");
      if (attrs.size() != vectors.length) {
        throw ApiException.badRequest(
            "got " + attrs.size() + " attribute rows for " + vectors.length + " vectors");
      }
      rows = rows.withAttributes(attrs);
    }
    return rows;
  }

  private static Rows fromNpy(Request req, CollectionSpec spec) throws IOException {
    NpyArray a = NpyBody.vectors(req, spec.dim(), "vectors", "rows", false);
    int n = (int) a.rows();
    Rows rows = Rows.of(a, 0, n);
    String idText = req.query("ids");
    if (idText != null) {
      Ids ids = parseIds(idText, spec.idType());
      if (ids.size() != n) {
        throw ApiException.badRequest("got " + ids.size() + " ids for " + n + " vectors");
      }
      rows = rows.withIds(ids);
    }
    return rows;
  }

  /** Comma-separated ids of the collection's type. */
  static Ids parseIds(String text, IdType type) {
    String[] parts = text.isEmpty() ? new String[0] : text.split(",", -1);
    if (type == IdType.STRING) {
      return Ids.of(parts);
    }
    long[] l = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        l[i] = Long.parseLong(parts[i].trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "'ids' position " + i + ": '" + parts[i] + "' is not an int64 integer");
      }
    }
    return Ids.of(l);
  }

  private Response get(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    Object id = JsonValues.id(req.path("id"), c.spec().idType());
    Row row =
        c.get(id)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no row with id " + req.path("id") + " in collection '" + c.name() + "'"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", row.id());
    out.put("vector", row.vector());
    out.put("attributes", Hits.attributes(row.attributes()));
    return Response.ok(out);
  }

  private Response delete(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    JsonBody b = req.json(DELETE_FIELDS);
    if (b.has("ids") == b.has("filter")) {
      throw ApiException.badRequest("give exactly one of 'ids' and 'filter'");
    }
    Ids ids;
    if (b.has("ids")) {
      ids = JsonValues.ids(b.get("ids"), "ids");
      req.limits().checkBatch("ids to delete", ids.size());
    } else {
      ids = matching(c, b.text("filter"), req.limits());
    }
    long n = ids.size() == 0 ? 0 : c.delete(ids);
    return Response.ok(Map.of("deleted", n));
  }

  /** The ids of the live rows matching {@code filter} now. */
  private static Ids matching(Collection c, String filter, Limits limits) throws IOException {
    Selection sel = c.snapshot().select(Filter.parse(filter).bind(c.spec().schema()));
    limits.checkBatch("rows matching the filter", sel.count());
    List<Object> found = new ArrayList<>();
    for (int s = 0; s < sel.segmentCount(); s++) {
      for (int row : sel.rows(s)) {
        found.add(sel.id(s, Integer.toUnsignedLong(row)));
      }
    }
    sel.memRows().forEach(r -> found.add(r.id()));
    if (c.spec().idType() == IdType.STRING) {
      return Ids.of(found.toArray(String[]::new));
    }
    return Ids.of(found.stream().mapToLong(o -> (Long) o).toArray());
  }

  static List<Object> idList(Ids ids) {
    List<Object> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(ids.get(i));
    }
    return out;
  }
}
