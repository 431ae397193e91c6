package io.npywrapper.collection;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * The dictionary of a string attribute column: a JSON array of the distinct strings, where code
 * {@code i} in {@code attr.<name>.codes.npy} means element {@code i}. Thread-safe.
 */
final class DictionaryJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DictionaryJson() {}

  static byte[] encode(Collection<String> values) {
    try {
      return JSON.writeValueAsBytes(List.copyOf(values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String[] decode(byte[] json, String source) throws CorruptFileException {
    try {
      return JSON.readValue(json, String[].class);
    } catch (IOException e) {
      throw new CorruptFileException(source, "not a JSON array of strings");
    }
  }
}
