package io.npywrapper.search.graph;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.HnswGraph;

/**
 * Lucene's {@link HnswGraph} read straight from a memory-mapped {@code index.hnsw} ({@link
 * HnswFile}): a node's neighbour list on level 0 is at a fixed offset, on upper levels after a
 * binary search of the level's sorted node list. The mapped bytes are shared; the seek cursor is
 * not, so each search takes its own {@link #view()}. Not thread-safe.
 */
final class MappedHnswGraph extends HnswGraph {
  private final MemorySegment s;
  private final HnswFile.Layout layout;
  private final int[][] upperNodes;
  private int[] list = new int[0];
  private int next;
  private int neighbors;

  MappedHnswGraph(MemorySegment s, HnswFile.Layout layout) {
    this.s = s;
    this.layout = layout;
    int levels = layout.numLevels();
    this.upperNodes = new int[levels][];
    for (int l = 1; l < levels; l++) {
      int n = layout.levelNodes()[l];
      upperNodes[l] = new int[n];
      MemorySegment.copy(s, HnswFile.INT, layout.levelOffset()[l], upperNodes[l], 0, n);
    }
  }

  private MappedHnswGraph(MappedHnswGraph shared) {
    this.s = shared.s;
    this.layout = shared.layout;
    this.upperNodes = shared.upperNodes;
  }

  /** A graph over the same bytes with its own cursor. */
  MappedHnswGraph view() {
    return new MappedHnswGraph(this);
  }

  @Override
  public void seek(int level, int target) {
    long slot;
    if (level == 0) {
      slot = layout.levelOffset()[0] + 4L * layout.slotInts()[0] * target;
    } else {
      int pos = Arrays.binarySearch(upperNodes[level], target);
      if (pos < 0) {
        throw new IllegalArgumentException("node " + target + " is not on level " + level);
      }
      slot =
          layout.levelOffset()[level]
              + 4L * upperNodes[level].length
              + 4L * layout.slotInts()[level] * pos;
    }
    neighbors = s.get(HnswFile.INT, slot);
    if (list.length < neighbors) {
      list = new int[Math.max(neighbors, 2 * layout.params().m())];
    }
    // One bulk copy per node instead of a bounds-checked read per neighbour.
    MemorySegment.copy(s, HnswFile.INT, slot + 4, list, 0, neighbors);
    next = 0;
  }

  @Override
  public int nextNeighbor() {
    return next < neighbors ? list[next++] : DocIdSetIterator.NO_MORE_DOCS;
  }

  @Override
  public int size() {
    return layout.count();
  }

  @Override
  public int numLevels() {
    return layout.numLevels();
  }

  @Override
  public int maxConn() {
    return layout.params().m();
  }

  @Override
  public int entryNode() {
    return layout.entryNode();
  }

  @Override
  public int neighborCount() {
    return neighbors;
  }

  @Override
  public NodesIterator getNodesOnLevel(int level) {
    if (level == 0) {
      int[] all = new int[layout.count()];
      Arrays.setAll(all, i -> i);
      return new ArrayNodesIterator(all, all.length);
    }
    return new ArrayNodesIterator(upperNodes[level], upperNodes[level].length);
  }
}
