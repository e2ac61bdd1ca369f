package org.exbridge.simulator;

import static org.exbridge.simulator.EwsService.M;
import static org.exbridge.simulator.EwsService.T;
import static org.exbridge.simulator.EwsService.child;
import static org.exbridge.simulator.EwsService.children;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * EWS CreateItem, UpdateItem and DeleteItem of calendar items, with the meeting messages they send,
 * ConflictResolution on a stale ChangeKey, occurrence ids, and named properties (PublicStrings)
 * that clients stamp and search for.
 */
final class EwsWrites {
  private EwsWrites() {}

  /** A refusal with Exchange's response code, answered as an Error response message. */
  static final class Refused extends RuntimeException {
    final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private static final Set<String> SEND_INVITATIONS =
      Set.of("SendToNone", "SendOnlyToAll", "SendToAllAndSaveCopy");
  private static final Set<String> SEND_UPDATES =
      Set.of(
          "SendToNone",
          "SendOnlyToAll",
          "SendOnlyToChanged",
          "SendToAllAndSaveCopy",
          "SendToChangedAndSaveCopy");

  // --- CreateItem ------------------------------------------------------------------------------

  static String createItem(SimMailbox mailbox, Element op, Clock clock) {
    Xml x = open("CreateItem");
    String send = op.getAttribute("SendMeetingInvitations");
    Element folderElement = child(op, M, "SavedItemFolderId");
    SimMailbox.SimCalendar calendar =
        folderElement == null
            ? mailbox.defaultCalendar()
            : EwsOperations.calendarOf(mailbox, EwsService.firstElement(folderElement));
    Element items = child(op, M, "Items");
    for (Element item : items == null ? List.<Element>of() : children(items)) {
      try {
        String response = RESPONSES.get(item.getLocalName());
        if (response != null) {
          SimEvent e = respond(mailbox, item, response, clock);
          x.open("m:CreateItemResponseMessage", "ResponseClass", "Success")
              .text("m:ResponseCode", "NoError")
              .open("m:Items");
          if (e != null) {
            x.open("t:CalendarItem")
                .empty(
                    "t:ItemId",
                    "Id",
                    Ids.ews(Ids.Kind.ITEM, mailbox.address, e.number),
                    "ChangeKey",
                    EwsItems.changeKey(e.version))
                .close("t:CalendarItem");
          }
          x.close("m:Items").close("m:CreateItemResponseMessage");
          continue;
        }
        if (!item.getLocalName().equals("CalendarItem")) {
          throw new Refused(
              "ErrorInvalidRequest", "this server creates calendar items only in a calendar");
        }
        if (!SEND_INVITATIONS.contains(send)) {
          throw new Refused(
              "ErrorInvalidRequest",
              "SendMeetingInvitations is required for calendar items (SendToNone, SendOnlyToAll"
                  + " or SendToAllAndSaveCopy).");
        }
        if (calendar == null) {
          throw new Refused(
              "ErrorFolderNotFound", "The specified folder could not be found in the store.");
        }
        writable(calendar);
        SimEvent e = new SimEvent(mailbox.nextNumber());
        e.organizerName = mailbox.displayName;
        e.organizerEmail = mailbox.address;
        Fields f = Fields.of(item);
        f.applyTo(e, null);
        if (e.start == null || e.end == null || e.end.isBefore(e.start)) {
          throw new Refused(
              "ErrorCalendarEndDateIsEarlierThanStartDate",
              "The EndDate value is earlier than the StartDate value.");
        }
        mailbox.put(calendar, e, clock);
        if (!send.equals("SendToNone")) {
          mailbox.send(clock, "ews", "invitation", e, emails(e.attendees));
        }
        x.open("m:CreateItemResponseMessage", "ResponseClass", "Success")
            .text("m:ResponseCode", "NoError")
            .open("m:Items")
            .open("t:CalendarItem")
            .empty(
                "t:ItemId",
                "Id",
                Ids.ews(Ids.Kind.ITEM, mailbox.address, e.number),
                "ChangeKey",
                EwsItems.changeKey(e.version))
            .close("t:CalendarItem")
            .close("m:Items")
            .close("m:CreateItemResponseMessage");
      } catch (Refused r) {
        error(x, "CreateItem", r);
      }
    }
    return close(x, "CreateItem");
  }

