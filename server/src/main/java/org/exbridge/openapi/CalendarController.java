package org.exbridge.openapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exbridge.calendar.CalendarReads;
import org.exbridge.calendar.Instances;
import org.exbridge.calendar.StoredCalendar;
import org.exbridge.calendar.StoredEvent;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calendar v4 read endpoints over the synced copy, in the platform's field names, so the
 * official SDKs' calendar calls work unchanged. A user sees the calendars of their own bound
 * mailboxes.
 */
@RestController
@RequestMapping(
    path = "/open-apis/calendar/v4/calendars",
    produces = MediaType.APPLICATION_JSON_VALUE)
final class CalendarController {
  private static final int MAX_PAGE = 1000;
  private static final int ATTENDEE_PAGE = 20;
  private static final int MAX_ATTENDEE_PAGE = 100;
  private static final long MAX_INSTANCE_RANGE = 366L * 86400;
  private final UserTokenAuthenticator authenticator;
  private final CalendarReads reads;

  CalendarController(UserTokenAuthenticator authenticator, CalendarReads reads) {
    this.authenticator = authenticator;
    this.reads = reads;
  }

  @GetMapping
  Envelope list(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(name = "page_size", required = false) Integer pageSize,
      @RequestParam(name = "page_token", required = false) String pageToken) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.LIST_CALENDARS);
    int size = pageSize(pageSize, 500);
    List<StoredCalendar> page =
        reads.calendarsOf(caller.tenantKey(), caller.user().userId(), token(pageToken), size + 1);
    Map<String, Object> data = new LinkedHashMap<>();
    boolean more = page.size() > size;
    List<StoredCalendar> shown = more ? page.subList(0, size) : page;
    data.put("has_more", more);
    data.put("page_token", more ? token(shown.get(shown.size() - 1).id()) : "");
    data.put("sync_token", "");
    data.put("calendar_list", shown.stream().map(CalendarController::calendar).toList());
    return Envelope.success(data);
  }

  @GetMapping("/{calendarId}")
  Envelope get(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.GET_CALENDAR);
    return Envelope.success(calendar(owned(caller, calendarId)));
  }

  @GetMapping("/{calendarId}/events")
  Envelope events(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @RequestParam(name = "page_size", required = false) Integer pageSize,
      @RequestParam(name = "page_token", required = false) String pageToken,
      @RequestParam(name = "sync_token", required = false) String syncToken,
      @RequestParam(name = "start_time", required = false) String startTime,
      @RequestParam(name = "end_time", required = false) String endTime) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.LIST_EVENTS);
    StoredCalendar calendar = owned(caller, calendarId);
    int size = pageSize(pageSize, 500);
    Map<String, Object> data = new LinkedHashMap<>();
    List<Map<String, Object>> items = new ArrayList<>();
    if (syncToken != null && !syncToken.isBlank()) {
      long since = token(syncToken);
      List<StoredEvent> changed = reads.changes(calendar.id(), since, size + 1);
      boolean more = changed.size() > size;
      List<StoredEvent> shown = more ? changed.subList(0, size) : changed;
      shown.forEach(e -> items.add(event(calendar, e)));
      long last = shown.isEmpty() ? since : shown.get(shown.size() - 1).changeSeq();
      data.put("has_more", more);
      data.put("page_token", "");
      data.put("sync_token", token(last));
    } else {
      Long from = seconds("start_time", startTime);
      Long to = seconds("end_time", endTime);
      long after = token(pageToken);
      long sync = pageToken == null || pageToken.isBlank() ? reads.lastChange(calendar.id()) : 0;
      List<StoredEvent> page = reads.events(calendar.id(), after, size + 1, from, to);
      boolean more = page.size() > size;
      List<StoredEvent> shown = more ? page.subList(0, size) : page;
      shown.forEach(e -> items.add(event(calendar, e)));
      data.put("has_more", more);
      data.put("page_token", more ? token(shown.get(shown.size() - 1).id()) : "");
      data.put("sync_token", sync > 0 ? token(sync) : "");
    }
    data.put("items", items);
    return Envelope.success(data);
  }

  @GetMapping("/{calendarId}/events/instance_view")
  Envelope instances(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @RequestParam(name = "start_time", required = false) String startTime,
      @RequestParam(name = "end_time", required = false) String endTime) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.INSTANCE_VIEW);
    StoredCalendar calendar = owned(caller, calendarId);
    Long from = seconds("start_time", startTime);
    Long to = seconds("end_time", endTime);
    if (from == null || to == null || to <= from) {
      throw OpenApiException.invalid(
          "start_time and end_time (unix seconds, end after start) are required");
    }
    if (to - from > MAX_INSTANCE_RANGE) {
      throw OpenApiException.invalid(
          "the range of start_time and end_time must be at most 366 days");
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (Instances.Instance i :
        Instances.expand(reads.forInstances(calendar.id(), from, to), from, to)) {
      Map<String, Object> item = event(calendar, i.source());
      item.put("event_id", i.eventId());
      item.put("start_time", time(i.startTs(), i.startDate(), i.source().timezone()));
      item.put("end_time", time(i.endTs(), i.endDate(), i.source().timezone()));
      item.put("is_exception", i.isException());
      item.remove("recurrence");
      item.put("attendees", attendees(i.source()));
      if (i.source().recurrence() != null) {
        item.put("recurring_event_id", i.source().eventId());
      }
      items.add(item);
    }
    return Envelope.success(Map.of("items", items));
  }

  @GetMapping("/{calendarId}/events/{eventId}")
  Envelope event(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestParam(name = "need_attendee", required = false) Boolean needAttendee) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.GET_EVENT);
    StoredCalendar calendar = owned(caller, calendarId);
    StoredEvent e =
        reads
            .event(calendar.id(), eventId)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.EVENT_NOT_FOUND));
    Map<String, Object> event = event(calendar, e);
    if (Boolean.TRUE.equals(needAttendee)) {
      event.put("attendees", attendees(e));
    }
    return Envelope.success(Map.of("event", event));
  }

  @GetMapping("/{calendarId}/events/{eventId}/attendees")
  Envelope attendees(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String calendarId,
      @PathVariable String eventId,
      @RequestParam(name = "page_size", required = false) Integer pageSize,
      @RequestParam(name = "page_token", required = false) String pageToken) {
    Caller caller = authenticator.authenticate(authorization, OpenApi.LIST_ATTENDEES);
    StoredCalendar calendar = owned(caller, calendarId);
    StoredEvent e =
        reads
            .event(calendar.id(), eventId)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.EVENT_NOT_FOUND));
    // The platform pages attendees: 20 by default, at most 100 a page.
    int size = pageSize(pageSize, ATTENDEE_PAGE, MAX_ATTENDEE_PAGE);
    long from = token(pageToken);
    List<Map<String, Object>> all = attendees(e);
    if (from < 0 || from > all.size()) {
      throw OpenApiException.invalid("page_token is not one this server handed out");
    }
    int end = (int) Math.min(all.size(), from + size);
    boolean more = end < all.size();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("items", all.subList((int) from, end));
    data.put("has_more", more);
    data.put("page_token", more ? token(end) : "");
    return Envelope.success(data);
  }

  private StoredCalendar owned(Caller caller, String calendarId) {
    return owned(reads, caller, calendarId);
  }

  /** The caller's own calendar: unknown 191000, another user's 191002. */
  static StoredCalendar owned(CalendarReads reads, Caller caller, String calendarId) {
    CalendarReads.Owned owned =
        reads
            .owned(calendarId)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.CALENDAR_NOT_FOUND));
    if (!owned.tenantKey().equals(caller.tenantKey())
        || !owned.userId().equals(caller.user().userId())) {
      throw OpenApiException.of(ErrorCode.NO_CALENDAR_ACCESS);
    }
    return owned.calendar();
  }

  private static Map<String, Object> calendar(StoredCalendar c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calendar_id", c.calendarId());
    m.put("summary", c.summary());
    m.put("description", "");
    m.put("permissions", "private");
    m.put("color", color(c.color()));
    m.put("type", "exchange");
    m.put("summary_alias", "");
    m.put("is_deleted", false);
    m.put("is_third_party", true);
    m.put("role", c.writable() ? "owner" : "reader");
    return m;
  }

  private static int color(String hex) {
    if (hex == null || !hex.matches("#?[0-9a-fA-F]{6}")) {
      return -1;
    }
    return Integer.parseInt(hex.replace("#", ""), 16);
  }

  static Map<String, Object> event(StoredCalendar calendar, StoredEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", e.eventId());
    m.put("organizer_calendar_id", calendar.calendarId());
    m.put("summary", e.summary());
    m.put("description", e.description());
    m.put("start_time", time(e.startTs(), e.startDate(), e.timezone()));
    m.put("end_time", time(e.endTs(), e.endDate(), e.timezone()));
    if (e.meetingUrl() != null) {
      m.put("vchat", Map.of("vc_type", "third_party", "meeting_url", e.meetingUrl()));
    }
    m.put("visibility", e.visibility());
    m.put("attendee_ability", "none");
    m.put("free_busy_status", e.freeBusy());
    m.put("location", Map.of("name", e.location()));
    m.put("color", -1);
    m.put(
        "reminders",
        e.reminderMinutes() == null ? List.of() : List.of(Map.of("minutes", e.reminderMinutes())));
    if (e.recurrence() != null) {
      m.put("recurrence", e.recurrence());
    }
    m.put("status", e.deleted() ? "cancelled" : e.status());
    m.put("is_exception", e.isException());
    if (e.isException()) {
      m.put("recurring_event_id", e.eventId().substring(0, e.eventId().lastIndexOf('_')) + "_0");
    }
    m.put("create_time", Long.toString(e.createdAt().getEpochSecond()));
    Map<String, Object> organizer = new LinkedHashMap<>();
    organizer.put("display_name", e.organizerName() == null ? "" : e.organizerName());
    m.put("event_organizer", organizer);
    return m;
  }

  private static Map<String, Object> time(Long ts, String date, String zone) {
    Map<String, Object> t = new LinkedHashMap<>();
    if (date != null) {
      t.put("date", date);
    } else {
      t.put("timestamp", ts == null ? "0" : Long.toString(ts));
      t.put("timezone", zone == null ? "UTC" : zone);
    }
    return t;
  }

  private static final JsonMapper ATTENDEE_JSON = JsonMapper.builder().build();

  /** The event's attendees in the platform's shape (all third-party: Exchange addresses). */
  static List<Map<String, Object>> attendees(StoredEvent e) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode a : ATTENDEE_JSON.readTree(e.attendees())) {
      Map<String, Object> m = new LinkedHashMap<>();
      String email = a.path("email").asString("");
      m.put("type", "third_party");
      m.put("attendee_id", attendeeId(email));
      m.put(
          "rsvp_status",
          switch (a.path("response").asString("NONE")) {
            case "ACCEPTED", "ORGANIZER" -> "accept";
            case "TENTATIVE" -> "tentative";
            case "DECLINED" -> "decline";
            default -> "needs_action";
          });
      m.put("is_optional", "OPTIONAL".equals(a.path("type").asString()));
      m.put(
          "is_organizer",
          email.equalsIgnoreCase(e.organizerEmail() == null ? "" : e.organizerEmail()));
      m.put("is_external", true);
      m.put("display_name", a.path("name").asString(""));
      m.put("third_party_email", email);
      out.add(m);
    }
    return out;
  }

  /** An attendee's id: its e-mail address, as the platform's ids are opaque text. */
  static String attendeeId(String email) {
    return "exchange_"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(email.getBytes(StandardCharsets.UTF_8));
  }

  private static int pageSize(Integer requested, int fallback) {
    return pageSize(requested, fallback, MAX_PAGE);
  }

  private static int pageSize(Integer requested, int fallback, int max) {
    if (requested == null) {
      return fallback;
    }
    if (requested < 1 || requested > max) {
      throw OpenApiException.invalid("page_size must be between 1 and " + max);
    }
    return requested;
  }

  private static Long seconds(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw OpenApiException.invalid(field + " must be a unix timestamp in seconds");
    }
  }

  private static String token(long value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
  }

  private static long token(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      long value =
          Long.parseLong(
              new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.US_ASCII));
      if (value < 0) {
        throw new IllegalArgumentException("negative");
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw OpenApiException.invalid("page_token or sync_token is not one this server handed out");
    }
  }
}
