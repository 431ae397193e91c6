package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.npywrapper.testing.Numpy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec against the real numpy, with every interpreter {@link Numpy#pythons()} finds. Java
 * first writes its files and manifests, then ONE Python process per interpreter does all the numpy
 * work and prints tab-separated lines that the tests below check:
 *
 * <ul>
 *   <li>{@code A}: numpy writes every dtype x byte order x memory order x format version x shape
 *       with {@code write_array}; we open each file and compare every element to the values numpy
 *       prints after loading it.
 *   <li>{@code B}: we write the same matrix ({@link NpyWriter}, and {@link NpyStreamWriter} for C
 *       order); numpy checks version, dtype, shape, fortran flag, the raw data bytes, {@code
 *       array_equal}, and that its own {@code write_array} produces the identical file.
 *   <li>{@code C}: hand-written header variants; numpy's verdict and ours must match the table (we
 *       may be stricter than numpy only where numpy never writes such a header).
 *   <li>{@code D}: the stream writer's casting {@code appendRow}s against numpy's {@code astype}.
 * </ul>
 */
class NpyInteropTest {
  private static final WriteOptions NO_SYNC = WriteOptions.DEFAULT.withoutSync();
  private static final long[][] SHAPES = {{}, {0}, {7}, {4, 5}, {2, 3, 4}, {0, 3}, {3, 0, 2}};
  private static final int MAX_REPORTED = 40;

  @TempDir static Path root;

  private static final Map<String, Output> RUNS = new LinkedHashMap<>();
  private static List<Case> cases;
  private static List<Variant> variants;
  private static Throwable setupFailure;

  /** One cell of the matrix; its values are {@link ArrayFixtures#poolValue} with its offset. */
  record Case(int id, DType dtype, boolean fortran, int version, long[] shape, int offset) {
    String name() {
      return "c" + id;
    }

    String describe() {
      return name()
          + " "
          + dtype.descr()
          + (fortran ? " F" : " C")
          + " v"
          + version
          + ".0 shape "
          + NpyHeader.shapeString(shape);
    }

    Object[] values() {
      Object[] v = new Object[(int) ArrayFixtures.count(shape)];
      for (int i = 0; i < v.length; i++) {
        v[i] = ArrayFixtures.poolValue(dtype, i, offset);
      }
      return v;
    }
  }

  /**
   * A hand-written header and whether we and numpy accept it ({@code numpyAccepts} null: numpy
   * versions differ).
   */
  record Variant(String dict, int version, byte[] data, boolean weAccept, Boolean numpyAccepts) {}

  /** Lines one interpreter printed, by part. */
  record Output(String python, Path dir, Map<String, List<String[]>> parts) {
    List<String[]> part(String p) {
      return parts.getOrDefault(p, List.of());
    }
  }

  static Stream<String> pythons() {
    return Numpy.pythons().stream();
  }

  @AfterAll
  static void clear() {
    RUNS.clear();
    setupFailure = null;
  }

  /** Every dtype and byte order x C/Fortran x version 1.0-3.0 x {@link #SHAPES}. */
  static List<Case> cases() {
    if (cases == null) {
      List<Case> out = new ArrayList<>();
      int id = 0;
      for (DType t : ArrayFixtures.allDTypes()) {
        for (boolean fortran : new boolean[] {false, true}) {
          for (int version = 1; version <= 3; version++) {
            for (long[] shape : SHAPES) {
              out.add(new Case(id, t, fortran, version, shape, id % 13));
              id++;
            }
          }
        }
      }
      cases = out;
    }
    return cases;
  }

  // ------------------------------------------------------------------------------------ tests

