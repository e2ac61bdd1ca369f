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

  /**
   * Reads an RRULE as Exchange can hold it: the six patterns and three ranges. What Exchange cannot
   * represent (a frequency below a day, BYHOUR, BYWEEKNO, a set position over an arbitrary set of
   * days, a yearly interval, ...) is refused with an {@link IllegalArgumentException} that names
   * the part. {@code first} is the series' first start; its date fills in what the rule leaves out.
   */
  public static RecurrencePattern parse(String text, LocalDate first, ZoneId zone, boolean allDay) {
    String rule = text.trim();
    if (rule.regionMatches(true, 0, "RRULE:", 0, 6)) {
      rule = rule.substring(6);
    }
    java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
    for (String part : rule.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("recurrence: '" + part + "' is not NAME=VALUE");
      }
      String name = part.substring(0, eq).trim().toUpperCase(Locale.ROOT);
      if (parts.put(name, part.substring(eq + 1).trim().toUpperCase(Locale.ROOT)) != null) {
        throw new IllegalArgumentException("recurrence: " + name + " is given twice");
      }
    }
    for (String name : parts.keySet()) {
      if (!java.util.Set.of(
              "FREQ",
              "INTERVAL",
              "COUNT",
              "UNTIL",
              "BYDAY",
              "BYMONTHDAY",
              "BYMONTH",
              "BYSETPOS",
              "WKST")
          .contains(name)) {
        throw new IllegalArgumentException(
            "recurrence: Exchange cannot represent "
                + name
                + " (its patterns are daily, weekly,"
                + " monthly and yearly by day or by weekday)");
      }
    }
    String freq = parts.get("FREQ");
    if (freq == null) {
      throw new IllegalArgumentException("recurrence: FREQ is required");
    }
    int interval = number(parts, "INTERVAL", 1, 1, 999);
    DayOfWeek firstDay = parts.containsKey("WKST") ? day(parts.get("WKST")) : DayOfWeek.SUNDAY;
    Range range = Range.NO_END;
    LocalDate endDate = null;
    int count = 0;
    if (parts.containsKey("COUNT") && parts.containsKey("UNTIL")) {
      throw new IllegalArgumentException("recurrence: COUNT and UNTIL cannot both be given");
    }
    if (parts.containsKey("COUNT")) {
      range = Range.NUMBERED;
      count = number(parts, "COUNT", 1, 1, 999);
    } else if (parts.containsKey("UNTIL")) {
      range = Range.END_DATE;
      endDate = until(parts.get("UNTIL"), zone);
      if (endDate.isBefore(first)) {
        throw new IllegalArgumentException("recurrence: UNTIL is before the first start");
      }
    }
    String byDay = parts.get("BYDAY");
    String byMonthDay = parts.get("BYMONTHDAY");
    String byMonth = parts.get("BYMONTH");
    String bySetPos = parts.get("BYSETPOS");
    switch (freq) {
      case "DAILY" -> {
        refuse(parts, "DAILY", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS");
        return new RecurrencePattern(
            Type.DAILY, interval, List.of(), 0, 0, 1, range, endDate, count, firstDay);
      }
      case "WEEKLY" -> {
        refuse(parts, "WEEKLY", "BYMONTHDAY", "BYMONTH", "BYSETPOS");
        List<DayOfWeek> days =
            byDay == null ? List.of(first.getDayOfWeek()) : plainDays(byDay, "WEEKLY");
        return new RecurrencePattern(
            Type.WEEKLY, interval, days, 0, 0, 1, range, endDate, count, firstDay);
      }
      case "MONTHLY", "YEARLY" -> {
        boolean yearly = freq.equals("YEARLY");
        int month = 0;
        if (yearly) {
          if (interval != 1) {
            throw new IllegalArgumentException(
                "recurrence: Exchange's yearly patterns have no interval (INTERVAL must be 1)");
          }
          month = byMonth == null ? first.getMonthValue() : number(parts, "BYMONTH", 0, 1, 12);
        } else if (byMonth != null) {
          throw new IllegalArgumentException(
              "recurrence: BYMONTH cannot be used with MONTHLY in Exchange");
        }
        if (byDay != null && byMonthDay != null) {
          throw new IllegalArgumentException(
              "recurrence: BYDAY and BYMONTHDAY cannot be combined in Exchange");
        }
        if (byDay == null) {
          int day = first.getDayOfMonth();
          if (byMonthDay != null) {
            day = monthDay(byMonthDay, bySetPos);
          } else if (bySetPos != null) {
            throw new IllegalArgumentException("recurrence: BYSETPOS needs BYDAY or BYMONTHDAY");
          }
          return new RecurrencePattern(
              yearly ? Type.ABSOLUTE_YEARLY : Type.ABSOLUTE_MONTHLY,
              interval,
              List.of(),
              day,
              month,
              1,
              range,
              endDate,
              count,
              firstDay);
        }
        List<DayOfWeek> days;
        int index;
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("^([+-]?\\d)(MO|TU|WE|TH|FR|SA|SU)$").matcher(byDay);
        if (m.matches()) {
          if (bySetPos != null) {
            throw new IllegalArgumentException(
                "recurrence: BYSETPOS cannot be combined with a numbered BYDAY");
          }
          index = weekIndex(Integer.parseInt(m.group(1)));
          days = List.of(day(m.group(2)));
        } else {
          if (bySetPos == null) {
            throw new IllegalArgumentException(
                "recurrence: a monthly or yearly BYDAY needs a position (2MO, -1FR, or BYSETPOS)");
          }
          days = plainDays(byDay, freq);
          if (days.size() > 1
              && days.size() != 7
              && !days.equals(days("weekday"))
              && !days.equals(days("weekendday"))) {
            throw new IllegalArgumentException(
                "recurrence: Exchange positions one day, every day, the weekdays or the weekend"
                    + " days, not "
                    + byDay);
          }
          index = weekIndex(number(parts, "BYSETPOS", 0, -1, 4));
        }
        return new RecurrencePattern(
            yearly ? Type.RELATIVE_YEARLY : Type.RELATIVE_MONTHLY,
            interval,
            days,
            0,
            month,
            index,
            range,
            endDate,
            count,
            firstDay);
      }
      default ->
          throw new IllegalArgumentException(
              "recurrence: Exchange cannot repeat " + freq + " (DAILY, WEEKLY, MONTHLY, YEARLY)");
    }
  }

  private static void refuse(java.util.Map<String, String> parts, String freq, String... names) {
    for (String name : names) {
      if (parts.containsKey(name)) {
        throw new IllegalArgumentException(
            "recurrence: Exchange cannot represent " + name + " with " + freq);
      }
    }
  }

  private static int number(
      java.util.Map<String, String> parts, String name, int fallback, int min, int max) {
    String v = parts.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max || n == 0 && min < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "recurrence: " + name + " must be a number from " + min + " to " + max);
    }
  }

  private static int weekIndex(int n) {
    if (n == -1 || (n >= 1 && n <= 4)) {
      return n;
    }
    throw new IllegalArgumentException(
        "recurrence: Exchange positions the first to fourth or the last day only, not " + n);
  }

  /** BYMONTHDAY=d, or the 28..d;BYSETPOS=-1 form exbridge publishes for days past the 28th. */
  private static int monthDay(String byMonthDay, String bySetPos) {
    String[] days = byMonthDay.split(",");
    try {
      if (days.length == 1 && bySetPos == null) {
        int d = Integer.parseInt(days[0]);
        if (d >= 1 && d <= 31) {
          return d;
        }
      } else if ("-1".equals(bySetPos) && days.length > 1 && days[0].equals("28")) {
        for (int i = 1; i < days.length; i++) {
          if (Integer.parseInt(days[i]) != 28 + i) {
            throw new NumberFormatException();
          }
        }
        return 27 + days.length;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "recurrence: Exchange repeats on one day of the month (BYMONTHDAY=1..31), not "
            + byMonthDay
            + (bySetPos == null ? "" : ";BYSETPOS=" + bySetPos));
  }

  private static List<DayOfWeek> plainDays(String byDay, String freq) {
    java.util.Set<DayOfWeek> days = java.util.EnumSet.noneOf(DayOfWeek.class);
    for (String d : byDay.split(",")) {
      if (!d.matches("MO|TU|WE|TH|FR|SA|SU")) {
        throw new IllegalArgumentException(
            "recurrence: BYDAY of " + freq + " lists plain days (MO,WE), not " + d);
      }
      days.add(day(d));
    }
    return List.copyOf(days);
  }

  private static DayOfWeek day(String two) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(two)) {
        return d;
      }
    }
    throw new IllegalArgumentException("recurrence: '" + two + "' is not a day (MO..SU)");
  }

  private static LocalDate until(String text, ZoneId zone) {
    try {
      if (text.length() == 8) {
        return LocalDate.parse(text, DATE);
      }
      if (text.endsWith("Z")) {
        return java.time.LocalDateTime.parse(text, UTC_TIME)
            .atOffset(ZoneOffset.UTC)
            .atZoneSameInstant(zone)
            .toLocalDate();
      }
      return java.time.LocalDateTime.parse(text, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
          .toLocalDate();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "recurrence: UNTIL must be a date (20261231) or a UTC time (20261231T235959Z)");
    }
  }
}
