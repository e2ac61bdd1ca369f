package org.exbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An RRULE written through the calendar API becomes the pattern Exchange holds, or is refused. */
class RecurrencePatternParseTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final LocalDate MONDAY = LocalDate.of(2027, 3, 22);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FREQ=DAILY;INTERVAL=2;COUNT=10|FREQ=DAILY;INTERVAL=2;COUNT=10",
        "RRULE:FREQ=WEEKLY;BYDAY=WE,MO|FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;WKST=SU",
        "FREQ=WEEKLY|FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=SU",
        "FREQ=MONTHLY;BYMONTHDAY=31|FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1|FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1",
        "FREQ=MONTHLY;BYDAY=-1FR|FREQ=MONTHLY;INTERVAL=1;BYDAY=FR;BYSETPOS=-1",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=2|FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=2",
        "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=17|FREQ=YEARLY;INTERVAL=1;BYMONTH=5;BYMONTHDAY=17",
        "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH|FREQ=YEARLY;INTERVAL=1;BYMONTH=11;BYDAY=TH;BYSETPOS=4",
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270601T215959Z|FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=SU;UNTIL=20270601T215959Z"
      })
  void aRuleExchangeCanHoldIsWrittenAsExchangeGivesItBack(String rule, String published) {
    assertThat(RecurrencePattern.parse(rule, MONDAY, BERLIN, false).rrule(false, BERLIN))
        .isEqualTo(published);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FREQ=HOURLY|HOURLY",
        "FREQ=DAILY;BYHOUR=9|BYHOUR",
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2|not MO,TU",
        "FREQ=YEARLY;INTERVAL=2|no interval",
        "FREQ=MONTHLY;BYDAY=5MO|not 5",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270601|COUNT and UNTIL",
        "FREQ=MONTHLY;BYMONTHDAY=1,15|one day of the month",
        "INTERVAL=2|FREQ is required"
      })
  void whatExchangeCannotHoldIsRefusedNamingThePart(String rule, String says) {
    assertThatThrownBy(() -> RecurrencePattern.parse(rule, MONDAY, BERLIN, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("recurrence: ")
        .hasMessageContaining(says);
  }
}
