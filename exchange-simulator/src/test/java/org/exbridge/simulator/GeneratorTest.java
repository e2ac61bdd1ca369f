package org.exbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

  private static String dump(List<SimMailbox> boxes) {
    StringBuilder out = new StringBuilder();
    for (SimMailbox m : boxes) {
      for (SimMailbox.SimCalendar c : m.calendars) {
        c.events.values().forEach(e -> out.append(SimJson.event(m, c, e)).append('\n'));
      }
    }
    return out.toString();
  }

  @Test
  void theSameSeedGivesTheSameMailboxes() {
    assertThat(dump(Generator.generate(2, 50, 9, CLOCK)))
        .isEqualTo(dump(Generator.generate(2, 50, 9, CLOCK)));
    assertThat(dump(Generator.generate(2, 50, 9, CLOCK)))
        .isNotEqualTo(dump(Generator.generate(2, 50, 10, CLOCK)));
  }

  @Test
  void mailboxesAreNamedAndHoldTheAskedNumberOfEvents() {
    List<SimMailbox> boxes = Generator.generate(3, 40, 1, CLOCK);
    assertThat(boxes)
        .extracting(m -> m.address)
        .containsExactly("user1@exchange.test", "user2@exchange.test", "user3@exchange.test");
    assertThat(boxes.get(0).calendars.stream().mapToInt(c -> c.events.size()).sum()).isEqualTo(40);
  }

  @Test
  void eventsWrittenAsJsonReadBackTheSame() {
    SimMailbox m = Generator.generate(1, 60, 3, CLOCK).get(0);
    for (SimMailbox.SimCalendar c : m.calendars) {
      for (SimEvent e : c.events.values()) {
        SimEvent copy = new SimEvent(e.number);
        SimJson.read(SimJson.event(m, c, e), copy);
        copy.lastModified = e.lastModified;
        copy.version = e.version;
        assertThat(SimJson.event(m, c, copy)).isEqualTo(SimJson.event(m, c, e));
      }
    }
  }
}
