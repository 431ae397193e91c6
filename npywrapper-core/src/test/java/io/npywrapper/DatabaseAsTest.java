package io.npywrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Rows;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.search.Metric;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.AuditEvent;
import io.npywrapper.security.AuthenticationException;
import io.npywrapper.security.CreatedKey;
import io.npywrapper.security.Grant;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Role;
import io.npywrapper.security.Security;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Database / Collection / Query operation, through a database opened as a principal, for the
 * roles reader, writer, admin, a per-collection grant and no role: allowed exactly when the role
 * grants the operation's permission on the collection; otherwise {@link AccessDeniedException} with
 * nothing written to the store, and the denial audited.
 */
class DatabaseAsTest {
  private static final EngineOptions OPTIONS =
      Database.defaultOptions().withRefreshMillis(0).withCompactionMillis(0);

  @TempDir Path dir;

  private interface Body {
    void run(Database db, String c) throws Exception;
  }

  private record Op(String name, Permission perm, Body body) {}

  private static final AtomicInteger NEXT = new AtomicInteger(1000);

  private static List<Op> ops() {
    List<Op> ops = new ArrayList<>();
    Permission r = Permission.READ;
    Permission w = Permission.WRITE;
    Permission a = Permission.ADMIN;
    ops.add(new Op("collection", r, (db, c) -> db.collection(c)));
    ops.add(new Op("exists", r, (db, c) -> assertTrue(db.exists(c))));
    ops.add(new Op("spec", r, (db, c) -> db.collection(c).spec()));
    ops.add(new Op("get(ids)", r, (db, c) -> db.collection(c).get(Ids.of(1L, 2L))));
    ops.add(new Op("get(id)", r, (db, c) -> db.collection(c).get(1L)));
    ops.add(new Op("count", r, (db, c) -> db.collection(c).count()));
    ops.add(new Op("snapshot", r, (db, c) -> db.collection(c).snapshot().count()));
    ops.add(new Op("atVersion", r, (db, c) -> db.collection(c).atVersion(1).count()));
    ops.add(new Op("versions", r, (db, c) -> db.collection(c).versions()));
    ops.add(new Op("refresh", r, (db, c) -> db.collection(c).refresh()));
    ops.add(new Op("properties", r, (db, c) -> db.collection(c).properties()));
    ops.add(new Op("segments", r, (db, c) -> db.collection(c).segments()));
    ops.add(new Op("segments(filter)", r, (db, c) -> db.collection(c).segments("x IS NULL")));
    ops.add(new Op("query.count", r, (db, c) -> db.collection(c).query().count()));
    ops.add(
        new Op(
            "query.nearest",
            r,
            (db, c) -> db.collection(c).query().nearest(new float[] {0, 0}).limit(3).execute()));
    ops.add(new Op("add", w, (db, c) -> db.collection(c).add(vectors(), next(), next())));
    ops.add(
        new Op(
            "upsert",
            w,
            (db, c) -> db.collection(c).upsert(Rows.of(vectors()).withIds(1L, next()))));
    ops.add(new Op("delete", w, (db, c) -> db.collection(c).delete(Ids.of(2L))));
    ops.add(new Op("flush", w, (db, c) -> db.collection(c).flush()));
    ops.add(
        new Op("setProperties", w, (db, c) -> db.collection(c).setProperties(Map.of("p", "1"))));
    ops.add(
        new Op("removeProperties", w, (db, c) -> db.collection(c).removeProperties(List.of("p"))));
    ops.add(
        new Op(
            "setSegmentProperties",
            w,
            (db, c) -> {
              Collection col = db.collection(c);
              col.setSegmentProperties(firstSegment(db, c), Map.of("s", "1"));
            }));
    ops.add(
        new Op(
            "removeSegmentProperties",
            w,
            (db, c) ->
                db.collection(c).removeSegmentProperties(firstSegment(db, c), List.of("s"))));
    ops.add(
        new Op(
            "updateProperties",
            w,
            (db, c) -> db.collection(c).updateProperties(Map.of("q", "1"), List.of("p"))));
    ops.add(
        new Op(
            "updateSegmentProperties",
            w,
            (db, c) ->
                db.collection(c)
                    .updateSegmentProperties(firstSegment(db, c), Map.of("t", "1"), List.of("s"))));
    ops.add(new Op("compact", w, (db, c) -> db.collection(c).compact()));
    ops.add(new Op("buildIndexes", w, (db, c) -> db.collection(c).buildIndexes()));
    ops.add(
        new Op(
            "addAttributes",
            a,
            (db, c) -> db.collection(c).addAttributes(Map.of("a" + next(), AttributeType.INT64))));
    ops.add(
        new Op(
            "create", a, (db, c) -> db.create(CollectionSpec.of(c + "_" + next(), 2, Metric.L2))));
    ops.add(new Op("drop", a, (db, c) -> assertTrue(db.drop(c))));
    return ops;
  }

