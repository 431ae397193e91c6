/**
 * Scalar (int8) quantization of the float32 vectors of a {@code vectors.npy}: training the
 * per-dimension or global value ranges, streaming the codes into a numpy-readable {@code
 * vectors.i8.npy}, SIMD kernels that compare a prepared query with a code row in place, Lucene
 * {@code RandomVectorScorer} adapters so Lucene's HNSW builder and searcher walk the codes, and
 * exact re-ranking of the walk's candidates against the memory-mapped float32 rows.
 *
 * <p>Typical use: {@link io.npywrapper.search.quant.ScalarQuantizer#train} then {@link
 * io.npywrapper.search.quant.ScalarQuantizer#encode} once per segment; {@link
 * io.npywrapper.search.quant.QuantizedVectors#open} on every open; {@link
 * io.npywrapper.search.quant.QuantizedVectors#scorerSupplier()} to build a graph and {@link
 * io.npywrapper.search.quant.QuantizedSearch} to query it.
 */
package io.npywrapper.search.quant;
