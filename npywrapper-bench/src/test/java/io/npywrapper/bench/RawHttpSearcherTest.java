package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bare client's check of a search answer, read token by token. */
class RawHttpSearcherTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void countsListsOfKHits() throws IOException {
    String hit = "{\"id\":1,\"distance\":0.5,\"tags\":[\"a\",\"b\"],\"vector\":[1.0,2.0]}";
    String list = "[" + hit + "," + hit + "]";
    assertEquals(
        2,
        RawHttpSearcher.countHits(b("{\"version\":3,\"results\":[" + list + "," + list + "]}"), 2));
    assertEquals(0, RawHttpSearcher.countHits(b("{\"results\":[],\"version\":3}"), 2));
  }

  @Test
  void refusesAnswersThatAreNotSearchAnswers() {
    String hit = "{\"id\":1,\"distance\":0.5}";
    var shortList =
        assertThrows(
            IOException.class,
            () -> RawHttpSearcher.countHits(b("{\"results\":[[" + hit + "]]}"), 2));
    assertTrue(
        shortList.getMessage().contains("returned 1 hits, expected 2"), shortList.getMessage());
    for (String bad :
        new String[] {
          "[]", "{\"version\":3}", "{\"results\":{}}", "{\"results\":[[1,2]]}", "{\"results\":[3]}"
        }) {
      assertThrows(IOException.class, () -> RawHttpSearcher.countHits(b(bad), 2), bad);
    }
  }
}
