package io.npywrapper.cli;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.NpzFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw npy info FILE...}: what a {@code .npy} file holds, read from its header only. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show dtype, shape, memory order, format version, data offset and size of .npy files",
      "(and of every array in a .npz archive).",
      "Only the header is read; the file is validated against its length."
    })
final class NpyInfoCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = ".npy files to describe")
  List<Path> files;

  @Option(names = "--json", description = "One JSON object per line instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    boolean first = true;
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(".npz")) {
        describeArchive(out, file, first);
        first = false;
        continue;
      }
      try (NpyArray a = NpyArray.open(file)) {
        NpyHeader h = a.header();
        long fileSize = Files.size(file);
        if (json) {
          out.println(toJson(file, h, fileSize));
        } else {
          if (!first) {
            out.println();
          }
          printText(out, file, h, fileSize);
        }
      }
      first = false;
    }
    out.flush();
    return 0;
  }

  /** An .npz archive: one line (or JSON object) per member array. */
  private void describeArchive(PrintWriter out, Path file, boolean first) throws IOException {
    try (NpzFile npz = NpzFile.open(file)) {
      if (!json) {
        out.printf(
            "%sfile:         %s (.npz, %d arrays)%n", first ? "" : "\n", file, npz.names().size());
      }
      for (String name : npz.names()) {
        NpyHeader h = npz.get(name).header();
        if (json) {
          out.println(toJson(Path.of(file + ":" + name), h, h.fileSize()));
        } else {
          out.printf(
              "  %-20s %-9s %-16s %s order, %s%n",
              name,
              h.dtype().name(),
              NpyHeader.shapeString(h.shape()),
              h.fortranOrder() ? "F" : "C",
              Sizes.human(h.dataBytes()));
        }
      }
    }
  }

  private static void printText(PrintWriter out, Path file, NpyHeader h, long fileSize) {
    out.printf("file:         %s%n", file);
    out.printf("format:       .npy version %s%n", h.version());
    out.printf("dtype:        %s (%s)%n", h.dtype().name(), h.dtype().descr());
    out.printf("shape:        %s%n", NpyHeader.shapeString(h.shape()));
    out.printf("order:        %s%n", h.fortranOrder() ? "Fortran" : "C");
    out.printf("elements:     %d%n", h.elementCount());
    out.printf("data offset:  %d bytes%n", h.dataOffset());
    out.printf("data size:    %d bytes (%s)%n", h.dataBytes(), Sizes.human(h.dataBytes()));
    out.printf("file size:    %d bytes%n", fileSize);
  }

  private static String toJson(Path file, NpyHeader h, long fileSize) {
    StringBuilder shape = new StringBuilder("[");
    long[] s = h.shape();
    for (int i = 0; i < s.length; i++) {
      shape.append(i == 0 ? "" : ",").append(s[i]);
    }
    shape.append(']');
    return "{\"file\":"
        + Json.quote(file.toString())
        + ",\"version\":\""
        + h.version()
        + "\",\"dtype\":\""
        + h.dtype().name()
        + "\",\"descr\":"
        + Json.quote(h.dtype().descr())
        + ",\"shape\":"
        + shape
        + ",\"order\":\""
        + (h.fortranOrder() ? "F" : "C")
        + "\",\"elements\":"
        + h.elementCount()
        + ",\"data_offset\":"
        + h.dataOffset()
        + ",\"data_bytes\":"
        + h.dataBytes()
        + ",\"file_bytes\":"
        + fileSize
        + "}";
  }
}
