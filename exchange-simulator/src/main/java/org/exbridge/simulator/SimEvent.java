package org.exbridge.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One single event or one recurring series, as the simulator holds it. Times are local to the
 * event's zone (as Exchange keeps them); all-day events use dates only. Exceptions and deleted
 * occurrences are keyed by the occurrence's original local start.
 */
final class SimEvent {
  final long number;
  long version;
  long createdVersion;
  Instant lastModified;
  String subject = "";
  String body = "";
  String location = "";
  ZoneId zone = ZoneId.of("UTC");
  boolean allDay;
  LocalDateTime start;
  LocalDateTime end;
  String showAs = "busy";
  boolean isPrivate;
  boolean cancelled;
  String organizerName = "";
  String organizerEmail = "";
  List<SimAttendee> attendees = new ArrayList<>();
  Integer reminderMinutes;
  String onlineMeetingUrl;
  SimRecurrence recurrence;
  final TreeMap<LocalDateTime, SimOverride> exceptions = new TreeMap<>();
  final TreeSet<LocalDateTime> deleted = new TreeSet<>();

  SimEvent(long number) {
    this.number = number;
  }

  boolean recurring() {
    return recurrence != null;
  }

  /** The instant a local time of this event stands for; all-day times are midnight in the zone. */
  Instant instant(LocalDateTime local) {
    return ZonedDateTime.of(local, zone).toInstant();
  }

  LocalDate startDate() {
    return start.toLocalDate();
  }

  /** One attendee of an event. */
  record SimAttendee(String name, String email, String type, String response) {}

  /** A modified occurrence: its own start, end, subject, location and body. */
  static final class SimOverride {
    LocalDateTime start;
    LocalDateTime end;
    String subject;
    String location;
    String body;
    long number;

    SimOverride copy() {
      SimOverride c = new SimOverride();
      c.start = start;
      c.end = end;
      c.subject = subject;
      c.location = location;
      c.body = body;
      c.number = number;
      return c;
    }
  }

  /** A recurrence pattern and range, in the event's zone. */
  record SimRecurrence(
      String type,
      int interval,
      Set<java.time.DayOfWeek> daysOfWeek,
      int dayOfMonth,
      LocalDate endDate,
      Integer count) {}

  SimEvent copyAs(long newNumber) {
    SimEvent c = new SimEvent(newNumber);
    c.version = version;
    c.createdVersion = createdVersion;
    c.lastModified = lastModified;
    c.subject = subject;
    c.body = body;
    c.location = location;
    c.zone = zone;
    c.allDay = allDay;
    c.start = start;
    c.end = end;
    c.showAs = showAs;
    c.isPrivate = isPrivate;
    c.cancelled = cancelled;
    c.organizerName = organizerName;
    c.organizerEmail = organizerEmail;
    c.attendees = new ArrayList<>(attendees);
    c.reminderMinutes = reminderMinutes;
    c.onlineMeetingUrl = onlineMeetingUrl;
    c.recurrence = recurrence;
    for (Map.Entry<LocalDateTime, SimOverride> e : exceptions.entrySet()) {
      c.exceptions.put(e.getKey(), e.getValue().copy());
    }
    c.deleted.addAll(deleted);
    return c;
  }
}
