package org.exbridge.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph delta queries: {@code calendarView/delta} over a window (occurrences as stubs) and {@code
 * events/delta} over a whole calendar. Each round pages by {@code $skiptoken} and ends with a
 * {@code $deltatoken} link that the next round starts from.
 */
final class GraphDelta {
  private GraphDelta() {}

  /** An entry of a delta round; its JSON is written only if its page is served. */
  private record Item(Instant sortKey, java.util.function.Supplier<ObjectNode> json) {}

  /** Expanded calendar-view delta rounds. */
  static final class Rounds {
    private final Expanded<List<Item>> expanded = new Expanded<>();
  }

  static GraphService.Reply calendarView(
      Rounds rounds,
      SimMailbox mailbox,
      SimMailbox.SimCalendar calendar,
      String link,
      Map<String, String> query,
      GraphItems.OutputZone zone,
      int pageSize) {
    Instant from;
    Instant to;
    long since;
    long upto;
    int offset = 0;
    try {
      if (query.containsKey("$skiptoken") || query.containsKey("$deltatoken")) {
        boolean skip = query.containsKey("$skiptoken");
        String[] t =
            GraphService.untoken(query.get(skip ? "$skiptoken" : "$deltatoken")).split("\\|");
        if (!t[0].equals("cv") || Long.parseLong(t[1]) != calendar.number) {
          return gone();
        }
        from = Instant.ofEpochSecond(Long.parseLong(t[2]));
        to = Instant.ofEpochSecond(Long.parseLong(t[3]));
        since = Long.parseLong(t[4]);
        upto = skip ? Long.parseLong(t[5]) : mailbox.version();
        offset = skip ? Integer.parseInt(t[6]) : 0;
      } else {
        from = parseTime(query.get("startDateTime"));
        to = parseTime(query.get("endDateTime"));
        since = -1;
        upto = mailbox.version();
      }
    } catch (RuntimeException e) {
      if (!query.containsKey("$skiptoken") && !query.containsKey("$deltatoken")) {
        return GraphService.error(
            400,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
      }
      return gone();
    }
    if (since > mailbox.version()) {
      return gone();
    }
    long sinceVersion = since;
    Instant start = from;
    Instant end = to;
    List<Item> items =
        rounds.expanded.get(
            String.join(
                " ",
                mailbox.address,
                Long.toString(calendar.number),
                from.toString(),
                to.toString(),
                Long.toString(since),
                zone.toString(),
                Long.toString(mailbox.version())),
            () -> expand(mailbox, calendar, start, end, sinceVersion, zone));
    String prefix =
        "cv|" + calendar.number + "|" + from.getEpochSecond() + "|" + to.getEpochSecond() + "|";
    return page(items, link, offset, pageSize, prefix + since + "|" + upto + "|", prefix + upto);
  }

  /** A calendar-view round's entries, in the order Graph pages them. */
  private static List<Item> expand(
      SimMailbox mailbox,
      SimMailbox.SimCalendar calendar,
      Instant from,
      Instant to,
      long since,
      GraphItems.OutputZone zone) {
    List<Item> items = new ArrayList<>();
    for (SimEvent e : calendar.events.values()) {
      if (since >= 0 && e.version <= since) {
        continue;
      }
      if (!e.recurring()) {
        if (overlaps(e, e.start, e.end, from, to)) {
          items.add(new Item(e.instant(e.start), () -> GraphItems.full(mailbox, e, null, zone)));
        } else if (since >= 0) {
          items.add(
              new Item(
                  Instant.MIN, () -> removed(Ids.graph(Ids.Kind.ITEM, mailbox.address, e.number))));
        }
        continue;
      }
      LocalDateTime until = LocalDateTime.ofInstant(to, e.zone).plusDays(1);
      for (Occurrences.Occurrence o : Occurrences.live(e, until)) {
        if (o.startAt().isBefore(to) && o.endAt().isAfter(from)) {
          items.add(
              new Item(
                  e.instant(o.start()),
                  () ->
                      o.override() == null
                          ? GraphItems.stub(mailbox, e, o, zone)
                          : GraphItems.full(mailbox, e, o, zone)));
        }
      }
      if (since >= 0) {
        for (LocalDateTime d : e.deleted) {
          Instant at = e.instant(d);
          if (at.isBefore(to) && at.plus(Occurrences.length(e)).isAfter(from)) {
            items.add(
                new Item(
                    Instant.MIN,
                    () -> removed(Ids.graphOccurrence(mailbox.address, e.number, d.toString()))));
          }
        }
      }
    }
    if (since >= 0) {
      for (SimMailbox.SimCalendar.Tombstone t : calendar.tombstones) {
        if (t.deletedVersion() > since) {
          items.add(
              new Item(
                  Instant.MIN,
                  () -> removed(Ids.graph(Ids.Kind.ITEM, mailbox.address, t.number()))));
        }
      }
    }
    items.sort(Comparator.comparing(Item::sortKey));
    return items;
  }

  static GraphService.Reply events(
      SimMailbox mailbox,
      SimMailbox.SimCalendar calendar,
      String link,
      Map<String, String> query,
      GraphItems.OutputZone zone,
      int pageSize) {
    long since = -1;
    long upto = mailbox.version();
    int offset = 0;
    try {
      if (query.containsKey("$skiptoken") || query.containsKey("$deltatoken")) {
        boolean skip = query.containsKey("$skiptoken");
        String[] t =
            GraphService.untoken(query.get(skip ? "$skiptoken" : "$deltatoken")).split("\\|");
        if (!t[0].equals("ev") || Long.parseLong(t[1]) != calendar.number) {
          return gone();
        }
        since = Long.parseLong(t[2]);
        upto = skip ? Long.parseLong(t[3]) : mailbox.version();
        offset = skip ? Integer.parseInt(t[4]) : 0;
      }
    } catch (RuntimeException e) {
      return gone();
    }
    if (since > mailbox.version()) {
      return gone();
    }
    List<Item> items = new ArrayList<>();
    for (SimEvent e : calendar.events.values()) {
      if (e.version > since) {
        items.add(
            new Item(
                Instant.ofEpochSecond(e.version), () -> GraphItems.full(mailbox, e, null, zone)));
      }
    }
    if (since >= 0) {
      for (SimMailbox.SimCalendar.Tombstone t : calendar.tombstones) {
        if (t.deletedVersion() > since && t.createdVersion() <= since) {
          items.add(
              new Item(
                  Instant.ofEpochSecond(t.deletedVersion()),
                  () -> removed(Ids.graph(Ids.Kind.ITEM, mailbox.address, t.number()))));
        }
      }
    }
    items.sort(Comparator.comparing(Item::sortKey));
    String prefix = "ev|" + calendar.number + "|";
    return page(items, link, offset, pageSize, prefix + since + "|" + upto + "|", prefix + upto);
  }

  private static GraphService.Reply page(
      List<Item> items, String link, int offset, int size, String skipPrefix, String delta) {
    ObjectNode body = SimJson.JSON.createObjectNode();
    body.put(
        "@odata.context",
        link.substring(0, link.indexOf("/v1.0/") + 6) + "$metadata#Collection(event)");
    ArrayNode value = body.putArray("value");
    items.stream().skip(offset).limit(size).forEach(i -> value.add(i.json().get()));
    if (offset + size < items.size()) {
      body.put(
          "@odata.nextLink",
          link + "?$skiptoken=" + GraphService.token(skipPrefix + (offset + size)));
    } else {
      body.put("@odata.deltaLink", link + "?$deltatoken=" + GraphService.token(delta));
    }
    return GraphService.ok(body);
  }

  private static boolean overlaps(
      SimEvent e, LocalDateTime start, LocalDateTime end, Instant from, Instant to) {
    return e.instant(start).isBefore(to) && e.instant(end).isAfter(from);
  }

  private static ObjectNode removed(String id) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("@odata.type", "#microsoft.graph.event");
    n.put("id", id);
    n.putObject("@removed").put("reason", "deleted");
    return n;
  }

  private static GraphService.Reply gone() {
    return GraphService.error(
        410,
        "SyncStateNotFound",
        "The sync state generation is not found. Please do a full resync.");
  }

  /** Graph accepts times with or without an offset; without one they are UTC. */
  static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }

  static String queryString(Map<String, String> query) {
    return query.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("%24", "$")
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
