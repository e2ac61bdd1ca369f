package org.exbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * The server's own expansion of the RRULEs it publishes ({@link RecurrenceExpansion}, used by
 * instance_view and to find Graph's deleted occurrences) against lib-recur, an independent RFC 5545
 * expander: every pattern type, intervals, counts, until dates and first days of the week, in zones
 * with half-hour and 45-minute offsets, half-hour DST, and none, compared occurrence by occurrence
 * as instants.
 */
class RecurrenceExpansionAgreesWithLibRecurTest {
  private static final List<String> ZONES =
      List.of(
          "Australia/Lord_Howe",
          "Pacific/Chatham",
          "Asia/Kathmandu",
          "America/St_Johns",
          "Asia/Tokyo",
          "America/New_York",
          "Europe/Berlin",
          "UTC",
          "America/Sao_Paulo",
          "Asia/Kolkata");
  private static final AtomicLong RULES = new AtomicLong();
  private static final AtomicLong OCCURRENCES = new AtomicLong();

  /** One generated series: its pattern, where it starts, and its zone. */
  private record Case(
      RecurrencePattern pattern, LocalDateTime requested, ZoneId zone, boolean allDay) {}

  private static Case generate(long seed) {
    Random r = new Random(seed);
    RecurrencePattern.Type type =
        RecurrencePattern.Type.values()[r.nextInt(RecurrencePattern.Type.values().length)];
    boolean yearly =
        type == RecurrencePattern.Type.ABSOLUTE_YEARLY
            || type == RecurrencePattern.Type.RELATIVE_YEARLY;
    int interval = yearly ? 1 : 1 + r.nextInt(r.nextBoolean() ? 2 : 6);
    List<DayOfWeek> days = new ArrayList<>();
    switch (type) {
      case WEEKLY -> {
        EnumSet<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
          set.add(DayOfWeek.of(1 + r.nextInt(7)));
        }
        days.addAll(set);
      }
      case RELATIVE_MONTHLY, RELATIVE_YEARLY -> {
        int kind = r.nextInt(6);
        days.addAll(
            kind == 0
                ? RecurrencePattern.days("weekday")
                : kind == 1
                    ? RecurrencePattern.days("weekendday")
                    : kind == 2
                        ? RecurrencePattern.days("day")
                        : List.of(DayOfWeek.of(1 + r.nextInt(7))));
      }
      default -> {}
    }
    int dayOfMonth = 1 + r.nextInt(r.nextInt(4) == 0 ? 31 : 28);
    int month = 1 + r.nextInt(12);
    if (yearly) {
      // Exchange refuses a date that no year has (30 February, 31 April).
      dayOfMonth = Math.min(dayOfMonth, java.time.Month.of(month).maxLength());
    }
    int index = new int[] {1, 2, 3, 4, -1}[r.nextInt(5)];
    int rangeKind = r.nextInt(3);
    LocalDate start = LocalDate.of(2024, 1, 1).plusDays(r.nextInt(3 * 365));
    LocalDateTime requested =
        start.atTime(
            new int[] {0, 1, 2, 3, 9, 12, 23}[r.nextInt(7)],
            new int[] {0, 15, 30, 45}[r.nextInt(4)]);
    RecurrencePattern pattern =
        new RecurrencePattern(
            type,
            interval,
            days,
            dayOfMonth,
            month,
            index,
            RecurrencePattern.Range.values()[rangeKind],
            start.plusDays(30 + r.nextInt(800)),
            1 + r.nextInt(60),
            DayOfWeek.of(1 + r.nextInt(7)));
    return new Case(
        pattern, requested, ZoneId.of(ZONES.get(r.nextInt(ZONES.size()))), r.nextInt(5) == 0);
  }

  private static DateTime libStart(LocalDateTime t, ZoneId zone, boolean allDay) {
    if (allDay) {
      return new DateTime(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth());
    }
    return new DateTime(
        TimeZone.getTimeZone(zone),
        t.getYear(),
        t.getMonthValue() - 1,
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        0);
  }

  private static LocalDateTime local(DateTime d) {
    return d.isAllDay()
        ? LocalDate.of(d.getYear(), d.getMonth() + 1, d.getDayOfMonth()).atStartOfDay()
        : LocalDateTime.of(
            d.getYear(),
            d.getMonth() + 1,
            d.getDayOfMonth(),
            d.getHours(),
            d.getMinutes(),
            d.getSeconds());
  }

  @Property(tries = 1500, seed = "20261122")
  void theServersExpansionEqualsLibRecurs(@ForAll long seed) throws Exception {
    Case c = generate(seed);
    ZoneId zone = c.zone();
    String rrule = c.pattern().rrule(c.allDay(), zone);
    String patternOnly = rrule.replaceAll(";(COUNT|UNTIL)=[^;]*", "");
    LocalDateTime first = firstMatching(c, patternOnly);
    if (first == null) {
      return;
    }
    if (c.allDay()) {
      first = first.toLocalDate().atStartOfDay();
    }
    LocalDateTime until = first.plusYears(3);

    List<Instant> ours = new ArrayList<>();
    for (LocalDateTime at : RecurrenceExpansion.starts(rrule, first, zone, until, 5000)) {
      ours.add(at.atZone(zone).toInstant());
    }
    List<Instant> theirs = new ArrayList<>();
    RecurrenceRuleIterator it =
        new RecurrenceRule(rrule).iterator(libStart(first, zone, c.allDay()));
    while (it.hasNext() && theirs.size() < 5000) {
      LocalDateTime at = local(it.nextDateTime());
      if (at.isAfter(until)) {
        break;
      }
      theirs.add(at.atZone(zone).toInstant());
    }
    RULES.incrementAndGet();
    OCCURRENCES.addAndGet(theirs.size());
    assertThat(ours).as("%s from %s in %s", rrule, first, zone).isEqualTo(theirs);
  }

  /** A start the pattern matches (RFC 5545 leaves an unsynchronised DTSTART undefined). */
  private static LocalDateTime firstMatching(Case c, String patternOnly) throws Exception {
    LocalDateTime from = c.allDay() ? c.requested().toLocalDate().atStartOfDay() : c.requested();
    RecurrenceRuleIterator it =
        new RecurrenceRule(patternOnly).iterator(libStart(from, c.zone(), c.allDay()));
    it.nextDateTime(); // the start itself, matching or not
    // The next instance is one the pattern made, so as a start it is synchronised with it.
    return it.hasNext() ? local(it.nextDateTime()) : null;
  }

  @AfterContainer
  static void report() {
    System.out.println(
        "recurrence expansion compared with lib-recur: "
            + RULES.get()
            + " rules, "
            + OCCURRENCES.get()
            + " occurrences");
  }
}
