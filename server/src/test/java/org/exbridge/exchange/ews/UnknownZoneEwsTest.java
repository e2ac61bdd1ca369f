package org.exbridge.exchange.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.exbridge.exchange.SourceEvent;
import org.junit.jupiter.api.Test;

class UnknownZoneEwsTest {
  private static SourceEvent read(String zoneId) throws Exception {
    String xml =
        """
        <t:CalendarItem xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
          <t:ItemId Id="AAMk1" ChangeKey="DwAAAB"/>
          <t:Subject>Launch</t:Subject>
          <t:Start>2026-12-01T09:00:00Z</t:Start>
          <t:End>2026-12-01T10:00:00Z</t:End>
          <t:CalendarItemType>Single</t:CalendarItemType>
          <t:StartTimeZone Id="%s"/>
        </t:CalendarItem>
        """
            .formatted(zoneId);
    return EwsItemReader.read(
        XmlNode.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void anUnknownZoneIsShownInUtcWithAWarningThatKeepsItsName() throws Exception {
    SourceEvent e = read("Mars Standard Time");
    assertThat(e.start().zone().getId()).isEqualTo("UTC");
    assertThat(e.warnings()).singleElement().asString().contains("'Mars Standard Time'");
  }

  @Test
  void aKnownZoneGivesNoWarning() throws Exception {
    SourceEvent e = read("Tokyo Standard Time");
    assertThat(e.warnings()).isEmpty();
    assertThat(e.start().zone().getId()).isEqualTo("Asia/Tokyo");
  }
}
