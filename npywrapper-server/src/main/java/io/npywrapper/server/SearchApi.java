package io.npywrapper.server;

import io.npywrapper.Collection;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.query.Query;
import io.npywrapper.query.QueryResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Vector search (one vector or a batch, with filter, selection, k, version and vectors) and
 * filter-only queries (filter, selection, limit, offset, order). Both map one request to one {@link
 * Query}; every argument is checked before the query runs. Stateless and thread-safe.
 */
final class SearchApi {
  private static final Set<String> SEARCH_FIELDS =
      Set.of(
          "vector",
          "vectors",
          "k",
          "offset",
          "filter",
          "select",
          "ef",
          "rerank",
          "exact",
          "version",
          "with_vectors");
  private static final Set<String> QUERY_FIELDS =
      Set.of("filter", "select", "limit", "offset", "order_by", "version", "with_vectors");

  /** Largest {@code ef} accepted. */
  static final int MAX_EF = Query.MAX_NEAREST_WINDOW;

  void register(Router r) {
    r.add("POST", "/v1/collections/{c}/search", Access.READ, this::search);
    r.add("POST", "/v1/collections/{c}/query", Access.READ, this::query);
  }

  private Response search(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    CollectionSpec spec = c.spec();
    boolean npy = req.contentType().equals(NpyBody.CONTENT_TYPE);
    JsonBody b = npy ? NpyQueries.options(req) : req.jsonWithVectors(SEARCH_FIELDS, spec.dim());
    if (!npy && b.has("vector") == b.has("vectors")) {
      throw ApiException.badRequest("give exactly one of 'vector' and 'vectors'");
    }
    long k = b.integer("k", 10);
    req.limits().checkK("k", k);
    Query q = common(c.query(), b, c.spec()).limit((int) k).withDistances();
    if (b.has("offset")) {
      q = q.offset(b.intIn("offset", 0, 0, Query.MAX_NEAREST_WINDOW - 1));
    }
    if (b.has("ef") && b.bool("exact", false)) {
      throw ApiException.badRequest("give 'ef' (an index walk) or 'exact': true, not both");
    }
    if (b.has("ef")) {
      q = q.ef(b.intIn("ef", 1, 1, MAX_EF));
    }
    if (b.has("rerank")) {
      if (b.bool("exact", false)) {
        throw ApiException.badRequest(
            "give 'rerank' (re-ranking of an int8 index walk) or 'exact': true, not both");
      }
      long offset = b.integer("offset", 0);
      int rerank = b.intIn("rerank", 1, 1, MAX_EF);
      if (rerank < k + offset) {
        throw ApiException.badRequest(
            "'rerank' must be at least k + offset = " + (k + offset) + ", got " + rerank);
      }
      q = q.rerank(rerank);
    }
    if (b.bool("exact", false)) {
      q = q.exact();
    }
    if (npy) {
      q = NpyQueries.nearest(q, req, spec.dim());
    } else if (b.has("vectors")) {
      q = q.nearest(b.vectors("vectors", spec.dim(), true, req.limits()));
    } else {
      q = q.nearest(b.vector("vector", spec.dim(), true));
    }
    QueryResult r = q.execute();
    return Response.okJson(Hits.searchAnswer(r.version(), r.all()));
  }

  private Response query(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    JsonBody b = req.json(QUERY_FIELDS);
    long limit = b.integer("limit", 10);
    req.limits().checkK("limit", limit);
    Query q = common(c.query(), b, c.spec()).limit((int) limit);
    q = q.offset(b.intIn("offset", 0, 0, Query.MAX_WINDOW - 1));
    if (b.has("order_by")) {
      q = orderBy(q, b.text("order_by"));
    }
    QueryResult r = q.execute();
    return Response.okJson(Hits.queryAnswer(r.version(), r.hits()));
  }

  /** Filter, selection, version and vectors: what search and query share. */
  private static Query common(Query q, JsonBody b, CollectionSpec spec) {
    if (b.has("filter")) {
      q = q.where(b.text("filter"));
    }
    List<String> select = b.strings("select");
    Hits.checkSelect(select);
    if (select.equals(List.of("*"))) {
      Hits.checkSelect(List.copyOf(spec.schema().types().keySet()));
      q = q.selectAll();
    } else if (!select.isEmpty()) {
      q = q.select(select.toArray(String[]::new));
    }
    if (b.has("version")) {
      q = q.atVersion(b.integer("version"));
    }
    if (b.bool("with_vectors", false)) {
      q = q.withVectors();
    }
    return q;
  }

  /** {@code "price"}, {@code "price asc"} or {@code "price desc"}. */
  private static Query orderBy(Query q, String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length > 2 || parts[0].isEmpty()) {
      throw ApiException.badRequest(
          "'order_by' must be an attribute, optionally followed by asc or desc, got '"
              + text
              + "'");
    }
    Query.Order order = Query.Order.ASC;
    if (parts.length == 2) {
      order =
          switch (parts[1].toLowerCase(Locale.ROOT)) {
            case "asc" -> Query.Order.ASC;
            case "desc" -> Query.Order.DESC;
            default ->
                throw ApiException.badRequest(
                    "'order_by' direction must be asc or desc, got '" + parts[1] + "'");
          };
    }
    return q.orderBy(parts[0], order);
  }
}
