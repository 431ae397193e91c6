package io.npywrapper.meta;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as npyWrapper stores them: instants with microsecond precision, held as int64
 * microseconds since 1970-01-01T00:00:00Z (numpy's {@code datetime64[us]} counts the same way).
 * Finer fractions are truncated towards the past, so {@code Instant.now()} can be stored. Stateless
 * and thread-safe.
 */
public final class Timestamps {
  private Timestamps() {}

  /**
   * Microseconds since the epoch of {@code t}, truncated towards the past.
   *
   * @throws IllegalArgumentException if the instant is outside the int64 microsecond range (about
   *     ±292,000 years around 1970)
   */
  public static long toMicros(Instant t) {
    long seconds = t.getEpochSecond();
    long micros = t.getNano() / 1000;
    try {
      if (seconds < 0 && micros > 0) { // as Instant.toEpochMilli: reaches Long.MIN_VALUE too
        return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000L), micros - 1_000_000L);
      }
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "timestamp " + t + " is outside the range of int64 microseconds since 1970");
    }
  }

  /** The instant {@code micros} microseconds after the epoch. */
  public static Instant ofMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** {@code t} truncated to whole microseconds (towards the past). */
  public static Instant truncate(Instant t) {
    return ofMicros(toMicros(t));
  }

  /**
   * Parses an ISO-8601 timestamp: {@code 2024-05-01T12:30:00Z}, with an offset ({@code +02:00}),
   * fractions of a second, a space instead of {@code T}, or a date alone ({@code 2024-05-01},
   * midnight). A date-time without offset or {@code Z} is taken as UTC. The result is truncated to
   * microseconds.
   *
   * @throws IllegalArgumentException quoting the text and the accepted forms
   */
  public static Instant parse(String text) {
    String s = text.trim();
    if (s.length() > 10 && s.charAt(10) == ' ') {
      s = s.substring(0, 10) + 'T' + s.substring(11);
    }
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      try {
        return truncate(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeParseException e) {
        return truncate(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
      }
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not an ISO-8601 timestamp: expected e.g. 2024-05-01T12:30:00Z,"
              + " 2024-05-01T12:30:00.5+02:00 or 2024-05-01");
    }
  }
}
