package io.npywrapper.store;

/**
 * Every local-store test again with the fallback for file systems without hard links forced on:
 * conditional creates and replacing puts serialised by an OS lock, then check-and-rename. Proves
 * the fallback keeps one winner per key across processes and survives a killed lock holder.
 */
class LocalBlobStoreLockedRenameTest extends LocalBlobStoreTest {
  @Override
  FilePublisher.Mode publish() {
    return FilePublisher.Mode.LOCKED_RENAME;
  }
}