  /** EWS's meeting responses, by element, as the attendee's response they record. */
  private static final java.util.Map<String, String> RESPONSES =
      java.util.Map.of(
          "AcceptItem", "accepted",
          "TentativelyAcceptItem", "tentativelyAccepted",
          "DeclineItem", "declined");

  /**
   * The mailbox answers a meeting it was invited to: its response is recorded and sent to the
   * organiser; a declined meeting leaves the calendar, as Exchange moves it to Deleted Items.
   * Returns the item, or null when it left.
   */
  private static SimEvent respond(SimMailbox mailbox, Element item, String response, Clock clock) {
    Element ref = child(item, T, "ReferenceItemId");
    Ids.Parsed id = ref == null ? null : Ids.parse(ref.getAttribute("Id"));
    SimEvent e =
        id == null || !id.mailbox().equals(mailbox.address) ? null : mailbox.event(id.number());
    if (e == null) {
      throw new Refused("ErrorItemNotFound", "The specified object was not found in the store.");
    }
    return reply(mailbox, e, response, "ews", clock);
  }

  /** Records the mailbox's response to a meeting it attends (shared by EWS and Graph). */
  static SimEvent reply(SimMailbox mailbox, SimEvent e, String response, String via, Clock clock) {
    if (mailbox.organises(e)) {
      throw new Refused(
          "ErrorCalendarIsOrganizerFor"
              + (response.equals("accepted")
                  ? "Accept"
                  : response.equals("declined") ? "Decline" : "Tentative"),
          "The organizer cannot respond to their own meeting.");
    }
    SimMailbox.SimCalendar calendar = mailbox.calendarOf(e.number);
    SimEvent changed = e.copyAs(e.number);
    List<SimEvent.SimAttendee> attendees = new ArrayList<>();
    boolean found = false;
    for (SimEvent.SimAttendee a : changed.attendees) {
      if (a.email().equalsIgnoreCase(mailbox.address)) {
        attendees.add(new SimEvent.SimAttendee(a.name(), a.email(), a.type(), response));
        found = true;
      } else {
        attendees.add(a);
      }
    }
    if (!found) {
      attendees.add(
          new SimEvent.SimAttendee(mailbox.displayName, mailbox.address, "required", response));
    }
    changed.attendees = attendees;
    mailbox.messages.add(
        new SimMailbox.Message(
            clock.instant(), via, response, e.number, e.subject, List.of(e.organizerEmail)));
    if (response.equals("declined")) {
      mailbox.delete(e.number);
      return null;
    }
    mailbox.put(calendar, changed, clock);
    return changed;
  }

  // --- UpdateItem ------------------------------------------------------------------------------

