package org.exbridge.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.exbridge.binding.EmailAddress;
import org.exbridge.calendar.CalendarEdits;
import org.exbridge.calendar.CalendarReads;
import org.exbridge.calendar.StoredCalendar;
import org.exbridge.calendar.StoredEvent;
import org.exbridge.sync.SyncEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attendees of an Exchange calendar's events, and replies to invitations: e-mail (third-party)
 * attendees added to or removed from a meeting the calendar's owner organises, and the owner's
 * answer to a meeting someone else organises. Each goes to Exchange as the other writes do.
 */
@RestController
@RequestMapping(
    path = "/open-apis/calendar/v4/calendars/{calendarId}/events/{eventId}",
    produces = MediaType.APPLICATION_JSON_VALUE)
final class CalendarAttendeesController {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_AT_ONCE = 1000;
  private static final Set<String> ADD_FIELDS =
      Set.of(
          "attendees",
          "need_notification",
          "instance_start_time_admin",
          "is_enable_admin",
          "add_operator_to_attendee");
  private static final Set<String> DELETE_FIELDS =
      Set.of(
          "attendee_ids",
          "delete_ids",
          "need_notification",
          "instance_start_time_admin",
          "is_enable_admin");
  private static final Map<String, String> RSVP =
      Map.of("accept", "ACCEPTED", "tentative", "TENTATIVE", "decline", "DECLINED");

  private final UserTokenAuthenticator authenticator;
  private final CalendarReads reads;
  private final CalendarEdits edits;
  private final ObjectProvider<SyncEngine> engine;

  CalendarAttendeesController(
      UserTokenAuthenticator authenticator,
      CalendarReads reads,
      CalendarEdits edits,
      ObjectProvider<SyncEngine> engine) {
    this.authenticator = authenticator;
    this.reads = reads;
    this.edits = edits;
    this.engine = engine;
  }

