package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpzWriter.Compression;
import io.npywrapper.testing.Numpy;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives written by numpy's {@code savez} / {@code savez_compressed} read by us, and archives we
 * write loaded by {@code np.load}, in every Python with numpy that the test machine has.
 */
class NpzNumpyInteropTest {
  @TempDir Path dir;

  private static final String NUMPY_ARRAYS =
      """
      import numpy as np
      arrays = dict(
          f4=np.arange(12, dtype='<f4').reshape(3, 4),
          i8=np.arange(-3, 3, dtype='<i8'),
          u2be=np.arange(5, dtype='>u2'),
          b=np.arange(6) % 2 == 0,
          f2=np.arange(4, dtype='<f2'),
          c8=(np.arange(3) + 1j * np.arange(3)).astype('<c8'),
          i1=np.arange(-4, 4, dtype='i1'),
          u=np.array(['a', 'bc', 'd\\u00e9f']),
          s=np.array([b'x', b'yz']),
          zero_d=np.array(2.5),
          empty=np.zeros((0, 3), dtype='<f4'),
          fortran=np.asfortranarray(np.arange(12, dtype='<f8').reshape(3, 4)),
          big=np.arange(300000, dtype='<f4'),
      )
      np.savez('stored.npz', **arrays)
      np.savez_compressed('deflated.npz', **arrays)
      np.savez('positional.npz', np.arange(2), np.arange(3))
      """;

  private static final List<String> NAMES =
      List.of(
          "f4", "i8", "u2be", "b", "f2", "c8", "i1", "u", "s", "zero_d", "empty", "fortran", "big");

  @Test
  void numpyArchivesReadCorrectly() throws Exception {
    for (String python : Numpy.pythons()) {
      Path d = Files.createDirectories(dir.resolve("py" + Numpy.pythons().indexOf(python)));
      Numpy.run(python, NUMPY_ARRAYS, d);
      for (String file : List.of("stored.npz", "deflated.npz")) {
        Path tmp = Files.createDirectories(d.resolve("tmp"));
        try (NpzFile z = NpzFile.open(d.resolve(file), tmp)) {
          String what = python + " " + file;
          checkNumpyArrays(z, what);
          z.checkIntegrity();
          assertTrue(z.get("f4").data().isMapped(), what); // in place, or inflated and mapped
        }
        try (var s = Files.list(tmp)) {
          assertEquals(0, s.count(), "temporary files deleted");
        }
      }
      try (NpzFile z = NpzFile.open(d.resolve("positional.npz"))) {
        assertEquals(List.of("arr_0", "arr_1"), z.names());
        assertEquals(2, z.get("arr_1").getLong(2));
      }
    }
  }

