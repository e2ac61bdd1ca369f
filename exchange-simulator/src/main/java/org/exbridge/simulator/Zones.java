package org.exbridge.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zones the simulator's events may use: every IANA zone that CLDR's windowsZones maps a Windows
 * id to (territory 001), with that Windows id, which is what Exchange reports.
 */
final class Zones {
  static final Map<String, String> WINDOWS_BY_IANA = Collections.unmodifiableMap(load());

  private Zones() {}

  private static Map<String, String> load() {
    Map<String, String> byIana = new LinkedHashMap<>();
    byIana.put("UTC", "UTC");
    try (InputStream in = Zones.class.getResourceAsStream("windows-zones.tsv");
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\t");
        byIana.putIfAbsent(cols[1].trim(), cols[0].trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byIana;
  }

  /** The id Exchange gives a zone set by offset alone, as Outlook's custom zones are. */
  static final String CUSTOM_EWS = "Customized Time Zone";

  static final String CUSTOM_GRAPH = "tzone://Microsoft/Custom";

  static String windowsId(ZoneId zone) {
    if (zone instanceof java.time.ZoneOffset) {
      return CUSTOM_EWS;
    }
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

  /** An IANA zone with a Windows id, or a custom zone given as a fixed offset ({@code +05:45}). */
  static boolean known(String iana) {
    return WINDOWS_BY_IANA.containsKey(iana) || iana.matches("[+-]\\d{2}:\\d{2}");
  }

  /** The zone's name as Graph reports it: the Windows id, or Graph's word for a custom zone. */
  static String graphName(ZoneId zone) {
    return zone instanceof java.time.ZoneOffset ? CUSTOM_GRAPH : windowsId(zone);
  }

  /**
   * A TimeZoneDefinition as Exchange 2010 and later write it: periods (a bias each: minus the
   * offset) and, for a zone with daylight saving, a group of two yearly transitions (month, the nth
   * or last weekday, the local time before the change); a zone without has one period.
   */
  static void writeDefinition(Xml x, String element, ZoneId zone) {
    String id = windowsId(zone);
    java.time.zone.ZoneRules rules = zone.getRules();
    java.time.Instant now = java.time.Instant.now();
    java.time.ZoneOffset standard = rules.getStandardOffset(now);
    java.util.List<java.time.zone.ZoneOffsetTransitionRule> yearly = rules.getTransitionRules();
    String base = "trule:Microsoft/Registry/" + id + "/" + java.time.Year.now();
    x.open(element, "Id", id, "Name", id);
    x.open("t:Periods");
    x.empty("t:Period", "Bias", bias(standard), "Name", "Standard", "Id", base + "-Standard");
    java.time.zone.ZoneOffsetTransitionRule toDaylight = null;
    java.time.zone.ZoneOffsetTransitionRule toStandard = null;
    for (java.time.zone.ZoneOffsetTransitionRule r : yearly) {
      if (r.getOffsetAfter().getTotalSeconds() > r.getStandardOffset().getTotalSeconds()) {
        toDaylight = r;
      } else {
        toStandard = r;
      }
    }
    boolean dst = toDaylight != null && toStandard != null;
    if (dst) {
      x.empty(
          "t:Period",
          "Bias",
          bias(toDaylight.getOffsetAfter()),
          "Name",
          "Daylight",
          "Id",
          base + "-Daylight");
    }
    x.close("t:Periods");
    x.open("t:TransitionsGroups").open("t:TransitionsGroup", "Id", "0");
    if (dst) {
      transition(x, toDaylight, base + "-Daylight");
      transition(x, toStandard, base + "-Standard");
    } else {
      x.open("t:Transition");
      x.open("t:To", "Kind", "Period").raw(Xml.escape(base + "-Standard")).close("t:To");
      x.close("t:Transition");
    }
    x.close("t:TransitionsGroup").close("t:TransitionsGroups");
    x.open("t:Transitions").open("t:Transition");
    x.open("t:To", "Kind", "Group").raw("0").close("t:To");
    x.close("t:Transition").close("t:Transitions");
    x.close(element);
  }

  private static void transition(Xml x, java.time.zone.ZoneOffsetTransitionRule r, String to) {
    java.time.zone.ZoneOffsetTransition t = r.createTransition(java.time.Year.now().getValue());
    int day = t.getDateTimeBefore().getDayOfMonth();
    int length = t.getDateTimeBefore().toLocalDate().lengthOfMonth();
    int occurrence = day + 7 > length ? -1 : (day - 1) / 7 + 1;
    java.time.LocalTime local = t.getDateTimeBefore().toLocalTime();
    x.open("t:RecurringDayTransition");
    x.open("t:To", "Kind", "Period").raw(Xml.escape(to)).close("t:To");
    x.text("t:TimeOffset", java.time.Duration.ofSeconds(local.toSecondOfDay()).toString());
    x.text("t:Month", t.getDateTimeBefore().getMonthValue());
    x.text("t:DayOfWeek", EwsItems.dayName(t.getDateTimeBefore().getDayOfWeek()));
    x.text("t:Occurrence", occurrence);
    x.close("t:RecurringDayTransition");
  }

  /** xs:duration of minus the offset: Bias="-PT1H" for UTC+01:00. */
  private static String bias(java.time.ZoneOffset offset) {
    return java.time.Duration.ofSeconds(-offset.getTotalSeconds()).toString();
  }
}