  static String updateItem(SimMailbox mailbox, Element op, Clock clock) {
    Xml x = open("UpdateItem");
    String resolution =
        op.getAttribute("ConflictResolution").isEmpty()
            ? "AutoResolve"
            : op.getAttribute("ConflictResolution");
    String send = op.getAttribute("SendMeetingInvitationsOrCancellations");
    Element changes = child(op, M, "ItemChanges");
    for (Element change : changes == null ? List.<Element>of() : children(changes)) {
      try {
        if (!SEND_UPDATES.contains(send)) {
          throw new Refused(
              "ErrorInvalidRequest",
              "SendMeetingInvitationsOrCancellations is required for calendar items.");
        }
        Element id = null;
        Element updates = null;
        for (Element c : children(change)) {
          switch (c.getLocalName()) {
            case "ItemId", "OccurrenceItemId", "RecurringMasterItemId" -> id = c;
            case "Updates" -> updates = c;
            default -> {}
          }
        }
        EwsItems.Target t = id == null ? null : EwsOperations.target(mailbox, id);
        if (t == null) {
          throw new Refused(
              "ErrorItemNotFound", "The specified object was not found in the store.");
        }
        writable(t.calendar());
        String sentKey = id.getAttribute("ChangeKey");
        if (resolution.equals("NeverOverwrite")
            && !sentKey.isEmpty()
            && !sentKey.equals(EwsItems.changeKey(t.event().version))) {
          throw new Refused(
              "ErrorIrresolvableConflict",
              "The send or update operation could not be performed because the change key passed"
                  + " in the request does not match the current change key for the item.");
        }
        SimEvent changed = t.event().copyAs(t.event().number);
        List<String> before = emails(changed.attendees);
        boolean onlyAttendees = true;
        for (Element u : updates == null ? List.<Element>of() : children(updates)) {
          String field = fieldUri(u);
          onlyAttendees &= field.endsWith("Attendees") || field.equals("calendar:Resources");
          switch (u.getLocalName()) {
            case "SetItemField", "AppendToItemField" -> {
              Element value = null;
              for (Element c : children(u)) {
                if (c.getLocalName().equals("CalendarItem")) {
                  value = c;
                }
              }
              if (value == null) {
                throw new Refused(
                    "ErrorInvalidRequest", "SetItemField needs a CalendarItem with the value");
              }
              Fields.of(value).applyTo(changed, t.originalStart());
            }
            case "DeleteItemField" -> Fields.delete(changed, field, t.originalStart());
            default ->
                throw new Refused("ErrorInvalidRequest", "unknown change " + u.getLocalName());
          }
        }
        SimEvent.SimOverride changedOccurrence =
            t.originalStart() == null ? null : changed.exceptions.get(t.originalStart());
        if (changedOccurrence != null && changedOccurrence.end.isBefore(changedOccurrence.start)) {
          // Checked once all the changes are applied, as Exchange validates the item it saves.
          throw new Refused(
              "ErrorCalendarEndDateIsEarlierThanStartDate",
              "The EndDate value is earlier than the StartDate value.");
        }
        if (t.originalStart() == null
            && (changed.start == null
                || changed.end == null
                || changed.end.isBefore(changed.start))) {
          throw new Refused(
              "ErrorCalendarEndDateIsEarlierThanStartDate",
              "The EndDate value is earlier than the StartDate value.");
        }
        SimControl.numberOverrides(mailbox, changed);
        mailbox.put(t.calendar(), changed, clock);
        if (!send.equals("SendToNone")) {
          List<String> after = emails(changed.attendees);
          if (send.contains("Changed") && onlyAttendees) {
            List<String> added = new ArrayList<>(after);
            added.removeAll(before);
            List<String> removed = new ArrayList<>(before);
            removed.removeAll(after);
            mailbox.send(clock, "ews", "invitation", changed, added);
            mailbox.send(clock, "ews", "cancellation", changed, removed);
          } else {
            mailbox.send(clock, "ews", "update", changed, after);
          }
        }
        EwsItems.Target now =
            new EwsItems.Target(mailbox, t.calendar(), changed, t.originalStart());
        x.open("m:UpdateItemResponseMessage", "ResponseClass", "Success")
            .text("m:ResponseCode", "NoError")
            .open("m:Items")
            .open("t:CalendarItem")
            .empty("t:ItemId", "Id", now.ewsId(), "ChangeKey", EwsItems.changeKey(changed.version))
            .close("t:CalendarItem")
            .close("m:Items")
            .open("m:ConflictResults")
            .text("t:Count", 0)
            .close("m:ConflictResults")
            .close("m:UpdateItemResponseMessage");
      } catch (Refused r) {
        error(x, "UpdateItem", r);
      }
    }
    return close(x, "UpdateItem");
  }

  // --- DeleteItem ------------------------------------------------------------------------------

  static String deleteItem(SimMailbox mailbox, Element op, Clock clock) {
    Xml x = open("DeleteItem");
    String send = op.getAttribute("SendMeetingCancellations");
    Element ids = child(op, M, "ItemIds");
    for (Element id : ids == null ? List.<Element>of() : children(ids)) {
      try {
        if (!SEND_INVITATIONS.contains(send)) {
          throw new Refused(
              "ErrorInvalidRequest", "SendMeetingCancellations is required for calendar items.");
        }
        EwsItems.Target t = EwsOperations.target(mailbox, id);
        if (t == null) {
          throw new Refused(
              "ErrorItemNotFound", "The specified object was not found in the store.");
        }
        writable(t.calendar());
        SimEvent e = t.event();
        if (t.occurrence()) {
          SimEvent changed = e.copyAs(e.number);
          changed.exceptions.remove(t.originalStart());
          changed.deleted.add(t.originalStart());
          mailbox.put(t.calendar(), changed, clock);
          e = changed;
        } else {
          mailbox.delete(e.number);
        }
        if (!send.equals("SendToNone")) {
          mailbox.send(clock, "ews", "cancellation", e, emails(e.attendees));
        }
        x.open("m:DeleteItemResponseMessage", "ResponseClass", "Success")
            .text("m:ResponseCode", "NoError")
            .close("m:DeleteItemResponseMessage");
      } catch (Refused r) {
        error(x, "DeleteItem", r);
      }
    }
    return close(x, "DeleteItem");
  }

