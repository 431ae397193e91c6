package io.npywrapper.collection;

/**
 * A file a manifest references: its key relative to the collection, byte size and CRC32C, so that
 * corruption is detected and named. Immutable and thread-safe.
 */
record FileRef(String key, long size, int crc32c) {
  String crcHex() {
    return String.format("%08x", crc32c);
  }
}
