package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark clients' search bodies and their check of an answer, read token by token. */
class SearchJsonTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bodiesCarryOneVectorOrABatchThatWrapsAround() {
    float[][] queries = {{1f, -0.5f}, {2.5f, 3e-7f}, {4f, 5f}};
    assertEquals(
        "{\"vector\":[2.5,3.0E-7],\"k\":10}",
        new String(SearchJson.body(queries, 1, 1, 10), StandardCharsets.UTF_8));
    assertEquals(
        "{\"vectors\":[[4.0,5.0],[1.0,-0.5]],\"k\":3}",
        new String(SearchJson.body(queries, 2, 2, 3), StandardCharsets.UTF_8));
  }

  @Test
  void countsListsOfKHits() throws IOException {
    String hit = "{\"id\":1,\"distance\":0.5,\"tags\":[\"a\",\"b\"],\"vector\":[1.0,2.0]}";
    String list = "[" + hit + "," + hit + "]";
    assertEquals(
        2, SearchJson.countHits(b("{\"version\":3,\"results\":[" + list + "," + list + "]}"), 2));
    assertEquals(0, SearchJson.countHits(b("{\"results\":[],\"version\":3}"), 2));
  }

  @Test
  void refusesAnswersThatAreNotSearchAnswers() {
    String hit = "{\"id\":1,\"distance\":0.5}";
    var shortList =
        assertThrows(
            IOException.class, () -> SearchJson.countHits(b("{\"results\":[[" + hit + "]]}"), 2));
    assertTrue(
        shortList.getMessage().contains("returned 1 hits, expected 2"), shortList.getMessage());
    for (String bad :
        new String[] {
          "[]", "{\"version\":3}", "{\"results\":{}}", "{\"results\":[[1,2]]}", "{\"results\":[3]}"
        }) {
      assertThrows(IOException.class, () -> SearchJson.countHits(b(bad), 2), bad);
    }
  }
}