  private static void writable(SimMailbox.SimCalendar calendar) {
    if (!calendar.canEdit) {
      throw new Refused("ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
  }

  // --- fields ----------------------------------------------------------------------------------

  /** The values a CalendarItem element carries, read in any order. */
  static final class Fields {
    private final Element item;

    private Fields(Element item) {
      this.item = item;
    }

    static Fields of(Element item) {
      return new Fields(item);
    }

    /** Applies every field present to the series or single, or to one occurrence of it. */
    void applyTo(SimEvent e, LocalDateTime occurrence) {
      ZoneId zone = null;
      Element startZone = child(item, T, "StartTimeZone");
      if (startZone != null) {
        zone = zoneOf(startZone);
      }
      if (zone != null && occurrence == null) {
        // The instants already set keep their meaning in the new zone.
        if (e.start != null && child(item, T, "Start") == null) {
          e.start = LocalDateTime.ofInstant(e.instant(e.start), zone);
          e.end = LocalDateTime.ofInstant(e.instant(e.end), zone);
        }
        e.zone = zone;
      }
      SimEvent.SimOverride o = null;
      if (occurrence != null) {
        o = e.exceptions.get(occurrence);
        if (o == null) {
          o = new SimEvent.SimOverride();
          o.start = occurrence;
          o.end = occurrence.plus(Occurrences.length(e));
          o.number = 0;
        }
      }
      for (Element f : children(item)) {
        String text = f.getTextContent();
        String name = f.getLocalName();
        if (o != null) {
          switch (name) {
            case "Subject" -> o.subject = text;
            case "Body" -> o.body = text;
            case "Location" -> o.location = text;
            case "Start" -> o.start = local(text, e.zone);
            case "End" -> o.end = local(text, e.zone);
            case "StartTimeZone", "EndTimeZone", "ExtendedProperty" -> {}
            default ->
                throw new Refused(
                    "ErrorInvalidPropertySet",
                    "the simulator keeps Subject, Body, Location, Start and End per occurrence;"
                        + " set "
                        + name
                        + " on the series");
          }
          continue;
        }
        switch (name) {
          case "Subject" -> e.subject = text;
          case "Body" -> e.body = text;
          case "Sensitivity" -> e.isPrivate = !text.trim().equals("Normal");
          case "ReminderIsSet" -> {
            if (!Boolean.parseBoolean(text.trim())) {
              e.reminderMinutes = null;
            } else if (e.reminderMinutes == null) {
              e.reminderMinutes = 15;
            }
          }
          case "ReminderMinutesBeforeStart" -> e.reminderMinutes = Integer.parseInt(text.trim());
          case "Start" -> e.start = local(text, e.zone);
          case "End" -> e.end = local(text, e.zone);
          case "IsAllDayEvent" -> e.allDay = Boolean.parseBoolean(text.trim());
          case "LegacyFreeBusyStatus" -> e.showAs = showAs(text.trim());
          case "Location" -> e.location = text;
          case "RequiredAttendees", "OptionalAttendees", "Resources" ->
              setAttendees(e, f, type(name));
          case "Recurrence" -> e.recurrence = recurrence(f, e);
          case "ExtendedProperty" -> extended(e, f);
          case "StartTimeZone", "EndTimeZone", "MeetingTimeZone" -> {}
          default -> {
            // Other properties are accepted and not kept, as the read side does not serve them.
          }
        }
      }
      if (o != null) {
        e.exceptions.put(occurrence, o);
      }
      if (e.recurrence != null && e.start != null && occurrence == null) {
        // A series keeps whole days as Exchange does.
        if (e.allDay) {
          e.start = e.start.toLocalDate().atStartOfDay();
          e.end = e.end.toLocalDate().atStartOfDay();
        }
      }
    }

    static void delete(SimEvent e, String field, LocalDateTime occurrence) {
      if (occurrence != null) {
        throw new Refused(
            "ErrorInvalidPropertyDelete", "an occurrence's " + field + " cannot be deleted");
      }
      switch (field) {
        case "calendar:Recurrence" -> {
          e.recurrence = null;
          e.exceptions.clear();
          e.deleted.clear();
        }
        case "calendar:Location" -> e.location = "";
        case "item:Body" -> e.body = "";
        case "calendar:RequiredAttendees" -> e.attendees.removeIf(a -> a.type().equals("required"));
        case "calendar:OptionalAttendees" -> e.attendees.removeIf(a -> a.type().equals("optional"));
        case "calendar:Resources" -> e.attendees.removeIf(a -> a.type().equals("resource"));
        case "item:ReminderMinutesBeforeStart" -> e.reminderMinutes = null;
        default ->
            throw new Refused(
                "ErrorInvalidPropertyDelete", "The property " + field + " cannot be deleted.");
      }
    }

    private static String type(String element) {
      return switch (element) {
        case "OptionalAttendees" -> "optional";
        case "Resources" -> "resource";
        default -> "required";
      };
    }

    private static void setAttendees(SimEvent e, Element list, String type) {
      List<SimEvent.SimAttendee> kept = new ArrayList<>();
      for (SimEvent.SimAttendee a : e.attendees) {
        if (!a.type().equals(type)) {
          kept.add(a);
        }
      }
      for (Element attendee : children(list)) {
        Element box = child(attendee, T, "Mailbox");
        if (box == null) {
          continue;
        }
        Element address = child(box, T, "EmailAddress");
        Element name = child(box, T, "Name");
        if (address == null || address.getTextContent().isBlank()) {
          throw new Refused("ErrorInvalidRecipients", "An attendee has no e-mail address.");
        }
        String email = address.getTextContent().trim();
        kept.removeIf(a -> a.email().equalsIgnoreCase(email));
        kept.add(
            new SimEvent.SimAttendee(
                name == null ? email : name.getTextContent(), email, type, "none"));
      }
      e.attendees = kept;
    }

    private static void extended(SimEvent e, Element property) {
      Element uri = child(property, T, "ExtendedFieldURI");
      Element value = child(property, T, "Value");
      if (uri == null || value == null) {
        throw new Refused(
            "ErrorInvalidExtendedProperty", "ExtendedProperty needs a URI and a value");
      }
      e.extended.put(propertyKey(uri), value.getTextContent());
    }
  }

  /** A named property's key: its property set and name (or tag). */
  static String propertyKey(Element uri) {
    String set = uri.getAttribute("DistinguishedPropertySetId");
    if (set.isEmpty()) {
      set = uri.getAttribute("PropertySetId");
    }
    String name = uri.getAttribute("PropertyName");
    if (name.isEmpty()) {
      name = uri.getAttribute("PropertyTag") + uri.getAttribute("PropertyId");
    }
    return set.toLowerCase(Locale.ROOT) + "/" + name;
  }

  private static String fieldUri(Element update) {
    for (Element c : children(update)) {
      if (c.getLocalName().equals("FieldURI")) {
        return c.getAttribute("FieldURI");
      }
      if (c.getLocalName().equals("ExtendedFieldURI")) {
        return "extended:" + propertyKey(c);
      }
      if (c.getLocalName().equals("IndexedFieldURI")) {
        return c.getAttribute("FieldURI");
      }
    }
    return "";
  }

  /** A dateTime as the request gives it: with an offset, or in the request's zone. */
  static LocalDateTime local(String text, ZoneId zone) {
    String t = text.trim();
    Instant at;
    try {
      at = OffsetDateTime.parse(t).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t);
      } catch (java.time.format.DateTimeParseException e2) {
        throw new Refused("ErrorInvalidValueForProperty", "not a dateTime: " + t);
      }
    }
    return LocalDateTime.ofInstant(at, zone);
  }

