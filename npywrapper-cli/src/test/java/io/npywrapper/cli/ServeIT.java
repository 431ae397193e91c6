package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code npyw serve} as a real process: answers /healthz, then stops cleanly on SIGTERM. */
class ServeIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path NPYW = ROOT.resolve("npyw");

  @TempDir Path dir;

  /** Starts {@code npyw serve} on a free port with {@code env} and {@code extra} arguments. */
  static Process serve(Path dir, Map<String, String> env, List<String> extra) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(NPYW.toString(), "--store", "data", "serve", "--port", "0"));
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("serve.stdout").toFile());
    pb.redirectError(dir.resolve("serve.stderr").toFile());
    return pb.start();
  }

  /** Waits for the line announcing the server's address; returns the base URI. */
  static String awaitListening(Process p, Path dir) throws Exception {
    String prefix = "npyw server listening on ";
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && p.isAlive()) {
      for (String line : Files.readAllLines(dir.resolve("serve.stdout"))) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).split(" ")[0];
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "npyw serve did not announce its address; stdout: "
            + Files.readString(dir.resolve("serve.stdout"))
            + " stderr: "
            + Files.readString(dir.resolve("serve.stderr")));
  }

  @Test
  void servesHealthzAndStopsOnSigterm() throws Exception {
    String key = "npyw_0123456789abcdef_" + "A".repeat(43);
    Process p =
        serve(
            dir,
            Map.of("NPYW_ADMIN_KEY", key),
            List.of("--platform-threads", "1", "--busy-poll-micros", "200"));
    try {
      String base = awaitListening(p, dir);
      assertTrue(
          Files.readString(dir.resolve("serve.stdout"))
              .contains(
                  "created user 'admin' with the API key from NPYW_ADMIN_KEY (key id 0123456789abcdef)"));
      try (HttpClient client = HttpClient.newHttpClient()) {
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
        HttpResponse<String> anonymous =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/collections")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> admin =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/collections"))
                    .header("Authorization", "Bearer " + key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("{\"collections\":[]}", admin.body());
      }
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "npyw serve did not stop on SIGTERM");
      String out = Files.readString(dir.resolve("serve.stdout"));
      assertTrue(out.contains("npyw server stopped; database closed"), out + stderr());
      assertEquals(143, p.exitValue(), "exit status after SIGTERM; " + stderr());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void servesHttpsFromAPkcs12KeyStore() throws Exception {
    Path ks = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "pw-123456",
                "-keypass",
                "pw-123456")
            .redirectErrorStream(true)
            .start();
    String ktOut = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, keytool.exitValue(), ktOut);
    Process p =
        serve(
            dir,
            Map.of("KS_PW", "pw-123456"),
            List.of("--tls-keystore", ks.toString(), "--tls-password-env", "KS_PW"));
    try {
      String base = awaitListening(p, dir);
      assertTrue(base.startsWith("https://127.0.0.1:"), base);
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(ks)) {
        store.load(in, "pw-123456".toCharArray());
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", store.getCertificate("server"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      try (HttpClient client = HttpClient.newBuilder().sslContext(ctx).build()) {
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
      }
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "npyw serve did not stop on SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void firstStartPrintsANewAdminKeyOnce() throws Exception {
    String first = runUntilListening();
    String line = first.lines().filter(l -> l.startsWith("  npyw_")).findFirst().orElse(null);
    assertTrue(line != null, "no key printed: " + first);
    String second = runUntilListening();
    assertTrue(!second.contains("npyw_"), "a key was printed again: " + second);
  }

  /** Runs npyw serve until it listens, stops it, and returns what it printed. */
  private String runUntilListening() throws Exception {
    Process p = serve(dir, Map.of(), List.of());
    try {
      awaitListening(p, dir);
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "npyw serve did not stop on SIGTERM");
      return Files.readString(dir.resolve("serve.stdout"));
    } finally {
      p.destroyForcibly();
    }
  }

  private String stderr() throws Exception {
    Path err = dir.resolve("serve.stderr");
    return Files.exists(err) ? Files.readString(err) : "";
  }
}
