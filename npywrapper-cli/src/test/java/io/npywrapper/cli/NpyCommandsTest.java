package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NpyCommandsTest {
  @TempDir Path dir;

  private Path floats(String name, int rows, int dim) throws Exception {
    float[] v = new float[rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 3;
    }
    Path p = dir.resolve(name);
    NpyWriter.write(p, v, new long[] {rows, dim}, WriteOptions.DEFAULT);
    return p;
  }

  @Test
  void infoDescribesTheHeader() throws Exception {
    Path p = floats("a.npy", 3, 4);
    Cli r = Cli.run("npy", "info", p.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("dtype:        float32 (<f4)"), r.out());
    assertTrue(r.out().contains("shape:        (3, 4)"), r.out());
    assertTrue(r.out().contains("order:        C"), r.out());
    assertTrue(r.out().contains("format:       .npy version 1.0"), r.out());
    assertTrue(r.out().contains("data offset:  128 bytes"), r.out());
    assertTrue(r.out().contains("data size:    48 bytes"), r.out());
  }

  @Test
  void infoJsonIsOneObjectPerFile() throws Exception {
    Path a = floats("a.npy", 3, 4);
    Path b = floats("b \"q\".npy", 0, 7);
    Cli r = Cli.run("npy", "info", "--json", a.toString(), b.toString());
    assertEquals(0, r.exitCode(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].contains("\"shape\":[3,4]"), lines[0]);
    assertTrue(lines[0].contains("\"descr\":\"<f4\""), lines[0]);
    assertTrue(lines[1].contains("b \\\"q\\\".npy"), lines[1]);
    assertTrue(lines[1].contains("\"shape\":[0,7]"), lines[1]);
    assertTrue(lines[1].contains("\"data_bytes\":0"), lines[1]);
  }

  @Test
  void infoListsTheArraysOfAnNpz() throws Exception {
    for (String python : Numpy.pythons()) {
      Numpy.run(
          python,
          "import numpy as np\n"
              + "np.savez_compressed('a.npz', x=np.zeros((3, 4), dtype='<f4'), ids=np.arange(5))\n",
          dir);
      Cli r = Cli.run("npy", "info", dir.resolve("a.npz").toString());
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().contains("(.npz, 2 arrays)"), r.out());
      assertTrue(r.out().matches("(?s).*x\\s+float32\\s+\\(3, 4\\).*"), r.out());
      assertTrue(r.out().matches("(?s).*ids\\s+int64\\s+\\(5,\\).*"), r.out());
    }
  }

  @Test
  void infoOnABadFileIsOneClearLine() throws Exception {
    Path bad = dir.resolve("bad.npy");
    Files.writeString(bad, "not a numpy file at all");
    Cli r = Cli.run("npy", "info", bad.toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("npyw: error: " + bad + ": bad magic"), r.err());

    Cli missing = Cli.run("npy", "info", dir.resolve("nope.npy").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().startsWith("npyw: error: no such file: "), missing.err());
  }

  @Test
  void convertCastsLikeNumpy() throws Exception {
    Path in = floats("in.npy", 5, 3);
    Path out = dir.resolve("out.npy");
    Cli r = Cli.run("npy", "convert", in.toString(), out.toString(), "--dtype", "float16");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("float16 (5, 3)"), r.out());
    for (String python : Numpy.pythons()) {
      String ok =
          Numpy.run(
              python,
              "import numpy as np\n"
                  + "a = np.load('in.npy'); b = np.load('out.npy', mmap_mode='r')\n"
                  + "print(b.dtype == np.float16 and np.array_equal(a.astype(np.float16), b))\n",
              dir);
      assertEquals("True", ok.strip(), python);
    }
  }

  @Test
  void convertKeepsAnExistingOutputUnlessForced() throws Exception {
    Path in = floats("in.npy", 2, 2);
    Path out = floats("out.npy", 1, 1);
    byte[] before = Files.readAllBytes(out);
    Cli r = Cli.run("npy", "convert", in.toString(), out.toString(), "--dtype", "int64");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("file exists: "), r.err());
    assertArrayEquals(before, Files.readAllBytes(out));

    Cli forced = Cli.run("npy", "convert", in.toString(), out.toString(), "--dtype=i8", "--force");
    assertEquals(0, forced.exitCode(), forced.err());
    try (NpyArray a = NpyArray.open(out)) {
      assertEquals(DType.INT64, a.dtype());
      assertEquals(-3, a.getLong(0, 0));
    }
  }

  @Test
  void impossibleCastsAndBadDtypesWriteNothing() throws Exception {
    Path in = dir.resolve("c.npy");
    NpyWriter.write(
        in,
        io.npywrapper.npy.NpyHeader.of(DType.COMPLEX64, false, 2),
        java.lang.foreign.MemorySegment.ofArray(new float[4]),
        WriteOptions.DEFAULT);
    Path out = dir.resolve("out.npy");
    Cli r = Cli.run("npy", "convert", in.toString(), out.toString(), "--dtype", "float32");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("cannot cast complex64 to float32"), r.err());
    Cli bad = Cli.run("npy", "convert", in.toString(), out.toString(), "--dtype", "float33");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--dtype float33"), bad.err());
    assertFalse(Files.exists(out));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(in), files.toList());
    }
  }

  @Test
  void everyCommandHasHelp() {
    List<String[]> paths = new ArrayList<>();
    collect(new CommandLine(new Main()), new ArrayList<>(), paths);
    assertTrue(paths.size() >= 4, "found " + paths.size() + " commands");
    for (String[] path : paths) {
      List<String> args = new ArrayList<>(List.of(path));
      args.add("--help");
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: npyw"), String.join(" ", args) + ": " + r.out());
    }
  }

  private static void collect(CommandLine cl, List<String> prefix, List<String[]> out) {
    if (!prefix.isEmpty() && prefix.getLast().equals("help")) {
      return;
    }
    out.add(prefix.toArray(String[]::new));
    for (var e : cl.getSubcommands().entrySet()) {
      List<String> next = new ArrayList<>(prefix);
      next.add(e.getKey());
      collect(e.getValue(), next, out);
    }
  }
}
