package org.exbridge.exchange.ews;

import static org.exbridge.exchange.ews.XmlNode.T;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.exbridge.exchange.tz.WindowsZones;

/**
 * A zone from an EWS TimeZoneDefinition (Exchange 2010 and later), for ids no table knows, such as
 * Outlook's "Customized Time Zone": a definition without daylight saving is its fixed offset; one
 * with daylight saving is the IANA zone whose rules this year change on the same days, at the same
 * local times, to the same offsets.
 */
final class EwsZoneDefinition {
  private EwsZoneDefinition() {}

  private record Transition(String to, Duration at, int month, DayOfWeek day, int occurrence) {}

  static Optional<ZoneId> zone(XmlNode definition) {
    XmlNode periods = definition.child(T, "Periods");
    if (periods == null) {
      return Optional.empty();
    }
    Map<String, ZoneOffset> offsets = new HashMap<>();
    ZoneOffset standard = null;
    for (XmlNode p : periods.all(T, "Period")) {
      ZoneOffset offset =
          ZoneOffset.ofTotalSeconds((int) -Duration.parse(p.attr("Bias")).getSeconds());
      offsets.put(p.attr("Id"), offset);
      if ("Standard".equalsIgnoreCase(p.attr("Name")) || standard == null) {
        standard = offset;
      }
    }
    List<Transition> yearly = new ArrayList<>();
    XmlNode groups = definition.child(T, "TransitionsGroups");
    if (groups != null) {
      for (XmlNode group : groups.all(T, "TransitionsGroup")) {
        for (XmlNode t : group.all(T, "RecurringDayTransition")) {
          yearly.add(
              new Transition(
                  t.childText(T, "To"),
                  Duration.parse(t.childText(T, "TimeOffset")),
                  Integer.parseInt(t.childText(T, "Month")),
                  DayOfWeek.valueOf(t.childText(T, "DayOfWeek").toUpperCase(Locale.ROOT)),
                  Integer.parseInt(t.childText(T, "Occurrence"))));
        }
      }
    }
    if (standard == null) {
      return Optional.empty();
    }
    if (offsets.size() < 2 || yearly.size() < 2) {
      return Optional.of(standard);
    }
    ZoneOffset standardOffset = standard;
    String signature = standard + " " + offsets + " " + yearly;
    return MATCHED.computeIfAbsent(signature, k -> matching(standardOffset, offsets, yearly));
  }

  /** Matching scans every zone: done once per distinct definition. */
  private static final Map<String, Optional<ZoneId>> MATCHED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The known zone whose transitions this year fall where the definition puts them. */
  private static Optional<ZoneId> matching(
      ZoneOffset standard, Map<String, ZoneOffset> offsets, List<Transition> yearly) {
    int year = Year.now().getValue();
    Set<ZoneId> candidates = new LinkedHashSet<>(WindowsZones.table().values());
    for (String id : ZoneId.getAvailableZoneIds()) {
      candidates.add(ZoneId.of(id));
    }
    for (ZoneId zone : candidates) {
      ZoneRules rules = zone.getRules();
      if (!rules
              .getStandardOffset(LocalDate.of(year, 1, 15).atStartOfDay(zone).toInstant())
              .equals(standard)
          && !rules
              .getStandardOffset(LocalDate.of(year, 7, 15).atStartOfDay(zone).toInstant())
              .equals(standard)) {
        continue;
      }
      boolean all = true;
      for (Transition t : yearly) {
        LocalDate date = day(year, t);
        LocalDateTime before = date.atTime(LocalTime.MIDNIGHT.plus(t.at()));
        // The zone's first change from the start of that day anywhere on Earth.
        ZoneOffsetTransition found =
            rules.nextTransition(date.atStartOfDay().toInstant(ZoneOffset.MAX));
        ZoneOffset to = offsets.get(t.to());
        if (found == null
            || to == null
            || !found.getDateTimeBefore().equals(before)
            || !found.getOffsetAfter().equals(to)) {
          all = false;
          break;
        }
      }
      if (all) {
        return Optional.of(zone);
      }
    }
    return Optional.empty();
  }

  private static LocalDate day(int year, Transition t) {
    LocalDate month = LocalDate.of(year, t.month(), 1);
    return t.occurrence() < 0
        ? month.with(TemporalAdjusters.lastInMonth(t.day()))
        : month.with(TemporalAdjusters.dayOfWeekInMonth(t.occurrence(), t.day()));
  }
}