  private static ZoneId zoneOf(Element definition) {
    String id = definition.getAttribute("Id");
    ZoneId zone = Zones.fromWindows(id);
    if (zone == null) {
      throw new Refused("ErrorTimeZone", "The time zone " + id + " is not one this server knows.");
    }
    return zone;
  }

  private static String showAs(String legacy) {
    return switch (legacy) {
      case "Free" -> "free";
      case "Tentative" -> "tentative";
      case "OOF" -> "oof";
      case "WorkingElsewhere" -> "workingElsewhere";
      case "NoData" -> "unknown";
      default -> "busy";
    };
  }

  /** t:Recurrence: one of the six patterns and one of the three ranges. */
  private static SimEvent.SimRecurrence recurrence(Element r, SimEvent e) {
    Element pattern = null;
    Element range = null;
    for (Element c : children(r)) {
      if (c.getLocalName().endsWith("Recurrence")
          && !c.getLocalName().equals("NoEndRecurrence")
          && !c.getLocalName().equals("EndDateRecurrence")
          && !c.getLocalName().equals("NumberedRecurrence")) {
        pattern = c;
      } else {
        range = c;
      }
    }
    if (pattern == null || range == null) {
      throw new Refused("ErrorInvalidRecurrence", "Recurrence needs a pattern and a range.");
    }
    String type =
        switch (pattern.getLocalName()) {
          case "DailyRecurrence" -> "daily";
          case "WeeklyRecurrence" -> "weekly";
          case "AbsoluteMonthlyRecurrence" -> "absoluteMonthly";
          case "RelativeMonthlyRecurrence" -> "relativeMonthly";
          case "AbsoluteYearlyRecurrence" -> "absoluteYearly";
          case "RelativeYearlyRecurrence" -> "relativeYearly";
          default ->
              throw new Refused(
                  "ErrorInvalidRecurrence", "unknown recurrence pattern " + pattern.getLocalName());
        };
    int interval = intOf(pattern, "Interval", 1);
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    String dayText = textOf(pattern, "DaysOfWeek");
    if (dayText != null) {
      for (String d : dayText.trim().split("\\s+")) {
        days.addAll(daysOf(d));
      }
    }
    int dayOfMonth = intOf(pattern, "DayOfMonth", 0);
    String monthText = textOf(pattern, "Month");
    int month = 0;
    if (monthText != null) {
      for (java.time.Month m : java.time.Month.values()) {
        if (m.getDisplayName(TextStyle.FULL, Locale.ENGLISH).equals(monthText.trim())) {
          month = m.getValue();
        }
      }
    }
    String indexText = textOf(pattern, "DayOfWeekIndex");
    int index =
        indexText == null
            ? 1
            : switch (indexText.trim()) {
              case "First" -> 1;
              case "Second" -> 2;
              case "Third" -> 3;
              case "Fourth" -> 4;
              case "Last" -> -1;
              default ->
                  throw new Refused("ErrorInvalidRecurrence", "bad DayOfWeekIndex " + indexText);
            };
    String first = textOf(pattern, "FirstDayOfWeek");
    DayOfWeek firstDay =
        first == null ? DayOfWeek.SUNDAY : DayOfWeek.valueOf(first.trim().toUpperCase(Locale.ROOT));
    LocalDate endDate = null;
    Integer count = null;
    switch (range.getLocalName()) {
      case "EndDateRecurrence" -> endDate = date(textOf(range, "EndDate"));
      case "NumberedRecurrence" -> count = intOf(range, "NumberOfOccurrences", 1);
      default -> {}
    }
    if ((type.equals("weekly") || type.startsWith("relative")) && days.isEmpty()) {
      throw new Refused("ErrorInvalidRecurrence", "DaysOfWeek is required for " + type);
    }
    return new SimEvent.SimRecurrence(
        type, interval, days, dayOfMonth, endDate, count, month, index, firstDay);
  }

