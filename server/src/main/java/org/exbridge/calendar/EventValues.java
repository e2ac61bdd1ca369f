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
    Integer reminderMinutes) {

  public static final String SUMMARY = "summary";
  public static final String DESCRIPTION = "description";
  public static final String LOCATION = "location";
  public static final String TIME = "time";
  public static final String FREE_BUSY = "free_busy";
  public static final String VISIBILITY = "visibility";
  public static final String REMINDER = "reminder";
  public static final String RECURRENCE = "recurrence";

  /** The store's columns for these fields, in the order of {@link #columns()}. */
  static final String COLUMNS =
      "summary, description, location, all_day, start_ts, end_ts, start_date, end_date, timezone,"
          + " recurrence, free_busy, visibility, reminder_minutes";

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
        reminderMinutes);
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
        e.reminderMinutes());
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
        r.reminderMinutes());
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
    return m;
  }

  /** The names of the fields whose text differs from {@code other}'s. */
  public java.util.List<String> differences(EventValues other) {
    Map<String, String> a = fields();
    Map<String, String> b = other.fields();
    return a.keySet().stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).toList();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
