package org.exbridge.exchange.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Zones read from the definition Exchange 2010+ sends, for ids no table knows. */
class EwsZoneDefinitionTest {
  private static XmlNode parse(String xml) throws Exception {
    return XmlNode.parse(
        new ByteArrayInputStream(
            ("<t:StartTimeZone xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
                    + xml)
                .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aCustomZoneWithoutDaylightSavingIsItsFixedOffset() throws Exception {
    XmlNode tz =
        parse(
            """
            Id="Customized Time Zone" Name="Customized Time Zone">
              <t:Periods><t:Period Bias="-PT5H45M" Name="Standard" Id="trule:custom-Standard"/></t:Periods>
              <t:TransitionsGroups><t:TransitionsGroup Id="0">
                <t:Transition><t:To Kind="Period">trule:custom-Standard</t:To></t:Transition>
              </t:TransitionsGroup></t:TransitionsGroups>
              <t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions>
            </t:StartTimeZone>
            """);
    assertThat(EwsZoneDefinition.zone(tz)).contains(ZoneOffset.ofHoursMinutes(5, 45));
  }

  @Test
  void aCustomZoneWithDaylightSavingIsAZoneWithTheSameRules() throws Exception {
    XmlNode tz =
        parse(
            """
            Id="Customized Time Zone" Name="Customized Time Zone">
              <t:Periods>
                <t:Period Bias="-PT1H" Name="Standard" Id="trule:c-Standard"/>
                <t:Period Bias="-PT2H" Name="Daylight" Id="trule:c-Daylight"/>
              </t:Periods>
              <t:TransitionsGroups><t:TransitionsGroup Id="0">
                <t:RecurringDayTransition><t:To Kind="Period">trule:c-Daylight</t:To>
                  <t:TimeOffset>PT2H</t:TimeOffset><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek>
                  <t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
                <t:RecurringDayTransition><t:To Kind="Period">trule:c-Standard</t:To>
                  <t:TimeOffset>PT3H</t:TimeOffset><t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek>
                  <t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
              </t:TransitionsGroup></t:TransitionsGroups>
              <t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions>
            </t:StartTimeZone>
            """);
    ZoneId zone = EwsZoneDefinition.zone(tz).orElseThrow();
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    for (String at :
        new String[] {
          "2026-01-10T12:00:00Z",
          "2026-07-10T12:00:00Z",
          "2026-03-29T01:30:00Z",
          "2026-10-25T00:30:00Z"
        }) {
      Instant i = Instant.parse(at);
      assertThat(zone.getRules().getOffset(i)).as(at).isEqualTo(berlin.getRules().getOffset(i));
    }
  }
}
