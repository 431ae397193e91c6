package io.npywrapper.collection;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.PropertyFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Commits that change a collection's definition rather than its rows: schema evolution ({@code
 * alter_schema}) and user key/value properties of the collection ({@code set_properties}) and of
 * its segments ({@code set_segment_properties}). Each is one manifest commit that rebases like any
 * other (docs/FORMAT.md); bad input fails before anything is committed. Used through {@code
 * io.npywrapper.Collection}.
 */
public final class CollectionAdmin {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final int MAX_VALUE_CHARS = 65_536;

  private CollectionAdmin() {}

  /**
   * Adds attributes to the schema. Rows written before read them as null; an attribute that exists
   * with the same type is left as it is.
   *
   * @return the new schema
   * @throws IllegalArgumentException for no attributes, an invalid name, or a name that exists with
   *     another type (also when a concurrent writer added it meanwhile); nothing is committed
   */
  public static Schema addAttributes(CollectionEngine engine, Map<String, AttributeType> types)
      throws IOException {
    if (types == null || types.isEmpty()) {
      throw new IllegalArgumentException("no attributes to add");
    }
    Map<String, AttributeType> add = new LinkedHashMap<>();
    types.forEach(
        (k, t) -> {
          Schema.checkName(k);
          if (t == null) {
            throw new IllegalArgumentException("attribute '" + k + "' has no type");
          }
          add.put(k, t);
        });
    String name = engine.name();
    checkAdd(name, engine.spec().schema(), add); // clear error before flushing anything
    Manifest m =
        engine.commitPrepared(
            b -> {
              checkAdd(name, b.spec().schema(), add);
              CollectionSpec spec = b.spec().withSchema(b.spec().schema().with(add));
              return b.next(
                  "alter_schema", b.segments(), b.walApplied(), b.nextId(), spec, b.properties());
            });
    return m.spec().schema();
  }

  private static void checkAdd(String coll, Schema schema, Map<String, AttributeType> add) {
    add.forEach(
        (k, t) -> {
          AttributeType old = schema.type(k);
          if (old != null && old != t) {
            throw new IllegalArgumentException(
                "collection '"
                    + coll
                    + "': attribute '"
                    + k
                    + "' already exists as "
                    + old.id()
                    + ", cannot add it as "
                    + t.id());
          }
        });
  }

  /**
   * Sets (adds or replaces) collection properties and removes the keys in {@code remove}.
   *
   * @return the properties now
   * @throws IllegalArgumentException for an invalid key or value; nothing is committed
   */
  public static Map<String, String> updateProperties(
      CollectionEngine engine, Map<String, String> set, Collection<String> remove)
      throws IOException {
    checkProperties(set);
    for (String k : remove) {
      checkKey(k);
    }
    Manifest m =
        engine.commitPrepared(
            b -> {
              Map<String, String> props = new LinkedHashMap<>(b.properties());
              props.keySet().removeAll(remove);
              props.putAll(set);
              return b.next(
                  "set_properties", b.segments(), b.walApplied(), b.nextId(), b.spec(), props);
            });
    return m.properties();
  }

  /**
   * Sets (adds or replaces) properties of one segment and removes the keys in {@code remove}.
   *
   * @return the segment's properties now
   * @throws IllegalArgumentException for an invalid key or value; nothing is committed
   * @throws NoSuchElementException when the newest version has no segment {@code segmentId} (never
   *     written, or replaced by a compaction); nothing is committed
   */
  public static Map<String, String> updateSegmentProperties(
      CollectionEngine engine, String segmentId, Map<String, String> set, Collection<String> remove)
      throws IOException {
    checkProperties(set);
    for (String k : remove) {
      checkKey(k);
    }
    Manifest m =
        engine.commitPrepared(
            b -> {
              List<SegmentRef> segs = new ArrayList<>(b.segments());
              for (int i = 0; i < segs.size(); i++) {
                SegmentRef s = segs.get(i);
                if (s.id().equals(segmentId)) {
                  Map<String, String> props = new LinkedHashMap<>(s.properties());
                  props.keySet().removeAll(remove);
                  props.putAll(set);
                  segs.set(i, s.withProperties(props));
                  return b.next(
                      "set_segment_properties",
                      segs,
                      b.walApplied(),
                      b.nextId(),
                      b.spec(),
                      b.properties());
                }
              }
              throw new NoSuchElementException(
                  "collection '"
                      + engine.name()
                      + "' has no segment '"
                      + segmentId
                      + "' at version "
                      + b.version()
                      + " (never written, or compacted away)");
            });
    for (SegmentRef s : m.segments()) {
      if (s.id().equals(segmentId)) {
        return s.properties();
      }
    }
    throw new IllegalStateException("segment " + segmentId + " vanished");
  }

  /** The segments of the engine's current version whose properties match {@code filter}. */
  public static List<SegmentInfo> segments(CollectionEngine engine, PropertyFilter filter)
      throws IOException {
    Manifest m = engine.committedSnapshot().manifest();
    List<SegmentInfo> out = new ArrayList<>();
    for (SegmentRef s : m.segments()) {
      if (filter == null || filter.test(s.properties())) {
        out.add(
            new SegmentInfo(
                s.id(),
                s.rows(),
                s.liveRows(),
                s.properties(),
                s.index() == null ? null : s.index().key(),
                s.index() == null ? null : s.index().kind()));
      }
    }
    return out;
  }

  /** The collection properties of the engine's current version. */
  public static Map<String, String> properties(CollectionEngine engine) throws IOException {
    return engine.committedSnapshot().manifest().properties();
  }

  /**
   * Checks user properties: keys like attribute names (a letter or '_', then up to 63 letters,
   * digits or '_', so a filter can name them), values non-null and at most 65,536 characters.
   *
   * @throws IllegalArgumentException naming the key
   */
  public static void checkProperties(Map<String, String> props) {
    props.forEach(
        (k, v) -> {
          checkKey(k);
          if (v == null) {
            throw new IllegalArgumentException("property '" + k + "' has no value");
          }
          if (v.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(
                "property '" + k + "': value longer than " + MAX_VALUE_CHARS + " characters");
          }
        });
  }

  private static void checkKey(String k) {
    if (k == null || !KEY.matcher(k).matches()) {
      throw new IllegalArgumentException(
          "invalid property key '"
              + k
              + "': expected a letter or '_' followed by up to 63 letters, digits or '_'");
    }
  }
}
