package org.exbridge.simulator;

import static org.exbridge.simulator.EwsService.M;
import static org.exbridge.simulator.EwsService.T;
import static org.exbridge.simulator.EwsService.child;
import static org.exbridge.simulator.EwsService.children;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/** The EWS operations, each turning a request element into the response body's content. */
final class EwsOperations {
  static final long ROOT = -1;
  static final long INBOX = -2;
  static final long DELETED_ITEMS = -3;
  static final long OLD_CALENDAR = -4;

  private EwsOperations() {}

  record Folder(long number, long parent, String folderClass, String name) {}

  static List<Folder> folders(SimMailbox mailbox) {
    List<Folder> out = new ArrayList<>();
    out.add(new Folder(INBOX, ROOT, "IPF.Note", "Inbox"));
    out.add(new Folder(DELETED_ITEMS, ROOT, "IPF.Note", "Deleted Items"));
    out.add(new Folder(OLD_CALENDAR, DELETED_ITEMS, "IPF.Appointment", "Old calendar"));
    for (SimMailbox.SimCalendar c : mailbox.calendars) {
      out.add(
          new Folder(
              c.number,
              c.isDefault ? ROOT : mailbox.defaultCalendar().number,
              "IPF.Appointment",
              c.name));
    }
    return out;
  }

  private static long distinguished(SimMailbox mailbox, String id) {
    return switch (id) {
      case "calendar" -> mailbox.defaultCalendar().number;
      case "deleteditems" -> DELETED_ITEMS;
      case "inbox" -> INBOX;
      case "msgfolderroot", "root" -> ROOT;
      default -> Long.MIN_VALUE;
    };
  }

  /** The folder a FolderId or DistinguishedFolderId names, or MIN_VALUE. */
  static long folderNumber(SimMailbox mailbox, Element id) {
    if (id == null) {
      return Long.MIN_VALUE;
    }
    if (id.getLocalName().equals("DistinguishedFolderId")) {
      return distinguished(mailbox, id.getAttribute("Id"));
    }
    Ids.Parsed p = Ids.parse(id.getAttribute("Id"));
    if (p == null || p.kind() != Ids.Kind.FOLDER || !p.mailbox().equals(mailbox.address)) {
      return Long.MIN_VALUE;
    }
    return p.number();
  }

  private static void folder(Xml x, SimMailbox mailbox, Folder f) {
    String element = f.folderClass().equals("IPF.Appointment") ? "t:CalendarFolder" : "t:Folder";
    x.open(element);
    x.empty(
        "t:FolderId",
        "Id",
        Ids.ews(Ids.Kind.FOLDER, mailbox.address, f.number()),
        "ChangeKey",
        "AgAAABYAAAA=");
    x.empty(
        "t:ParentFolderId",
        "Id",
        Ids.ews(Ids.Kind.FOLDER, mailbox.address, f.parent()),
        "ChangeKey",
        "AQAAAA==");
    x.text("t:FolderClass", f.folderClass());
    x.text("t:DisplayName", f.name());
    SimMailbox.SimCalendar counted =
        f.folderClass().equals("IPF.Appointment") ? mailbox.calendar(f.number()) : null;
    // Exchange counts the folder's items: singles and series masters (occurrences are not items).
    x.text("t:TotalCount", counted == null ? 0 : counted.events.size());
    x.text("t:ChildFolderCount", 0);
    if (element.equals("t:CalendarFolder")) {
      SimMailbox.SimCalendar c = mailbox.calendar(f.number());
      boolean edit = c == null || c.canEdit;
      x.open("t:EffectiveRights")
          .text("t:CreateAssociated", edit)
          .text("t:CreateContents", edit)
          .text("t:CreateHierarchy", edit)
          .text("t:Delete", edit)
          .text("t:Modify", edit)
          .text("t:Read", true)
          .close("t:EffectiveRights");
    }
    x.close(element);
  }

