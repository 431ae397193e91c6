package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link BenchArgs}: pairs and flags in order, and the errors that name the option. */
class BenchArgsTest {
  @Test
  void handsOutPairsAndFlagsInOrder() {
    List<String> seen = new ArrayList<>();
    BenchArgs.forEach(
        new String[] {"--a", "1", "--flag", "--b", "x y"},
        Set.of("--flag"),
        (name, value) -> seen.add(name + "=" + value));
    assertEquals(List.of("--a=1", "--flag=null", "--b=x y"), seen);
  }

  @Test
  void refusesAMissingValueAndANonNumberByName() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> BenchArgs.forEach(new String[] {"--rows"}, Set.of(), (n, v) -> {}));
    assertEquals("--rows needs a value", missing.getMessage());
    IllegalArgumentException notNumber =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BenchArgs.forEach(
                    new String[] {"--rows", "ten"}, Set.of(), (n, v) -> Integer.parseInt(v)));
    assertEquals("--rows needs a number, got ten", notNumber.getMessage());
  }
}
