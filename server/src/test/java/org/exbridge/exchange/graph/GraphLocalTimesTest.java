package org.exbridge.exchange.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The by-position reader of Graph's date-times answers exactly as the JDK's parser does. */
class GraphLocalTimesTest {
  @Test
  void graphsShapesReadAsTheParserReadsThem() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      LocalDateTime t =
          LocalDateTime.of(
              1 + random.nextInt(9998),
              1 + random.nextInt(12),
              1 + random.nextInt(28),
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(60),
              random.nextInt(1_000_000_000));
      String text = t.toString().substring(0, 19);
      int digits = random.nextInt(10);
      if (digits > 0) {
        text += "." + String.format("%09d", t.getNano()).substring(0, digits);
      }
      assertThat(GraphEventReader.localDateTime(text))
          .as(text)
          .isEqualTo(LocalDateTime.parse(text));
    }
    assertThat(GraphEventReader.localDateTime("2026-05-27T14:45:00.0000000"))
        .isEqualTo(LocalDateTime.of(2026, 5, 27, 14, 45));
    assertThat(GraphEventReader.parseInstant("2026-05-27T14:45:00.5Z"))
        .isEqualTo(Instant.parse("2026-05-27T14:45:00.500Z"));
    assertThat(GraphEventReader.parseInstant("2026-05-27T14:45:00+02:00"))
        .isEqualTo(OffsetDateTime.parse("2026-05-27T14:45:00+02:00").toInstant());
  }

  @Test
  void anythingElseIsAcceptedOrRefusedAsTheParserDoes() {
    Random random = new Random(11);
    String alphabet = "0123456789-T:.Z +";
    String[] fixed = {
      "2026-13-01T00:00:00",
      "2026-02-30T10:00:00",
      "2026-05-27T24:00:00",
      "2026-05-27T14:45",
      "2026-05-27T14:45:00.",
      "2026-05-27T14:45:00.1234567890",
      "-026-05-27T14:45:00",
      "2026-05-27 14:45:00",
      "+2026-05-27T14:45:00",
      "2026-05-27T14:45:60",
      ""
    };
    for (String text : fixed) {
      same(text);
    }
    for (int i = 0; i < 50_000; i++) {
      StringBuilder b = new StringBuilder("2026-05-27T14:45:00.0000000");
      for (int k = random.nextInt(4); k >= 0; k--) {
        b.setCharAt(random.nextInt(b.length()), alphabet.charAt(random.nextInt(alphabet.length())));
      }
      b.setLength(15 + random.nextInt(b.length() - 14));
      same(b.toString());
    }
  }

  private static void same(String text) {
    LocalDateTime expected;
    try {
      expected = LocalDateTime.parse(text);
    } catch (DateTimeException refused) {
      assertThatThrownBy(() -> GraphEventReader.localDateTime(text))
          .as(text)
          .isInstanceOf(DateTimeException.class);
      return;
    }
    assertThat(GraphEventReader.localDateTime(text)).as(text).isEqualTo(expected);
  }
}
