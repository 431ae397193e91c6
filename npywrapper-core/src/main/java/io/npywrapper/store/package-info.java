/**
 * The storage SPI: {@link io.npywrapper.store.BlobStore}, the one interface through which the
 * engine reads and writes files, whether they live in a local directory ({@link
 * io.npywrapper.store.LocalBlobStore}) or in an object store found by URI scheme ({@link
 * io.npywrapper.store.BlobStores}, {@link io.npywrapper.store.BlobStoreProvider}). Extra abilities
 * are extra interfaces ({@link io.npywrapper.store.LocalFiles}); key rules are in {@link
 * io.npywrapper.store.Keys}; file checksums in {@link io.npywrapper.store.Checksums}.
 *
 * <p>This package depends only on the JDK and {@code io.npywrapper.npy}. Its contract is pinned
 * down by {@code BlobStoreContractTest} in the test jar, which every backend's tests subclass, and
 * {@code FaultyBlobStore} there injects failures for the layers above.
 */
package io.npywrapper.store;
