package org.exbridge.exchange.tz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows time zone ids (what Exchange reports) to IANA zones, from the CLDR windowsZones table
 * kept in {@code windows-zones.tsv}; and the legacy Exchange 2007 zone strings, by their offset.
 */
public final class WindowsZones {
  /** UTC as a named zone, so it reads "UTC" rather than "Z" wherever a zone is shown. */
  public static final ZoneId UTC = ZoneId.of("UTC");

  private static final List<String[]> ROWS = rows();
  private static final Map<String, ZoneId> BY_WINDOWS_ID = byWindowsId();
  private static final Map<String, String> WINDOWS_BY_ZONE = byZone();
  private static final Pattern LEGACY_OFFSET =
      Pattern.compile("\\((?:UTC|GMT)\\s*([+-])(\\d{1,2}):(\\d{2})\\)");

  private WindowsZones() {}

  /** The table's rows: Windows id, IANA zone. */
  private static List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = WindowsZones.class.getResourceAsStream("windows-zones.tsv");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rows);
  }

  private static Map<String, ZoneId> byWindowsId() {
    Map<String, ZoneId> map = new HashMap<>();
    for (String[] row : ROWS) {
      map.put(row[0].toLowerCase(Locale.ROOT), ZoneId.of(row[1]));
    }
    return Map.copyOf(map);
  }

  private static Map<String, String> byZone() {
    Map<String, String> map = new HashMap<>();
    for (String[] row : ROWS) {
      map.putIfAbsent(row[1], row[0]);
    }
    map.put("UTC", "UTC");
    map.put("Etc/UTC", "UTC");
    return Map.copyOf(map);
  }

  private static final Map<String, Optional<String>> BY_RULES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The Windows id Exchange knows this zone by: CLDR's, or, for an IANA name CLDR lists under
   * another (an alias such as Asia/Chongqing), that of a listed zone with the very same rules.
   * Empty for a bare offset and for zones no Windows zone keeps time like.
   */
  public static Optional<String> windowsId(ZoneId zone) {
    String direct = WINDOWS_BY_ZONE.get(zone.getId());
    if (direct != null) {
      return Optional.of(direct);
    }
    if (zone instanceof ZoneOffset) {
      return Optional.empty();
    }
    return BY_RULES.computeIfAbsent(
        zone.getId(),
        id -> {
          java.time.zone.ZoneRules rules = zone.getRules();
          for (String[] row : ROWS) {
            if (ZoneId.of(row[1]).getRules().equals(rules)) {
              return Optional.of(row[0]);
            }
          }
          return Optional.empty();
        });
  }

  /** All mappings, Windows id (lower-case) to zone. */
  public static Map<String, ZoneId> table() {
    return BY_WINDOWS_ID;
  }

  /**
   * The zone a Windows id, an IANA id or a Graph {@code tzone://Microsoft/...} name stands for;
   * empty for custom or unknown zones, which callers replace with a safe default.
   */
  public static Optional<ZoneId> zone(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String key = name.trim();
    if (key.equalsIgnoreCase("tzone://Microsoft/Utc") || key.equalsIgnoreCase("UTC")) {
      return Optional.of(UTC);
    }
    ZoneId windows = BY_WINDOWS_ID.get(key.toLowerCase(Locale.ROOT));
    if (windows != null) {
      return Optional.of(windows);
    }
    if (key.contains("/") && !key.startsWith("tzone:")) {
      try {
        return Optional.of(ZoneId.of(key));
      } catch (DateTimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The fixed offset in an Exchange 2007 zone string such as {@code (GMT-08:00) Pacific Time (US &
   * Canada)}; such strings carry no daylight rules, so the offset is all there is.
   */
  public static Optional<ZoneId> legacy(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = LEGACY_OFFSET.matcher(text);
    if (!m.find()) {
      return text.contains("(GMT)") || text.contains("(UTC)") ? Optional.of(UTC) : Optional.empty();
    }
    int sign = m.group(1).equals("-") ? -1 : 1;
    return Optional.of(
        ZoneOffset.ofHoursMinutes(
            sign * Integer.parseInt(m.group(2)), sign * Integer.parseInt(m.group(3))));
  }
}
