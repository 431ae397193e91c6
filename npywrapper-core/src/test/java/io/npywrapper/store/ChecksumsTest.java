package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
  @TempDir Path dir;

  @Test
  void knownValues() {
    // the standard check value of CRC-32C (iSCSI), RFC 3720 B.4
    assertEquals(0xE3069283L, Checksums.crc32c("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0L, Checksums.crc32c(new byte[0]));
    assertEquals(0x8A9136AAL, Checksums.crc32c(new byte[32])); // RFC 3720 B.4: 32 bytes of zeros
  }

  @Test
  void everySourceAgrees() throws IOException {
    byte[] data = TestBlobs.random(7, (3 << 20) + 7);
    long expected = Checksums.crc32c(data);
    Path file = Files.write(dir.resolve("f"), data);
    assertEquals(expected, Checksums.crc32c(file));
    assertEquals(expected, Checksums.crc32c(new ByteArrayInputStream(data)));
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    assertEquals(expected, Checksums.crc32c(direct));
    assertEquals(0, direct.position(), "the buffer's position is unchanged");
    byte[] padded = new byte[data.length + 10];
    System.arraycopy(data, 0, padded, 5, data.length);
    assertEquals(expected, Checksums.crc32c(padded, 5, data.length));
    assertEquals(0L, Checksums.crc32c(Files.write(dir.resolve("empty"), new byte[0])));
  }

  @Test
  void hexRoundTripsAndRejectsJunk() {
    assertEquals("e3069283", Checksums.toHex(0xE3069283L));
    assertEquals("0000002a", Checksums.toHex(42));
    assertEquals(0xE3069283L, Checksums.parseHex("E3069283"));
    assertEquals(42L, Checksums.parseHex("0000002a"));
    for (String bad :
        new String[] {"", "1234567", "123456789", "+1234567", "-1234567", "xyz12345"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Checksums.parseHex(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Checksums.parseHex(null));
    assertThrows(IllegalArgumentException.class, () -> Checksums.toHex(-1));
    assertThrows(IllegalArgumentException.class, () -> Checksums.toHex(1L << 32));
  }
}
