package io.npywrapper.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A {@link BlobStoreProvider} for the made-up scheme {@code testfs} ({@code testfs:///abs/dir}): a
 * local store wrapped in a {@link FaultyBlobStore}, so a test can tell it came from the provider.
 * Not registered in the test jar's services; tests register it through a class loader.
 */
public class TestSchemeProvider implements BlobStoreProvider {
  @Override
  public String scheme() {
    return "testfs";
  }

  @Override
  public BlobStore open(URI uri) throws IOException {
    if (uri.getPath() == null || uri.getPath().isEmpty()) {
      throw new IllegalArgumentException("expected testfs:///absolute/dir, got " + uri);
    }
    return new FaultyBlobStore(LocalBlobStore.open(Path.of(uri.getPath())));
  }

  /** A second provider of the same scheme, to test that ambiguity is an error. */
  public static class Duplicate extends TestSchemeProvider {}
}
