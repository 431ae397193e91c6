package io.npywrapper.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A {@link FaultyBlobStore} with no faults scheduled keeps the whole contract of its delegate. */
class FaultyBlobStoreContractTest extends BlobStoreContractTest {
  @TempDir Path dir;

  @Override
  protected BlobStore newStore() throws Exception {
    return new FaultyBlobStore(LocalBlobStore.open(dir));
  }
}
