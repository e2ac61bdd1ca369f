package org.exbridge.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.exbridge.exchange.RecurrenceExpansion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Expands a calendar's series into the instances within a range, in each series' own zone (so they
 * keep their wall-clock time across DST), with exceptions in place of the occurrences they replace
 * and deleted occurrences left out.
 */
public final class Instances {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_PER_SERIES = 5000;

  private Instances() {}

  /**
   * One instance: the event it comes from, its id, and its start and end (epoch seconds, or dates).
   */
  public record Instance(
      StoredEvent source,
      String eventId,
      Long startTs,
      Long endTs,
      String startDate,
      String endDate,
      boolean isException) {
    long sortKey() {
      return startTs != null ? startTs : LocalDate.parse(startDate).toEpochDay() * 86400;
    }
  }

  public static List<Instance> expand(List<StoredEvent> events, long from, long to) {
    Set<String> replaced = new HashSet<>();
    List<Instance> out = new ArrayList<>();
    for (StoredEvent e : events) {
      if (e.isException()) {
        replaced.add(
            e.masterExchangeId()
                + "#"
                + (e.originalStartTs() != null ? e.originalStartTs() : e.originalStartDate()));
        if (overlaps(e.startTs(), e.endTs(), e.startDate(), e.endDate(), from, to)) {
          out.add(
              new Instance(
                  e, e.eventId(), e.startTs(), e.endTs(), e.startDate(), e.endDate(), true));
        }
      }
    }
    for (StoredEvent e : events) {
      if (e.isException()) {
        continue;
      }
      if (e.recurrence() == null) {
        if (overlaps(e.startTs(), e.endTs(), e.startDate(), e.endDate(), from, to)) {
          out.add(
              new Instance(
                  e, e.eventId(), e.startTs(), e.endTs(), e.startDate(), e.endDate(), false));
        }
        continue;
      }
      Set<String> deleted = new HashSet<>();
      for (JsonNode d : JSON.readTree(e.deletedOccurrences())) {
        deleted.add(d.asString());
      }
      ZoneId zone = e.timezone() == null ? ZoneOffset.UTC : ZoneId.of(e.timezone());
      String base = e.eventId().substring(0, e.eventId().lastIndexOf('_'));
      if (e.allDay()) {
        LocalDate first = LocalDate.parse(e.startDate());
        long days = ChronoUnit.DAYS.between(first, LocalDate.parse(e.endDate()));
        LocalDateTime until = LocalDate.ofEpochDay(Math.floorDiv(to, 86400) + 1).atStartOfDay();
        for (LocalDateTime start :
            RecurrenceExpansion.starts(
                e.recurrence(), first.atStartOfDay(), zone, until, MAX_PER_SERIES)) {
          String key = start.toLocalDate().toString();
          if (deleted.contains(key) || replaced.contains(e.exchangeId() + "#" + key)) {
            continue;
          }
          LocalDate end = start.toLocalDate().plusDays(days);
          if (overlaps(null, null, key, end.toString(), from, to)) {
            out.add(
                new Instance(
                    e,
                    base + "_" + start.toLocalDate().toEpochDay() * 86400,
                    null,
                    null,
                    key,
                    end.toString(),
                    false));
          }
        }
        continue;
      }
      LocalDateTime first = LocalDateTime.ofInstant(Instant.ofEpochSecond(e.startTs()), zone);
      Duration length = Duration.ofSeconds(e.endTs() - e.startTs());
      LocalDateTime until = LocalDateTime.ofInstant(Instant.ofEpochSecond(to), zone);
      for (LocalDateTime start :
          RecurrenceExpansion.starts(e.recurrence(), first, zone, until, MAX_PER_SERIES)) {
        long ts = start.atZone(zone).toEpochSecond();
        String key = Long.toString(ts);
        if (deleted.contains(key) || replaced.contains(e.exchangeId() + "#" + key)) {
          continue;
        }
        long end = ts + length.getSeconds();
        if (ts < to && end > from) {
          out.add(new Instance(e, base + "_" + ts, ts, end, null, null, false));
        }
      }
    }
    out.sort(Comparator.comparingLong(Instance::sortKey));
    return out;
  }

  private static boolean overlaps(
      Long startTs, Long endTs, String startDate, String endDate, long from, long to) {
    if (startTs != null) {
      return startTs < to && endTs > from;
    }
    long s = LocalDate.parse(startDate).toEpochDay() * 86400;
    long e = endDate == null ? s + 86400 : LocalDate.parse(endDate).toEpochDay() * 86400;
    return s < to && e > from;
  }
}
