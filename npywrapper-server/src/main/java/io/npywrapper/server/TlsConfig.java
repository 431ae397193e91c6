package io.npywrapper.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS for the server: a PKCS12 key store holding the server's key and certificate chain. Immutable
 * and thread-safe; the password is held only until {@link #sslContext()} is built by the server.
 *
 * @param keystore the PKCS12 file
 * @param password its password (and the key's)
 */
public record TlsConfig(Path keystore, char[] password) {
  public TlsConfig {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Loads the key store into a TLS context.
   *
   * @throws IOException naming the file when it is missing, unreadable, not PKCS12, has no key, or
   *     the password is wrong
   */
  public SSLContext sslContext() throws IOException {
    KeyStore ks;
    try (InputStream in = Files.newInputStream(keystore)) {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
    } catch (NoSuchFileException e) {
      throw new IOException("TLS key store " + keystore + " does not exist", e);
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException(
          "cannot load TLS key store " + keystore + " (PKCS12): " + e.getMessage(), e);
    }
    try {
      boolean hasKey = false;
      for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) {
        hasKey |= ks.isKeyEntry(aliases.nextElement());
      }
      if (!hasKey) {
        throw new IOException("TLS key store " + keystore + " holds no private key");
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS key store " + keystore + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TlsConfig[" + keystore + "]";
  }
}
