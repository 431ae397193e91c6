package io.npywrapper.meta.index;

import io.npywrapper.npy.NpyArray;
import java.io.IOException;

/**
 * The attribute files of one segment as {@link SegmentIndex} reads them: memory-mapped {@code .npy}
 * columns and string dictionaries, by file name ({@code attr.<name>.npy}, {@code
 * attr.<name>.codes.npy}, ...; docs/FORMAT.md). Implementations must be thread-safe.
 */
public interface SegmentColumns {
  /** Rows in the segment. */
  long rows();

  /** The segment's file {@code name}, memory-mapped, or null when the segment has no such file. */
  NpyArray array(String name) throws IOException;

  /** The dictionary file {@code name} ({@code attr.<name>.dict.json}) decoded. */
  String[] dictionary(String name) throws IOException;
}
