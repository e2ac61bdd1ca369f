package org.exbridge.openapi;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.exbridge.calendar.CalendarEdits;
import org.exbridge.calendar.CalendarReads;
import org.exbridge.calendar.EventValues;
import org.exbridge.calendar.StoredCalendar;
import org.exbridge.calendar.StoredEvent;
import org.exbridge.exchange.tz.WindowsZones;
import org.exbridge.sync.SyncEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The calendar v4 writes on an Exchange calendar, as the official SDKs call them: create, patch and
 * delete events (a single, a series, or one instance). Each is stored and queued for Exchange in
 * one transaction and answered at once; the binding's job delivers it.
 */
@RestController
@RequestMapping(
    path = "/open-apis/calendar/v4/calendars/{calendarId}/events",
    produces = MediaType.APPLICATION_JSON_VALUE)
final class CalendarWriteController {
  private static final Set<String> FIELDS =
      Set.of(
          "summary",
          "description",
          "need_notification",
          "start_time",
          "end_time",
          "visibility",
          "attendee_ability",
          "free_busy_status",
          "location",
          "reminders",
          "recurrence",
          "color");
  private static final int MAX_KEY = 200;

  private final UserTokenAuthenticator authenticator;
  private final CalendarReads reads;
  private final CalendarEdits edits;
  private final ObjectProvider<SyncEngine> engine;

