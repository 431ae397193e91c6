package io.npywrapper.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Commits what a dead writer left in its write-ahead log: the records after the ones the newest
 * manifest already holds ({@code wal_applied}) are replayed into a memtable over that version and
 * committed as one segment, recording the log's last sequence number, so each acknowledged record
 * is committed exactly once however often recovery is interrupted. Stateless and thread-safe; the
 * caller holds the dead log's lock and serializes commits.
 */
final class LogRecovery {
  private LogRecovery() {}

  /**
   * Log directories under {@code walDir} other than {@code ownWriterId}'s, sorted. Hidden
   * directories are logs still being created (see WriteAheadLog), or empty leftovers of a crash at
   * that moment, and are skipped.
   */
  static List<Path> otherLogs(Path walDir, String ownWriterId) throws IOException {
    if (!Files.isDirectory(walDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(walDir)) {
      return s.filter(
              p -> {
                String name = p.getFileName().toString();
                return Files.isDirectory(p) && !name.startsWith(".") && !name.equals(ownWriterId);
              })
          .sorted()
          .toList();
    }
  }

  /**
   * Replays {@code dead} (the log of writer {@code writerId}) on top of {@code base}, commits what
   * the base lacks and deletes the log.
   *
   * @return the manifest committed, or null when the base already held every record
   * @throws CorruptFileException naming the log when a record does not decode
   */
  static Manifest recover(
      WriteAheadLog dead, String writerId, Snapshot base, MemTableCommit memCommit)
      throws IOException {
    long applied = base.manifest().walApplied().getOrDefault(writerId, 0L);
    CollectionSpec spec = base.spec();
    MemTable mem = new MemTable();
    IOException[] failure = new IOException[1];
    dead.replay(
        applied,
        entry -> {
          try {
            mem.apply(Batch.decode(entry.payload(), spec), entry.seq(), id -> live(base, id));
          } catch (IOException e) {
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw new CorruptFileException(dead.dir().toString(), failure[0].getMessage());
    }
    Manifest committed = mem.isEmpty() ? null : memCommit.commit(base, mem, writerId);
    dead.deleteAll();
    return committed;
  }

  private static boolean live(Snapshot base, Object id) {
    try {
      return base.liveInBase(id);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
