package org.exbridge.calendar;

import java.time.Instant;

/** A row of the store, as the read API serves it. */
public record StoredEvent(
    long id,
    String eventId,
    String exchangeId,
    String masterExchangeId,
    String kind,
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
    Long originalStartTs,
    String originalStartDate,
    String freeBusy,
    String visibility,
    String status,
    String organizerName,
    String organizerEmail,
    String attendees,
    Integer reminderMinutes,
    String meetingUrl,
    String deletedOccurrences,
    boolean deleted,
    long changeSeq,
    Instant createdAt) {

  public boolean isException() {
    return masterExchangeId != null;
  }
}
