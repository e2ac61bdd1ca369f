package org.exbridge.exchange.ews;

import static org.exbridge.exchange.ews.EwsRequests.escape;
import static org.exbridge.exchange.ews.XmlNode.M;
import static org.exbridge.exchange.ews.XmlNode.T;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.exbridge.exchange.EventDraft;
import org.exbridge.exchange.EventDraft.Field;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeWriter;
import org.exbridge.exchange.RecurrenceExpansion;
import org.exbridge.exchange.RecurrencePattern;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.tz.WindowsZones;

/**
 * The EWS side of two-way: CreateItem (stamped with exbridge's write id as a PublicStrings named
 * property, looked up before creating again), UpdateItem with NeverOverwrite on the change key the
 * edit was based on, DeleteItem; start and end always with their zone's definition.
 */
final class EwsWriter implements ExchangeWriter {
  /** The named property (PublicStrings) that carries exbridge's write id on items it created. */
  static final String WRITE_ID_PROPERTY = "exbridge-write-id";

  private static final String WRITE_ID_URI =
      "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\""
          + WRITE_ID_PROPERTY
          + "\" PropertyType=\"String\"/>";

  private final EwsClient client;

  EwsWriter(EwsClient client) {
    this.client = client;
  }

  @Override
  public ExchangeWriter.Written create(
      String mailbox,
      String calendarId,
      EventDraft draft,
      String writeId,
      boolean mayExist,
      boolean notify) {
    if (mayExist) {
      ExchangeWriter.Written found = findStamped(mailbox, calendarId, writeId);
      if (found != null) {
        return found;
      }
    }
    String send = notify && !draft.attendees().isEmpty() ? "SendToAllAndSaveCopy" : "SendToNone";
    StringBuilder item = new StringBuilder("<t:CalendarItem>");
    item.append(text("t:Subject", draft.subject()));
    item.append(text("t:Sensitivity", draft.isPrivate() ? "Private" : "Normal"));
    item.append("<t:Body BodyType=\"Text\">").append(escape(draft.body())).append("</t:Body>");
    item.append(text("t:ReminderIsSet", Boolean.toString(draft.reminderMinutes() != null)));
    if (draft.reminderMinutes() != null) {
      item.append(text("t:ReminderMinutesBeforeStart", draft.reminderMinutes().toString()));
    }
    item.append("<t:ExtendedProperty>")
        .append(WRITE_ID_URI)
        .append(text("t:Value", writeId))
        .append("</t:ExtendedProperty>");
    item.append(text("t:Start", instant(draft.start(), draft.zone()).toString()));
    item.append(text("t:End", instant(draft.end(), draft.zone()).toString()));
    item.append(text("t:IsAllDayEvent", Boolean.toString(draft.allDay())));
    item.append(text("t:LegacyFreeBusyStatus", draft.free() ? "Free" : "Busy"));
    item.append(text("t:Location", draft.location()));
    for (SourceEvent.Attendee.Type type : SourceEvent.Attendee.Type.values()) {
      String list = attendees(draft.attendees(), type);
      if (list != null) {
        item.append(list);
      }
    }
    if (draft.recurrence() != null) {
      item.append(recurrence(draft));
    }
    item.append(zones(draft.zone()));
    item.append("</t:CalendarItem>");
    String body =
        "<m:CreateItem SendMeetingInvitations=\""
            + send
            + "\"><m:SavedItemFolderId><t:FolderId Id=\""
            + escape(calendarId)
            + "\"/></m:SavedItemFolderId><m:Items>"
            + item
            + "</m:Items></m:CreateItem>";
    XmlNode message = client.operation(mailbox, body, "CreateItem").get(0);
    return written(message);
  }

