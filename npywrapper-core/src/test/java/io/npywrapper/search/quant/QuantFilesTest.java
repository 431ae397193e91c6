package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, truncated, mismatched and too-new quantization files are refused, naming the file. */
class QuantFilesTest {
  private static final WriteOptions SCRATCH = WriteOptions.DEFAULT.withoutSync();
  private static final int N = 200;
  private static final int DIM = 5;

  @TempDir Path dir;
  private Path codes;
  private Path params;

  @BeforeEach
  void writeGoodFiles() throws IOException {
    float[][] rows = ClusteredData.generate(N, DIM, 3, 12);
    Path vectorsFile = dir.resolve("vectors.npy");
    NpyWriter.write(vectorsFile, rows, SCRATCH);
    codes = dir.resolve(QuantizedVectors.CODES_FILE);
    params = dir.resolve(QuantizedVectors.PARAMS_FILE);
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      ScalarQuantizer.train(vectors, Metric.COSINE, TrainingOptions.DEFAULTS)
          .encode(vectors, codes, params, SCRATCH);
    }
    try (QuantizedVectors q = QuantizedVectors.open(dir)) {
      q.verify();
      assertEquals(Metric.COSINE, q.metric());
    }
  }

  private QuantFormatException refused(Path named) {
    QuantFormatException e =
        assertThrows(QuantFormatException.class, () -> QuantizedVectors.open(codes, params));
    assertTrue(e.getMessage().startsWith(named.toString()), e.getMessage());
    assertEquals(named.toString(), e.file());
    return e;
  }

  @Test
  void everySingleByteCorruptionOfTheParametersIsRefused() throws IOException {
    byte[] good = Files.readAllBytes(params);
    assertEquals(ParamsFile.fileSize(DIM), good.length);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      Files.write(params, bad);
      refused(params);
    }
  }

  @Test
  void truncatedOrExtendedParametersAreRefused() throws IOException {
    byte[] good = Files.readAllBytes(params);
    for (int len : new int[] {0, 7, 47, 60, good.length - 1}) {
      Files.write(params, Arrays.copyOf(good, len));
      assertTrue(refused(params).getMessage().contains("truncated"), "length " + len);
    }
    Files.write(params, Arrays.copyOf(good, good.length + 3));
    refused(params);
  }

  @Test
  void aNewerFormatVersionIsReportedAsSuch() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(params)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(8, 2);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.capacity() - 4);
    b.putInt(b.capacity() - 4, (int) crc.getValue());
    Files.write(params, b.array());
    assertTrue(refused(params).getMessage().contains("newer than this build reads (1)"));
  }

  @Test
  void aHugeDimensionFieldIsRefusedWithoutAllocating() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(params)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(12, Integer.MAX_VALUE);
    Files.write(params, b.array());
    assertTrue(refused(params).getMessage().contains("dimension"));
  }

  @Test
  void truncatedCodesAreRefused() throws IOException {
    byte[] good = Files.readAllBytes(codes);
    Files.write(codes, Arrays.copyOf(good, good.length - 3));
    refused(codes);
    Files.write(codes, new byte[0]);
    refused(codes);
  }

  @Test
  void aFlippedCodeByteIsFoundByVerify() throws IOException {
    byte[] good = Files.readAllBytes(codes);
    good[good.length - 17] ^= 0x10;
    Files.write(codes, good);
    try (QuantizedVectors q = QuantizedVectors.open(codes, params)) {
      QuantFormatException e = assertThrows(QuantFormatException.class, q::verify);
      assertTrue(e.getMessage().startsWith(codes.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }
  }

  @Test
  void codesThatDoNotMatchTheParametersAreRefused() throws IOException {
    NpyWriter.write(codes, new float[N * DIM], new long[] {N, DIM}, SCRATCH.overwriting());
    assertTrue(refused(codes).getMessage().contains("int8"));
    NpyWriter.write(codes, new long[(N - 1) * DIM], new long[] {N - 1, DIM}, SCRATCH.overwriting());
    refused(codes);
  }

  @Test
  void existingFilesAreNotOverwrittenUnlessAsked() throws IOException {
    Path vectorsFile = dir.resolve("vectors.npy");
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      ScalarQuantizer sq = ScalarQuantizer.train(vectors, Metric.L2, TrainingOptions.DEFAULTS);
      assertThrows(
          FileAlreadyExistsException.class, () -> sq.encode(vectors, codes, params, SCRATCH));
      sq.encode(vectors, codes, params, SCRATCH.overwriting());
    }
    try (QuantizedVectors q = QuantizedVectors.open(dir)) {
      q.verify();
      assertEquals(Metric.L2, q.metric());
    }
  }
}
