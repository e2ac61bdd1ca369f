package org.exbridge.exchange;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * When an event starts or ends: an instant and the zone it was set in, or, for all-day events, a
 * date that stays the same in every zone.
 */
public record EventTime(Instant instant, ZoneId zone, LocalDate date) {
  public static EventTime at(Instant instant, ZoneId zone) {
    return new EventTime(instant, zone, null);
  }

  public static EventTime onDate(LocalDate date) {
    return new EventTime(null, null, date);
  }

  public boolean allDay() {
    return date != null;
  }
}