  private static LocalDate date(String text) {
    String t = text.trim();
    return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
  }

  private static Set<DayOfWeek> daysOf(String name) {
    return switch (name) {
      case "Day" -> EnumSet.allOf(DayOfWeek.class);
      case "Weekday" -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
      case "WeekendDay" -> EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      default -> {
        try {
          yield EnumSet.of(DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new Refused("ErrorInvalidRecurrence", "'" + name + "' is not a day of the week");
        }
      }
    };
  }

  private static String textOf(Element parent, String name) {
    Element e = child(parent, T, name);
    return e == null ? null : e.getTextContent();
  }

  private static int intOf(Element parent, String name, int fallback) {
    String text = textOf(parent, name);
    try {
      return text == null ? fallback : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new Refused("ErrorInvalidValueForProperty", name + " is not a number: " + text);
    }
  }

  static List<String> emails(List<SimEvent.SimAttendee> attendees) {
    Set<String> out = new LinkedHashSet<>();
    for (SimEvent.SimAttendee a : attendees) {
      out.add(a.email().toLowerCase(Locale.ROOT));
    }
    return new ArrayList<>(out);
  }

  private static Xml open(String op) {
    Xml x = new Xml();
    return x.open("m:" + op + "Response", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
  }

  private static String close(Xml x, String op) {
    return x.close("m:ResponseMessages").close("m:" + op + "Response").toString();
  }

  private static void error(Xml x, String op, Refused r) {
    x.open("m:" + op + "ResponseMessage", "ResponseClass", "Error")
        .text("m:MessageText", r.getMessage())
        .text("m:ResponseCode", r.code)
        .text("m:DescriptiveLinkKey", 0)
        .close("m:" + op + "ResponseMessage");
  }
}
