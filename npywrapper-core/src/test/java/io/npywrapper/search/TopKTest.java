package io.npywrapper.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void keepsNearestAndBreaksTiesById() {
    TopK a = new TopK(3);
    TopK b = new TopK(3);
    a.add(new TopK.Candidate(1f, 9L, 0, 0));
    a.add(new TopK.Candidate(2f, 1L, 0, 1));
    a.add(new TopK.Candidate(1f, 5L, 0, 2));
    b.add(new TopK.Candidate(1f, 7L, 1, 0));
    b.add(new TopK.Candidate(0.5f, 100L, 1, 1));
    b.add(new TopK.Candidate(Float.NaN, 0L, 1, 2));
    a.addAll(b);
    List<Object> ids = a.sorted().stream().map(TopK.Candidate::id).toList();
    assertEquals(List.of(100L, 5L, 7L), ids);
    assertEquals(false, a.accepts(2f));
    assertEquals(true, a.accepts(1f));
    assertThrows(IllegalArgumentException.class, () -> new TopK(0));
  }
}
