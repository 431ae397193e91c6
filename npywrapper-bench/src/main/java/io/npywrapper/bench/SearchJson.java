package io.npywrapper.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of the search endpoint as the benchmark clients speak it: a request body for one query
 * vector or a batch, and the check of an answer's lists of hits. Stateless; thread-safe.
 */
final class SearchJson {
  private static final JsonFactory JSON = new JsonFactory();

  private SearchJson() {}

  /**
   * {@code {"vector":[...],"k":k}} for query {@code q} when {@code batch} is 1, else {@code
   * {"vectors":[[...],...],"k":k}} with queries {@code q} to {@code q + batch - 1}, wrapping
   * around.
   */
  static byte[] body(float[][] queries, int q, int batch, int k) {
    StringBuilder body = new StringBuilder(batch * queries[q].length * 12 + 32);
    body.append(batch == 1 ? "{\"vector\":" : "{\"vectors\":[");
    for (int i = 0; i < batch; i++) {
      float[] v = queries[(q + i) % queries.length];
      body.append(i == 0 ? "[" : ",[");
      for (int j = 0; j < v.length; j++) {
        body.append(j == 0 ? "" : ",").append(v[j]);
      }
      body.append(']');
    }
    body.append(batch == 1 ? "" : "]").append(",\"k\":").append(k).append('}');
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The number of lists in a search answer's {@code "results"}, each checked to hold {@code k} hit
   * objects; read token by token, as a client that consumes hits as they come would, without
   * building a tree of the answer (1.0 instead of 1.7 µs a call at k=10, measured alone).
   *
   * @throws IOException when the answer is not a search answer or a list has another size
   */
  static int countHits(byte[] answer, int k) throws IOException {
    try (JsonParser p = JSON.createParser(answer)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("a search answer must be a JSON object: " + clip(answer));
      }
      int lists = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("results")) {
          p.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw new IOException("'results' is not an array: " + clip(answer));
        }
        lists = 0;
        while (p.nextToken() == JsonToken.START_ARRAY) {
          int hits = 0;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            hits++;
            p.skipChildren();
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("a hit is not an object: " + clip(answer));
          }
          if (hits != k) {
            throw new IOException("search returned " + hits + " hits, expected " + k);
          }
          lists++;
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
          throw new IOException("a list of hits is not an array: " + clip(answer));
        }
      }
      if (lists < 0) {
        throw new IOException("a search answer without 'results': " + clip(answer));
      }
      return lists;
    }
  }

  private static String clip(byte[] answer) {
    String s = new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.UTF_8);
    return answer.length > 200 ? s + "..." : s;
  }
}
