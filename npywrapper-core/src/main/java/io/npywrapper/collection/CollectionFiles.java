package io.npywrapper.collection;

import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.LocalFiles;
import io.npywrapper.store.NoSuchBlobException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one collection's files live: keys under {@code <name>/} in the store, manifests, a scratch
 * directory for staging new files, and local paths for memory-mapping (the file itself on a local
 * store; a verified download in a cache directory otherwise). Thread-safe.
 */
final class CollectionFiles {
  final BlobStore store;
  final String name;
  final String prefix;
  final Path scratch;
  private final Path cache;

  CollectionFiles(BlobStore store, String name, Path scratch, Path cache) {
    this.store = store;
    this.name = name;
    this.prefix = name + "/";
    this.scratch = scratch;
    this.cache = cache;
  }

  String key(String relative) {
    return prefix + relative;
  }

  /** A local file with the content of {@code f}, verified against its size (and CRC if fetched). */
  Path local(FileRef f) throws IOException {
    String key = key(f.key());
    if (store instanceof LocalFiles lf) {
      return lf.localPath(key).orElseThrow(() -> new NoSuchBlobException(store.uri(), key));
    }
    Path p = cache.resolve(key);
    if (Files.exists(p) && Files.size(p) == f.size()) {
      return p;
    }
    Files.createDirectories(p.getParent());
    Path tmp = Files.createTempFile(p.getParent(), ".download-", ".tmp");
    try (InputStream in = store.open(key)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      if (Files.size(tmp) != f.size() || SegmentWriter.crc32c(tmp) != f.crc32c()) {
        throw new CorruptFileException(
            store.uri() + "/" + key, "size or CRC32C differs from the manifest's record");
      }
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return p;
  }

  /**
   * Publishes a staged file under {@code key}: renamed into place on a local store (no copy),
   * uploaded otherwise. The staged file is gone afterwards either way.
   */
  static void publish(BlobStore store, String key, Path staged) throws IOException {
    if (store instanceof LocalFiles lf) {
      lf.moveIn(key, staged);
    } else {
      store.put(key, staged);
      Files.delete(staged);
    }
  }

  /** Writes and publishes a deletion file for segment {@code segmentId}. */
  FileRef writeDeletes(String segmentId, DeleteSet set) throws IOException {
    Files.createDirectories(scratch);
    Path tmp = Files.createTempFile(scratch, "deletes-", ".npy");
    try {
      Files.delete(tmp);
      set.write(tmp);
      String key = "deletes/" + segmentId + "-" + stamp() + ".npy";
      FileRef ref = new FileRef(key, Files.size(tmp), SegmentWriter.crc32c(tmp));
      publish(store, key(key), tmp);
      return ref;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A new unique name part that sorts by creation time: hex millis and random bits. */
  static String stamp() {
    return String.format(
        "%011x-%08x",
        System.currentTimeMillis(), java.util.concurrent.ThreadLocalRandom.current().nextInt());
  }

  /** A fresh segment id: {@code seg-<stamp>}. */
  static String newSegmentId() {
    return "seg-" + stamp();
  }

  /** Every committed version, ascending. */
  List<Long> versions() throws IOException {
    List<Long> out = new ArrayList<>();
    for (BlobInfo b : store.list(key("_manifests/"))) {
      long v = Manifest.versionOf(b.key());
      if (v > 0) {
        out.add(v);
      }
    }
    out.sort(null);
    return out;
  }

  /** The newest committed version, or -1 when the collection has none (does not exist). */
  long latestVersion() throws IOException {
    List<Long> v = versions();
    return v.isEmpty() ? -1 : v.getLast();
  }

  Manifest readManifest(long version) throws IOException {
    String key = key(Manifest.key(version));
    Manifest m = Manifest.parse(store.read(key), store.uri() + "/" + key);
    if (m.version() != version || !m.spec().name().equals(name)) {
      throw new CorruptFileException(
          store.uri() + "/" + key,
          "records version " + m.version() + " of '" + m.spec().name() + "'");
    }
    return m;
  }

  /** Publishes {@code m} if its version is free; false when another writer took it. */
  boolean putManifest(Manifest m) throws IOException {
    return store.putIfAbsent(key(Manifest.key(m.version())), m.toJson());
  }
}
