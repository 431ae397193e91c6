package io.npywrapper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real server on an ephemeral loopback port over a fresh database, and a client for it. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final Database db;
  final NpywServer server;
  final HttpClient client;
  String token;

  record Reply(int status, String body, String contentType) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    /** The error code of an error reply. */
    String code() {
      return json().path("error").path("code").asText();
    }

    String message() {
      return json().path("error").path("message").asText();
    }
  }

  TestServer(Path dir, Limits limits) throws IOException {
    this.db = Database.open(dir);
    this.server =
        NpywServer.start(
            db,
            ServerConfig.defaults()
                .withPort(0)
                .withLimits(limits)
                .withShutdownGrace(Duration.ofSeconds(5)));
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  TestServer(Path dir) throws IOException {
    this(dir, Limits.DEFAULT);
  }

  Reply call(String method, String path, String json) throws IOException, InterruptedException {
    return send(
        method,
        path,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json),
        json == null ? null : "application/json");
  }

  Reply get(String path) throws IOException, InterruptedException {
    return call("GET", path, null);
  }

  Reply post(String path, String json) throws IOException, InterruptedException {
    return call("POST", path, json);
  }

  Reply send(String method, String path, HttpRequest.BodyPublisher body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  @Override
  public void close() throws IOException {
    server.close();
    client.close();
    db.close();
  }
}
