package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Database;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a PKCS12 key store made by the JDK's keytool, and a client trusting its cert. */
class TlsTest {
  private static final char[] PASSWORD = "s3cret-pass".toCharArray();

  @TempDir Path dir;

  @Test
  void servesHttpsWithAKeyStore() throws Exception {
    Path ks = keyStore();
    try (Database db = Database.open(dir.resolve("data"));
        NpywServer server =
            NpywServer.start(db, TestServer.config().withTls(new TlsConfig(ks, PASSWORD)))) {
      assertEquals("https", server.uri().getScheme());
      try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(ks)).build()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"ok\"}", r.body());
      }
      // a client that does not trust the certificate cannot talk to it
      try (HttpClient untrusting = HttpClient.newHttpClient()) {
        assertThrows(
            IOException.class,
            () ->
                untrusting.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()));
      }
    }
  }

  @Test
  void wrongPasswordNamesTheKeyStore() throws Exception {
    Path ks = keyStore();
    IOException e =
        assertThrows(
            IOException.class, () -> new TlsConfig(ks, "wrong".toCharArray()).sslContext());
    assertTrue(e.getMessage().contains(ks.toString()), e.getMessage());
  }

  private Path keyStore() throws Exception {
    Path ks = dir.resolve("server.p12");
    if (Files.exists(ks)) {
      return ks;
    }
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
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
                    "san=ip:127.0.0.1,dns:localhost",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    ks.toString(),
                    "-storepass",
                    new String(PASSWORD),
                    "-keypass",
                    new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, p.exitValue(), out);
    return ks;
  }

  /** A TLS context trusting exactly the certificate in {@code ks}. */
  private static SSLContext trusting(Path ks) throws Exception {
    KeyStore source = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      source.load(in, PASSWORD);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", source.getCertificate("server"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
