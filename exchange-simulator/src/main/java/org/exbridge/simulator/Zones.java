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
