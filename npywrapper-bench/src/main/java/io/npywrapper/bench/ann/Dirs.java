package io.npywrapper.bench.ann;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directory helpers for the benchmark's scratch files. Stateless and thread-safe. */
final class Dirs {
  private Dirs() {}

  /** Deletes {@code p} and everything under it; nothing when it does not exist. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** The total size of the regular files under {@code p}. */
  static long bytes(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      long sum = 0;
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        sum += Files.size(f);
      }
      return sum;
    }
  }

  /** The regular files named {@code name} under {@code p}, sorted. */
  static List<Path> find(Path p, String name) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> f.getFileName().toString().equals(name)).sorted().toList();
    }
  }
}
