package io.npywrapper.bench.ann;

import java.lang.management.ManagementFactory;

/** The JVM's used heap after garbage collection, for memory figures. Thread-safe. */
final class HeapUse {
  private HeapUse() {}

  /** Heap bytes in use after a few requested collections. */
  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
