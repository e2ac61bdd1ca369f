package org.exbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every pattern type Graph knows, expanded as Exchange shows it, and its durations across DST. */
class RecurrencePatternsTest {
  private static SimEvent series(String zone, String start, int minutes, SimEvent.SimRecurrence r) {
    SimEvent e = new SimEvent(1);
    e.zone = ZoneId.of(zone);
    e.start = LocalDateTime.parse(start);
    e.end = e.start.plusMinutes(minutes);
    e.recurrence = r;
    return e;
  }

  private static SimEvent.SimRecurrence parse(String json) {
    return SimJson.recurrence(JsonMapper.builder().build().readTree(json));
  }

  private static List<String> starts(SimEvent e) {
    return Occurrences.originalStarts(e, e.start.plusYears(5)).stream()
        .map(LocalDateTime::toString)
        .toList();
  }

  @Test
  void theLastFridayOfEveryMonth() {
    SimEvent e =
        series(
            "Europe/Berlin",
            "2026-01-30T16:00",
            60,
            parse(
                "{\"type\":\"relativeMonthly\",\"days_of_week\":[\"friday\"],\"index\":\"last\",\"count\":4}"));
    assertThat(starts(e))
        .containsExactly(
            "2026-01-30T16:00", "2026-02-27T16:00", "2026-03-27T16:00", "2026-04-24T16:00");
  }

  @Test
  void theFirstMondayOfSeptemberEveryYear() {
    SimEvent e =
        series(
            "America/New_York",
            "2026-09-07T09:00",
            30,
            parse(
                "{\"type\":\"relativeYearly\",\"month\":9,\"days_of_week\":[\"monday\"],\"index\":\"first\",\"count\":3}"));
    assertThat(starts(e))
        .containsExactly("2026-09-07T09:00", "2027-09-06T09:00", "2028-09-04T09:00");
  }

  @Test
  void aBirthdayEveryYear() {
    SimEvent e =
        series(
            "Asia/Kathmandu",
            "2026-05-17T00:00",
            60,
            parse(
                "{\"type\":\"absoluteYearly\",\"month\":5,\"day_of_month\":17,\"end_date\":\"2028-12-31\"}"));
    assertThat(starts(e))
        .containsExactly("2026-05-17T00:00", "2027-05-17T00:00", "2028-05-17T00:00");
  }

  @Test
  void theSecondWeekdayOfEveryOtherMonth() {
    SimEvent e =
        series(
            "UTC",
            "2026-01-02T08:00",
            15,
            parse(
                "{\"type\":\"relativeMonthly\",\"interval\":2,\"days_of_week\":[\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\"],\"index\":\"second\",\"count\":3}"));
    assertThat(starts(e))
        .containsExactly("2026-01-02T08:00", "2026-03-03T08:00", "2026-05-04T08:00");
  }

  @Test
  void aWeeklySeriesRespectsItsFirstDayOfWeekForIntervals() {
    SimEvent sunday =
        series(
            "UTC",
            "2026-03-02T09:00",
            60,
            parse(
                "{\"type\":\"weekly\",\"interval\":2,\"days_of_week\":[\"monday\",\"sunday\"],\"count\":4}"));
    SimEvent monday =
        series(
            "UTC",
            "2026-03-02T09:00",
            60,
            parse(
                "{\"type\":\"weekly\",\"interval\":2,\"days_of_week\":[\"monday\",\"sunday\"],\"first_day_of_week\":\"monday\",\"count\":4}"));
    assertThat(starts(sunday))
        .containsExactly(
            "2026-03-02T09:00", "2026-03-15T09:00", "2026-03-16T09:00", "2026-03-29T09:00");
    assertThat(starts(monday))
        .containsExactly(
            "2026-03-02T09:00", "2026-03-08T09:00", "2026-03-16T09:00", "2026-03-22T09:00");
  }

  @Test
  void anOccurrenceInTheSpringForwardGapLastsItsDuration() {
    SimEvent e =
        series(
            "America/New_York",
            "2027-03-13T02:30",
            30,
            new SimEvent.SimRecurrence("daily", 1, Set.of(), 0, null, 3));
    Occurrences.Occurrence gap = Occurrences.live(e, e.start.plusDays(5)).get(1);
    assertThat(gap.originalStart().toString()).isEqualTo("2027-03-14T02:30");
    assertThat(gap.startAt().toString()).isEqualTo("2027-03-14T07:30:00Z");
    assertThat(gap.endAt().toString()).isEqualTo("2027-03-14T08:00:00Z");
  }

  @Test
  void anOccurrenceInTheFallBackOverlapLastsItsDuration() {
    SimEvent e =
        series(
            "America/New_York",
            "2026-10-31T01:30",
            30,
            new SimEvent.SimRecurrence("daily", 1, Set.of(), 0, null, 3));
    Occurrences.Occurrence overlap = Occurrences.live(e, e.start.plusDays(5)).get(1);
    assertThat(overlap.originalStart().toString()).isEqualTo("2026-11-01T01:30");
    assertThat(Duration.between(overlap.startAt(), overlap.endAt()))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void unknownOrInconsistentInputIsRefusedNamingTheField() {
    assertThatThrownBy(() -> parse("{\"type\":\"hourly\"}"))
        .hasMessageContaining("recurrence.type");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"type\":\"relativeMonthly\",\"days_of_week\":[\"monday\"],\"index\":\"fifth\"}"))
        .hasMessageContaining("recurrence.index");
    assertThatThrownBy(() -> parse("{\"type\":\"absoluteYearly\",\"day_of_month\":3}"))
        .hasMessageContaining("recurrence.month");
    assertThatThrownBy(() -> parse("{\"type\":\"weekly\",\"days_of_week\":[\"funday\"]}"))
        .hasMessageContaining("recurrence.days_of_week");
    assertThatThrownBy(() -> parse("{\"type\":\"daily\",\"bysetpos\":2}"))
        .hasMessageContaining("recurrence.bysetpos");
    assertThatThrownBy(
            () -> parse("{\"type\":\"relativeMonthly\",\"days_of_week\":[\"monday\",\"friday\"]}"))
        .hasMessageContaining("recurrence.days_of_week");
    assertThat(
            parse(
                    "{\"type\":\"relativeYearly\",\"month\":2,\"days_of_week\":[\"saturday\",\"sunday\"],\"index\":\"last\"}")
                .daysOfWeek())
        .isEqualTo(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
  }

  /**
   * EWS DayOfMonth: "if this value is larger than the number of days in the month, the last day".
   */
  @Test
  void theThirtyFirstFallsOnTheLastDayOfShorterMonths() {
    SimEvent e =
        series(
            "Europe/Berlin",
            "2027-01-31T09:00",
            30,
            parse("{\"type\":\"absoluteMonthly\",\"day_of_month\":31,\"count\":4}"));
    assertThat(starts(e))
        .containsExactly(
            "2027-01-31T09:00", "2027-02-28T09:00", "2027-03-31T09:00", "2027-04-30T09:00");
  }

  @Test
  void aLeapDayBirthdayFallsOnTheTwentyEighthInOtherYears() {
    SimEvent e =
        series(
            "UTC",
            "2028-02-29T00:00",
            60,
            parse("{\"type\":\"absoluteYearly\",\"month\":2,\"day_of_month\":29,\"count\":3}"));
    assertThat(starts(e))
        .containsExactly("2028-02-29T00:00", "2029-02-28T00:00", "2030-02-28T00:00");
  }
}
