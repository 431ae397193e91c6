package io.npywrapper.collection;

import java.time.Instant;

/**
 * One committed version of a collection, as listed by {@code versions()}. Immutable and
 * thread-safe.
 *
 * @param version the version number
 * @param committedAt commit time
 * @param operation what the commit did (create, append, delete, import, compact, ...)
 * @param rows live rows at this version
 * @param segments sealed segments at this version
 */
public record VersionInfo(
    long version, Instant committedAt, String operation, long rows, int segments) {
  static VersionInfo of(Manifest m) {
    return new VersionInfo(
        m.version(),
        Instant.ofEpochMilli(m.timestampMillis()),
        m.operation(),
        m.rowCount(),
        m.segments().size());
  }
}
