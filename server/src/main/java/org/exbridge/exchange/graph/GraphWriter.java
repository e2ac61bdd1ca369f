package org.exbridge.exchange.graph;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import org.exbridge.exchange.EventDraft;
import org.exbridge.exchange.EventDraft.Field;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeWriter;
import org.exbridge.exchange.RecurrencePattern;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.tz.WindowsZones;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Graph side of two-way: POST with exbridge's write id as {@code transactionId} (Graph then
 * never creates a second event for a retried POST), PATCH and DELETE with {@code If-Match} on the
 * change key the edit was based on (412 on a stale one), times in the event's own zone.
 */
final class GraphWriter implements ExchangeWriter {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private final GraphClient client;
  private final JsonMapper json;

  GraphWriter(GraphClient client, JsonMapper json) {
    this.client = client;
    this.json = json;
  }

  /**
   * Graph refuses to create a second event for a POST with a {@code transactionId} it has seen, so
   * a retry needs no lookup first ({@code mayExist}); it mails attendees whatever is asked.
   */
  @Override
  public ExchangeWriter.Written create(
      String mailbox,
      String calendarId,
      EventDraft draft,
      String writeId,
      boolean mayExist,
      boolean notify) {
    ObjectNode body = json.createObjectNode();
    for (Field f : Field.values()) {
      put(body, f, draft);
    }
    body.put("transactionId", writeId);
    JsonNode created =
        client.write(
            mailbox,
            "POST",
            client.userUrl(mailbox) + "/calendars/" + GraphClient.enc(calendarId) + "/events",
            body,
            null);
    return written(created);
  }

  @Override
  public ExchangeWriter.Written update(
      String mailbox,
      ExchangeWriter.ItemRef ref,
      String changeKey,
      EventDraft draft,
      Set<Field> fields,
      boolean notify) {
    ObjectNode body = json.createObjectNode();
    boolean occurrence = ref.occurrence() != null;
    for (Field f : fields) {
      if (occurrence && f == Field.TIME) {
        body.set("start", time(draft.start(), draft.zone()));
        body.set("end", time(draft.end(), draft.zone()));
      } else {
        put(body, f, draft);
      }
    }
    String id = occurrence ? occurrenceId(mailbox, ref) : ref.itemId();
    JsonNode changed =
        client.write(
            mailbox,
            "PATCH",
            client.userUrl(mailbox) + "/events/" + GraphClient.enc(id),
            body,
            occurrence || changeKey == null ? null : "W/\"" + changeKey + "\"");
    return written(changed);
  }

  @Override
  public void delete(String mailbox, ExchangeWriter.ItemRef ref, boolean notify) {
    String id = ref.occurrence() != null ? occurrenceId(mailbox, ref) : ref.itemId();
    client.write(
        mailbox, "DELETE", client.userUrl(mailbox) + "/events/" + GraphClient.enc(id), null, null);
  }

  @Override
  public void reply(
      String mailbox, ExchangeWriter.ItemRef ref, SourceEvent.Attendee.Response response) {
    String action =
        switch (response) {
          case ACCEPTED -> "accept";
          case TENTATIVE -> "tentativelyAccept";
          default -> "decline";
        };
    ObjectNode body = json.createObjectNode();
    body.put("sendResponse", true);
    client.write(
        mailbox,
        "POST",
        client.userUrl(mailbox) + "/events/" + GraphClient.enc(ref.itemId()) + "/" + action,
        body,
        null);
  }

  @Override
  public SourceEvent read(String mailbox, String itemId) {
    return client.readItem(mailbox, itemId);
  }

  /** An occurrence's own id: the exception's when known, else found among the instances. */
  private String occurrenceId(String mailbox, ExchangeWriter.ItemRef ref) {
    ExchangeWriter.Occurrence o = ref.occurrence();
    if (o.ownItemId() != null) {
      return o.ownItemId();
    }
    ZoneId zone = o.recurrence().zone();
    Instant original =
        o.originalStart().allDay()
            ? o.originalStart().date().atStartOfDay(zone).toInstant()
            : o.originalStart().instant();
    String url =
        client.userUrl(mailbox)
            + "/events/"
            + GraphClient.enc(ref.itemId())
            + "/instances?startDateTime="
            + GraphClient.enc(original.minusSeconds(1).toString())
            + "&endDateTime="
            + GraphClient.enc(original.plus(Duration.ofDays(1)).toString())
            + "&$select=id,originalStart";
    for (JsonNode instance : client.getJson(mailbox, url).path("value")) {
      String start = instance.path("originalStart").asString(null);
      if (start != null && GraphEventReader.parseInstant(start).equals(original)) {
        return instance.path("id").asString();
      }
    }
    throw new ExchangeException(
        ExchangeException.Kind.ITEM_GONE,
        "ErrorItemNotFound",
        "the series has no occurrence at " + original);
  }

