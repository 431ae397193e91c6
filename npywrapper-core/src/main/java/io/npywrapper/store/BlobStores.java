package io.npywrapper.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Opens a {@link BlobStore} from the string a user gives ({@code --store}, a configuration value):
 *
 * <ul>
 *   <li>a plain path ({@code ./npyw-data}, {@code /data/store}, {@code C:\store}) or a {@code
 *       file:} URI ({@code file:///data/store}) opens a {@link LocalBlobStore};
 *   <li>any other scheme ({@code s3://bucket/prefix}, {@code gs://bucket/prefix}) opens the store
 *       of the {@link BlobStoreProvider} registered for it, found with {@link ServiceLoader} in the
 *       thread's context class loader (else this class's loader), so that core never depends on a
 *       cloud SDK. An unknown scheme fails with a message listing the known ones.
 * </ul>
 *
 * <p>Stateless and thread-safe; providers are looked up on every call (opening a store is rare).
 */
public final class BlobStores {
  /** A URI scheme of two or more characters; one letter before ':' is a Windows drive. */
  private static final Pattern SCHEME =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);

  private BlobStores() {}

  /**
   * Opens the store named by {@code location}, a path or a URI.
   *
   * @throws IllegalArgumentException if the location is malformed or its scheme is unknown
   * @throws IOException if the store cannot be opened
   */
  public static BlobStore open(String location) throws IOException {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("store location must not be empty");
    }
    if (!SCHEME.matcher(location).matches()) {
      return LocalBlobStore.open(Path.of(location));
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "store location '" + location + "' is not a valid URI: " + e.getMessage(), e);
    }
    return open(uri);
  }

  /**
   * Opens the store named by {@code uri}.
   *
   * @throws IllegalArgumentException if the URI is malformed or its scheme is unknown
   * @throws IOException if the store cannot be opened
   */
  public static BlobStore open(URI uri) throws IOException {
    String scheme = uri.getScheme();
    if (scheme == null) {
      return LocalBlobStore.open(Path.of(uri.getPath()));
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return LocalBlobStore.open(fileUriPath(uri));
    }
    List<BlobStoreProvider> matches = new ArrayList<>();
    TreeSet<String> known = new TreeSet<>(List.of("file"));
    for (BlobStoreProvider p : providers()) {
      String s = p.scheme().toLowerCase(Locale.ROOT);
      known.add(s);
      if (s.equals(scheme)) {
        matches.add(p);
      }
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException(
          "no store for scheme '"
              + scheme
              + "' in '"
              + uri
              + "'; known schemes: "
              + String.join(", ", known)
              + " (a plain path opens a local directory; add the module of a cloud store, such"
              + " as npywrapper-s3, to the class path for its scheme)");
    }
    if (matches.size() > 1) {
      List<String> names = matches.stream().map(p -> p.getClass().getName()).toList();
      throw new IllegalArgumentException(
          "scheme '" + scheme + "' has " + matches.size() + " providers, expected one: " + names);
    }
    return matches.get(0).open(uri);
  }

  private static Path fileUriPath(URI uri) {
    try {
      return Path.of(uri);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalArgumentException(
          "file URI '"
              + uri
              + "' does not name a local directory ("
              + e.getMessage()
              + "); expected file:///absolute/path or a plain path",
          e);
    }
  }

  private static ServiceLoader<BlobStoreProvider> providers() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = BlobStores.class.getClassLoader();
    }
    return ServiceLoader.load(BlobStoreProvider.class, loader);
  }
}
