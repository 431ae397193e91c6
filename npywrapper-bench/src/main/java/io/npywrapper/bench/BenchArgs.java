package io.npywrapper.bench;

import java.util.Set;

/**
 * The options of a bench command: {@code --name value} pairs and value-less flags, handed one by
 * one to the command, which types them. A name that is not a flag must have a value after it; a
 * value that is not a number where the command reads one is refused with the option's name.
 * Stateless; thread-safe.
 */
public final class BenchArgs {
  private BenchArgs() {}

  /** What a command does with one option. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Takes option {@code name} with its {@code value} (null for a flag).
     *
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    void option(String name, String value);
  }

  /**
   * Hands each option of {@code args} to {@code handler} in order.
   *
   * @param flags the options that take no value
   * @throws IllegalArgumentException for an option without its value, or a value that does not
   *     parse as the number the handler reads
   */
  public static void forEach(String[] args, Set<String> flags, Handler handler) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      if (!flags.contains(name)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      try {
        handler.option(name, value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a number, got " + value, e);
      }
    }
  }
}
