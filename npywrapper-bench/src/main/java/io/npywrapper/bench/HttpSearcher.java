package io.npywrapper.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One HTTP client of the search endpoint with its own {@link HttpClient} (HTTP/1.1, one kept-alive
 * connection when used from one thread): serialises the query vector to JSON, posts it, parses the
 * answer and checks that it holds {@code k} hits. Not thread-safe: one per client thread.
 */
final class HttpSearcher implements ClientPass.Op {
  private final HttpClient http;
  private final URI uri;
  private final String token;
  private final int k;
  private final float[][] queries;

  HttpSearcher(URI base, String collection, String token, int k, float[][] queries) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.uri = URI.create(base + "/v1/collections/" + collection + "/search");
    this.token = token;
    this.k = k;
    this.queries = queries;
  }

  @Override
  public void call(int q) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(SearchJson.body(queries, q, 1, k)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("search answered " + r.statusCode() + ": " + new String(r.body()));
    }
    int lists = SearchJson.countHits(r.body(), k);
    if (lists != 1) {
      throw new IOException("search returned " + lists + " lists, expected 1");
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