  CalendarWriteController(
      UserTokenAuthenticator authenticator,
      CalendarReads reads,
      CalendarEdits edits,
      ObjectProvider<SyncEngine> engine) {
    this.authenticator = authenticator;
    this.reads = reads;
    this.edits = edits;
    this.engine = engine;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  Envelope create(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @RequestParam(name = "idempotency_key", required = false) String idempotencyKey,
      @RequestParam(name = "user_id_type", required = false) String userIdType,
      @RequestBody(required = false) JsonNode body) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.CREATE_EVENT);
    StoredCalendar calendar = owned(caller, calendarId);
    JsonNode b = object(body);
    if (!b.has("start_time") || !b.has("end_time")) {
      throw OpenApiException.invalid("start_time and end_time are required");
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY)) {
      throw OpenApiException.invalid("idempotency_key must be 1 to " + MAX_KEY + " characters");
    }
    EventValues empty =
        new EventValues(
            "", "", "", false, null, null, null, null, "UTC", null, "busy", "default", null, "[]");
    EventValues values = changes(b).apply(empty);
    CalendarEdits.Created created;
    try {
      created = run(() -> edits.create(calendar, values, idempotencyKey, notify(b)));
    } catch (org.springframework.dao.DataIntegrityViolationException sameKeyAtOnce) {
      // Two calls with one idempotency key at the same moment: the other one created it.
      created = run(() -> edits.create(calendar, values, idempotencyKey, notify(b)));
    }
    if (!created.existed()) {
      nudge();
    }
    return Envelope.success(Map.of("event", shown(calendar, created.eventId())));
  }

  @PatchMapping(path = "/{eventId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Envelope patch(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestParam(name = "user_id_type", required = false) String userIdType,
      @RequestBody(required = false) JsonNode body) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.PATCH_EVENT);
    StoredCalendar calendar = owned(caller, calendarId);
    JsonNode b = object(body);
    UnaryOperator<EventValues> change = changes(b);
    String landed = run(() -> edits.patch(calendar, eventId, change, notify(b)));
    nudge();
    return Envelope.success(Map.of("event", shown(calendar, landed)));
  }

  @DeleteMapping(path = "/{eventId}")
  Envelope delete(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestParam(name = "need_notification", required = false) String needNotification) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.DELETE_EVENT);
    StoredCalendar calendar = owned(caller, calendarId);
    boolean notify = needNotification == null || !needNotification.equalsIgnoreCase("false");
    run(
        () -> {
          edits.delete(calendar, eventId, notify);
          return null;
        });
    nudge();
    return Envelope.success(Map.of());
  }

  private Map<String, Object> shown(StoredCalendar calendar, String eventId) {
    StoredEvent e =
        reads
            .event(calendar.id(), eventId)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.EVENT_NOT_FOUND));
    Map<String, Object> m = new LinkedHashMap<>(CalendarController.event(calendar, e));
    m.put("event_id", eventId);
    return m;
  }

  private void nudge() {
    SyncEngine e = engine.getIfAvailable();
    if (e != null) {
      e.nudge();
    }
  }

  static <T> T run(java.util.function.Supplier<T> edit) {
    try {
      return edit.get();
    } catch (CalendarEdits.NotFound e) {
      throw OpenApiException.of(ErrorCode.EVENT_NOT_FOUND);
    } catch (CalendarEdits.ReadOnly e) {
      throw OpenApiException.of(ErrorCode.NO_CALENDAR_ACCESS);
    } catch (CalendarEdits.Refused e) {
      throw OpenApiException.invalid(e.getMessage());
    }
  }

  private StoredCalendar owned(Caller caller, String calendarId) {
    return CalendarController.owned(reads, caller, calendarId);
  }

  private static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw OpenApiException.invalid("the body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw OpenApiException.invalid(
            name + " cannot be set on an Exchange calendar's event through this server");
      }
    }
    return body;
  }

  private static boolean notify(JsonNode b) {
    JsonNode n = b.path("need_notification");
    return n.isMissingNode() || n.isNull() || n.asBoolean(true);
  }

  /** What the body changes, checked field by field before anything is stored. */
  private static UnaryOperator<EventValues> changes(JsonNode b) {
    String summary = text(b, "summary", 4000);
    String description = text(b, "description", 65_000);
    String location = null;
    if (b.has("location")) {
      JsonNode l = b.get("location");
      if (!l.isObject()) {
        throw OpenApiException.invalid("location must be an object with a name");
      }
      location = text(l, "name", 2000);
      if (location == null) {
        location = "";
      }
    }
    String visibility = null;
    if (b.has("visibility")) {
      visibility = b.get("visibility").asString("");
      if (!Set.of("default", "public", "private").contains(visibility)) {
        throw OpenApiException.invalid("visibility must be default, public or private");
      }
      visibility = visibility.equals("private") ? "private" : "default";
    }
    if (b.has("attendee_ability")
        && !Set.of("none", "can_see_others", "can_invite_others", "can_modify_event")
            .contains(b.get("attendee_ability").asString(""))) {
      throw OpenApiException.invalid(
          "attendee_ability must be none, can_see_others, can_invite_others or can_modify_event");
    }
    if (b.has("color") && !b.get("color").canConvertToInt()) {
      throw OpenApiException.invalid("color must be a number");
    }
    String freeBusy = null;
    if (b.has("free_busy_status")) {
      freeBusy = b.get("free_busy_status").asString("");
      if (!Set.of("busy", "free").contains(freeBusy)) {
        throw OpenApiException.invalid("free_busy_status must be busy or free");
      }
    }
    boolean reminderGiven = b.has("reminders");
    Integer reminder = null;
    if (reminderGiven) {
      JsonNode r = b.get("reminders");
      if (!r.isArray() || r.size() > 1) {
        throw OpenApiException.invalid(
            "reminders: an Exchange event keeps one reminder; give at most one");
      }
      if (r.size() == 1) {
        JsonNode m = r.get(0).path("minutes");
        if (!m.canConvertToInt() || m.asInt() < 0 || m.asInt() > 20160) {
          throw OpenApiException.invalid(
              "reminders.minutes must be 0 to 20160 (minutes before the start)");
        }
        reminder = m.asInt();
      }
    }
    String recurrence = null;
    boolean recurrenceGiven = b.has("recurrence");
    if (recurrenceGiven) {
      recurrence = b.get("recurrence").isNull() ? "" : b.get("recurrence").asString("");
      if (recurrence.length() > 2000) {
        throw OpenApiException.invalid("recurrence is too long");
      }
    }
    Time start = b.has("start_time") ? time(b.get("start_time"), "start_time") : null;
    Time end = b.has("end_time") ? time(b.get("end_time"), "end_time") : null;
    if (start != null && end != null && start.allDay() != end.allDay()) {
      throw OpenApiException.invalid(
          "start_time and end_time must both be dates or both be timestamps");
    }
    final String s = summary;
    final String d = description;
    final String l = location;
    final String v = visibility;
    final String f = freeBusy;
    final Integer rem = reminder;
    final String rec = recurrence;
    return old -> {
      boolean allDay = start != null ? start.allDay() : old.allDay();
      if (start != null && end == null && start.allDay() != old.allDay()
          || end != null && start == null && end.allDay() != old.allDay()) {
        throw new CalendarEdits.Refused(
            "start_time and end_time must both be dates or both be timestamps");
      }
      String zone =
          start != null && start.zone() != null
              ? start.zone()
              : end != null && end.zone() != null ? end.zone() : old.timezone();
      return new EventValues(
          s != null ? s : old.summary(),
          d != null ? d : old.description(),
          l != null ? l : old.location(),
          allDay,
          allDay ? null : start != null ? start.ts() : old.startTs(),
          allDay ? null : end != null ? end.ts() : old.endTs(),
          allDay ? (start != null ? start.date() : old.startDate()) : null,
          allDay ? (end != null ? end.date() : old.endDate()) : null,
          zone,
          recurrenceGiven ? (rec.isBlank() ? null : rec) : old.recurrence(),
          f != null ? f : old.freeBusy(),
          v != null ? v : old.visibility(),
          reminderGiven ? rem : old.reminderMinutes(),
          old.attendees());
    };
  }

  private record Time(boolean allDay, Long ts, String date, String zone) {}

  private static Time time(JsonNode t, String field) {
    if (!t.isObject()) {
      throw OpenApiException.invalid(field + " must be an object with timestamp or date");
    }
    String zone = null;
    if (t.hasNonNull("timezone") && !t.get("timezone").asString("").isBlank()) {
      zone = t.get("timezone").asString();
      ZoneId id;
      try {
        id = ZoneId.of(zone);
      } catch (java.time.DateTimeException e) {
        throw OpenApiException.invalid(field + ".timezone is not an IANA time zone: " + zone);
      }
      // Exchange keeps an event in one of its own (Windows) zones; one it has none for would be
      // written in UTC, and the event would show and repeat in UTC in Outlook.
      if (WindowsZones.windowsId(id).isEmpty()) {
        throw OpenApiException.invalid(
            field
                + ".timezone "
                + zone
                + " has no Exchange time zone; give an IANA zone name such as Asia/Shanghai");
      }
    }
    if (t.hasNonNull("date") && !t.get("date").asString("").isBlank()) {
      String date = t.get("date").asString();
      try {
        if (!date.matches("\\d{4}-\\d{2}-\\d{2}")) {
          throw new DateTimeParseException("not yyyy-mm-dd", date, 0);
        }
        LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw OpenApiException.invalid(field + ".date must be yyyy-mm-dd");
      }
      return new Time(true, null, date, zone);
    }
    if (t.hasNonNull("timestamp")) {
      try {
        long ts = Long.parseLong(t.get("timestamp").asString("").trim());
        if (ts < 0 || ts > 253402300799L) {
          throw new NumberFormatException();
        }
        return new Time(false, ts, null, zone);
      } catch (NumberFormatException e) {
        throw OpenApiException.invalid(field + ".timestamp must be unix seconds");
      }
    }
    throw OpenApiException.invalid(field + " needs a timestamp or a date");
  }

  private static String text(JsonNode b, String field, int max) {
    if (!b.has(field) || b.get(field).isNull()) {
      return null;
    }
    if (!b.get(field).isString()) {
      throw OpenApiException.invalid(field + " must be text");
    }
    String value = b.get(field).asString();
    if (value.length() > max) {
      throw OpenApiException.invalid(field + " is longer than " + max + " characters");
    }
    return value;
  }
}
