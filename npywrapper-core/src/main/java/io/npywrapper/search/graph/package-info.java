/**
 * Approximate nearest-neighbour graph indexes over one segment's vectors. {@link
 * io.npywrapper.search.graph.GraphIndex} is the interface the query layer sees; {@link
 * io.npywrapper.search.graph.HnswGraphIndex} implements it with Lucene's HNSW builder and searcher,
 * stored in the {@code index-<stamp>.hnsw} layout (docs/FORMAT.md) and searched straight from a
 * memory map. Vectors reach the graph only through {@link io.npywrapper.search.graph.GraphVectors}
 * (scores, higher is closer, and exact distances): {@link
 * io.npywrapper.search.graph.MappedFloatVectors} scores float32 rows in place in a mapped {@code
 * vectors.npy}; a quantized implementation (see {@code io.npywrapper.search.quant}'s scorers) can
 * take its place, its candidates then re-ranked by exact distance.
 *
 * <p>Typical use: {@code HnswGraphIndex.build(vectors, m, efConstruction, threads, crc, file,
 * cancelled)} once per segment, {@code HnswGraphIndex.open(file, vectors, crc)} on first search,
 * then {@code search(query, k, ef, acceptRows, acceptedCount, visitLimit)}.
 */
package io.npywrapper.search.graph;
