package org.exbridge.simulator;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zones the simulator's events may use, with the Windows ids that Exchange reports for them
 * (from CLDR windowsZones, territory 001).
 */
final class Zones {
  static final Map<String, String> WINDOWS_BY_IANA = new LinkedHashMap<>();

  static {
    WINDOWS_BY_IANA.put("UTC", "UTC");
    WINDOWS_BY_IANA.put("Europe/Berlin", "W. Europe Standard Time");
    WINDOWS_BY_IANA.put("Europe/London", "GMT Standard Time");
    WINDOWS_BY_IANA.put("America/New_York", "Eastern Standard Time");
    WINDOWS_BY_IANA.put("America/Los_Angeles", "Pacific Standard Time");
    WINDOWS_BY_IANA.put("Asia/Shanghai", "China Standard Time");
    WINDOWS_BY_IANA.put("Asia/Kolkata", "India Standard Time");
    WINDOWS_BY_IANA.put("Australia/Sydney", "AUS Eastern Standard Time");
  }

  private Zones() {}

  static String windowsId(ZoneId zone) {
    String id = WINDOWS_BY_IANA.get(zone.getId());
    if (id == null) {
      throw new IllegalArgumentException("the simulator knows no Windows id for " + zone);
    }
    return id;
  }

  static ZoneId fromWindows(String windowsId) {
    for (Map.Entry<String, String> e : WINDOWS_BY_IANA.entrySet()) {
      if (e.getValue().equals(windowsId)) {
        return ZoneId.of(e.getKey());
      }
    }
    return null;
  }

  static boolean known(String iana) {
    return WINDOWS_BY_IANA.containsKey(iana);
  }
}