  @ParameterizedTest
  @MethodSource("pythons")
  void numpyWritesWeRead(String python) throws IOException {
    Output out = run(python);
    List<String[]> lines = out.part("A");
    List<String> failures = new ArrayList<>(out.part("A!").stream().map(l -> l[1]).toList());
    if (lines.size() != cases().size()) {
      failures.add(python + " wrote " + lines.size() + " of " + cases().size() + " cases");
    }
    for (String[] l : lines) {
      Case c = cases().get(Integer.parseInt(l[1].substring(1)));
      Path file = out.dir().resolve(c.name() + ".npy");
      String ctx = python + " " + c.describe();
      try (NpyArray a = NpyArray.open(file)) {
        checkAgainstNumpy(a, l, 2, ctx);
        assertEquals(c.version() + ".0", a.header().version(), ctx + ": version");
      } catch (AssertionError | RuntimeException e) {
        failures.add(ctx + ": " + e);
      }
    }
    report(failures);
  }

  @ParameterizedTest
  @MethodSource("pythons")
  void weWriteNumpyReads(String python) throws IOException {
    Output out = run(python);
    List<String> failures = new ArrayList<>();
    for (String[] l : out.part("B!")) {
      failures.add(python + " " + String.join(" ", Arrays.copyOfRange(l, 1, l.length)));
    }
    List<String[]> done = out.part("Bn");
    assertEquals(1, done.size(), "numpy reported how many of our files it checked");
    assertTrue(Integer.parseInt(done.get(0)[1]) > cases().size(), "files checked");
    report(failures);
  }

  @ParameterizedTest
  @MethodSource("pythons")
  void headerVariantsAgreeWithNumpy(String python) throws IOException {
    Output out = run(python);
    List<String> failures = new ArrayList<>();
    List<String[]> lines = out.part("C");
    assertEquals(variants().size(), lines.size(), "numpy tried every variant");
    for (String[] l : lines) {
      int i = Integer.parseInt(l[1]);
      Variant v = variants().get(i);
      String ctx = python + " variant " + i + " v" + v.version() + ".0 " + v.dict();
      boolean numpyOk = l[2].equals("OK");
      if (v.numpyAccepts() != null && numpyOk != v.numpyAccepts()) {
        failures.add(ctx + ": numpy " + (numpyOk ? "accepts" : "rejects (" + l[3] + ")"));
      }
      Path file = root.resolve("variants").resolve(i + ".npy");
      try (NpyArray a = NpyArray.open(file)) {
        if (!v.weAccept()) {
          failures.add(ctx + ": we accept it");
        } else if (numpyOk) {
          checkAgainstNumpy(a, l, 3, ctx);
        }
      } catch (NpyFormatException e) {
        if (v.weAccept()) {
          failures.add(ctx + ": we reject it: " + e.getMessage());
        } else if (!e.getMessage().startsWith(file.toString())) {
          failures.add(ctx + ": message does not name the file: " + e.getMessage());
        }
      } catch (AssertionError | RuntimeException e) {
        failures.add(ctx + ": " + e);
      }
    }
    report(failures);
  }

  @ParameterizedTest
  @MethodSource("pythons")
  void castsMatchNumpyAstype(String python) throws IOException {
    Output out = run(python);
    List<String> failures = new ArrayList<>();
    for (String[] l : out.part("D!")) {
      failures.add(python + " " + String.join(" ", Arrays.copyOfRange(l, 1, l.length)));
    }
    List<String[]> done = out.part("Dn");
    assertEquals(1, done.size(), "numpy reported how many casts it checked");
    assertTrue(Integer.parseInt(done.get(0)[1]) > 500, "casts checked: " + done.get(0)[1]);
    report(failures);
  }