  private static void checkNumpyArrays(NpzFile z, String what) throws Exception {
    assertEquals(NAMES, z.names(), what);
    NpyArray f4 = z.get("f4");
    assertEquals(DType.FLOAT32, f4.dtype(), what);
    assertArrayEquals(new float[] {8, 9, 10, 11}, f4.readRow(2), what);
    assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2}, NpzFileTest.longs(z.get("i8")), what);
    NpyArray u2 = z.get("u2be");
    assertEquals(DType.UINT16.withOrder(ByteOrder.BIG_ENDIAN), u2.dtype(), what);
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, NpzFileTest.longs(u2), what);
    NpyArray b = z.get("b");
    assertEquals(DType.BOOL, b.dtype(), what);
    assertTrue(b.getBoolean(4), what);
    assertFalse(b.getBoolean(5), what);
    assertEquals(3.0, z.get("f2").getDouble(3), what);
    NpyArray c8 = z.get("c8");
    assertEquals(DType.COMPLEX64, c8.dtype(), what);
    assertEquals(2.0, c8.getReal(2), what);
    assertEquals(2.0, c8.getImaginary(2), what);
    assertArrayEquals(new long[] {-4, -3, -2, -1, 0, 1, 2, 3}, NpzFileTest.longs(z.get("i1")));
    NpyArray u = z.get("u");
    assertEquals("<U3", u.dtype().descr(), what);
    assertEquals("déf", u.getString(2), what);
    assertEquals("yz", z.get("s").getString(1), what);
    NpyArray zeroD = z.get("zero_d");
    assertEquals(0, zeroD.rank(), what);
    assertEquals(2.5, zeroD.getDouble(), what);
    NpyArray empty = z.get("empty");
    assertArrayEquals(new long[] {0, 3}, empty.shape(), what);
    assertEquals(0, empty.data().byteSize(), what);
    NpyArray f = z.get("fortran");
    assertTrue(f.isFortranOrder(), what);
    assertEquals(6.0, f.getDouble(1, 2), what);
    assertArrayEquals(new float[] {4, 5, 6, 7}, f.readRow(1), what);
    NpyArray big = z.get("big");
    assertEquals(299_999f, big.getFloat(299_999), what);
  }

  /** np.load reads what we write, stored and deflated, with and without ZIP64 end records. */
  @Test
  void ourArchivesLoadInNumpy() throws Exception {
    for (Compression c : Compression.values()) {
      for (boolean zip64 : new boolean[] {false, true}) {
        NpzFileTest.writeSample(dir.resolve(c + "-" + zip64 + ".npz"), c, zip64);
      }
    }
    String script =
        """
        import numpy as np, zipfile
        expected = {
            'vectors': np.arange(12, dtype='<f4').reshape(3, 4),
            'ids': np.arange(-2, 3, dtype='<i8'),
            'scalar': np.array(2.5),
            'empty': np.zeros((0, 3), dtype='<f4'),
            'fortran': np.asfortranarray(np.arange(12, dtype='<f8').reshape(3, 4)),
            'bigendian': np.arange(1, 5, dtype='>i4'),
            '\\u540d\\u524d': np.array([7], dtype='<i8'),
            'big': np.arange(300000, dtype='<f4'),
        }
        for c in ('STORED', 'DEFLATED'):
            for z64 in ('false', 'true'):
                name = c + '-' + z64 + '.npz'
                with zipfile.ZipFile(name) as zf:
                    assert zf.testzip() is None, name
                    want = zipfile.ZIP_STORED if c == 'STORED' else zipfile.ZIP_DEFLATED
                    assert all(i.compress_type == want for i in zf.infolist()), name
                with np.load(name) as npz:
                    assert npz.files == list(expected), (name, npz.files)
                    for k, v in expected.items():
                        got = npz[k]
                        assert got.dtype == v.dtype, (name, k, got.dtype, v.dtype)
                        assert got.shape == v.shape, (name, k, got.shape)
                        assert np.array_equal(got, v), (name, k)
                    assert npz['fortran'].flags.f_contiguous, name
        print('ok')
        """;
    for (String python : Numpy.pythons()) {
      assertEquals("ok", Numpy.run(python, script, dir).trim(), python);
    }
  }

  /** For the same arrays our stored archive is as small as numpy's, give or take alignment. */
  @Test
  void storedArchiveSizeMatchesNumpysWithinAlignment() throws Exception {
    String python = Numpy.pythons().get(0);
    Numpy.run(
        python,
        "import numpy as np\nnp.savez('np.npz', a=np.arange(10, dtype='<i8'), b=np.ones(3, 'f4'))",
        dir);
    Path ours = dir.resolve("ours.npz");
    try (NpzWriter w = NpzWriter.create(ours, Compression.STORED, WriteOptions.DEFAULT)) {
      w.add("a", new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
      w.add("b", new float[] {1, 1, 1}, 3);
      w.finish();
    }
    long diff = Files.size(ours) - Files.size(dir.resolve("np.npz"));
    assertTrue(diff >= 0 && diff < 2 * (64 + 6), "alignment padding only: " + diff);
  }
}