  static String getFolder(SimMailbox mailbox, Element op) {
    Xml x = new Xml();
    x.open("m:GetFolderResponse", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    Element ids = child(op, M, "FolderIds");
    List<Folder> all = folders(mailbox);
    for (Element id : ids == null ? List.<Element>of() : children(ids)) {
      long number = folderNumber(mailbox, id);
      Folder found =
          number == ROOT
              ? new Folder(ROOT, ROOT, "IPF.Note", "Top of Information Store")
              : all.stream().filter(f -> f.number() == number).findFirst().orElse(null);
      if (found == null) {
        error(
            x,
            "GetFolder",
            "ErrorFolderNotFound",
            "The specified folder could not be found in the store.");
        continue;
      }
      x.open("m:GetFolderResponseMessage", "ResponseClass", "Success")
          .text("m:ResponseCode", "NoError")
          .open("m:Folders");
      folder(x, mailbox, found);
      x.close("m:Folders").close("m:GetFolderResponseMessage");
    }
    return x.close("m:ResponseMessages").close("m:GetFolderResponse").toString();
  }

  static String syncFolderHierarchy(SimMailbox mailbox, Element op) {
    Element stateElement = child(op, M, "SyncState");
    String state = stateElement == null ? "" : stateElement.getTextContent().trim();
    List<Folder> all = folders(mailbox);
    String current = "SH" + all.hashCode();
    String encoded =
        java.util.Base64.getEncoder()
            .encodeToString(current.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Xml x = new Xml();
    x.open("m:SyncFolderHierarchyResponse", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    x.open("m:SyncFolderHierarchyResponseMessage", "ResponseClass", "Success")
        .text("m:ResponseCode", "NoError");
    x.text("m:SyncState", encoded).text("m:IncludesLastFolderInRange", true).open("m:Changes");
    if (!state.equals(encoded)) {
      for (Folder f : all) {
        x.open("t:Create");
        folder(x, mailbox, f);
        x.close("t:Create");
      }
    }
    x.close("m:Changes").close("m:SyncFolderHierarchyResponseMessage");
    return x.close("m:ResponseMessages").close("m:SyncFolderHierarchyResponse").toString();
  }

  static String findItem(SimMailbox mailbox, Element op) {
    Xml x = new Xml();
    x.open("m:FindItemResponse", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    Element view = child(op, M, "CalendarView");
    Element parents = child(op, M, "ParentFolderIds");
    SimMailbox.SimCalendar calendar =
        parents == null
            ? null
            : mailbox.calendar(folderNumber(mailbox, EwsService.firstElement(parents)));
    if (calendar == null) {
      error(
          x,
          "FindItem",
          "ErrorFolderNotFound",
          "The specified folder could not be found in the store.");
    } else if (view == null) {
      indexedPage(x, mailbox, calendar, op);
    } else {
      Instant from = EwsService.instant(view.getAttribute("StartDate"));
      Instant to = EwsService.instant(view.getAttribute("EndDate"));
      if (Duration.between(from, to).toDays() > 730 || to.isBefore(from)) {
        error(x, "FindItem", "ErrorCalendarViewRangeTooBig", "The calendar view range is too big.");
      } else {
        String max = view.getAttribute("MaxEntriesReturned");
        int limit =
            Math.min(FIND_COUNT(), max.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(max));
        List<EwsItems.Target> inView = calendarView(mailbox, calendar, from, to);
        Set<String> props = additionalProperties(op);
        boolean idOnly = isIdOnly(op);
        x.open("m:FindItemResponseMessage", "ResponseClass", "Success")
            .text("m:ResponseCode", "NoError");
        x.open(
            "m:RootFolder",
            "TotalItemsInView",
            Integer.toString(inView.size()),
            "IncludesLastItemInRange",
            Boolean.toString(inView.size() <= limit));
        x.open("t:Items");
        for (EwsItems.Target t : inView.subList(0, Math.min(limit, inView.size()))) {
          item(x, t, op, props, idOnly);
        }
        x.close("t:Items").close("m:RootFolder").close("m:FindItemResponseMessage");
      }
    }
    return x.close("m:ResponseMessages").close("m:FindItemResponse").toString();
  }

  /**
   * FindItem without a CalendarView: the folder's items themselves (singles and recurring masters,
   * no expanded occurrences), by start, paged by IndexedPageItemView's offset as Exchange pages
   * them.
   */
  private static void indexedPage(
      Xml x, SimMailbox mailbox, SimMailbox.SimCalendar calendar, Element op) {
    Element paging = child(op, M, "IndexedPageItemView");
    int max = FIND_COUNT();
    int offset = 0;
    boolean fromEnd = false;
    if (paging != null) {
      String m = paging.getAttribute("MaxEntriesReturned");
      if (!m.isEmpty()) {
        max = Math.min(max, Integer.parseInt(m));
      }
      offset =
          Integer.parseInt(
              paging.getAttribute("Offset").isEmpty() ? "0" : paging.getAttribute("Offset"));
      fromEnd = "End".equals(paging.getAttribute("BasePoint"));
    }
    if (max < 1 || offset < 0) {
      error(
          x, "FindItem", "ErrorInvalidRequest", "MaxEntriesReturned and Offset must be positive.");
      return;
    }
    java.util.function.Predicate<SimEvent> restriction;
    try {
      restriction = restriction(op);
    } catch (IllegalArgumentException e) {
      error(x, "FindItem", "ErrorInvalidRestriction", e.getMessage());
      return;
    }
    List<EwsItems.Target> all = new ArrayList<>();
    for (SimEvent e : calendar.events.values()) {
      if (restriction.test(e)) {
        all.add(new EwsItems.Target(mailbox, calendar, e, null));
      }
    }
    all.sort(EwsService.byStart());
    int total = all.size();
    int first = fromEnd ? Math.max(0, total - offset - max) : Math.min(offset, total);
    int last = fromEnd ? Math.max(0, total - offset) : Math.min(total, offset + max);
    Set<String> props = additionalProperties(op);
    boolean idOnly = isIdOnly(op);
    x.open("m:FindItemResponseMessage", "ResponseClass", "Success")
        .text("m:ResponseCode", "NoError");
    x.open(
        "m:RootFolder",
        "IndexedPagingOffset",
        Integer.toString(fromEnd ? total - first : last),
        "TotalItemsInView",
        Integer.toString(total),
        "IncludesLastItemInRange",
        Boolean.toString(fromEnd ? first == 0 : last >= total));
    x.open("t:Items");
    for (EwsItems.Target t : all.subList(first, last)) {
      item(x, t, op, props, idOnly);
    }
    x.close("t:Items").close("m:RootFolder").close("m:FindItemResponseMessage");
  }

  /**
   * A FindItem Restriction: the simulator understands IsEqualTo on a named property (how clients
   * find an item they stamped before a lost answer) and refuses anything else in words.
   */
  private static java.util.function.Predicate<SimEvent> restriction(Element op) {
    Element r = child(op, M, "Restriction");
    if (r == null) {
      return e -> true;
    }
    Element test = EwsService.firstElement(r);
    if (test == null || !test.getLocalName().equals("IsEqualTo")) {
      throw new IllegalArgumentException(
          "the simulator's FindItem restrictions are IsEqualTo on an extended property");
    }
    Element uri = child(test, T, "ExtendedFieldURI");
    Element holder = child(test, T, "FieldURIOrConstant");
    Element constant = holder == null ? null : child(holder, T, "Constant");
    if (uri == null || constant == null) {
      throw new IllegalArgumentException(
          "the simulator's FindItem restrictions are IsEqualTo on an extended property");
    }
    String key = EwsWrites.propertyKey(uri);
    String value = constant.getAttribute("Value");
    return e -> value.equals(e.extended.get(key));
  }

  /** What {@link #summary} writes itself, quickly, for IdOnly requests such as the server's. */
  private static final Set<String> SUMMARY =
      Set.of(
          "item:Subject",
          "calendar:UID",
          "calendar:Start",
          "calendar:End",
          "calendar:IsAllDayEvent",
          "calendar:Location",
          "calendar:CalendarItemType");

  /** An item in the shape asked for (see {@link EwsShapes}). */
  private static void item(
      Xml x, EwsItems.Target t, Element op, Set<String> props, boolean idOnly) {
    if (idOnly && SUMMARY.containsAll(props)) {
      summary(x, t, props, true);
    } else {
      EwsShapes.item(x, t, EwsShapes.wanted(op));
    }
  }

  private static int FIND_COUNT() {
    return EwsService.FIND_COUNT_LIMIT;
  }

  /** Singles and occurrences (exceptions in place) overlapping [from, to), by start. */
  static List<EwsItems.Target> calendarView(
      SimMailbox mailbox, SimMailbox.SimCalendar calendar, Instant from, Instant to) {
    List<EwsItems.Target> out = new ArrayList<>();
    for (SimEvent e : calendar.events.values()) {
      if (!e.recurring()) {
        if (e.instant(e.start).isBefore(to) && e.instant(e.end).isAfter(from)) {
          out.add(new EwsItems.Target(mailbox, calendar, e, null));
        }
        continue;
      }
      LocalDateTime until = EwsService.local(e, to).plusDays(1);
      for (Occurrences.Occurrence o : Occurrences.live(e, until)) {
        if (o.startAt().isBefore(to) && o.endAt().isAfter(from)) {
          out.add(new EwsItems.Target(mailbox, calendar, e, o.originalStart()));
        }
      }
    }
    out.sort(EwsService.byStart());
    return out;
  }

  private static Set<String> additionalProperties(Element op) {
    Set<String> props = new HashSet<>();
    Element shape = child(op, M, "ItemShape");
    Element extra = shape == null ? null : child(shape, T, "AdditionalProperties");
    if (extra != null) {
      for (Element f : children(extra)) {
        props.add(f.getAttribute("FieldURI"));
      }
    }
    return props;
  }

  private static boolean isIdOnly(Element op) {
    Element shape = child(op, M, "ItemShape");
    Element base = shape == null ? null : child(shape, T, "BaseShape");
    return base != null && base.getTextContent().trim().equals("IdOnly");
  }

  private static void summary(Xml x, EwsItems.Target t, Set<String> props, boolean idOnly) {
    SimEvent e = t.event();
    x.open("t:CalendarItem");
    x.empty("t:ItemId", "Id", t.ewsId(), "ChangeKey", EwsItems.changeKey(e.version));
    SimEvent.SimOverride o = t.override();
    if (!idOnly || props.contains("item:Subject")) {
      x.text("t:Subject", o != null && o.subject != null ? o.subject : e.subject);
    }
    if (props.contains("calendar:UID")) {
      x.text("t:UID", EwsItems.uid(t.mailbox(), e));
    }
    if (!idOnly || props.contains("calendar:Start")) {
      x.text("t:Start", EwsItems.utc(e.instant(t.start())));
    }
    if (!idOnly || props.contains("calendar:End")) {
      x.text("t:End", EwsItems.utc(t.endAt()));
    }
    if (props.contains("calendar:IsAllDayEvent")) {
      x.text("t:IsAllDayEvent", e.allDay);
    }
    if (!idOnly || props.contains("calendar:Location")) {
      x.text("t:Location", o != null && o.location != null ? o.location : e.location);
    }
    if (!idOnly || props.contains("calendar:CalendarItemType")) {
      x.text("t:CalendarItemType", t.type());
    }
    x.close("t:CalendarItem");
  }

  static String getItem(SimMailbox mailbox, Element op) {
    Xml x = new Xml();
    x.open("m:GetItemResponse", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    Element ids = child(op, M, "ItemIds");
    Set<String> wanted = EwsShapes.wanted(op);
    for (Element id : ids == null ? List.<Element>of() : children(ids)) {
      EwsItems.Target t = resolve(mailbox, id);
      if (t == null) {
        error(
            x, "GetItem", "ErrorItemNotFound", "The specified object was not found in the store.");
        continue;
      }
      x.open("m:GetItemResponseMessage", "ResponseClass", "Success")
          .text("m:ResponseCode", "NoError")
          .open("m:Items");
      EwsShapes.item(x, t, wanted);
      x.close("m:Items").close("m:GetItemResponseMessage");
    }
    return x.close("m:ResponseMessages").close("m:GetItemResponse").toString();
  }

  /** The calendar a FolderId or DistinguishedFolderId names, or null. */
  static SimMailbox.SimCalendar calendarOf(SimMailbox mailbox, Element id) {
    return id == null ? null : mailbox.calendar(folderNumber(mailbox, id));
  }

  /** What an ItemId, OccurrenceItemId or RecurringMasterItemId names, or null. */
  static EwsItems.Target target(SimMailbox mailbox, Element id) {
    return resolve(mailbox, id);
  }

  /** What an ItemId, OccurrenceItemId or RecurringMasterItemId names, or null. */
  private static EwsItems.Target resolve(SimMailbox mailbox, Element id) {
    String local = id.getLocalName();
    Ids.Parsed p;
    switch (local) {
      case "ItemId" -> p = Ids.parse(id.getAttribute("Id"));
      case "RecurringMasterItemId" -> {
        Ids.Parsed occurrence = Ids.parse(id.getAttribute("OccurrenceId"));
        p =
            occurrence == null
                ? null
                : new Ids.Parsed(Ids.Kind.ITEM, occurrence.mailbox(), occurrence.number(), null);
      }
      case "OccurrenceItemId" -> {
        Ids.Parsed master = Ids.parse(id.getAttribute("RecurringMasterId"));
        if (master == null) {
          return null;
        }
        SimEvent e = mailbox.event(master.number());
        int index = Integer.parseInt(id.getAttribute("InstanceIndex"));
        if (e == null || !e.recurring() || index < 1) {
          return null;
        }
        List<LocalDateTime> starts = Occurrences.originalStarts(e, e.start.plusYears(100));
        if (index > starts.size() || e.deleted.contains(starts.get(index - 1))) {
          return null;
        }
        p =
            new Ids.Parsed(
                Ids.Kind.OCCURRENCE,
                master.mailbox(),
                master.number(),
                starts.get(index - 1).toString());
      }
      default -> p = null;
    }
    if (p == null || !p.mailbox().equals(mailbox.address)) {
      return null;
    }
    SimEvent e = mailbox.event(p.number());
    if (e == null) {
      return null;
    }
    SimMailbox.SimCalendar calendar = mailbox.calendarOf(p.number());
    if (p.kind() == Ids.Kind.ITEM) {
      return new EwsItems.Target(mailbox, calendar, e, null);
    }
    if (p.kind() != Ids.Kind.OCCURRENCE || !e.recurring()) {
      return null;
    }
    LocalDateTime original = LocalDateTime.parse(p.occurrenceKey());
    if (e.deleted.contains(original)
        || !Occurrences.originalStarts(e, original).contains(original)) {
      return null;
    }
    return new EwsItems.Target(mailbox, calendar, e, original);
  }

  static String syncFolderItems(SimMailbox mailbox, Element op) {
    Xml x = new Xml();
    x.open("m:SyncFolderItemsResponse", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    Element folder = child(op, M, "SyncFolderId");
    long folderNumber =
        folder == null ? Long.MIN_VALUE : folderNumber(mailbox, EwsService.firstElement(folder));
    SimMailbox.SimCalendar calendar = mailbox.calendar(folderNumber);
    if (folderNumber == OLD_CALENDAR) {
      // The calendar under Deleted Items is a real, empty folder: it syncs, with nothing in it.
      x.open("m:SyncFolderItemsResponseMessage", "ResponseClass", "Success")
          .text("m:ResponseCode", "NoError")
          .text("m:SyncState", EwsService.syncState(OLD_CALENDAR, mailbox.version()))
          .text("m:IncludesLastItemInRange", true)
          .empty("m:Changes")
          .close("m:SyncFolderItemsResponseMessage");
      return x.close("m:ResponseMessages").close("m:SyncFolderItemsResponse").toString();
    }
    Element stateElement = child(op, M, "SyncState");
    String state = stateElement == null ? "" : stateElement.getTextContent().trim();
    Element maxElement = child(op, M, "MaxChangesReturned");
    int max = maxElement == null ? -1 : Integer.parseInt(maxElement.getTextContent().trim());
    if (calendar == null) {
      error(
          x,
          "SyncFolderItems",
          "ErrorSyncFolderNotFound",
          "The specified folder could not be found in the store.");
      return x.close("m:ResponseMessages").close("m:SyncFolderItemsResponse").toString();
    }
    if (max < 1 || max > EwsService.MAX_SYNC_CHANGES) {
      error(
          x,
          "SyncFolderItems",
          "ErrorInvalidArgument",
          "MaxChangesReturned must be between 1 and 512.");
      return x.close("m:ResponseMessages").close("m:SyncFolderItemsResponse").toString();
    }
    long since = state.isEmpty() ? 0 : EwsService.syncVersion(state, calendar.number);
    if (since < 0 || since > mailbox.version()) {
      x.raw(
          EwsService.responseError(
                  "SyncFolderItems",
                  "ErrorInvalidSyncStateData",
                  "Synchronization state data is corrupt or otherwise invalid.",
                  -1)
              .replaceFirst("^<m:SyncFolderItemsResponse[^>]*><m:ResponseMessages>", "")
              .replaceFirst("</m:ResponseMessages></m:SyncFolderItemsResponse>$", ""));
      return x.close("m:ResponseMessages").close("m:SyncFolderItemsResponse").toString();
    }
    record Change(long version, String kind, long number, long eventVersion) {}
    List<Change> changes = new ArrayList<>();
    for (SimEvent e : calendar.events.values()) {
      if (e.version > since) {
        changes.add(
            new Change(
                e.version, e.createdVersion > since ? "Create" : "Update", e.number, e.version));
      }
    }
    for (SimMailbox.SimCalendar.Tombstone t : calendar.tombstones) {
      if (t.deletedVersion() > since && t.createdVersion() <= since) {
        changes.add(new Change(t.deletedVersion(), "Delete", t.number(), t.deletedVersion()));
      }
    }
    changes.sort(java.util.Comparator.comparingLong(Change::version));
    boolean last = changes.size() <= max;
    List<Change> page = last ? changes : changes.subList(0, max);
    long newVersion = last ? mailbox.version() : page.get(page.size() - 1).version();
    x.open("m:SyncFolderItemsResponseMessage", "ResponseClass", "Success")
        .text("m:ResponseCode", "NoError");
    x.text("m:SyncState", EwsService.syncState(calendar.number, newVersion));
    x.text("m:IncludesLastItemInRange", last).open("m:Changes");
    for (Change c : page) {
      String id = Ids.ews(Ids.Kind.ITEM, mailbox.address, c.number());
      if (c.kind().equals("Delete")) {
        x.open("t:Delete")
            .empty("t:ItemId", "Id", id, "ChangeKey", EwsItems.changeKey(c.eventVersion()))
            .close("t:Delete");
      } else {
        x.open("t:" + c.kind())
            .open("t:CalendarItem")
            .empty("t:ItemId", "Id", id, "ChangeKey", EwsItems.changeKey(c.eventVersion()))
            .close("t:CalendarItem")
            .close("t:" + c.kind());
      }
    }
    x.close("m:Changes").close("m:SyncFolderItemsResponseMessage");
    return x.close("m:ResponseMessages").close("m:SyncFolderItemsResponse").toString();
  }

  private static void error(Xml x, String op, String code, String text) {
    x.open("m:" + op + "ResponseMessage", "ResponseClass", "Error")
        .text("m:MessageText", text)
        .text("m:ResponseCode", code)
        .text("m:DescriptiveLinkKey", 0)
        .close("m:" + op + "ResponseMessage");
  }
}
