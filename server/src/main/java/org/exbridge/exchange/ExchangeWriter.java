package org.exbridge.exchange;

import java.util.Set;

/**
 * Writes events to one Exchange organisation through one admin-account profile. Implementations are
 * thread-safe; every method may throw {@link ExchangeException}: {@link
 * ExchangeException.Kind#CONFLICT} when the change key sent is no longer the item's, {@link
 * ExchangeException.Kind#ITEM_GONE} when the item is not there.
 */
public interface ExchangeWriter {
  /** Where an item is: a single or series by its id, or one occurrence of a series. */
  record ItemRef(String itemId, Occurrence occurrence) {
    public static ItemRef of(String itemId) {
      return new ItemRef(itemId, null);
    }
  }

  /**
   * One occurrence of a series: its original start, its own item id when it is an exception whose
   * id is known, and the series' rule and first start, from which its index is found.
   */
  record Occurrence(
      EventTime originalStart, String ownItemId, SourceRecurrence recurrence, EventTime first) {}

  /** What Exchange answered: the item's id and its change key after the write. */
  record Written(String itemId, String changeKey) {}

  /**
   * Creates the event in the calendar, stamped with {@code writeId}. When {@code mayExist} (an
   * earlier attempt may have reached Exchange), an item already stamped with it is answered instead
   * of creating another, so that a retry never makes a second item. {@code notify}: send
   * invitations to the attendees, if any.
   */
  Written create(
      String mailbox,
      String calendarId,
      EventDraft draft,
      String writeId,
      boolean mayExist,
      boolean notify);

  /**
   * Changes the named fields of an item, or of one occurrence, to the draft's values. With a {@code
   * changeKey}, fails with a conflict if the item changed since that version.
   */
  Written update(
      String mailbox,
      ItemRef item,
      String changeKey,
      EventDraft draft,
      Set<EventDraft.Field> fields,
      boolean notify);

  /** Deletes an item or one occurrence; a meeting the mailbox organises is cancelled. */
  void delete(String mailbox, ItemRef item, boolean notify);

  /**
   * Answers a meeting the mailbox was invited to ({@code ACCEPTED}, {@code TENTATIVE} or {@code
   * DECLINED}), sending the response to its organiser. Exchange takes a declined meeting out of the
   * calendar.
   */
  void reply(String mailbox, ItemRef item, SourceEvent.Attendee.Response response);

  /** The whole single or series (with its exceptions and deleted occurrences), or null if gone. */
  SourceEvent read(String mailbox, String itemId);
}