  @Override
  public ExchangeWriter.Written update(
      String mailbox,
      ExchangeWriter.ItemRef ref,
      String changeKey,
      EventDraft draft,
      Set<Field> fields,
      boolean notify) {
    boolean occurrence = ref.occurrence() != null;
    StringBuilder updates = new StringBuilder();
    for (Field f : fields) {
      switch (f) {
        case SUMMARY -> updates.append(set("item:Subject", text("t:Subject", draft.subject())));
        case DESCRIPTION ->
            updates.append(
                set(
                    "item:Body",
                    "<t:Body BodyType=\"Text\">" + escape(draft.body()) + "</t:Body>"));
        case LOCATION ->
            updates.append(set("calendar:Location", text("t:Location", draft.location())));
        case TIME -> {
          if (!occurrence) {
            String id = windowsId(draft.zone());
            updates.append(
                set("calendar:StartTimeZone", "<t:StartTimeZone Id=\"" + escape(id) + "\"/>"));
            updates.append(
                set("calendar:EndTimeZone", "<t:EndTimeZone Id=\"" + escape(id) + "\"/>"));
            updates.append(
                set(
                    "calendar:IsAllDayEvent",
                    text("t:IsAllDayEvent", Boolean.toString(draft.allDay()))));
          }
          updates.append(
              set(
                  "calendar:Start",
                  text("t:Start", instant(draft.start(), draft.zone()).toString())));
          updates.append(
              set("calendar:End", text("t:End", instant(draft.end(), draft.zone()).toString())));
        }
        case FREE_BUSY ->
            updates.append(
                set(
                    "calendar:LegacyFreeBusyStatus",
                    text("t:LegacyFreeBusyStatus", draft.free() ? "Free" : "Busy")));
        case VISIBILITY ->
            updates.append(
                set(
                    "item:Sensitivity",
                    text("t:Sensitivity", draft.isPrivate() ? "Private" : "Normal")));
        case REMINDER -> {
          updates.append(
              set(
                  "item:ReminderIsSet",
                  text("t:ReminderIsSet", Boolean.toString(draft.reminderMinutes() != null))));
          if (draft.reminderMinutes() != null) {
            updates.append(
                set(
                    "item:ReminderMinutesBeforeStart",
                    text("t:ReminderMinutesBeforeStart", draft.reminderMinutes().toString())));
          }
        }
        case RECURRENCE ->
            updates.append(
                draft.recurrence() == null
                    ? "<t:DeleteItemField><t:FieldURI FieldURI=\"calendar:Recurrence\"/></t:DeleteItemField>"
                    : set("calendar:Recurrence", recurrence(draft)));
        case ATTENDEES -> {
          for (SourceEvent.Attendee.Type type : SourceEvent.Attendee.Type.values()) {
            String list = attendees(draft.attendees(), type);
            updates.append(
                list == null
                    ? "<t:DeleteItemField><t:FieldURI FieldURI=\"calendar:"
                        + ATTENDEE_LISTS.get(type)
                        + "\"/></t:DeleteItemField>"
                    : set("calendar:" + ATTENDEE_LISTS.get(type), list));
          }
        }
      }
    }
    // A change of the attendees alone mails only those added or removed.
    String send =
        !notify || draft.attendees().isEmpty() && !fields.contains(Field.ATTENDEES)
            ? "SendToNone"
            : fields.equals(Set.of(Field.ATTENDEES))
                ? "SendToChangedAndSaveCopy"
                : "SendToAllAndSaveCopy";
    String body =
        "<m:UpdateItem MessageDisposition=\"SaveOnly\" ConflictResolution=\""
            + (changeKey == null ? "AutoResolve" : "NeverOverwrite")
            + "\" SendMeetingInvitationsOrCancellations=\""
            + send
            + "\"><m:ItemChanges><t:ItemChange>"
            + itemId(ref, changeKey)
            + "<t:Updates>"
            + updates
            + "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>";
    XmlNode message = client.operation(mailbox, body, "UpdateItem").get(0);
    return written(message);
  }

  @Override
  public void delete(String mailbox, ExchangeWriter.ItemRef ref, boolean notify) {
    // Exchange mails only a meeting's attendees, and only for a meeting the mailbox organises.
    String send = notify ? "SendToAllAndSaveCopy" : "SendToNone";
    String body =
        "<m:DeleteItem DeleteType=\"MoveToDeletedItems\" SendMeetingCancellations=\""
            + send
            + "\"><m:ItemIds>"
            + itemId(ref, null)
            + "</m:ItemIds></m:DeleteItem>";
    client.operation(mailbox, body, "DeleteItem");
  }

  @Override
  public void reply(
      String mailbox, ExchangeWriter.ItemRef ref, SourceEvent.Attendee.Response response) {
    String element =
        switch (response) {
          case ACCEPTED -> "t:AcceptItem";
          case TENTATIVE -> "t:TentativelyAcceptItem";
          default -> "t:DeclineItem";
        };
    String body =
        "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><"
            + element
            + "><t:ReferenceItemId Id=\""
            + escape(ref.itemId())
            + "\"/></"
            + element
            + "></m:Items></m:CreateItem>";
    client.operation(mailbox, body, "CreateItem");
  }

  @Override
  public SourceEvent read(String mailbox, String itemId) {
    return client.readItem(mailbox, itemId);
  }

