package io.npywrapper.npy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

/**
 * Files written through the casting {@code appendRow} methods of {@link NpyStreamWriter}, each with
 * the Python expression of its source array, for {@link NpyInteropTest} to compare with numpy's
 * {@code astype}. Only casts numpy defines are used: no NaN, infinity or out-of-range float into an
 * integer type, no string that has to be cut.
 */
final class CastCases {
  private CastCases() {}

  private static final WriteOptions NO_SYNC = WriteOptions.DEFAULT.withoutSync();

  private static final long[] LONGS = {
    0,
    1,
    -1,
    127,
    -128,
    255,
    256,
    2049,
    4097,
    65519,
    65520,
    -32769,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    (1L << 53) + 1,
    (1L << 60) + (1L << 36) + 1,
    -((1L << 60) + (1L << 36) + 1)
  };

  private static final double[] DOUBLES =
      DoubleStream.concat(
              Arrays.stream(
                  new double[] {
                    1 + 0x1p-11 + 0x1p-40,
                    1 + 0x1p-11,
                    65519.99,
                    0x1p-25 + 0x1p-60,
                    0x1p-25,
                    -1e-8,
                    0x1.000001p0 + 0x1p-40,
                    3.4028235677973366e38
                  }),
              Arrays.stream(
                  new double[] {
                    0.0,
                    -0.0,
                    Math.PI,
                    -1e300,
                    Double.MAX_VALUE,
                    Double.MIN_VALUE,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    Double.NaN,
                    0.1
                  }))
          .toArray();

  private static final float[] FLOATS = {
    0f,
    -0f,
    1.5f,
    1 + 0x1p-11f,
    1 + 0x1p-11f + 0x1p-20f,
    65519.99f,
    Float.MAX_VALUE,
    Float.MIN_VALUE,
    Float.POSITIVE_INFINITY,
    Float.NaN,
    1f / 3f
  };

  /** Values every integer type holds, positive or not. */
  private static final double[] SMALL_UNSIGNED = {0.0, -0.0, 1.5, 100.9, 127.0, 0.99};

  private static final double[] SMALL_SIGNED = {0.0, -0.0, 1.5, 100.9, 127.0, -2.7, -128.0, -0.5};

  /**
   * Writes every cast file under {@code root/casts} and returns the manifest: file, target descr,
   * Python expression of the source.
   */
  static String write(Path root, List<NpyInteropTest.Case> cases) throws IOException {
    Path dir = Files.createDirectories(root.resolve("casts"));
    StringBuilder manifest = new StringBuilder();
    int n = 0;
    for (DType target : ArrayFixtures.allDTypes()) {
      if (!target.isNumeric()) {
        continue;
      }
      boolean toInt = target.kind() == DType.Kind.INT || target.kind() == DType.Kind.UINT;
      double[] small = target.kind() == DType.Kind.INT ? SMALL_SIGNED : SMALL_UNSIGNED;

      Path f = dir.resolve(n++ + ".npy");
      try (NpyStreamWriter w = create(f, target, LONGS.length)) {
        w.appendRow(LONGS);
        w.finish();
      }
      line(manifest, root, f, target, array(LONGS, "int64"));

      double[] doubles = toInt ? small : DOUBLES;
      f = dir.resolve(n++ + ".npy");
      try (NpyStreamWriter w = create(f, target, doubles.length)) {
        w.appendRow(doubles);
        w.finish();
      }
      line(manifest, root, f, target, array(doubles, "float64"));

      float[] floats = toInt ? toFloats(small) : FLOATS;
      f = dir.resolve(n++ + ".npy");
      try (NpyStreamWriter w = create(f, target, floats.length)) {
        w.appendRow(floats);
        w.appendRow(floats);
        w.finish();
      }
      line(
          manifest,
          root,
          f,
          target,
          "np.tile(" + array(toDoubles(floats), "float32") + ", (2, 1))");
    }
    for (NpyInteropTest.Case c : cases) {
      if (c.version() != 1 || !Arrays.equals(c.shape(), new long[] {4, 5})) {
        continue;
      }
      boolean bigSource = c.dtype().order() == ByteOrder.BIG_ENDIAN && c.dtype().itemSize() > 1;
      Path src = root.resolve("ours").resolve(c.name() + "_w.npy");
      for (DType target : ArrayFixtures.allDTypes()) {
        boolean bigTarget = !target.withOrder(ByteOrder.LITTLE_ENDIAN).equals(target);
        if (!castable(c.dtype(), target) || (bigSource && (c.fortran() || bigTarget))) {
          continue;
        }
        Path f = dir.resolve(n++ + ".npy");
        try (NpyArray a = NpyArray.open(src);
            NpyStreamWriter w = NpyStreamWriter.create(f, target, new long[] {5}, NO_SYNC)) {
          for (long r = 0; r < a.rows(); r++) {
            w.appendRow(a, r);
          }
          w.finish();
        }
        line(manifest, root, f, target, "np.load('ours/" + c.name() + "_w.npy')");
      }
    }
    return manifest.toString();
  }

  /** The casts numpy defines for every value of the pools. */
  private static boolean castable(DType from, DType to) {
    return switch (from.kind()) {
      case BOOL, INT, UINT -> to.isNumeric();
      case FLOAT ->
          to.kind() == DType.Kind.FLOAT
              || to.kind() == DType.Kind.COMPLEX
              || to.kind() == DType.Kind.BOOL;
      case COMPLEX -> to.kind() == DType.Kind.COMPLEX;
      case UNICODE, BYTES -> to.kind() == from.kind() && to.stringLength() >= from.stringLength();
    };
  }

  private static NpyStreamWriter create(Path f, DType t, int rowLength) throws IOException {
    return NpyStreamWriter.create(f, t, new long[] {rowLength}, NO_SYNC);
  }

  private static void line(StringBuilder sb, Path root, Path f, DType t, String source) {
    sb.append(root.relativize(f))
        .append('\t')
        .append(t.descr())
        .append('\t')
        .append(source)
        .append('\n');
  }

  private static String array(long[] v, String dtype) {
    return "np.array(["
        + Arrays.stream(v).mapToObj(Long::toString).collect(Collectors.joining(", "))
        + "], dtype='"
        + dtype
        + "').reshape(1, -1)";
  }

  private static String array(double[] v, String dtype) {
    return "np.array(["
        + Arrays.stream(v).mapToObj(ArrayFixtures::pyFloat).collect(Collectors.joining(", "))
        + "], dtype='"
        + dtype
        + "').reshape(1, -1)";
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
