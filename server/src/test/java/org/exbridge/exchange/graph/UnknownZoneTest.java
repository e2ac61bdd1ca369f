package org.exbridge.exchange.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.exbridge.exchange.SourceEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class UnknownZoneTest {
  @Test
  void anUnknownZoneIsShownInUtcWithAWarningThatKeepsItsName() {
    SourceEvent e =
        GraphEventReader.read(
            JsonMapper.builder()
                .build()
                .readTree(
                    """
                    {"id":"AAMk1","type":"singleInstance","subject":"Launch",
                     "originalStartTimeZone":"Mars Standard Time",
                     "start":{"dateTime":"2026-12-01T09:00:00.0000000","timeZone":"UTC"},
                     "end":{"dateTime":"2026-12-01T10:00:00.0000000","timeZone":"UTC"}}
                    """));
    assertThat(e.start().zone().getId()).isEqualTo("UTC");
    assertThat(e.warnings())
        .singleElement()
        .asString()
        .contains("'Mars Standard Time'")
        .contains("shown in UTC");
  }

  @Test
  void aKnownZoneGivesNoWarning() {
    SourceEvent e =
        GraphEventReader.read(
            JsonMapper.builder()
                .build()
                .readTree(
                    """
                    {"id":"AAMk2","type":"singleInstance","subject":"Standup",
                     "originalStartTimeZone":"W. Europe Standard Time",
                     "start":{"dateTime":"2026-12-01T09:00:00.0000000","timeZone":"UTC"},
                     "end":{"dateTime":"2026-12-01T10:00:00.0000000","timeZone":"UTC"}}
                    """));
    assertThat(e.warnings()).isEmpty();
    assertThat(e.start().zone().getId()).isEqualTo("Europe/Berlin");
  }
}