  private static ExchangeWriter.Written written(JsonNode event) {
    String id = event == null ? null : event.path("id").asString(null);
    if (id == null) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE, "malformed", "Graph answered without the event's id");
    }
    return new ExchangeWriter.Written(id, event.path("changeKey").asString(null));
  }

  private void put(ObjectNode body, Field f, EventDraft d) {
    switch (f) {
      case SUMMARY -> body.put("subject", d.subject());
      case DESCRIPTION -> {
        ObjectNode b = body.putObject("body");
        b.put("contentType", "text");
        b.put("content", d.body());
      }
      case LOCATION -> body.putObject("location").put("displayName", d.location());
      case TIME -> {
        body.set("start", time(d.start(), d.zone()));
        body.set("end", time(d.end(), d.zone()));
        body.put("isAllDay", d.allDay());
        if (d.recurrence() != null) {
          body.set("recurrence", recurrence(d));
        }
      }
      case FREE_BUSY -> body.put("showAs", d.free() ? "free" : "busy");
      case VISIBILITY -> body.put("sensitivity", d.isPrivate() ? "private" : "normal");
      case REMINDER -> {
        body.put("isReminderOn", d.reminderMinutes() != null);
        if (d.reminderMinutes() != null) {
          body.put("reminderMinutesBeforeStart", d.reminderMinutes());
        }
      }
      case RECURRENCE -> {
        if (d.recurrence() == null) {
          body.putNull("recurrence");
        } else {
          body.set("recurrence", recurrence(d));
        }
      }
      case ATTENDEES -> {
        ArrayNode list = body.putArray("attendees");
        for (SourceEvent.Attendee p : d.attendees()) {
          ObjectNode a = list.addObject();
          a.put("type", p.type().name().toLowerCase(Locale.ROOT));
          ObjectNode address = a.putObject("emailAddress");
          address.put("address", p.email());
          if (p.name() != null && !p.name().isBlank()) {
            address.put("name", p.name());
          }
        }
      }
    }
  }

  private ObjectNode time(EventTime t, ZoneId zone) {
    ObjectNode n = json.createObjectNode();
    LocalDateTime local =
        t.allDay() ? t.date().atStartOfDay() : LocalDateTime.ofInstant(t.instant(), zone);
    n.put("dateTime", LOCAL.format(local));
    n.put("timeZone", zoneName(zone));
    return n;
  }

  /** The Windows name Graph knows the zone by, else the IANA name (Graph accepts both). */
  static String zoneName(ZoneId zone) {
    return WindowsZones.windowsId(zone).orElse(zone.getId());
  }

  private ObjectNode recurrence(EventDraft d) {
    RecurrencePattern r = d.recurrence();
    ObjectNode n = json.createObjectNode();
    ObjectNode p = n.putObject("pattern");
    p.put(
        "type",
        switch (r.type()) {
          case DAILY -> "daily";
          case WEEKLY -> "weekly";
          case ABSOLUTE_MONTHLY -> "absoluteMonthly";
          case RELATIVE_MONTHLY -> "relativeMonthly";
          case ABSOLUTE_YEARLY -> "absoluteYearly";
          case RELATIVE_YEARLY -> "relativeYearly";
        });
    p.put("interval", Math.max(1, r.interval()));
    if (r.month() > 0) {
      p.put("month", r.month());
    }
    if (r.dayOfMonth() > 0) {
      p.put("dayOfMonth", r.dayOfMonth());
    }
    ArrayNode days = p.putArray("daysOfWeek");
    r.daysOfWeek().stream().sorted().forEach(day -> days.add(day.name().toLowerCase(Locale.ROOT)));
    p.put("firstDayOfWeek", r.firstDayOfWeek().name().toLowerCase(Locale.ROOT));
    p.put(
        "index",
        switch (r.index()) {
          case 2 -> "second";
          case 3 -> "third";
          case 4 -> "fourth";
          case -1 -> "last";
          default -> "first";
        });
    ObjectNode range = n.putObject("range");
    java.time.LocalDate startDate =
        d.start().allDay() ? d.start().date() : d.start().instant().atZone(d.zone()).toLocalDate();
    range.put("startDate", startDate.toString());
    range.put("recurrenceTimeZone", zoneName(d.zone()));
    switch (r.range()) {
      case NUMBERED -> {
        range.put("type", "numbered");
        range.put("numberOfOccurrences", r.count());
      }
      case END_DATE -> {
        range.put("type", "endDate");
        range.put("endDate", r.endDate().toString());
      }
      case NO_END -> range.put("type", "noEnd");
    }
    return n;
  }
}
