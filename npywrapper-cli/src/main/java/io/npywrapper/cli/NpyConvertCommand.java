package io.npywrapper.cli;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyConvert;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw npy convert IN OUT [--dtype T]}: rewrites a {@code .npy} in another dtype. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a .npy file to another dtype (cast like numpy's astype), written little-endian in"
          + " C order.",
      "The output is written under a temporary name and published atomically; an existing OUT"
          + " is kept unless --force is given."
    })
final class NpyConvertCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "input .npy file")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "output .npy file")
  Path out;

  @Option(
      names = "--dtype",
      paramLabel = "DTYPE",
      description =
          "Target dtype: a numpy name (float32, float16, int64, uint8, bool, complex64, ...) or a"
              + " descr such as <f4. Default: the input's dtype.")
  String dtype;

  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  @Option(names = "--no-sync", description = "Skip fsync (faster; not crash-safe).")
  boolean noSync;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    DType target;
    try {
      target = dtype == null ? null : DType.fromName(dtype);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--dtype " + dtype + ": " + e.getMessage());
    }
    WriteOptions options = WriteOptions.DEFAULT;
    if (force) {
      options = options.overwriting();
    }
    if (noSync) {
      options = options.withoutSync();
    }
    NpyHeader h = NpyConvert.convert(in, out, target, options);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %s %s, %s%n",
            out, h.dtype().name(), NpyHeader.shapeString(h.shape()), Sizes.human(h.fileSize()));
    return 0;
  }
}
