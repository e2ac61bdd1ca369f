package org.exbridge.openapi;

import java.util.List;

/** The open-platform methods this server serves, with the scopes that each accepts (any one). */
public enum OpenApi {
  CREATE_EXCHANGE_BINDING(
      "calendar.v4.exchange_binding.create",
      List.of(
          "calendar:calendar", "calendar:calendar:readonly", "calendar:exchange.bindings:create")),
  GET_EXCHANGE_BINDING(
      "calendar.v4.exchange_binding.get",
      List.of("calendar:calendar:readonly", "calendar:exchange.bindings:read")),
  LIST_CALENDARS(
      "calendar.v4.calendar.list", List.of("calendar:calendar", "calendar:calendar:readonly")),
  GET_CALENDAR(
      "calendar.v4.calendar.get", List.of("calendar:calendar", "calendar:calendar:readonly")),
  LIST_EVENTS(
      "calendar.v4.calendar_event.list",
      List.of("calendar:calendar", "calendar:calendar:readonly", "calendar:calendar.event:read")),
  GET_EVENT(
      "calendar.v4.calendar_event.get",
      List.of("calendar:calendar", "calendar:calendar:readonly", "calendar:calendar.event:read")),
  INSTANCE_VIEW(
      "calendar.v4.calendar_event.instance_view",
      List.of("calendar:calendar", "calendar:calendar:readonly", "calendar:calendar.event:read")),
  LIST_ATTENDEES(
      "calendar.v4.calendar_event_attendee.list",
      List.of("calendar:calendar", "calendar:calendar:readonly", "calendar:calendar.event:read")),
  CREATE_EVENT(
      "calendar.v4.calendar_event.create",
      List.of("calendar:calendar", "calendar:calendar.event:create")),
  PATCH_EVENT(
      "calendar.v4.calendar_event.patch",
      List.of("calendar:calendar", "calendar:calendar.event:update")),
  DELETE_EVENT(
      "calendar.v4.calendar_event.delete",
      List.of("calendar:calendar", "calendar:calendar.event:delete")),
  CREATE_ATTENDEES(
      "calendar.v4.calendar_event_attendee.create",
      List.of("calendar:calendar", "calendar:calendar.event:update")),
  DELETE_ATTENDEES(
      "calendar.v4.calendar_event_attendee.batch_delete",
      List.of("calendar:calendar", "calendar:calendar.event:update")),
  REPLY_EVENT(
      "calendar.v4.calendar_event.reply",
      List.of("calendar:calendar", "calendar:calendar.event:reply")),
  DELETE_EXCHANGE_BINDING(
      "calendar.v4.exchange_binding.delete",
      List.of("calendar:calendar", "calendar:exchange.bindings:delete"));

  private final String method;
  private final List<String> scopes;

  OpenApi(String method, List<String> scopes) {
    this.method = method;
    this.scopes = scopes;
  }

  public String method() {
    return method;
  }

  public List<String> scopes() {
    return scopes;
  }
}
