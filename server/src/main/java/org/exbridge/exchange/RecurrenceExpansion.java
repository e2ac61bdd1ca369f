package org.exbridge.exchange;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands the RRULEs that {@link RecurrencePattern} writes into the local start times of their
 * occurrences, in the series' zone (so an occurrence keeps its wall-clock time across DST).
 */
public final class RecurrenceExpansion {
  private static final int MAX_PERIODS = 200_000;

  private RecurrenceExpansion() {}

  /**
   * Original local starts from {@code first} (the master's start) up to {@code until}, at most
   * {@code limit}.
   */
  public static List<LocalDateTime> starts(
      String rrule, LocalDateTime first, ZoneId zone, LocalDateTime until, int limit) {
    Map<String, String> parts = new HashMap<>();
    for (String part : rrule.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).toUpperCase(), part.substring(eq + 1));
      }
    }
    String freq = parts.getOrDefault("FREQ", "DAILY");
    int interval = Integer.parseInt(parts.getOrDefault("INTERVAL", "1"));
    int count =
        parts.containsKey("COUNT") ? Integer.parseInt(parts.get("COUNT")) : Integer.MAX_VALUE;
    Set<DayOfWeek> byDay = EnumSet.noneOf(DayOfWeek.class);
    if (parts.containsKey("BYDAY")) {
      for (String d : parts.get("BYDAY").split(",")) {
        byDay.add(day(d.replaceAll("[^A-Za-z]", "")));
      }
    }
    List<Integer> byMonthDay = new ArrayList<>();
    if (parts.containsKey("BYMONTHDAY")) {
      for (String d : parts.get("BYMONTHDAY").split(",")) {
        byMonthDay.add(Integer.parseInt(d.trim()));
      }
    }
    int byMonth =
        parts.containsKey("BYMONTH")
            ? Integer.parseInt(parts.get("BYMONTH"))
            : first.getMonthValue();
    int bySetPos = parts.containsKey("BYSETPOS") ? Integer.parseInt(parts.get("BYSETPOS")) : 0;
    DayOfWeek weekStart = parts.containsKey("WKST") ? day(parts.get("WKST")) : DayOfWeek.MONDAY;
    String untilText = parts.get("UNTIL");
    LocalDate untilDate = null;
    Instant untilInstant = null;
    if (untilText != null) {
      if (untilText.length() == 8) {
        untilDate = LocalDate.parse(untilText, DateTimeFormatter.BASIC_ISO_DATE);
      } else {
        untilInstant =
            LocalDateTime.parse(untilText, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                .toInstant(ZoneOffset.UTC);
      }
    }
    LocalDate start = first.toLocalDate();
    List<LocalDateTime> out = new ArrayList<>();
    int produced = 0;
    for (int period = 0; period < MAX_PERIODS; period++) {
      LocalDate periodStart =
          switch (freq) {
            case "WEEKLY" ->
                start
                    .with(TemporalAdjusters.previousOrSame(weekStart))
                    .plusWeeks((long) period * interval);
            case "MONTHLY" -> start.withDayOfMonth(1).plusMonths((long) period * interval);
            case "YEARLY" ->
                LocalDate.of(start.getYear(), byMonth, 1).plusYears((long) period * interval);
            default -> start.plusDays((long) period * interval);
          };
      if (periodStart.atStartOfDay().isAfter(until)
          || (untilDate != null && periodStart.isAfter(untilDate))) {
        break;
      }
      for (LocalDate date :
          candidates(freq, periodStart, start, byDay, byMonthDay, bySetPos, weekStart)) {
        if (date.isBefore(start)) {
          continue;
        }
        LocalDateTime at = date.atTime(first.toLocalTime());
        if (produced >= count
            || at.isAfter(until)
            || out.size() >= limit
            || (untilDate != null && date.isAfter(untilDate))
            || (untilInstant != null && at.atZone(zone).toInstant().isAfter(untilInstant))) {
          return out;
        }
        produced++;
        out.add(at);
      }
    }
    return out;
  }

  private static List<LocalDate> candidates(
      String freq,
      LocalDate periodStart,
      LocalDate start,
      Set<DayOfWeek> byDay,
      List<Integer> byMonthDay,
      int bySetPos,
      DayOfWeek weekStart) {
    List<LocalDate> dates = new ArrayList<>();
    switch (freq) {
      case "WEEKLY" -> {
        for (int i = 0; i < 7; i++) {
          LocalDate d = periodStart.plusDays(i);
          if (byDay.isEmpty()
              ? d.getDayOfWeek() == start.getDayOfWeek()
              : byDay.contains(d.getDayOfWeek())) {
            dates.add(d);
          }
        }
      }
      case "MONTHLY", "YEARLY" -> {
        if (!byMonthDay.isEmpty()) {
          // The listed days the month has, in order; BYSETPOS picks among them (Exchange's "31st"
          // is written 28..31 with BYSETPOS=-1: the month's last day when it is shorter).
          List<LocalDate> matching = new ArrayList<>();
          for (int day = 1; day <= periodStart.lengthOfMonth(); day++) {
            if (byMonthDay.contains(day)) {
              matching.add(periodStart.withDayOfMonth(day));
            }
          }
          dates.addAll(setPosition(matching, bySetPos));
        } else if (!byDay.isEmpty()) {
          List<LocalDate> matching = new ArrayList<>();
          for (int i = 0; i < periodStart.lengthOfMonth(); i++) {
            LocalDate d = periodStart.plusDays(i);
            if (byDay.contains(d.getDayOfWeek())) {
              matching.add(d);
            }
          }
          dates.addAll(setPosition(matching, bySetPos));
        } else if (start.getDayOfMonth() <= periodStart.lengthOfMonth()) {
          dates.add(periodStart.withDayOfMonth(start.getDayOfMonth()));
        }
      }
      default -> dates.add(periodStart);
    }
    return dates;
  }

  /** BYSETPOS: the nth of the period's candidates (negative from the end); all when 0. */
  private static List<LocalDate> setPosition(List<LocalDate> matching, int bySetPos) {
    if (bySetPos == 0) {
      return matching;
    }
    int index = bySetPos > 0 ? bySetPos - 1 : matching.size() + bySetPos;
    return index >= 0 && index < matching.size() ? List.of(matching.get(index)) : List.of();
  }

  private static DayOfWeek day(String two) {
    return switch (two.toUpperCase()) {
      case "MO" -> DayOfWeek.MONDAY;
      case "TU" -> DayOfWeek.TUESDAY;
      case "WE" -> DayOfWeek.WEDNESDAY;
      case "TH" -> DayOfWeek.THURSDAY;
      case "FR" -> DayOfWeek.FRIDAY;
      case "SA" -> DayOfWeek.SATURDAY;
      case "SU" -> DayOfWeek.SUNDAY;
      default -> throw new IllegalArgumentException("unknown day " + two);
    };
  }
}
