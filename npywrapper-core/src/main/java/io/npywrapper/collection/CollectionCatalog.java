package io.npywrapper.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.LocalBlobStore;
import io.npywrapper.store.LocalFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collections of one store: the store marker ({@code npyw.json}), creating, listing, opening
 * and dropping collections, and where each keeps its local scratch files and logs. Thread-safe.
 */
public final class CollectionCatalog {
  static final String MARKER = "npyw.json";
  static final int STORE_FORMAT_VERSION = 1;
  private static final Pattern MANIFEST_KEY =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})/_manifests/v\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlobStore store;
  private final EngineOptions options;
  private final Path localRoot;

  private CollectionCatalog(BlobStore store, EngineOptions options, Path localRoot) {
    this.store = store;
    this.options = options;
    this.localRoot = localRoot;
  }

  /**
   * Opens the catalog of {@code store}, writing the store marker if the store is new and refusing a
   * store written by a newer format.
   */
  public static CollectionCatalog open(BlobStore store, EngineOptions options) throws IOException {
    Optional<BlobInfo> marker = store.stat(MARKER);
    if (marker.isEmpty()) {
      String json =
          "{\"format\": \"npywrapper-store\", \"format_version\": " + STORE_FORMAT_VERSION + "}\n";
      store.putIfAbsent(MARKER, json.getBytes(StandardCharsets.UTF_8));
    }
    String source = store.uri() + "/" + MARKER;
    JsonNode m;
    try {
      m = JSON.readTree(store.read(MARKER));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CorruptFileException(source, "not valid JSON");
    }
    if (!"npywrapper-store".equals(m.path("format").asText())) {
      throw new CorruptFileException(source, "not an npyWrapper store marker");
    }
    int v = m.path("format_version").asInt(-1);
    if (v > STORE_FORMAT_VERSION) {
      throw new FormatTooNewException(source, v, STORE_FORMAT_VERSION);
    }
    Path local;
    if (store instanceof LocalBlobStore l) {
      local = l.root();
    } else if (options.walRoot() != null) {
      local = options.walRoot();
    } else {
      local =
          Path.of(System.getProperty("user.home"), ".npyw", "stores")
              .resolve(Integer.toHexString(store.uri().hashCode()));
    }
    return new CollectionCatalog(store, options, local);
  }

  public BlobStore store() {
    return store;
  }

  private CollectionFiles files(String name) throws IOException {
    CollectionSpec.checkName(name);
    Path scratch =
        store instanceof LocalFiles lf ? lf.stagingDirectory() : localRoot.resolve(".staging");
    Path cache = localRoot.resolve(".cache");
    return new CollectionFiles(store, name, scratch, cache);
  }

  private Path walDir(String name) {
    return localRoot.resolve(name).resolve("wal");
  }

  /** Creates a collection; fails if the name is taken. */
  public CollectionEngine create(CollectionSpec spec, Map<String, String> properties)
      throws IOException {
    Files.createDirectories(localRoot);
    return CollectionEngine.create(
        files(spec.name()), spec, properties, options, walDir(spec.name()));
  }

  /**
   * Opens a collection at its newest version.
   *
   * @throws java.util.NoSuchElementException naming the collection when it does not exist
   */
  public CollectionEngine open(String name) throws IOException {
    return CollectionEngine.open(files(name), options, walDir(name));
  }

  public boolean exists(String name) throws IOException {
    return files(name).latestVersion() > 0;
  }

  /** Names of every collection, sorted. */
  public List<String> list() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (BlobInfo b : store.list("")) {
      Matcher m = MANIFEST_KEY.matcher(b.key());
      if (m.matches()) {
        names.add(m.group(1));
      }
    }
    return new ArrayList<>(names);
  }

  /**
   * Drops a collection: its manifests first (so it disappears at once), then its files.
   *
   * @return false when no such collection existed
   */
  public boolean drop(String name) throws IOException {
    CollectionFiles f = files(name);
    List<Long> versions = f.versions();
    if (versions.isEmpty()) {
      return false;
    }
    for (int i = versions.size() - 1; i >= 0; i--) {
      store.delete(f.key(Manifest.key(versions.get(i))));
    }
    for (BlobInfo b : store.list(f.prefix)) {
      store.delete(b.key());
    }
    return true;
  }
}
