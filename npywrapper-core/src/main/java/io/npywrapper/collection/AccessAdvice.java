package io.npywrapper.collection;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Tells Linux that a memory-mapped file will be read at random ({@code madvise(MADV_RANDOM)}), so a
 * page fault reads that page alone instead of the device's whole read-ahead window (often several
 * megabytes): what a graph walk and exact re-ranking over vectors that do not fit in memory need.
 * Best effort: a no-op elsewhere or when the call is unavailable. Stateless and thread-safe.
 */
final class AccessAdvice {
  private static final int MADV_RANDOM = 1;
  private static final long PAGE = 4096;
  private static final MethodHandle MADVISE = find();

  private AccessAdvice() {}

  private static MethodHandle find() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return null;
    }
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find("madvise")
          .map(
              a ->
                  linker.downcallHandle(
                      a,
                      FunctionDescriptor.of(
                          ValueLayout.JAVA_INT,
                          ValueLayout.ADDRESS,
                          ValueLayout.JAVA_LONG,
                          ValueLayout.JAVA_INT)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** Advises random access to the pages of {@code mapped}; true if the kernel accepted it. */
  static boolean random(MemorySegment mapped) {
    if (MADVISE == null || !mapped.isNative() || mapped.byteSize() == 0) {
      return false;
    }
    long address = mapped.address();
    long start = address & -PAGE;
    try {
      int rc =
          (int)
              MADVISE.invokeExact(
                  MemorySegment.ofAddress(start),
                  mapped.byteSize() + (address - start),
                  MADV_RANDOM);
      return rc == 0;
    } catch (Throwable e) {
      return false;
    }
  }
}
