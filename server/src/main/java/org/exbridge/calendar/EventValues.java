package org.exbridge.calendar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of an event that the calendar API may change, as the store keeps them. {@link
 * #fields()} gives each as one comparable text, the form in which a write records what it changed
 * (from, to) and in which Exchange's version is compared field by field on a conflict.
 */
public record EventValues(
    String summary,
    String description,
    String location,
    boolean allDay,
    Long startTs,
    Long endTs,
    String startDate,
    String endDate,
    String timezone,
    String recurrence,
    String freeBusy,
    String visibility,
    Integer reminderMinutes,
    String attendees) {

  public static final String SUMMARY = "summary";
  public static final String DESCRIPTION = "description";
  public static final String LOCATION = "location";
  public static final String TIME = "time";
  public static final String FREE_BUSY = "free_busy";
  public static final String VISIBILITY = "visibility";
  public static final String REMINDER = "reminder";
  public static final String RECURRENCE = "recurrence";
  public static final String ATTENDEES = "attendees";

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /** The store's columns for these fields, in the order of {@link #columns()}. */
  static final String COLUMNS =
      "summary, description, location, all_day, start_ts, end_ts, start_date, end_date, timezone,"
          + " recurrence, free_busy, visibility, reminder_minutes, attendees";

  /** The values for {@link #COLUMNS}, in order (nulls kept). */
  java.util.List<Object> columns() {
    return java.util.Arrays.asList(
        summary,
        description,
        location,
        allDay,
        startTs,
        endTs,
        startDate,
        endDate,
        timezone,
        recurrence,
        freeBusy,
        visibility,
        reminderMinutes,
        attendees);
  }

  static EventValues of(StoredEvent e) {
    return new EventValues(
        e.summary(),
        e.description(),
        e.location(),
        e.allDay(),
        e.startTs(),
        e.endTs(),
        e.startDate(),
        e.endDate(),
        e.timezone(),
        e.recurrence(),
        e.freeBusy(),
        e.visibility(),
        e.reminderMinutes(),
        e.attendees());
  }

  static EventValues of(EventRows.Row r) {
    return new EventValues(
        r.summary(),
        r.description(),
        r.location(),
        r.allDay(),
        r.startTs(),
        r.endTs(),
        r.startDate(),
        r.endDate(),
        r.timezone(),
        r.recurrence(),
        r.freeBusy(),
        r.visibility(),
        r.reminderMinutes(),
        r.attendees());
  }

  /** Each field as one text; the time is the instants (or dates), whatever zone shows them. */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SUMMARY, nz(summary));
    m.put(DESCRIPTION, nz(description));
    m.put(LOCATION, nz(location));
    m.put(TIME, allDay ? "date:" + startDate + "/" + endDate : startTs + "/" + endTs);
    m.put(FREE_BUSY, nz(freeBusy));
    m.put(VISIBILITY, "private".equals(visibility) ? "private" : "default");
    m.put(REMINDER, reminderMinutes == null ? "" : reminderMinutes.toString());
    m.put(RECURRENCE, nz(recurrence));
    m.put(ATTENDEES, people(attendees));
    return m;
  }

  /** The names of the fields whose text differs from {@code other}'s. */
  public java.util.List<String> differences(EventValues other) {
    Map<String, String> a = fields();
    Map<String, String> b = other.fields();
    return a.keySet().stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).toList();
  }

  /** Who is invited, and how: e-mail addresses with their kind, in order, responses aside. */
  private static String people(String json) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (tools.jackson.databind.JsonNode a : JSON.readTree(json == null ? "[]" : json)) {
      out.add(
          a.path("email").asString("").toLowerCase(java.util.Locale.ROOT)
              + ":"
              + a.path("type").asString("REQUIRED"));
    }
    java.util.Collections.sort(out);
    return String.join(",", out);
  }

  /** These values with another attendee list (JSON, as the store keeps it). */
  public EventValues withAttendees(String json) {
    return new EventValues(
        summary,
        description,
        location,
        allDay,
        startTs,
        endTs,
        startDate,
        endDate,
        timezone,
        recurrence,
        freeBusy,
        visibility,
        reminderMinutes,
        json);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
