package io.npywrapper.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns exceptions from a command into one clear line on standard error: {@code npyw: error: ...}.
 * Known user errors (bad files, bad arguments, missing files) exit 1 without a stack trace;
 * anything unexpected also prints its trace when {@code NPYW_DEBUG} is set.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    cl.getErr().println("npyw: error: " + describe(e));
    if (System.getenv("NPYW_DEBUG") != null) {
      e.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return 1;
  }

  static String describe(Throwable e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file: " + n.getFile() + reason(n);
      case FileAlreadyExistsException f ->
          "file exists: " + f.getFile() + " (use --force to replace it)";
      case AccessDeniedException a -> "permission denied: " + a.getFile();
      case FileSystemException f -> f.getMessage();
      case IOException io -> io.getMessage();
      case IllegalArgumentException r -> r.getMessage();
      case io.npywrapper.security.AccessDeniedException a -> "access denied: " + a.getMessage();
      case io.npywrapper.security.AuthenticationException a ->
          "authentication failed: " + a.getMessage();
      case io.npywrapper.security.SecurityFormatException f -> f.getMessage();
      case java.util.NoSuchElementException r -> r.getMessage();
      case IllegalStateException r -> r.getMessage();
      case IndexOutOfBoundsException r -> r.getMessage();
      default -> e.getClass().getSimpleName() + ": " + e.getMessage();
    };
  }

  private static String reason(FileSystemException e) {
    return e.getReason() == null ? "" : " (" + e.getReason() + ")";
  }
}
