package io.npywrapper.server;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import io.npywrapper.security.Permission;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collections: create, list, describe, drop, and their key/value properties. Stateless and
 * thread-safe.
 */
final class CollectionsApi {
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "dim", "metric", "id_type", "schema", "properties", "allow_non_finite");

  void register(Router r) {
    r.add("POST", "/v1/collections", Access.AUTHENTICATED, this::create);
    r.add("GET", "/v1/collections", Access.AUTHENTICATED, this::list);
    r.add("GET", "/v1/collections/{c}", Access.READ, this::describe);
    r.add("DELETE", "/v1/collections/{c}", Access.ADMIN, this::drop);
    r.add("GET", "/v1/collections/{c}/properties", Access.READ, this::properties);
    r.add("PUT", "/v1/collections/{c}/properties", Access.WRITE, this::putProperties);
  }

  private Response create(Request req) throws IOException {
    JsonBody b = req.json(CREATE_FIELDS);
    String name = CollectionSpec.checkName(b.text("name"));
    int dim = b.intIn("dim", 0, 1, CollectionSpec.MAX_DIM);
    Metric metric = Metric.parse(b.text("metric", "l2"));
    IdType idType = IdType.parse(b.text("id_type", "int64"));
    Map<String, AttributeType> types = new LinkedHashMap<>();
    b.stringMap("schema")
        .forEach(
            (k, v) -> {
              if (v == null) {
                throw ApiException.badRequest("'schema." + k + "' must be a type name, got null");
              }
              types.put(k, AttributeType.parse(v));
            });
    Map<String, String> props = b.stringMap("properties");
    if (props.containsValue(null)) {
      throw ApiException.badRequest("'properties' values must be strings, not null");
    }
    CollectionSpec spec =
        new CollectionSpec(
            name, dim, metric, idType, Schema.of(types), b.bool("allow_non_finite", false));
    req.require(name, Permission.ADMIN);
    Database db = req.db();
    if (db.exists(name)) {
      throw exists(name);
    }
    Collection c;
    try {
      c = db.create(spec, props);
    } catch (IllegalStateException e) {
      if (db.exists(name)) {
        throw exists(name);
      }
      throw e;
    }
    return Response.json(201, describe(c, c.snapshot()));
  }

  private static ApiException exists(String name) {
    return new ApiException(409, "already_exists", "collection '" + name + "' already exists");
  }

  private Response list(Request req) throws IOException {
    req.allowQuery(Set.of("where"));
    String where = req.query("where");
    List<String> names = where == null ? req.db().list() : req.db().collections(where);
    List<Map<String, Object>> out = new ArrayList<>(names.size());
    for (String name : names) {
      Collection c = req.db().collection(name);
      out.add(describe(c, c.snapshot()));
    }
    return Response.ok(Map.of("collections", out));
  }

  private Response describe(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    return Response.ok(describe(c, c.snapshot()));
  }

  private Response drop(Request req) throws IOException {
    String name = req.path("c");
    if (!req.db().drop(name)) {
      throw ApiException.notFound("no collection '" + name + "'");
    }
    return Response.ok(Map.of("dropped", name));
  }

  private Response properties(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    return Response.ok(Map.of("properties", c.properties()));
  }

  /**
   * Body: an object of properties to set; a null value removes that key. Sets and removals are one
   * commit ({@code set_properties}), checked whole before it commits; an empty object commits
   * nothing.
   */
  private Response putProperties(Request req) throws IOException {
    Collection c = req.db().collection(req.path("c"));
    Map<String, String> change = JsonBody.stringMap(Json.parseObject(req.body()), "body");
    Map<String, String> set = new LinkedHashMap<>();
    List<String> remove = new ArrayList<>();
    change.forEach(
        (k, v) -> {
          if (v == null) {
            remove.add(k);
          } else {
            set.put(k, v);
          }
        });
    Map<String, String> now =
        set.isEmpty() && remove.isEmpty() ? c.properties() : c.updateProperties(set, remove);
    return Response.ok(Map.of("properties", now));
  }

  static Map<String, Object> describe(Collection c, Snapshot s) throws IOException {
    CollectionSpec spec = s.spec();
    Map<String, String> schema = new LinkedHashMap<>();
    spec.schema().types().forEach((k, t) -> schema.put(k, t.id()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", spec.name());
    m.put("dim", spec.dim());
    m.put("metric", spec.metric().id());
    m.put("id_type", spec.idType().id());
    m.put("allow_non_finite", spec.allowNonFinite());
    m.put("rows", s.count());
    m.put("segments", s.segmentCount());
    m.put("version", s.version());
    m.put("schema", schema);
    m.put("properties", s.properties());
    return m;
  }
}
