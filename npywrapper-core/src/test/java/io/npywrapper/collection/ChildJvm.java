package io.npywrapper.collection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a {@code main} class of the test class path, for tests that need a second
 * process: a log lock holder, a concurrent writer. Its stderr goes to ours; its stdout is read line
 * by line. Started with a small heap and a quick JIT, since other builds may share the machine.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;

  private ChildJvm(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  static ChildJvm start(Class<?> main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(pb.start());
  }

  /** The child's next line of output, or null at its end. */
  String readLine() throws IOException {
    return out.readLine();
  }

  /** Sends a line to the child's stdin. */
  void send(String line) {
    in.println(line);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to exit (at most {@code seconds}); its exit code, or -1 if it did not. */
  int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL, then waits until the process is gone (so its OS locks are released). */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
