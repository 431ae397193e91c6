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
import java.util.Optional;

/**
 * A real server on an ephemeral loopback port over a fresh, bootstrapped database, and a client for
 * it that sends the admin's key.
 */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final Database db;
  final NpywServer server;
  private final String adminToken;
  private final Client client;

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

  /** An HTTP client of one server, sending one bearer token (or none). */
  static final class Client implements AutoCloseable {
    private final URI base;
    private final HttpClient http;
    private final String token;

    Client(URI base, String token) {
      this.base = base;
      this.token = token;
      this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(method, body);
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    @Override
    public void close() {
      http.close();
    }
  }

  TestServer(Path dir) throws IOException {
    this(dir, config());
  }

  TestServer(Path dir, Limits limits) throws IOException {
    this(dir, config().withLimits(limits));
  }

  TestServer(Path dir, ServerConfig config) throws IOException {
    this.db = Database.open(dir);
    this.adminToken = db.security().bootstrap(Optional.empty()).orElseThrow().token();
    this.server = NpywServer.start(db, config);
    this.client = new Client(server.uri(), adminToken);
  }

  /** The bootstrap admin's API key; the default client sends it. */
  String adminToken() {
    return adminToken;
  }

  /** An ephemeral loopback port, default limits, 5 s shutdown grace. */
  static ServerConfig config() {
    return ServerConfig.defaults().withPort(0).withShutdownGrace(Duration.ofSeconds(5));
  }

  /** A client sending {@code token}. */
  Client as(String token) {
    return new Client(server.uri(), token);
  }

  Reply call(String method, String path, String json) throws IOException, InterruptedException {
    return client.call(method, path, json);
  }

  Reply get(String path) throws IOException, InterruptedException {
    return client.get(path);
  }

  Reply post(String path, String json) throws IOException, InterruptedException {
    return client.post(path, json);
  }

  Reply send(String method, String path, HttpRequest.BodyPublisher body, String contentType)
      throws IOException, InterruptedException {
    return client.send(method, path, body, contentType);
  }

  @Override
  public void close() throws IOException {
    server.close();
    client.close();
    db.close();
  }
}