  @PostMapping(path = "/attendees", consumes = MediaType.APPLICATION_JSON_VALUE)
  Envelope add(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestBody(required = false) JsonNode body) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.CREATE_ATTENDEES);
    StoredCalendar calendar = CalendarController.owned(reads, caller, calendarId);
    JsonNode b = object(body, ADD_FIELDS);
    JsonNode list = b.path("attendees");
    if (!list.isArray() || list.isEmpty() || list.size() > MAX_AT_ONCE) {
      throw OpenApiException.invalid("attendees must list 1 to " + MAX_AT_ONCE + " attendees");
    }
    List<String[]> added = new ArrayList<>();
    for (JsonNode a : list) {
      String type = a.path("type").asString("third_party");
      if (!type.equals("third_party")) {
        throw OpenApiException.invalid(
            "attendees.type must be third_party on an Exchange calendar (e-mail attendees); "
                + type
                + " attendees are Feishu's own");
      }
      String email = a.path("third_party_email").asString("");
      if (!EmailAddress.isValid(email)) {
        throw OpenApiException.invalid("attendees.third_party_email is not an e-mail address");
      }
      added.add(
          new String[] {
            EmailAddress.normalise(email),
            a.path("is_optional").asBoolean(false) ? "OPTIONAL" : "REQUIRED"
          });
    }
    String landed =
        edit(
            () ->
                edits.patch(
                    calendar,
                    eventId,
                    old -> old.withAttendees(with(old.attendees(), added)),
                    notify(b)));
    StoredEvent e =
        reads
            .event(calendar.id(), landed)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.EVENT_NOT_FOUND));
    return Envelope.success(Map.of("attendees", CalendarController.attendees(e)));
  }

  @PostMapping(path = "/attendees/batch_delete", consumes = MediaType.APPLICATION_JSON_VALUE)
  Envelope remove(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestBody(required = false) JsonNode body) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.DELETE_ATTENDEES);
    StoredCalendar calendar = CalendarController.owned(reads, caller, calendarId);
    JsonNode b = object(body, DELETE_FIELDS);
    List<String> ids = new ArrayList<>();
    for (JsonNode id : b.path("attendee_ids")) {
      ids.add(id.asString(""));
    }
    for (JsonNode d : b.path("delete_ids")) {
      if (!d.path("type").asString("third_party").equals("third_party")) {
        throw OpenApiException.invalid(
            "delete_ids.type must be third_party on an Exchange calendar");
      }
      ids.add(
          CalendarController.attendeeId(
              EmailAddress.normalise(d.path("third_party_email").asString(""))));
    }
    if (ids.isEmpty() || ids.size() > MAX_AT_ONCE) {
      throw OpenApiException.invalid(
          "attendee_ids and delete_ids must name 1 to " + MAX_AT_ONCE + " attendees");
    }
    edit(
        () ->
            edits.patch(
                calendar,
                eventId,
                old -> old.withAttendees(without(old.attendees(), ids)),
                notify(b)));
    return Envelope.success(Map.of());
  }

  @PostMapping(path = "/reply", consumes = MediaType.APPLICATION_JSON_VALUE)
  Envelope reply(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestBody(required = false) JsonNode body) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.REPLY_EVENT);
    StoredCalendar calendar = CalendarController.owned(reads, caller, calendarId);
    JsonNode b = object(body, Set.of("rsvp_status"));
    String response = RSVP.get(b.path("rsvp_status").asString(""));
    if (response == null) {
      throw OpenApiException.invalid("rsvp_status must be accept, tentative or decline");
    }
    edit(
        () -> {
          edits.reply(calendar, eventId, response);
          return null;
        });
    return Envelope.success(Map.of());
  }

  /** The attendee list with these added (an address already there takes the new kind). */
  private static String with(String json, List<String[]> added) {
    ArrayNode list = (ArrayNode) JSON.readTree(json);
    for (String[] a : added) {
      ObjectNode found = null;
      for (JsonNode x : list) {
        if (x.path("email").asString("").equalsIgnoreCase(a[0])) {
          found = (ObjectNode) x;
        }
      }
      if (found == null) {
        found = list.addObject();
        found.put("name", "");
        found.put("email", a[0]);
        found.put("response", "NONE");
      }
      found.put("type", a[1]);
    }
    return list.toString();
  }

  /** The attendee list without those named; an id the event does not have is refused. */
  private static String without(String json, List<String> ids) {
    ArrayNode list = (ArrayNode) JSON.readTree(json);
    ArrayNode kept = JSON.createArrayNode();
    Set<String> named = new java.util.HashSet<>(ids);
    Set<String> seen = new java.util.HashSet<>();
    for (JsonNode x : list) {
      String id =
          CalendarController.attendeeId(x.path("email").asString("").toLowerCase(Locale.ROOT));
      String original = CalendarController.attendeeId(x.path("email").asString(""));
      if (named.contains(id) || named.contains(original)) {
        seen.add(named.contains(id) ? id : original);
      } else {
        kept.add(x);
      }
    }
    named.removeAll(seen);
    if (!named.isEmpty()) {
      throw new CalendarEdits.Refused(
          "attendee_ids: " + named.iterator().next() + " is not an attendee of the event");
    }
    return kept.toString();
  }

  private <T> T edit(java.util.function.Supplier<T> edit) {
    T result = CalendarWriteController.run(edit);
    SyncEngine e = engine.getIfAvailable();
    if (e != null) {
      e.nudge();
    }
    return result;
  }

  private static boolean notify(JsonNode b) {
    JsonNode n = b.path("need_notification");
    return n.isMissingNode() || n.isNull() || n.asBoolean(true);
  }

  private static JsonNode object(JsonNode body, Set<String> fields) {
    if (body == null || !body.isObject()) {
      throw OpenApiException.invalid("the body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!fields.contains(name)) {
        throw OpenApiException.invalid(name + " is not a field of this request");
      }
    }
    return body;
  }
}
