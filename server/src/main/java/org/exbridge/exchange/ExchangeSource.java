package org.exbridge.exchange;

import java.time.Instant;
import java.util.List;

/**
 * Reads one Exchange organisation through one admin-account profile. Implementations are
 * thread-safe; every method may throw {@link ExchangeException}.
 */
public interface ExchangeSource {
  /**
   * Whether the profile can read this mailbox: authentication, impersonation, the mailbox itself.
   */
  void verify(String mailbox);

  /** The mailbox's calendar folders (nothing under Deleted Items). */
  List<SourceCalendar> calendars(String mailbox);

  /**
   * Singles and series with an instance overlapping [from, to), each whole (a series with all its
   * exceptions and deleted occurrences), one page at a time. Pass null as the cursor to start, and
   * the returned cursor while {@code more}.
   */
  SourcePage window(String mailbox, String calendarId, Instant from, Instant to, String cursor);

  /**
   * Every single and series of the calendar, one page at a time (null cursor to start). The last
   * page's cursor is the starting point for {@link #changes}.
   */
  SourcePage all(String mailbox, String calendarId, String cursor);

  /**
   * {@link #all}, not fetching again what {@code stored} already holds as it is (those come back as
   * {@link SourcePage#unchangedIds}); a protocol that reads whole items anyway ignores it.
   */
  default SourcePage all(String mailbox, String calendarId, String cursor, StoredVersions stored) {
    return all(mailbox, calendarId, cursor);
  }

  /**
   * What changed since the cursor: created and updated events, and deleted ids. A cursor the server
   * no longer accepts raises {@link ExchangeException.Kind#CURSOR_LOST}.
   */
  SourcePage changes(String mailbox, String calendarId, String cursor);

  /** {@link #changes}, not fetching again what {@code stored} already holds as it is. */
  default SourcePage changes(
      String mailbox, String calendarId, String cursor, StoredVersions stored) {
    return changes(mailbox, calendarId, cursor);
  }

  /** Writes to the same organisation through the same profile (two-way). */
  ExchangeWriter writer();

  /** EWS streaming notifications, or null where this profile cannot stream. */
  default StreamingNotifications streaming() {
    return null;
  }

  /** Graph change notifications, or null where this profile has none. */
  default ChangeSubscriptions changeSubscriptions() {
    return null;
  }
}
