package org.exbridge.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * Expands a series into its occurrences, as Exchange does: the pattern in the event's local time
 * (by lib-recur, an RFC 5545 library the server does not use), each occurrence lasting the series'
 * duration from its start, across daylight-saving changes too.
 */
final class Occurrences {
  /** Series without an end are expanded this far at most. */
  static final int MAX_OCCURRENCES = 5000;

  private Occurrences() {}

  /**
   * Original local starts of every occurrence up to {@code until} (inclusive), deleted ones
   * included. Only dates the pattern matches count: a start off the pattern is not an occurrence,
   * as Exchange moves such a series to its first matching date.
   */
  static List<LocalDateTime> originalStarts(SimEvent series, LocalDateTime until) {
    SimEvent.SimRecurrence r = series.recurrence;
    List<LocalDateTime> out = new ArrayList<>();
    if (r == null) {
      out.add(series.start);
      return out;
    }
    RecurrenceRule rule;
    try {
      rule = new RecurrenceRule(r.rrule());
    } catch (InvalidRecurrenceRuleException e) {
      throw new IllegalArgumentException("recurrence cannot be expanded: " + e.getMessage(), e);
    }
    LocalDateTime s = series.start;
    DateTime start =
        new DateTime(
            s.getYear(),
            s.getMonthValue() - 1,
            s.getDayOfMonth(),
            s.getHour(),
            s.getMinute(),
            s.getSecond());
    RecurrenceRuleIterator it = rule.iterator(start);
    int limit = r.count() != null ? r.count() : MAX_OCCURRENCES;
    int matched = 0;
    int guard = 0;
    while (it.hasNext() && matched < limit && guard++ < 1_000_000) {
      DateTime d = it.nextDateTime();
      LocalDateTime local =
          LocalDateTime.of(
              d.getYear(),
              d.getMonth() + 1,
              d.getDayOfMonth(),
              d.getHours(),
              d.getMinutes(),
              d.getSeconds());
      if (local.isBefore(s) || !matches(rule, r, local)) {
        continue;
      }
      if (r.endDate() != null && local.toLocalDate().isAfter(r.endDate())) {
        break;
      }
      if (local.isAfter(until)) {
        break;
      }
      out.add(local);
      matched++;
    }
    return out;
  }

  /**
   * RFC 5545 always counts DTSTART as the first instance; Exchange counts only dates its pattern
   * matches. The start is the one instance an iterator may give that the rule itself would not.
   */
  private static boolean matches(RecurrenceRule rule, SimEvent.SimRecurrence r, LocalDateTime at) {
    return switch (r.type()) {
      case "weekly" -> r.daysOfWeek().contains(at.getDayOfWeek());
      case "absoluteMonthly" -> at.getDayOfMonth() == dayIn(r, at);
      case "absoluteYearly" ->
          at.getDayOfMonth() == dayIn(r, at) && at.getMonthValue() == r.month();
      case "relativeMonthly", "relativeYearly" ->
          r.daysOfWeek().contains(at.getDayOfWeek())
              && (r.type().equals("relativeMonthly") || at.getMonthValue() == r.month());
      default -> true;
    };
  }

  /** The pattern's day in that month: the month's last day when it has fewer. */
  private static int dayIn(SimEvent.SimRecurrence r, LocalDateTime at) {
    return Math.min(r.dayOfMonth(), at.toLocalDate().lengthOfMonth());
  }

  /** The length of each occurrence, in local time as it was set. */
  static Duration length(SimEvent series) {
    return Duration.between(series.start, series.end);
  }

  /** Days an all-day event spans. */
  static long days(SimEvent series) {
    return ChronoUnit.DAYS.between(series.start.toLocalDate(), series.end.toLocalDate());
  }

  /**
   * One occurrence as it stands: original start, actual start and end, and its override if
   * modified. {@code startAt} and {@code endAt} are the instants: an unmodified occurrence of a
   * timed series ends its series' duration after it starts, also on the days the clocks change
   * (02:30 in a spring-forward gap starts at 03:30 and still lasts its 30 minutes).
   */
  record Occurrence(
      LocalDateTime originalStart,
      LocalDateTime start,
      LocalDateTime end,
      SimEvent.SimOverride override,
      Instant startAt,
      Instant endAt) {}

  /**
   * When an unmodified occurrence starting at {@code originalStart} ends: its series' duration
   * after its start (all-day ones: the same number of days).
   */
  static Instant endAt(SimEvent series, LocalDateTime originalStart) {
    if (series.allDay) {
      return series.instant(originalStart.plus(length(series)));
    }
    Duration absolute = Duration.between(series.instant(series.start), series.instant(series.end));
    return series.instant(originalStart).plus(absolute);
  }

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
        out.add(
            new Occurrence(
                original, o.start, o.end, o, series.instant(o.start), series.instant(o.end)));
      } else {
        out.add(
            new Occurrence(
                original,
                original,
                original.plus(length),
                null,
                series.instant(original),
                endAt(series, original)));
      }
    }
    return out;
  }
}
