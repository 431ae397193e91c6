package io.npywrapper.server.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/**
 * One load client's connection to the server: its own {@link HttpClient} on HTTP/1.1 (so one
 * kept-alive TCP connection when used from one thread), the client's API key on every request, a 30
 * s timeout per request, answers parsed as JSON. Not thread-safe: one per client thread.
 */
final class LoadHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A status and the parsed body (a missing node when the body was not JSON). */
  record Answer(int status, JsonNode json, String raw) {
    boolean ok() {
      return status / 100 == 2;
    }

    /** "status: body", shortened, for failure messages. */
    String describe() {
      return status + ": " + (raw.length() > 300 ? raw.substring(0, 300) + "..." : raw);
    }
  }

  private final HttpClient http;
  private final String base;
  private final String token;

  LoadHttp(URI base, String token) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.base = base.toString();
    this.token = token;
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  Answer post(String path, CharSequence json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.toString(), StandardCharsets.UTF_8)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException e) {
      json = JSON.missingNode();
    }
    return new Answer(r.statusCode(), json == null ? JSON.missingNode() : json, r.body());
  }

  /** A JSON array of {@code dim} values drawn from N(0, 1). */
  static StringBuilder vector(StringBuilder b, Random rnd, int dim) {
    b.append('[');
    for (int j = 0; j < dim; j++) {
      b.append(j == 0 ? "" : ",").append((float) rnd.nextGaussian());
    }
    return b.append(']');
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
