package io.npywrapper.search.graph;

import io.npywrapper.search.Metric;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * The {@code index.hnsw} file layout (docs/FORMAT.md, "Graph index"): a 64-byte header, a level
 * directory, fixed-size neighbour slots per level so that a node's list is found by arithmetic
 * straight from a memory map, and a 16-byte footer with the CRC32C of everything before it. All
 * numbers are little-endian. Writes stream the CRC as they go; {@link #check} validates a mapped
 * file completely (header, sizes, every neighbour id, checksum) before it is searched. Stateless.
 */
final class HnswFile {
  static final byte[] MAGIC = "NPYWHNSW".getBytes(StandardCharsets.US_ASCII);
  static final String FORMAT = "npywrapper-hnsw";
  static final int VERSION = 1;
  static final int HEADER_BYTES = 64;
  static final int LEVEL_ENTRY_BYTES = 16;
  static final int FOOTER_BYTES = 16;
  static final int FOOTER_MAGIC = 0x4E59_4352; // "RCYN" read little-endian: "NYCR" bytes
  static final int ALGORITHM_CRC32C = 1;
  static final int MAX_LEVELS = 64;
  static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private HnswFile() {}

  /** Where a validated file's levels are. */
  record Layout(
      GraphParams params,
      int count,
      int entryNode,
      long vectorsChecksum,
      int[] levelNodes,
      int[] slotInts,
      long[] levelOffset) {
    int numLevels() {
      return levelNodes.length;
    }
  }

  static int metricId(Metric m) {
    return switch (m) {
      case L2 -> 0;
      case COSINE -> 1;
      case DOT -> 2;
    };
  }

  /** Slot width in ints on {@code level}: a count then up to 2m (level 0) or m neighbours. */
  static int slotInts(int level, int m) {
    return 1 + (level == 0 ? 2 * m : m);
  }

  /** Writes {@code graph} to {@code file} (which must not exist), fsynced. */
  static void write(
      OnHeapHnswGraph graph, GraphParams params, int count, long vectorsChecksum, Path file)
      throws IOException {
    int levels = graph.numLevels();
    int m = params.m();
    int[][] nodes = new int[levels][];
    for (int l = 0; l < levels; l++) {
      nodes[l] = nodesOn(graph, l, count);
    }
    long offset = HEADER_BYTES + (long) LEVEL_ENTRY_BYTES * levels;
    long[] levelOffset = new long[levels];
    for (int l = 0; l < levels; l++) {
      levelOffset[l] = offset;
      long listBytes = l == 0 ? 0 : 4L * nodes[l].length;
      offset += listBytes + 4L * slotInts(l, m) * nodes[l].length;
    }
    CRC32C crc = new CRC32C();
    try (OutputStream raw =
            Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW);
        Out out = new Out(new BufferedOutputStream(raw, 1 << 16), crc)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      h.put(MAGIC);
      byte[] name = Arrays.copyOf(FORMAT.getBytes(StandardCharsets.US_ASCII), 16);
      h.put(name);
      h.putInt(VERSION).putInt(metricId(params.metric())).putInt(params.dim()).putInt(count);
      h.putInt(m).putInt(params.efConstruction()).putInt(levels).putInt(graph.entryNode());
      h.putLong(vectorsChecksum);
      out.write(h.array());
      for (int l = 0; l < levels; l++) {
        out.putInt(nodes[l].length).putInt(slotInts(l, m)).putLong(levelOffset[l]);
      }
      for (int l = 0; l < levels; l++) {
        if (l > 0) {
          for (int n : nodes[l]) {
            out.putInt(n);
          }
        }
        int width = slotInts(l, m) - 1;
        for (int n : nodes[l]) {
          NeighborArray na = graph.getNeighbors(l, n);
          int size = na.size();
          if (size > width) {
            throw new IllegalStateException(
                "node " + n + " has " + size + " neighbours on level " + l + ", at most " + width);
          }
          int[] ns = na.nodes();
          out.putInt(size);
          for (int i = 0; i < width; i++) {
            out.putInt(i < size ? ns[i] : -1);
          }
        }
      }
      out.flushInts();
      long checksum = crc.getValue();
      ByteBuffer f = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      f.putInt(FOOTER_MAGIC).putInt(ALGORITHM_CRC32C).putLong(checksum);
      out.writeUnchecked(f.array());
    }
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static int[] nodesOn(HnswGraph graph, int level, int count) throws IOException {
    if (level == 0) {
      int[] all = new int[count];
      Arrays.setAll(all, i -> i);
      return all;
    }
    HnswGraph.NodesIterator it = graph.getNodesOnLevel(level);
    int[] out = new int[it.size()];
    for (int i = 0; it.hasNext(); i++) {
      out[i] = it.nextInt();
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * Validates a mapped file against what its segment says (metric, dimension, row count, vectors
   * size) and returns its layout.
   *
   * @throws GraphIndexException naming {@code source} when anything is off
   */
  static Layout check(MemorySegment s, String source, GraphVectors vectors, long vectorsChecksum)
      throws GraphIndexException {
    long size = s.byteSize();
    if (size < HEADER_BYTES + LEVEL_ENTRY_BYTES + FOOTER_BYTES) {
      throw new GraphIndexException(source, "only " + size + " bytes, too short for a graph index");
    }
    byte[] head = s.asSlice(0, 24).toArray(ValueLayout.JAVA_BYTE);
    if (!Arrays.equals(Arrays.copyOf(head, 8), MAGIC)) {
      throw new GraphIndexException(source, "bad magic: not an npyWrapper graph index");
    }
    byte[] name = Arrays.copyOf(FORMAT.getBytes(StandardCharsets.US_ASCII), 16);
    if (!Arrays.equals(Arrays.copyOfRange(head, 8, 24), name)) {
      throw new GraphIndexException(source, "format name is not '" + FORMAT + "'");
    }
    int version = s.get(INT, 24);
    if (version != VERSION) {
      throw new GraphIndexException(
          source, "format version " + version + ", this build reads version " + VERSION + " only");
    }
    checkFooter(s, source);
    int metric = s.get(INT, 28);
    int dim = s.get(INT, 32);
    int count = s.get(INT, 36);
    int m = s.get(INT, 40);
    int efc = s.get(INT, 44);
    int levels = s.get(INT, 48);
    int entry = s.get(INT, 52);
    long vbytes = s.get(LONG, 56);
    expect(source, "metric", metricId(vectors.metric()), metric);
    expect(source, "dimension", vectors.dim(), dim);
    expect(source, "node count", vectors.size(), count);
    if (vbytes != vectorsChecksum) {
      throw new GraphIndexException(
          source,
          String.format(
              "built for vectors with CRC32C %08x, the segment's have %08x",
              vbytes, vectorsChecksum));
    }
    if (m < 2 || m > GraphParams.MAX_M || efc < 1 || efc > GraphParams.MAX_EF_CONSTRUCTION) {
      throw new GraphIndexException(source, "bad parameters m=" + m + " efConstruction=" + efc);
    }
    if (levels < 1 || levels > MAX_LEVELS || count < 1 || entry < 0 || entry >= count) {
      throw new GraphIndexException(
          source, "bad structure: " + levels + " levels, " + count + " nodes, entry " + entry);
    }
    int[] levelNodes = new int[levels];
    int[] slots = new int[levels];
    long[] offsets = new long[levels];
    long expected = HEADER_BYTES + (long) LEVEL_ENTRY_BYTES * levels;
    if (expected + FOOTER_BYTES > size) {
      throw new GraphIndexException(source, "level directory runs past the end of the file");
    }
    for (int l = 0; l < levels; l++) {
      long at = HEADER_BYTES + (long) LEVEL_ENTRY_BYTES * l;
      levelNodes[l] = s.get(INT, at);
      slots[l] = s.get(INT, at + 4);
      offsets[l] = s.get(LONG, at + 8);
      int maxNodes = l == 0 ? count : (l == 1 ? count : levelNodes[l - 1]);
      if (levelNodes[l] < 1
          || levelNodes[l] > maxNodes
          || (l == 0 && levelNodes[l] != count)
          || slots[l] != slotInts(l, m)
          || offsets[l] != expected) {
        throw new GraphIndexException(
            source,
            "level "
                + l
                + " directory entry is inconsistent (nodes "
                + levelNodes[l]
                + ", slot "
                + slots[l]
                + ", offset "
                + offsets[l]
                + ", expected offset "
                + expected
                + ")");
      }
      expected += (l == 0 ? 0 : 4L * levelNodes[l]) + 4L * slots[l] * levelNodes[l];
      if (expected + FOOTER_BYTES > size) {
        throw new GraphIndexException(source, "level " + l + " runs past the end of the file");
      }
    }
    if (expected + FOOTER_BYTES != size) {
      throw new GraphIndexException(
          source, "size " + size + " bytes, the header describes " + (expected + FOOTER_BYTES));
    }
    Layout layout =
        new Layout(
            new GraphParams(vectors.metric(), dim, m, efc),
            count,
            entry,
            vbytes,
            levelNodes,
            slots,
            offsets);
    checkNeighbours(s, source, layout);
    return layout;
  }

  private static void expect(String source, String what, long want, long got)
      throws GraphIndexException {
    if (want != got) {
      throw new GraphIndexException(
          source, what + " " + got + " in the header, the segment has " + want);
    }
  }

  private static void checkFooter(MemorySegment s, String source) throws GraphIndexException {
    long footer = s.byteSize() - FOOTER_BYTES;
    if (s.get(INT, footer) != FOOTER_MAGIC || s.get(INT, footer + 4) != ALGORITHM_CRC32C) {
      throw new GraphIndexException(source, "bad footer: truncated or not a graph index");
    }
    CRC32C crc = new CRC32C();
    for (long at = 0; at < footer; at += 1 << 30) {
      long len = Math.min(1 << 30, footer - at);
      crc.update(s.asSlice(at, len).asByteBuffer());
    }
    long stored = s.get(LONG, footer + 8);
    if (crc.getValue() != stored) {
      throw new GraphIndexException(
          source,
          String.format(
              "checksum mismatch: CRC32C %08x, the footer records %08x", crc.getValue(), stored));
    }
  }

  /** Every sorted node list ascending and within range, every neighbour count and id valid. */
  private static void checkNeighbours(MemorySegment s, String source, Layout l)
      throws GraphIndexException {
    int count = l.count();
    for (int level = 0; level < l.numLevels(); level++) {
      long at = l.levelOffset()[level];
      int n = l.levelNodes()[level];
      if (level > 0) {
        int prev = -1;
        for (int i = 0; i < n; i++, at += 4) {
          int node = s.get(INT, at);
          if (node <= prev || node >= count) {
            throw new GraphIndexException(
                source, "level " + level + " node list is not ascending in [0, " + count + ")");
          }
          prev = node;
        }
      }
      int width = l.slotInts()[level] - 1;
      for (int i = 0; i < n; i++) {
        int c = s.get(INT, at);
        if (c < 0 || c > width) {
          throw new GraphIndexException(
              source,
              "level " + level + " slot " + i + " holds " + c + " neighbours, at most " + width);
        }
        for (int j = 1; j <= c; j++) {
          int nb = s.get(INT, at + 4L * j);
          if (nb < 0 || nb >= count) {
            throw new GraphIndexException(
                source, "level " + level + " slot " + i + " links to node " + nb + " of " + count);
          }
        }
        at += 4L * (width + 1);
      }
    }
  }

  /** A little-endian output that updates a CRC with every byte it writes (footer excepted). */
  private static final class Out implements AutoCloseable {
    private final OutputStream out;
    private final CRC32C crc;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Out(OutputStream out, CRC32C crc) {
      this.out = out;
      this.crc = crc;
    }

    Out putInt(int v) throws IOException {
      if (buf.remaining() < 4) {
        flushInts();
      }
      buf.putInt(v);
      return this;
    }

    Out putLong(long v) throws IOException {
      if (buf.remaining() < 8) {
        flushInts();
      }
      buf.putLong(v);
      return this;
    }

    void write(byte[] b) throws IOException {
      flushInts();
      crc.update(b);
      out.write(b);
    }

    void writeUnchecked(byte[] b) throws IOException {
      flushInts();
      out.write(b);
    }

    void flushInts() throws IOException {
      if (buf.position() > 0) {
        crc.update(buf.array(), 0, buf.position());
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
    }

    @Override
    public void close() throws IOException {
      flushInts();
      out.close();
    }
  }
}
