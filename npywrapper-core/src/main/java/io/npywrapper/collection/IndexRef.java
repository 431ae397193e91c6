package io.npywrapper.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A manifest's record of one segment's graph index: the graph file and, for an {@link
 * IndexQuantization#INT8} index, the int8 codes and their parameters file written with it. All of
 * them are committed by the same {@code add_index} commit, kept by vacuum while referenced and
 * checked (size, CRC32C) before use. Immutable and thread-safe.
 *
 * @param graph {@code segments/<id>/index-<stamp>.hnsw}
 * @param codes {@code segments/<id>/index-<stamp>.i8.npy}, or null for a float32 index
 * @param params {@code segments/<id>/index-<stamp>.i8.params}, or null for a float32 index
 */
record IndexRef(FileRef graph, FileRef codes, FileRef params) {
  IndexRef {
    Objects.requireNonNull(graph, "graph");
    if ((codes == null) != (params == null)) {
      throw new IllegalArgumentException("an int8 index needs both its codes and params files");
    }
  }

  /** A float32 index: the graph file alone. */
  static IndexRef of(FileRef graph) {
    return new IndexRef(graph, null, null);
  }

  IndexQuantization quantization() {
    return codes == null ? IndexQuantization.NONE : IndexQuantization.INT8;
  }

  /** What the index is, for listings: {@code "hnsw"}, or {@code "hnsw+int8"} when quantized. */
  String kind() {
    return codes == null ? Manifest.INDEX_KIND : Manifest.INDEX_KIND + "+" + quantization().id();
  }

  /** The graph key, which names the index in logs and caches. */
  String key() {
    return graph.key();
  }

  /** Every file of the index. */
  List<FileRef> files() {
    List<FileRef> l = new ArrayList<>(3);
    l.add(graph);
    if (codes != null) {
      l.add(codes);
      l.add(params);
    }
    return l;
  }
}
