package org.exbridge.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  @Test
  void timeOrderedVersion7UuidsWithThePlatformSuffix() {
    String id = EventIds.next();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_0");
    UUID uuid = UUID.fromString(id.substring(0, id.length() - 2));
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
  }

  @Test
  void aLaterMillisecondSortsAfterAndTheRandomPartKeepsThemApart() {
    long now = 1_795_000_000_000L;
    for (int i = 0; i < 1_000; i++) {
      String earlier = EventIds.uuid(now + i).toString();
      String later = EventIds.uuid(now + i + 1).toString();
      assertThat(later).isGreaterThan(earlier);
    }
    Set<UUID> sameMillisecond = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      sameMillisecond.add(EventIds.uuid(now));
    }
    assertThat(sameMillisecond).hasSize(10_000);
    String millis = String.format("%012x", now);
    assertThat(EventIds.uuid(now).toString())
        .as("the milliseconds lead")
        .startsWith(millis.substring(0, 8) + "-" + millis.substring(8));
  }
}
