package io.npywrapper.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists the blobs of a {@link LocalBlobStore} whose keys start with a prefix: walks only the
 * directories that can hold such keys, skips names starting with {@code '.'} (temporary and
 * bookkeeping files) and names that are not valid keys, follows file symlinks as {@code stat} does,
 * tolerates files that vanish while it walks, and sorts by key. Stateless and thread-safe.
 */
final class LocalListing {
  private LocalListing() {}

  /** The blobs under {@code root} whose keys start with {@code prefix} (already checked). */
  static List<BlobInfo> list(Path root, String prefix) throws IOException {
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    List<BlobInfo> out = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return out;
    }
    try {
      Files.walkFileTree(start, new Visitor(root, start, prefix, out));
    } catch (NoSuchFileException e) {
      return new ArrayList<>(); // the start directory vanished: nothing to list
    }
    out.sort(Comparator.comparing(BlobInfo::key));
    return out;
  }

  private static final class Visitor extends SimpleFileVisitor<Path> {
    private final Path root;
    private final Path start;
    private final String prefix;
    private final List<BlobInfo> out;

    Visitor(Path root, Path start, String prefix, List<BlobInfo> out) {
      this.root = root;
      this.start = start;
      this.prefix = prefix;
      this.out = out;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (dir.equals(start)) {
        return FileVisitResult.CONTINUE;
      }
      if (dir.getFileName().toString().startsWith(".")) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      String sub = key(dir) + "/";
      return sub.startsWith(prefix) || prefix.startsWith(sub)
          ? FileVisitResult.CONTINUE
          : FileVisitResult.SKIP_SUBTREE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      if (file.getFileName().toString().startsWith(".")) {
        return FileVisitResult.CONTINUE;
      }
      BasicFileAttributes a = attrs;
      if (a.isSymbolicLink()) {
        try {
          a = Files.readAttributes(file, BasicFileAttributes.class); // follow, as stat does
        } catch (NoSuchFileException e) {
          return FileVisitResult.CONTINUE; // a dangling link is not a blob
        }
      }
      String key = key(file);
      if (a.isRegularFile() && key.startsWith(prefix) && Keys.isValid(key)) {
        out.add(new BlobInfo(key, a.size()));
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE; // deleted or renamed away while we walked
      }
      throw e;
    }

    private String key(Path p) {
      StringBuilder sb = new StringBuilder();
      for (Path name : root.relativize(p)) {
        if (!sb.isEmpty()) {
          sb.append('/');
        }
        sb.append(name);
      }
      return sb.toString();
    }
  }
}
