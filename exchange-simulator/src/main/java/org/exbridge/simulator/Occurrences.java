package org.exbridge.simulator;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a series into its occurrences' original local starts, as Exchange does, in the event's
 * zone.
 */
final class Occurrences {
  /** Series without an end are expanded this far at most. */
  static final int MAX_OCCURRENCES = 5000;

  private Occurrences() {}

  /**
   * Original local starts of every occurrence up to {@code until} (inclusive), deleted ones
   * included.
   */
  static List<LocalDateTime> originalStarts(SimEvent series, LocalDateTime until) {
    SimEvent.SimRecurrence r = series.recurrence;
    List<LocalDateTime> out = new ArrayList<>();
    if (r == null) {
      out.add(series.start);
      return out;
    }
    LocalDate first = series.start.toLocalDate();
    int limit = r.count() != null ? r.count() : MAX_OCCURRENCES;
    LocalDate last = r.endDate();
    for (int period = 0; out.size() < limit; period += r.interval()) {
      List<LocalDate> dates = datesIn(r, first, period);
      if (dates.isEmpty() && !r.type().equals("absoluteMonthly")) {
        break;
      }
      if (periodStart(r, first, period).isAfter(until.toLocalDate())
          || (last != null && periodStart(r, first, period).isAfter(last))) {
        break;
      }
      for (LocalDate date : dates) {
        if (date.isBefore(first)) {
          continue;
        }
        if ((last != null && date.isAfter(last)) || out.size() >= limit) {
          return out;
        }
        LocalDateTime start = date.atTime(series.start.toLocalTime());
        if (start.isAfter(until)) {
          return out;
        }
        out.add(start);
      }
      if (period > 100_000) {
        break;
      }
    }
    return out;
  }

  private static LocalDate periodStart(SimEvent.SimRecurrence r, LocalDate first, int period) {
    return switch (r.type()) {
      case "daily" -> first.plusDays(period);
      case "weekly" ->
          first.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).plusWeeks(period);
      default -> first.withDayOfMonth(1).plusMonths(period);
    };
  }

  private static List<LocalDate> datesIn(SimEvent.SimRecurrence r, LocalDate first, int period) {
    List<LocalDate> dates = new ArrayList<>();
    switch (r.type()) {
      case "daily" -> dates.add(first.plusDays(period));
      case "weekly" -> {
        LocalDate weekStart = periodStart(r, first, period);
        for (int d = 0; d < 7; d++) {
          LocalDate day = weekStart.plusDays(d);
          if (r.daysOfWeek().contains(day.getDayOfWeek())) {
            dates.add(day);
          }
        }
      }
      case "absoluteMonthly" -> {
        LocalDate month = periodStart(r, first, period);
        if (r.dayOfMonth() <= month.lengthOfMonth()) {
          dates.add(month.withDayOfMonth(r.dayOfMonth()));
        }
      }
      default -> throw new IllegalStateException("unsupported recurrence " + r.type());
    }
    return dates;
  }

  /** The length of each occurrence, in local time. */
  static Duration length(SimEvent series) {
    return Duration.between(series.start, series.end);
  }

  /** Days an all-day event spans. */
  static long days(SimEvent series) {
    return ChronoUnit.DAYS.between(series.start.toLocalDate(), series.end.toLocalDate());
  }

  /**
   * One occurrence as it stands: original start, actual start and end, and its override if
   * modified.
   */
  record Occurrence(
      LocalDateTime originalStart,
      LocalDateTime start,
      LocalDateTime end,
      SimEvent.SimOverride override) {}

  /** Occurrences that exist (not deleted), with exceptions in place of the originals. */
  static List<Occurrence> live(SimEvent series, LocalDateTime until) {
    List<Occurrence> out = new ArrayList<>();
    Duration length = length(series);
    for (LocalDateTime original : originalStarts(series, until)) {
      if (series.deleted.contains(original)) {
        continue;
      }
      SimEvent.SimOverride o = series.exceptions.get(original);
      if (o != null) {
        out.add(new Occurrence(original, o.start, o.end, o));
      } else {
        out.add(new Occurrence(original, original, original.plus(length), null));
      }
    }
    return out;
  }
}
