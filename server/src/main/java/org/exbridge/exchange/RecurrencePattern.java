package org.exbridge.exchange;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Exchange's recurrence (the same six patterns and three ranges in EWS and Graph), turned into one
 * RRULE so that both protocols give the same text for the same series.
 */
public record RecurrencePattern(
    Type type,
    int interval,
    List<DayOfWeek> daysOfWeek,
    int dayOfMonth,
    int month,
    int index,
    Range range,
    LocalDate endDate,
    int count,
    DayOfWeek firstDayOfWeek) {

  /** Without a first day of the week, Exchange's default: Sunday. */
  public RecurrencePattern(
      Type type,
      int interval,
      List<DayOfWeek> daysOfWeek,
      int dayOfMonth,
      int month,
      int index,
      Range range,
      LocalDate endDate,
      int count) {
    this(
        type,
        interval,
        daysOfWeek,
        dayOfMonth,
        month,
        index,
        range,
        endDate,
        count,
        DayOfWeek.SUNDAY);
  }

  public enum Type {
    DAILY,
    WEEKLY,
    ABSOLUTE_MONTHLY,
    RELATIVE_MONTHLY,
    ABSOLUTE_YEARLY,
    RELATIVE_YEARLY
  }

  public enum Range {
    NO_END,
    END_DATE,
    NUMBERED
  }

  private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /**
   * The RRULE; {@code UNTIL} is a date for all-day series, else the end of the end date in the
   * zone, in UTC.
   */
  public String rrule(boolean allDay, ZoneId zone) {
    StringBuilder r = new StringBuilder("FREQ=");
    r.append(
        switch (type) {
          case DAILY -> "DAILY";
          case WEEKLY -> "WEEKLY";
          case ABSOLUTE_MONTHLY, RELATIVE_MONTHLY -> "MONTHLY";
          case ABSOLUTE_YEARLY, RELATIVE_YEARLY -> "YEARLY";
        });
    r.append(";INTERVAL=").append(Math.max(1, interval));
    if (type == Type.ABSOLUTE_YEARLY || type == Type.RELATIVE_YEARLY) {
      r.append(";BYMONTH=").append(month);
    }
    switch (type) {
      case WEEKLY ->
          r.append(";BYDAY=")
              .append(days())
              .append(";WKST=")
              .append((firstDayOfWeek == null ? DayOfWeek.SUNDAY : firstDayOfWeek).name(), 0, 2);
      case ABSOLUTE_MONTHLY, ABSOLUTE_YEARLY -> r.append(monthDay(dayOfMonth));
      case RELATIVE_MONTHLY, RELATIVE_YEARLY ->
          r.append(";BYDAY=").append(days()).append(";BYSETPOS=").append(index);
      default -> {}
    }
    switch (range) {
      case NUMBERED -> r.append(";COUNT=").append(count);
      case END_DATE -> {
        if (allDay) {
          r.append(";UNTIL=").append(DATE.format(endDate));
        } else {
          Instant end = endDate.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1);
          r.append(";UNTIL=").append(UTC_TIME.format(end.atOffset(ZoneOffset.UTC)));
        }
      }
      default -> {}
    }
    return r.toString();
  }

  /**
   * Exchange puts a day the month does not have (the 31st in April, 29 February in 2027) on the
   * month's last day; RFC 5545 would skip the month. Days past the 28th are written as "the last of
   * the 28th..dth that exist", which every RFC 5545 expander reads the way Exchange means it.
   */
  static String monthDay(int day) {
    if (day <= 28) {
      return ";BYMONTHDAY=" + day;
    }
    StringBuilder days = new StringBuilder(";BYMONTHDAY=28");
    for (int d = 29; d <= day; d++) {
      days.append(',').append(d);
    }
    return days.append(";BYSETPOS=-1").toString();
  }

  private String days() {
    return daysOfWeek.stream()
        .sorted()
        .map(d -> d.name().substring(0, 2))
        .collect(Collectors.joining(","));
  }

  /**
   * The days of a "weekday", "weekendDay" or "day" pseudo-day, as Exchange uses them in relative
   * patterns.
   */
  public static List<DayOfWeek> days(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "day" -> List.of(DayOfWeek.values());
      case "weekday" ->
          List.of(
              DayOfWeek.MONDAY,
              DayOfWeek.TUESDAY,
              DayOfWeek.WEDNESDAY,
              DayOfWeek.THURSDAY,
              DayOfWeek.FRIDAY);
      case "weekendday" -> List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      default -> List.of(DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT)));
    };
  }

  /** first..fourth as 1..4, last as -1. */
  public static int index(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "first" -> 1;
      case "second" -> 2;
      case "third" -> 3;
      case "fourth" -> 4;
      case "last" -> -1;
      default -> throw new IllegalArgumentException("unknown week index " + name);
    };
  }
}
