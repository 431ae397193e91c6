package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoresTest {
  @TempDir Path dir;

  @Test
  void pathsAndFileUrisOpenLocalStores() throws IOException {
    Path root = dir.resolve("with space/store");
    try (BlobStore a = BlobStores.open(root.toString());
        BlobStore b = BlobStores.open(root.toUri().toString());
        BlobStore c = BlobStores.open("FILE://" + root.toUri().getRawPath())) {
      assertInstanceOf(LocalBlobStore.class, a);
      assertEquals(a.uri(), b.uri());
      assertEquals(a.uri(), c.uri());
      assertTrue(a.uri().contains("with%20space"), a.uri());
      a.put("k", new byte[] {1});
      assertEquals(1, b.read("k").length);
    }
  }

  @Test
  void unknownSchemesListTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BlobStores.open("s3://bucket/prefix"));
    assertTrue(e.getMessage().contains("no store for scheme 's3'"), e.getMessage());
    assertTrue(e.getMessage().contains("known schemes: file"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BlobStores.open(" "));
    e = assertThrows(IllegalArgumentException.class, () -> BlobStores.open("file:relative/x"));
    assertTrue(e.getMessage().contains("file:///absolute/path"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BlobStores.open("file://host/x"));
    assertTrue(e.getMessage().contains("file://host/x"), e.getMessage());
  }

  @Test
  void otherSchemesComeFromServiceLoaderProviders() throws Exception {
    Path root = dir.resolve("provided");
    withProviders(
        TestSchemeProvider.class.getName(),
        () -> {
          try (BlobStore s = BlobStores.open("testfs://" + root.toUri().getRawPath())) {
            assertInstanceOf(FaultyBlobStore.class, s);
            s.put("k", new byte[] {1});
          }
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> BlobStores.open("gs://b/p"));
          assertTrue(e.getMessage().contains("known schemes: file, testfs"), e.getMessage());
        });
    assertTrue(Files.exists(root.resolve("k")));
    withProviders(
        TestSchemeProvider.class.getName() + "\n" + TestSchemeProvider.Duplicate.class.getName(),
        () -> {
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class,
                  () -> BlobStores.open("testfs://" + root.toUri().getRawPath()));
          assertTrue(e.getMessage().contains("2 providers"), e.getMessage());
        });
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with a context class loader whose services name {@code providers}. */
  private void withProviders(String providers, Body body) throws Exception {
    Path services = dir.resolve("cl-" + providers.hashCode());
    Path file = services.resolve("META-INF/services/" + BlobStoreProvider.class.getName());
    Files.createDirectories(file.getParent());
    Files.writeString(file, providers + "\n");
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {services.toUri().toURL()}, getClass().getClassLoader())) {
      t.setContextClassLoader(loader);
      body.run();
    } finally {
      t.setContextClassLoader(saved);
    }
  }
}