  private static String firstSegment(Database db, String c) throws Exception {
    return db.collection(c).segments().getFirst().id();
  }

  private static long next() {
    return NEXT.incrementAndGet();
  }

  private static float[][] vectors() {
    return new float[][] {{1, 2}, {3, 4}};
  }

  /** Fresh store with collections c1 and c2 (two rows each, one segment) and role "team". */
  private Database setUp(Path store) throws Exception {
    Database db = Database.open(store.toString(), OPTIONS);
    for (String c : List.of("c1", "c2")) {
      Collection col = db.create(CollectionSpec.of(c, 2, Metric.L2));
      col.add(vectors(), 1L, 2L);
      col.flush();
    }
    db.security()
        .putRole(Principal.owner(), new Role("team", List.of(Grant.parse("c1:write")), false));
    return db;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reader", "writer", "admin", "team", ""})
  void everyOperationIsAllowedExactlyWhenGranted(String role) throws Exception {
    Path store = dir.resolve("s-" + role);
    Set<String> roles = role.isEmpty() ? Set.of() : Set.of(role);
    Principal p = new Principal("u-" + role, roles);
    try (Database owner = setUp(store)) {
      Security sec = owner.security();
      Database db = owner.as(p);
      assertEquals(p, db.principal());
      if (sec.allowed(p, "c1", Permission.READ)) {
        assertThrows(AccessDeniedException.class, () -> db.collection("c1").engine());
      }
      owner.collection("c1").engine(); // the owner keeps it
      for (String c : List.of("c1", "c2")) {
        for (Op op : ops()) {
          String target = c;
          String nameChecked = op.name().equals("create") ? c + "_x" : c;
          boolean expected = sec.allowed(p, nameChecked, op.perm());
          Map<String, Long> before = dataFiles(store);
          String what = op.name() + " on " + c + " as " + roles;
          if (expected) {
            try {
              op.body().run(db, target);
            } catch (AccessDeniedException e) {
              fail(what + " should be allowed: " + e.getMessage());
            }
            if (op.name().equals("drop")) {
              assertFalse(owner.exists(c));
            }
          } else {
            AccessDeniedException e =
                assertThrows(AccessDeniedException.class, () -> op.body().run(db, target), what);
            assertTrue(e.getMessage().contains("'" + p.user() + "'"), e.getMessage());
            assertEquals(before, dataFiles(store), what + ": nothing written on denial");
          }
        }
        if (!sec.allowed(p, c, Permission.ADMIN)) {
          assertTrue(owner.exists(c), c + " survives");
        }
      }
      List<AuditEvent> events =
          sec.audit().read(Instant.EPOCH, Instant.now().plusSeconds(5), 10_000);
      long denied = events.stream().filter(e -> e.outcome().equals(AuditEvent.DENIED)).count();
      long wrote =
          events.stream()
              .filter(e -> e.outcome().equals(AuditEvent.OK) && e.principal().equals(p.user()))
              .count();
      switch (role) {
        case "admin" -> assertEquals(0, denied);
        case "reader", "", "team" -> assertTrue(denied > 0);
        default -> assertTrue(denied > 0); // writer: addAttributes, create, drop
      }
      if (!role.equals("reader") && !role.isEmpty()) {
        assertTrue(wrote > 0, "writes are audited");
      } else {
        assertEquals(0, wrote);
      }
    }
  }

  /**
   * The store's data files and their sizes; not the security state or audit log (whose background
   * flusher may be writing while this runs).
   */
  private static Map<String, Long> dataFiles(Path store) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    Files.walkFileTree(
        store,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
            return d.getFileName().toString().equals("_security")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
            if (!f.getFileName().toString().contains(".lock")) {
              out.put(store.relativize(f).toString(), a.size());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return out;
  }

  @Test
  void listShowsOnlyReadableCollectionsAndNeverTheSecurityPrefix() throws Exception {
    try (Database owner = setUp(dir.resolve("s"))) {
      owner.security().createUser(Principal.owner(), "t", List.of("team"));
      assertEquals(List.of("c1", "c2"), owner.list());
      assertEquals(List.of("c1"), owner.as(new Principal("t", Set.of("team"))).list());
      assertEquals(List.of(), owner.as(new Principal("n", Set.of())).list());
      assertEquals(
          List.of("c1"), owner.as(new Principal("t", Set.of("team"))).collections("p IS NULL"));
      assertEquals(List.of(), owner.as(new Principal("n", Set.of())).collections("p IS NULL"));
      assertEquals(List.of("c1", "c2"), owner.as(new Principal("r", Set.of("reader"))).list());
      assertThrows(IllegalArgumentException.class, () -> owner.collection("_security"));
    }
  }

  @Test
  void openingWithAnApiKeyActsAsItsUser() throws Exception {
    Path store = dir.resolve("k");
    CreatedKey key;
    try (Database owner = setUp(store)) {
      Security sec = owner.security();
      sec.createUser(Principal.owner(), "ana", List.of("team"));
      key = sec.createKey(Principal.owner(), "ana", Optional.empty());
    }
    try (Database db = Database.open(store.toString(), OPTIONS, key.token())) {
      assertEquals("ana", db.principal().user());
      db.collection("c1").add(vectors(), 50L, 51L);
      assertThrows(AccessDeniedException.class, () -> db.collection("c2"));
    }
    try (Database owner = Database.open(store.toString(), OPTIONS)) {
      assertEquals(4, owner.collection("c1").count(), "the view's close flushed the write");
      List<AuditEvent> ev =
          owner.security().audit().read(Instant.EPOCH, Instant.now().plusSeconds(5), 100);
      assertTrue(
          ev.stream().anyMatch(e -> e.action().equals("add") && e.principal().equals("ana")),
          ev.toString());
      assertTrue(
          ev.stream()
              .anyMatch(e -> e.outcome().equals(AuditEvent.DENIED) && "c2".equals(e.collection())));
    }
    assertThrows(
        AuthenticationException.class,
        () -> Database.open(store.toString(), OPTIONS, key.token().substring(0, 30)));
  }

  @Test
  void aLabelledOwnerIsUnrestrictedButAudited() throws Exception {
    Path store = dir.resolve("o");
    setUp(store).close();
    try (Database db = Database.open(store.toString(), OPTIONS, Principal.owner("app"))) {
      Collection c = db.collection("c1");
      c.add(vectors(), 60L, 61L);
      c.engine(); // the owner may bypass
      c.close(); // a view's collection: the shared engine stays open
      assertEquals(4, db.collection("c1").count());
      db.collection("c2").count(); // no grant needed
    }
    try (Database db = Database.open(store.toString(), OPTIONS)) {
      List<AuditEvent> ev =
          db.security().audit().read(Instant.EPOCH, Instant.now().plusSeconds(5), 100);
      assertEquals(
          List.of("add"),
          ev.stream().filter(e -> e.principal().equals("app")).map(AuditEvent::action).toList());
      assertEquals(4, db.collection("c1").count());
    }
  }

  @Test
  void viewsShareTheOpenCollectionsAndClosingAViewKeepsThemOpen() throws Exception {
    try (Database owner = setUp(dir.resolve("v"))) {
      Database view = owner.as(new Principal("w", Set.of("writer")));
      Collection c = view.collection("c1");
      c.add(vectors(), 7L, 8L);
      c.close();
      view.close();
      assertEquals(4, owner.collection("c1").count());
      assertEquals(4, view.collection("c1").count());
    }
  }
}
