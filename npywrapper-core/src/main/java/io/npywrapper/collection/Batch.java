package io.npywrapper.collection;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validated write: an add, upsert or delete of rows with their ids, vectors and attribute
 * columns (values coerced to the schema). The unit of the write-ahead log and the memtable, with a
 * compact binary encoding. Immutable and thread-safe.
 */
final class Batch {
  enum Op {
    ADD,
    UPSERT,
    DELETE
  }

  final Op op;
  final Ids ids;
  final int dim;
  final float[] vectors; // ids.size() * dim for ADD/UPSERT, empty for DELETE
  final Map<String, Object[]> columns; // schema order; absent attribute = all null

  Batch(Op op, Ids ids, int dim, float[] vectors, Map<String, Object[]> columns) {
    this.op = op;
    this.ids = ids;
    this.dim = dim;
    this.vectors = vectors;
    this.columns = columns;
  }

  int size() {
    return ids.size();
  }

  /** The attribute values of row {@code i} (absent attributes omitted). */
  Map<String, Object> attributesOf(int i, Schema schema) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String name : schema.types().keySet()) {
      Object[] col = columns.get(name);
      m.put(name, col == null ? null : col[i]);
    }
    return m;
  }

  /**
   * Validates rows against a collection and builds the batch: dimension, finiteness (unless
   * allowed), distinct ids of the right type, attributes known and of the right type.
   */
  static Batch of(Op op, Rows rows, Ids ids, CollectionSpec spec) {
    if (rows.dim() != spec.dim() && rows.count() > 0) {
      throw new IllegalArgumentException(
          "collection '"
              + spec.name()
              + "' has dimension "
              + spec.dim()
              + ", got vectors of dimension "
              + rows.dim());
    }
    ids.checkType(spec.idType());
    ids.checkDistinct();
    float[] v = rows.vectors();
    if (!spec.allowNonFinite()) {
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          throw new IllegalArgumentException(
              "vector "
                  + i / spec.dim()
                  + " has "
                  + v[i]
                  + " at position "
                  + i % spec.dim()
                  + "; collection '"
                  + spec.name()
                  + "' accepts only finite values (option allow_non_finite)");
        }
      }
    }
    Map<String, Object[]> columns = new LinkedHashMap<>();
    List<Map<String, Object>> attrs = rows.attributes();
    if (attrs != null) {
      for (int r = 0; r < attrs.size(); r++) {
        Map<String, Object> row = attrs.get(r);
        if (row == null) {
          continue;
        }
        for (var e : row.entrySet()) {
          AttributeType t = spec.schema().type(e.getKey());
          if (t == null) {
            throw new IllegalArgumentException(
                "row "
                    + r
                    + ": unknown attribute '"
                    + e.getKey()
                    + "'; the schema has "
                    + spec.schema().types().keySet());
          }
          Object value;
          try {
            value = t.coerce(e.getValue());
          } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                "row " + r + ", attribute '" + e.getKey() + "': " + ex.getMessage());
          }
          columns.computeIfAbsent(e.getKey(), k -> new Object[rows.count()])[r] = value;
        }
      }
    }
    return new Batch(op, ids, spec.dim(), v, columns);
  }

  /** This batch with other ids of the same count (for ids assigned after validation). */
  Batch withIds(Ids newIds) {
    if (newIds.size() != size()) {
      throw new IllegalArgumentException("got " + newIds.size() + " ids for " + size() + " rows");
    }
    return new Batch(op, newIds, dim, vectors, columns);
  }

  static Batch delete(Ids ids, CollectionSpec spec) {
    ids.checkType(spec.idType());
    return new Batch(Op.DELETE, ids, spec.dim(), new float[0], Map.of());
  }

  // ------------------------------------------------------------------ encoding

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + vectors.length * 4);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(op.ordinal());
      out.writeByte(ids.type().ordinal());
      out.writeInt(size());
      for (int i = 0; i < size(); i++) {
        if (ids.type() == IdType.INT64) {
          out.writeLong(ids.longAt(i));
        } else {
          writeString(out, ids.stringAt(i));
        }
      }
      out.writeInt(dim);
      ByteBuffer vb = ByteBuffer.allocate(vectors.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      vb.asFloatBuffer().put(vectors);
      out.write(vb.array());
      out.writeShort(columns.size());
      for (var e : columns.entrySet()) {
        writeString(out, e.getKey());
        for (Object v : e.getValue()) {
          writeValue(out, v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a log record; {@code spec} bounds every count so a corrupt record cannot make us
   * allocate more than its own length.
   */
  static Batch decode(byte[] record, CollectionSpec spec) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record));
    Op op = Op.values()[checkIndex(in.readUnsignedByte(), Op.values().length, "operation")];
    IdType idType =
        IdType.values()[checkIndex(in.readUnsignedByte(), IdType.values().length, "id type")];
    int n = in.readInt();
    if (n < 0 || n > record.length) {
      throw new IOException("corrupt log record: row count " + n);
    }
    Ids ids;
    if (idType == IdType.INT64) {
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = in.readLong();
      }
      ids = Ids.of(a);
    } else {
      String[] a = new String[n];
      for (int i = 0; i < n; i++) {
        a[i] = readString(in, record.length);
      }
      ids = Ids.of(a);
    }
    int dim = in.readInt();
    long floats = (long) n * dim;
    if (op == Op.DELETE) {
      floats = 0;
    }
    if (dim < 0 || floats * 4 > record.length) {
      throw new IOException("corrupt log record: " + n + " vectors of dimension " + dim);
    }
    byte[] raw = new byte[(int) floats * 4];
    in.readFully(raw);
    float[] vectors = new float[(int) floats];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vectors);
    int ncols = in.readUnsignedShort();
    Map<String, Object[]> columns = new LinkedHashMap<>();
    for (int c = 0; c < ncols; c++) {
      String name = readString(in, record.length);
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) {
        values[i] = readValue(in, record.length);
      }
      columns.put(name, values);
    }
    return new Batch(op, ids, dim == 0 ? spec.dim() : dim, vectors, columns);
  }

  private static int checkIndex(int v, int bound, String what) throws IOException {
    if (v >= bound) {
      throw new IOException("corrupt log record: " + what + " " + v);
    }
    return v;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in, int limit) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > limit) {
      throw new IOException("corrupt log record: string of " + len + " bytes");
    }
    byte[] b = in.readNBytes(len);
    if (b.length != len) {
      throw new IOException("corrupt log record: truncated string");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeValue(DataOutputStream out, Object v) throws IOException {
    switch (v) {
      case null -> out.writeByte(0);
      case String s -> {
        out.writeByte(1);
        writeString(out, s);
      }
      case Long l -> {
        out.writeByte(2);
        out.writeLong(l);
      }
      case Double d -> {
        out.writeByte(3);
        out.writeDouble(d);
      }
      case Boolean b -> out.writeByte(b ? 5 : 4);
      case Instant t -> {
        out.writeByte(6);
        out.writeLong(Timestamps.toMicros(t));
      }
      case List<?> tags -> {
        out.writeByte(7);
        out.writeInt(tags.size());
        for (Object tag : tags) {
          writeString(out, (String) tag);
        }
      }
      default -> throw new IllegalStateException("unexpected attribute value " + v);
    }
  }

  private static Object readValue(DataInputStream in, int limit) throws IOException {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case 0 -> null;
      case 1 -> readString(in, limit);
      case 2 -> in.readLong();
      case 3 -> in.readDouble();
      case 4 -> Boolean.FALSE;
      case 5 -> Boolean.TRUE;
      case 6 -> Timestamps.ofMicros(in.readLong());
      case 7 -> {
        int count = in.readInt();
        if (count < 0 || count > limit / 4) {
          throw new IOException("corrupt log record: string list of " + count + " elements");
        }
        List<String> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          tags.add(readString(in, limit));
        }
        yield Collections.unmodifiableList(tags);
      }
      default -> throw new IOException("corrupt log record: value tag " + tag);
    };
  }
}
