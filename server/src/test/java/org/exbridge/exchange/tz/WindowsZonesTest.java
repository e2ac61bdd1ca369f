package org.exbridge.exchange.tz;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.util.TimeZone;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsZonesTest {
  @Test
  void everyMappingAgreesWithIcu() {
    assertThat(WindowsZones.table()).hasSizeGreaterThan(130);
    for (Map.Entry<String, ZoneId> e : WindowsZones.table().entrySet()) {
      String windows = TimeZone.getWindowsID(e.getValue().getId());
      String icu = windows == null ? null : TimeZone.getIDForWindowsID(windows, "001");
      assertThat(icu).as(e.getKey()).isNotNull();
      assertThat(TimeZone.getCanonicalID(icu))
          .as(e.getKey())
          .isEqualTo(
              TimeZone.getCanonicalID(TimeZone.getIDForWindowsID(windowsName(e.getKey()), "001")));
    }
  }

  private static String windowsName(String lowerCase) {
    for (String id : TimeZone.getAvailableIDs()) {
      String w = TimeZone.getWindowsID(id);
      if (w != null && w.equalsIgnoreCase(lowerCase)) {
        return w;
      }
    }
    return lowerCase;
  }

  @Test
  void commonWindowsNamesMapToTheirIanaZones() {
    assertThat(WindowsZones.zone("Pacific Standard Time"))
        .contains(ZoneId.of("America/Los_Angeles"));
    assertThat(WindowsZones.zone("W. Europe Standard Time")).contains(ZoneId.of("Europe/Berlin"));
    assertThat(WindowsZones.zone("China Standard Time")).contains(ZoneId.of("Asia/Shanghai"));
    assertThat(WindowsZones.zone("India Standard Time")).contains(ZoneId.of("Asia/Kolkata"));
  }

  @Test
  void customAndUnknownZonesAreEmptySoCallersFallBack() {
    assertThat(WindowsZones.zone("tzone://Microsoft/Custom")).isEmpty();
    assertThat(WindowsZones.zone("Customized Time Zone")).isEmpty();
    assertThat(WindowsZones.zone(null)).isEmpty();
    assertThat(WindowsZones.zone("tzone://Microsoft/Utc")).contains(WindowsZones.UTC);
  }

  @Test
  void legacyDisplayStringsGiveTheirOffset() {
    assertThat(WindowsZones.legacy("(GMT-08:00) Pacific Time (US & Canada); Tijuana"))
        .contains(ZoneOffset.ofHours(-8));
    assertThat(WindowsZones.legacy("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"))
        .contains(ZoneOffset.ofHoursMinutes(5, 30));
  }
}
