package org.exbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OccurrencesTest {
  private static SimEvent series(String start, SimEvent.SimRecurrence r) {
    SimEvent e = new SimEvent(1);
    e.zone = ZoneId.of("Europe/Berlin");
    e.start = LocalDateTime.parse(start);
    e.end = e.start.plusHours(1);
    e.recurrence = r;
    return e;
  }

  @Test
  void aWeeklySeriesOnTwoDaysStopsAtItsCount() {
    SimEvent e =
        series(
            "2026-03-02T09:00",
            new SimEvent.SimRecurrence(
                "weekly", 1, Set.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), 0, null, 5));
    assertThat(Occurrences.originalStarts(e, e.start.plusYears(1)))
        .containsExactly(
            LocalDateTime.parse("2026-03-02T09:00"),
            LocalDateTime.parse("2026-03-04T09:00"),
            LocalDateTime.parse("2026-03-09T09:00"),
            LocalDateTime.parse("2026-03-11T09:00"),
            LocalDateTime.parse("2026-03-16T09:00"));
  }

  @Test
  void occurrencesKeepTheirWallClockTimeAcrossDaylightSaving() {
    SimEvent e =
        series("2026-03-27T09:00", new SimEvent.SimRecurrence("daily", 1, Set.of(), 0, null, 3));
    List<LocalDateTime> starts = Occurrences.originalStarts(e, e.start.plusDays(10));
    assertThat(starts)
        .extracting(LocalDateTime::toLocalTime)
        .containsOnly(java.time.LocalTime.of(9, 0));
    assertThat(e.instant(starts.get(2)).toString()).isEqualTo("2026-03-29T07:00:00Z");
    assertThat(e.instant(starts.get(0)).toString()).isEqualTo("2026-03-27T08:00:00Z");
  }

  @Test
  void aMonthlySeriesEndsOnItsEndDate() {
    SimEvent e =
        series(
            "2026-01-15T10:00",
            new SimEvent.SimRecurrence(
                "absoluteMonthly", 1, Set.of(), 15, LocalDate.parse("2026-04-15"), null));
    assertThat(Occurrences.originalStarts(e, e.start.plusYears(2))).hasSize(4);
  }

  @Test
  void deletedOccurrencesAreNotLiveAndExceptionsReplaceTheirOriginal() {
    SimEvent e =
        series("2026-03-02T09:00", new SimEvent.SimRecurrence("daily", 1, Set.of(), 0, null, 3));
    e.deleted.add(LocalDateTime.parse("2026-03-03T09:00"));
    SimEvent.SimOverride moved = new SimEvent.SimOverride();
    moved.start = LocalDateTime.parse("2026-03-04T15:00");
    moved.end = moved.start.plusHours(1);
    e.exceptions.put(LocalDateTime.parse("2026-03-04T09:00"), moved);
    List<Occurrences.Occurrence> live = Occurrences.live(e, e.start.plusDays(10));
    assertThat(live)
        .extracting(Occurrences.Occurrence::start)
        .containsExactly(
            LocalDateTime.parse("2026-03-02T09:00"), LocalDateTime.parse("2026-03-04T15:00"));
  }
}
