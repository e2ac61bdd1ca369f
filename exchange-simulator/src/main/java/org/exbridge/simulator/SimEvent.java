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

  /** Named properties a client stamped on the item (EWS PublicStrings), by property name. */
  final Map<String, String> extended = new java.util.HashMap<>();

  /** Graph's transactionId of the POST that created it, if one was given. */
  String transactionId;

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

  /**
   * A recurrence pattern and range, in the event's zone, with Graph's vocabulary: {@code type} is
   * daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly; {@code
   * month} 1-12 (0 when unused); {@code index} 1-4 for first to fourth, -1 for last.
   */
  record SimRecurrence(
      String type,
      int interval,
      Set<java.time.DayOfWeek> daysOfWeek,
      int dayOfMonth,
      LocalDate endDate,
      Integer count,
      int month,
      int index,
      java.time.DayOfWeek firstDayOfWeek) {

    static final List<String> TYPES =
        List.of(
            "daily",
            "weekly",
            "absoluteMonthly",
            "relativeMonthly",
            "absoluteYearly",
            "relativeYearly");

    SimRecurrence(
        String type,
        int interval,
        Set<java.time.DayOfWeek> daysOfWeek,
        int dayOfMonth,
        LocalDate endDate,
        Integer count) {
      this(
          type, interval, daysOfWeek, dayOfMonth, endDate, count, 0, 1, java.time.DayOfWeek.SUNDAY);
    }

    /**
     * The day of the month as Exchange means it: a day the month does not have is its last day (EWS
     * DayOfMonth: "the last day of the month is assumed"), so 28th..dth, the last that exists.
     */
    private String monthDay() {
      if (dayOfMonth <= 28) {
        return ";BYMONTHDAY=" + dayOfMonth;
      }
      StringBuilder days = new StringBuilder(";BYMONTHDAY=28");
      for (int d = 29; d <= dayOfMonth; d++) {
        days.append(',').append(d);
      }
      return days.append(";BYSETPOS=-1").toString();
    }

    /** The pattern as an RFC 5545 rule (without the range), for an independent expander. */
    String rrule() {
      StringBuilder r = new StringBuilder();
      String days =
          String.join(
              ",", daysOfWeek.stream().sorted().map(d -> d.name().substring(0, 2)).toList());
      switch (type) {
        case "daily" -> r.append("FREQ=DAILY");
        case "weekly" -> r.append("FREQ=WEEKLY;BYDAY=").append(days);
        case "absoluteMonthly" -> r.append("FREQ=MONTHLY").append(monthDay());
        case "relativeMonthly" ->
            r.append("FREQ=MONTHLY;BYDAY=").append(days).append(";BYSETPOS=").append(index);
        case "absoluteYearly" -> r.append("FREQ=YEARLY;BYMONTH=").append(month).append(monthDay());
        case "relativeYearly" ->
            r.append("FREQ=YEARLY;BYMONTH=")
                .append(month)
                .append(";BYDAY=")
                .append(days)
                .append(";BYSETPOS=")
                .append(index);
        default -> throw new IllegalStateException("unsupported recurrence " + type);
      }
      r.append(";INTERVAL=").append(interval);
      r.append(";WKST=").append(firstDayOfWeek.name(), 0, 2);
      return r.toString();
    }
  }

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
    c.extended.putAll(extended);
    c.transactionId = transactionId;
    return c;
  }
}
