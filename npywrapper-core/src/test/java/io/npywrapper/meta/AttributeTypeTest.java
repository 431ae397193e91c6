package io.npywrapper.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeTypeTest {
  @Test
  void namesInSchemasAndManifests() {
    assertEquals("timestamp", AttributeType.TIMESTAMP.id());
    assertEquals("string_list", AttributeType.STRING_LIST.id());
    assertEquals(AttributeType.STRING_LIST, AttributeType.parse(" String_List "));
    var e = assertThrows(IllegalArgumentException.class, () -> AttributeType.parse("date"));
    assertTrue(e.getMessage().contains("timestamp or string_list"), e.getMessage());
  }

  @Test
  void timestampsFromInstantsAndIsoText() {
    AttributeType t = AttributeType.TIMESTAMP;
    Instant noon = Instant.parse("2024-05-01T12:00:00Z");
    assertEquals(noon, t.coerce(noon));
    assertEquals(noon, t.coerce("2024-05-01T12:00:00Z"));
    assertEquals(noon, t.coerce("2024-05-01T14:00:00+02:00"));
    assertEquals(noon, t.coerce("2024-05-01 12:00:00"));
    assertEquals(noon, t.coerce("2024-05-01T12:00"));
    assertEquals(Instant.parse("2024-05-01T00:00:00Z"), t.coerce("2024-05-01"));
    assertEquals(
        Instant.parse("2024-05-01T12:00:00.123456Z"), t.coerce("2024-05-01T12:00:00.1234569Z"));
    // truncation is towards the past, also before 1970
    assertEquals(
        Instant.parse("1969-12-31T23:59:59.999999Z"),
        t.coerce(Instant.parse("1969-12-31T23:59:59.9999999Z")));
    assertEquals(null, t.coerce(null));
    assertMessage(() -> t.coerce(1714564800L), "expected timestamp, got Long 1714564800");
    assertMessage(() -> t.coerce("May 1st"), "'May 1st' is not an ISO-8601 timestamp");
    assertMessage(() -> t.coerce("2024-02-30"), "is not an ISO-8601 timestamp");
    assertMessage(() -> t.coerce(Instant.MIN), "outside the range of int64 microseconds");
  }

  @Test
  void microsecondsSinceTheEpoch() {
    for (long us :
        new long[] {
          0, 1, -1, 1_714_564_800_123_456L, -62_135_596_800_000_000L, Long.MAX_VALUE, Long.MIN_VALUE
        }) {
      assertEquals(us, Timestamps.toMicros(Timestamps.ofMicros(us)), Long.toString(us));
    }
    assertEquals(-1, Timestamps.toMicros(Instant.parse("1969-12-31T23:59:59.999999Z")));
    assertEquals(-1, Timestamps.toMicros(Instant.parse("1969-12-31T23:59:59.9999995Z")));
  }

  @Test
  void stringListsFromCollectionsAndArrays() {
    AttributeType l = AttributeType.STRING_LIST;
    assertEquals(List.of("a", "b", "a"), l.coerce(List.of("a", "b", "a")));
    assertEquals(List.of("x"), l.coerce(new String[] {"x"}));
    assertEquals(List.of(), l.coerce(new ArrayList<String>()));
    List<String> mutable = new ArrayList<>(List.of("a"));
    @SuppressWarnings("unchecked")
    List<String> copy = (List<String>) l.coerce(mutable);
    mutable.add("b");
    assertEquals(List.of("a"), copy, "a copy, not a view");
    assertThrows(UnsupportedOperationException.class, () -> copy.add("c"));
    assertMessage(() -> l.coerce("a,b"), "expected string_list, got String a,b");
    assertMessage(() -> l.coerce(Arrays.asList("a", null)), "got null at position 1");
    assertMessage(() -> l.coerce(List.of("a", 5)), "got Integer 5 at position 1");
    assertMessage(() -> l.coerce(new int[] {1}), "expected string_list, got int[]");
  }

  private static void assertMessage(Runnable r, String words) {
    var e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }
}