  /** The item this mailbox's calendar holds with exbridge's write id, or null. */
  private ExchangeWriter.Written findStamped(String mailbox, String calendarId, String writeId) {
    String body =
        "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
            + "<m:IndexedPageItemView MaxEntriesReturned=\"2\" Offset=\"0\" BasePoint=\"Beginning\"/>"
            + "<m:Restriction><t:IsEqualTo>"
            + WRITE_ID_URI
            + "<t:FieldURIOrConstant><t:Constant Value=\""
            + escape(writeId)
            + "\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
            + "<m:ParentFolderIds><t:FolderId Id=\""
            + escape(calendarId)
            + "\"/></m:ParentFolderIds></m:FindItem>";
    XmlNode message = client.operation(mailbox, body, "FindItem").get(0);
    XmlNode id = message.find(T, "ItemId");
    return id == null ? null : new ExchangeWriter.Written(id.attr("Id"), id.attr("ChangeKey"));
  }

  private static ExchangeWriter.Written written(XmlNode message) {
    XmlNode items = message.child(M, "Items");
    XmlNode id = items == null ? null : items.find(T, "ItemId");
    if (id == null) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE, "malformed", "Exchange answered without an ItemId");
    }
    return new ExchangeWriter.Written(id.attr("Id"), id.attr("ChangeKey"));
  }

  private static String itemId(ExchangeWriter.ItemRef ref, String changeKey) {
    ExchangeWriter.Occurrence o = ref.occurrence();
    if (o == null) {
      return "<t:ItemId Id=\""
          + escape(ref.itemId())
          + "\""
          + (changeKey == null ? "" : " ChangeKey=\"" + escape(changeKey) + "\"")
          + "/>";
    }
    if (o.ownItemId() != null) {
      return "<t:ItemId Id=\"" + escape(o.ownItemId()) + "\"/>";
    }
    return "<t:OccurrenceItemId RecurringMasterId=\""
        + escape(ref.itemId())
        + "\" InstanceIndex=\""
        + instanceIndex(o)
        + "\"/>";
  }

  /** The occurrence's 1-based index in its series, deleted occurrences counted, as EWS counts. */
  static int instanceIndex(ExchangeWriter.Occurrence o) {
    ZoneId zone = o.recurrence().zone();
    LocalDateTime first = local(o.first(), zone);
    LocalDateTime wanted = local(o.originalStart(), zone);
    List<LocalDateTime> starts =
        RecurrenceExpansion.starts(o.recurrence().rrule(), first, zone, wanted, 100_000);
    int index = starts.indexOf(wanted);
    if (index < 0) {
      throw new ExchangeException(
          ExchangeException.Kind.ITEM_GONE,
          "ErrorItemNotFound",
          "the series has no occurrence at " + wanted);
    }
    return index + 1;
  }

  private static LocalDateTime local(EventTime t, ZoneId zone) {
    return t.allDay() ? t.date().atStartOfDay() : LocalDateTime.ofInstant(t.instant(), zone);
  }

  static Instant instant(EventTime t, ZoneId zone) {
    return t.allDay() ? t.date().atStartOfDay(zone).toInstant() : t.instant();
  }

  private static String windowsId(ZoneId zone) {
    return WindowsZones.windowsId(zone).orElse("UTC");
  }

  private static String zones(ZoneId zone) {
    String id = escape(windowsId(zone));
    return "<t:StartTimeZone Id=\"" + id + "\"/><t:EndTimeZone Id=\"" + id + "\"/>";
  }

  private static String set(String fieldUri, String value) {
    return "<t:SetItemField><t:FieldURI FieldURI=\""
        + fieldUri
        + "\"/><t:CalendarItem>"
        + value
        + "</t:CalendarItem></t:SetItemField>";
  }

  private static String text(String element, String value) {
    return "<" + element + ">" + escape(value == null ? "" : value) + "</" + element + ">";
  }

  private static final java.util.Map<SourceEvent.Attendee.Type, String> ATTENDEE_LISTS =
      java.util.Map.of(
          SourceEvent.Attendee.Type.REQUIRED, "RequiredAttendees",
          SourceEvent.Attendee.Type.OPTIONAL, "OptionalAttendees",
          SourceEvent.Attendee.Type.RESOURCE, "Resources");

  /** The attendees of one kind as their EWS list, or null when there are none. */
  private static String attendees(List<SourceEvent.Attendee> all, SourceEvent.Attendee.Type type) {
    List<SourceEvent.Attendee> people = all.stream().filter(a -> a.type() == type).toList();
    if (people.isEmpty()) {
      return null;
    }
    String list = ATTENDEE_LISTS.get(type);
    StringBuilder b = new StringBuilder("<t:").append(list).append(">");
    for (SourceEvent.Attendee p : people) {
      b.append("<t:Attendee><t:Mailbox>");
      if (p.name() != null && !p.name().isBlank()) {
        b.append(text("t:Name", p.name()));
      }
      b.append(text("t:EmailAddress", p.email()))
          .append("<t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Attendee>");
    }
    return b.append("</t:").append(list).append(">").toString();
  }

  /** t:Recurrence: the pattern and its range, dates in the series' zone. */
  static String recurrence(EventDraft draft) {
    RecurrencePattern r = draft.recurrence();
    StringBuilder b = new StringBuilder("<t:Recurrence>");
    String interval = text("t:Interval", Integer.toString(Math.max(1, r.interval())));
    switch (r.type()) {
      case DAILY -> b.append("<t:DailyRecurrence>").append(interval).append("</t:DailyRecurrence>");
      case WEEKLY ->
          b.append("<t:WeeklyRecurrence>")
              .append(interval)
              .append(
                  text(
                      "t:DaysOfWeek",
                      String.join(
                          " ", r.daysOfWeek().stream().sorted().map(EwsWriter::day).toList())))
              .append(text("t:FirstDayOfWeek", day(r.firstDayOfWeek())))
              .append("</t:WeeklyRecurrence>");
      case ABSOLUTE_MONTHLY ->
          b.append("<t:AbsoluteMonthlyRecurrence>")
              .append(interval)
              .append(text("t:DayOfMonth", Integer.toString(r.dayOfMonth())))
              .append("</t:AbsoluteMonthlyRecurrence>");
      case RELATIVE_MONTHLY ->
          b.append("<t:RelativeMonthlyRecurrence>")
              .append(interval)
              .append(text("t:DaysOfWeek", pseudoDay(r.daysOfWeek())))
              .append(text("t:DayOfWeekIndex", index(r.index())))
              .append("</t:RelativeMonthlyRecurrence>");
      case ABSOLUTE_YEARLY ->
          b.append("<t:AbsoluteYearlyRecurrence>")
              .append(text("t:DayOfMonth", Integer.toString(r.dayOfMonth())))
              .append(text("t:Month", month(r.month())))
              .append("</t:AbsoluteYearlyRecurrence>");
      case RELATIVE_YEARLY ->
          b.append("<t:RelativeYearlyRecurrence>")
              .append(text("t:DaysOfWeek", pseudoDay(r.daysOfWeek())))
              .append(text("t:DayOfWeekIndex", index(r.index())))
              .append(text("t:Month", month(r.month())))
              .append("</t:RelativeYearlyRecurrence>");
    }
    String startDate = localDate(draft.start(), draft.zone()).toString();
    switch (r.range()) {
      case NUMBERED ->
          b.append("<t:NumberedRecurrence>")
              .append(text("t:StartDate", startDate))
              .append(text("t:NumberOfOccurrences", Integer.toString(r.count())))
              .append("</t:NumberedRecurrence>");
      case END_DATE ->
          b.append("<t:EndDateRecurrence>")
              .append(text("t:StartDate", startDate))
              .append(text("t:EndDate", r.endDate().toString()))
              .append("</t:EndDateRecurrence>");
      case NO_END ->
          b.append("<t:NoEndRecurrence>")
              .append(text("t:StartDate", startDate))
              .append("</t:NoEndRecurrence>");
    }
    return b.append("</t:Recurrence>").toString();
  }

  private static java.time.LocalDate localDate(EventTime t, ZoneId zone) {
    return t.allDay() ? t.date() : t.instant().atZone(zone).toLocalDate();
  }

  private static String day(DayOfWeek d) {
    return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static String pseudoDay(List<DayOfWeek> days) {
    if (days.size() == 7) {
      return "Day";
    }
    if (days.equals(RecurrencePattern.days("weekday"))) {
      return "Weekday";
    }
    if (days.equals(RecurrencePattern.days("weekendday"))) {
      return "WeekendDay";
    }
    return day(days.get(0));
  }

  private static String index(int index) {
    return switch (index) {
      case 1 -> "First";
      case 2 -> "Second";
      case 3 -> "Third";
      case 4 -> "Fourth";
      default -> "Last";
    };
  }

  private static String month(int month) {
    return java.time.Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }
}