  private static void report(List<String> failures) {
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " failures:\n"
              + failures.stream().limit(MAX_REPORTED).collect(Collectors.joining("\n")));
    }
  }

  /**
   * Compares an open array with a line numpy printed from {@code from}: descr, fortran flag, shape,
   * exact values, the float64 and float32 casts of real values.
   */
  private static void checkAgainstNumpy(NpyArray a, String[] l, int from, String ctx) {
    String descr = l[from];
    boolean fortran = l[from + 1].equals("1");
    long[] shape = parseShape(l[from + 2]);
    String[] values = tokens(l[from + 3]);
    String[] f64 = tokens(l[from + 4]);
    String[] f32 = tokens(l[from + 5]);
    DType t = a.dtype();
    assertEquals(DType.parse(descr), t, ctx + ": dtype (numpy says " + descr + ")");
    assertEquals(fortran, a.isFortranOrder(), ctx + ": fortran_order");
    assertEquals(Arrays.toString(shape), Arrays.toString(a.shape()), ctx + ": shape");
    assertEquals(ArrayFixtures.count(shape), values.length, ctx + ": numpy printed every value");
    float[] rows = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      long[] idx = ArrayFixtures.unravel(i, shape);
      Object expected = parseValue(t, values[i]);
      ArrayFixtures.assertElement(a, idx, expected, ctx);
      if (t.isReal()) {
        ArrayFixtures.assertSame(parseFloat(f64[i]), a.getDouble(idx), ctx + " float64 at " + i);
        rows[i] = (float) parseFloat(f32[i]);
        ArrayFixtures.assertSame(rows[i], a.getFloat(idx), ctx + " float32 at " + i);
      }
    }
    if (t.isReal()) {
      ArrayFixtures.assertRows(a, rows, ctx);
    }
  }

  private static String[] tokens(String s) {
    return s.isEmpty() ? new String[0] : s.split(" ");
  }

  private static long[] parseShape(String s) {
    return Arrays.stream(s.split(","))
        .filter(x -> !x.isEmpty())
        .mapToLong(Long::parseLong)
        .toArray();
  }

  private static String shapeField(long[] shape) {
    return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  /** Python's repr of a float, inf and nan included, as a double. */
  private static double parseFloat(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static Object parseValue(DType t, String s) {
    return switch (t.kind()) {
      case BOOL -> s.equals("1");
      case INT -> Long.parseLong(s);
      case UINT -> Long.parseUnsignedLong(s);
      case FLOAT -> parseFloat(s);
      case COMPLEX -> {
        String[] p = s.split(",");
        yield new double[] {parseFloat(p[0]), parseFloat(p[1])};
      }
      case UNICODE -> new String(HexFormat.of().parseHex(s.substring(1)), StandardCharsets.UTF_8);
      case BYTES -> HexFormat.of().parseHex(s.substring(1));
    };
  }

  // ------------------------------------------------------------------------------- the run

  /** Writes our files once, then runs the numpy script once per interpreter. */
  private static synchronized Output run(String python) throws IOException {
    Output cached = RUNS.get(python);
    if (cached != null) {
      return cached;
    }
    if (setupFailure != null) {
      throw new AssertionError("writing our files failed", setupFailure);
    }
    if (RUNS.isEmpty()) {
      try {
        writeOurFiles();
      } catch (IOException | RuntimeException | AssertionError e) {
        setupFailure = e;
        throw e;
      }
    }
    String npDir = "np" + RUNS.size();
    Files.createDirectories(root.resolve(npDir));
    String stdout = Numpy.run(python, script(npDir), root);
    Map<String, List<String[]>> parts = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      if (!line.isEmpty()) {
        String[] f = line.split("\t", -1);
        parts.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
      }
    }
    Output out = new Output(python, root.resolve(npDir), parts);
    RUNS.put(python, out);
    return out;
  }

  private static void writeOurFiles() throws IOException {
    Path ours = Files.createDirectories(root.resolve("ours"));
    StringBuilder matrix = new StringBuilder();
    for (Case c : cases()) {
      writeCase(ours, c, matrix);
    }
    Files.writeString(root.resolve("cases.tsv"), caseManifest());
    Files.writeString(root.resolve("ours.tsv"), matrix);
    writeVariants(Files.createDirectories(root.resolve("variants")));
    Files.writeString(root.resolve("casts.tsv"), CastCases.write(root, cases()));
  }

  private static String caseManifest() {
    StringBuilder sb = new StringBuilder();
    for (Case c : cases()) {
      sb.append(c.name())
          .append('\t')
          .append(ArrayFixtures.poolKey(c.dtype()))
          .append('\t')
          .append(c.dtype().stringLength())
          .append('\t')
          .append(c.dtype().descr())
          .append('\t')
          .append(c.fortran() ? 1 : 0)
          .append('\t')
          .append(c.version())
          .append('\t')
          .append(shapeField(c.shape()))
          .append('\t')
          .append(c.offset())
          .append('\n');
    }
    return sb.toString();
  }

  /** Writes case {@code c} with NpyWriter, and with NpyStreamWriter when it is C order 1.0. */
  private static void writeCase(Path ours, Case c, StringBuilder manifest) throws IOException {
    NpyHeader h = NpyHeader.of(c.dtype(), c.fortran(), c.shape()).withVersion(c.version());
    byte[] data = ArrayFixtures.layout(h, c.values());
    String w = c.name() + "_w.npy";
    NpyWriter.write(ours.resolve(w), h, MemorySegment.ofArray(data), NO_SYNC);
    manifest.append("ours/").append(w).append('\t').append(c.name()).append('\n');
    if (!c.fortran() && c.version() == 1 && c.shape().length > 0) {
      String s = c.name() + "_s.npy";
      long[] rowShape = Arrays.copyOfRange(c.shape(), 1, c.shape().length);
      long rowBytes = ArrayFixtures.count(rowShape) * c.dtype().itemSize();
      try (NpyStreamWriter sw =
          NpyStreamWriter.create(ours.resolve(s), c.dtype(), rowShape, NO_SYNC)) {
        MemorySegment seg = MemorySegment.ofArray(data);
        // rows one at a time and then the rest in one segment, to mix both paths
        long rows = c.shape()[0];
        long first = Math.min(rows, 2);
        if (rowBytes == 0) {
          // empty rows carry no bytes to count: append them as rows of no numbers
          for (long r = 0; r < rows; r++) {
            sw.appendRow(new long[0]);
          }
        } else {
          for (long r = 0; r < first; r++) {
            sw.append(seg.asSlice(r * rowBytes, rowBytes));
          }
          sw.append(seg.asSlice(first * rowBytes));
        }
        NpyHeader finished = sw.finish();
        assertEquals(h, finished, c.describe() + ": stream writer header");
      }
      manifest.append("ours/").append(s).append('\t').append(c.name()).append('\n');
    }
  }

  // ------------------------------------------------------------------------- header variants

  private static final byte[] TWO = ArrayFixtures.floatsLE(1.5f, -2f);
  private static final String F4 = "'descr': '<f4', 'fortran_order': False, ";

  /** Both accept; float32 (2,) data unless given. */
  private static Variant both(String dict, int version, byte[] data) {
    return new Variant(dict, version, data, true, true);
  }

  private static Variant both(String dict) {
    return both(dict, 1, TWO);
  }

  private static Variant neither(String dict, int version, byte[] data) {
    return new Variant(dict, version, data, false, false);
  }

  private static Variant neither(String dict) {
    return neither(dict, 1, TWO);
  }

  /** numpy accepts, we refuse on purpose: numpy never writes such a header. */
  private static Variant onlyNumpy(String dict, byte[] data) {
    return new Variant(dict, 1, data, false, true);
  }

  /** Header variants with the verdicts we and numpy must give. */
  static List<Variant> variants() {
    if (variants == null) {
      variants =
          List.of(
              both("{" + F4 + "'shape': (2,), }"),
              both("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}"),
              both("{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}", 2, TWO),
              both("{" + F4 + "'shape': (2L,), }"),
              both("{" + F4 + "'shape': (2L,), }", 2, TWO),
              neither("{" + F4 + "'shape': (2L,), }", 3, TWO),
              both("{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }"),
              both("{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }"),
              both("{'descr': 'f4', 'fortran_order': False, 'shape': (2,), }"),
              both("{'descr': '=i8', 'fortran_order': False, 'shape': (), }", 1, longNative(-5)),
              both(
                  "{'descr': '=U2', 'fortran_order': False, 'shape': (1,), }",
                  3,
                  utf32Native("\u00e9\ud83d\ude00")),
              both("{" + F4 + "'shape': (+2,)}"),
              both("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , ) , }"),
              both("{'descr':\t'<f4',\t'fortran_order':\tFalse,\t'shape':\t(2,)}"),
              both("  {" + F4 + "'shape': (2,)}"),
              both("{" + F4 + "'shape': ()}", 1, ArrayFixtures.floatsLE(7f)),
              both("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1)}", 2, TWO),
              both(
                  "{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}",
                  1,
                  new byte[] {0, 2, 1}),
              neither("{" + F4 + "'shape': 2}"),
              neither("{" + F4 + "'shape': (2)}"),
              neither("{" + F4 + "'shape': [2]}"),
              new Variant("{" + F4 + "'shape': (-2,)}", 1, TWO, false, null), // 1.24 loads (2,)
              neither("{'descr': '<f4', 'shape': (2,)}"),
              neither("{" + F4 + "'shape': (2,), 'extra': 1}"),
              neither("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}"),
              neither("{" + F4 + "'shape': (2.0,)}"),
              neither("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", 1, new byte[8]),
              neither("{" + F4 + "'shape': (2,)} x"),
              neither("{" + F4 + "'shape': (00002,)}"),
              neither("{" + F4 + "'shape': (2,)}\u0000"),
              neither("{" + F4 + "'shape': (\u0662,)}", 3, TWO),
              neither("{'descr': '<f\u0664', 'fortran_order': False, 'shape': (2,)}", 3, TWO),
              onlyNumpy("{" + F4 + "'shape': (2,), 'shape': (2,)}", TWO),
              onlyNumpy(
                  "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,)}",
                  TWO),
              onlyNumpy("{'descr': '<M8[s]', 'fortran_order': False, 'shape': (1,)}", new byte[8]),
              onlyNumpy("{" + F4 + "'shape': (0x2,)}", TWO),
              onlyNumpy("{'descr': u'<f4', 'fortran_order': False, 'shape': (2,)}", TWO),
              onlyNumpy("{" + F4 + "'shape': (2,)} # comment", TWO),
              onlyNumpy("{" + F4 + "'shape': (2,)}\f", TWO),
              onlyNumpy("{'descr': '<U0', 'fortran_order': False, 'shape': (0,)}", new byte[0]));
    }
    return variants;
  }

  private static byte[] longNative(long v) {
    return java.nio.ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
  }

  private static byte[] utf32Native(String s) {
    int[] cps = s.codePoints().toArray();
    var bb = java.nio.ByteBuffer.allocate(4 * cps.length).order(ByteOrder.nativeOrder());
    for (int cp : cps) {
      bb.putInt(cp);
    }
    return bb.array();
  }

  private static void writeVariants(Path dir) throws IOException {
    List<Variant> vs = variants();
    for (int i = 0; i < vs.size(); i++) {
      Variant v = vs.get(i);
      Files.write(dir.resolve(i + ".npy"), ArrayFixtures.rawNpy(v.dict(), v.version(), v.data()));
    }
  }

  // ------------------------------------------------------------------------------- the script

  /** The numpy script, from {@code numpy_interop.py} beside this class, with its inputs. */
  private static String script(String npDir) throws IOException {
    try (var in = NpyInteropTest.class.getResourceAsStream("numpy_interop.py")) {
      if (in == null) {
        throw new IOException("numpy_interop.py is not on the test class path");
      }
      return "NP = '"
          + npDir
          + "'\n"
          + ArrayFixtures.pythonPools()
          + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
