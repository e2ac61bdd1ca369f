package org.exbridge.exchange.ews;

import static org.exbridge.exchange.ews.XmlNode.M;
import static org.exbridge.exchange.ews.XmlNode.SOAP;
import static org.exbridge.exchange.ews.XmlNode.T;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import javax.xml.stream.XMLStreamException;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.Parallel;
import org.exbridge.exchange.RequestObserver;
import org.exbridge.exchange.SeriesCache;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.exbridge.exchange.SourceProblem;
import org.exbridge.exchange.StoredVersions;

/**
 * On-premises Exchange (2013 to 2019, Subscription Edition) through EWS, impersonating each
 * mailbox. Folders by GetFolder and SyncFolderHierarchy; the window by FindItem CalendarView, split
 * while Exchange says it left items out; full and incremental reads by SyncFolderItems; details by
 * GetItem in batches, several at once within the admin account's concurrency cap.
 */
public final class EwsClient implements ExchangeSource {
  /**
   * Items per GetItem. Microsoft's guidance is small batches; exchangelib uses 100. 50 keeps a
   * reply of full calendar items around a megabyte while cutting round trips fivefold against 10.
   */
  static final int GET_ITEM_BATCH = 50;

  /** Calendar views read at once, within the admin account's concurrency cap. */
  static final int PARALLEL_VIEWS = 8;

  /** Items aimed for per calendar view when a range has to be split. */
  static final int VIEW_TARGET = 800;

  static final int MAX_SYNC_CHANGES = 512;
  static final int CALENDAR_VIEW_MAX = 1000;
  static final Duration MAX_VIEW = Duration.ofDays(730);
  private static final Duration MIN_VIEW = Duration.ofMinutes(30);

  private final EwsTransport transport;
  private final Semaphore concurrency;
  private final RequestObserver observer;
  private final SeriesCache series = new SeriesCache();

  public EwsClient(EwsTransport transport, int maxConcurrentRequests) {
    this(transport, maxConcurrentRequests, RequestObserver.NONE);
  }

  public EwsClient(EwsTransport transport, int maxConcurrentRequests, RequestObserver observer) {
    this.transport = transport;
    this.concurrency = new Semaphore(Math.max(1, maxConcurrentRequests));
    this.observer = observer;
  }

  @Override
  public void verify(String mailbox) {
    request(mailbox, EwsRequests.getFolder("calendar"), "GetFolder");
  }

  @Override
  public List<SourceCalendar> calendars(String mailbox) {
    List<XmlNode> known =
        request(mailbox, EwsRequests.getFolder("calendar", "deleteditems"), "GetFolder");
    String defaultId = folderId(known.get(0));
    String deletedItemsId = folderId(known.get(1));
    Map<String, XmlNode> folders = new LinkedHashMap<>();
    String state = null;
    boolean last = false;
    while (!last) {
      XmlNode message =
          request(mailbox, EwsRequests.syncFolderHierarchy(state), "SyncFolderHierarchy").get(0);
      state = message.childText(M, "SyncState");
      last = !"false".equals(message.childText(M, "IncludesLastFolderInRange"));
      XmlNode changes = message.child(M, "Changes");
      for (XmlNode change : changes == null ? List.<XmlNode>of() : changes.children) {
        XmlNode folder = change.children.isEmpty() ? null : change.children.get(0);
        if (folder == null) {
          continue;
        }
        String id = folder.name.equals("FolderId") ? folder.attr("Id") : folderIdOf(folder);
        if (change.name.equals("Delete")) {
          folders.remove(id);
        } else {
          folders.put(id, folder);
        }
      }
    }
    Map<String, String> parents = new HashMap<>();
    folders.forEach(
        (id, f) -> {
          XmlNode parent = f.child(T, "ParentFolderId");
          if (parent != null) {
            parents.put(id, parent.attr("Id"));
          }
        });
    List<SourceCalendar> calendars = new ArrayList<>();
    for (Map.Entry<String, XmlNode> e : folders.entrySet()) {
      String folderClass = e.getValue().childText(T, "FolderClass");
      if (folderClass == null
          || !(folderClass.equals("IPF.Appointment")
              || folderClass.startsWith("IPF.Appointment."))) {
        continue;
      }
      if (under(e.getKey(), deletedItemsId, parents)) {
        continue;
      }
      XmlNode rights = e.getValue().child(T, "EffectiveRights");
      boolean writable = rights == null || "true".equals(rights.childText(T, "CreateContents"));
      calendars.add(
          new SourceCalendar(
              e.getKey(),
              e.getValue().childText(T, "DisplayName"),
              null,
              e.getKey().equals(defaultId),
              writable,
              count(e.getValue().childText(T, "TotalCount"))));
    }
    return calendars;
  }

  private static Integer count(String text) {
    try {
      return text == null ? null : Math.max(0, Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean under(String id, String ancestor, Map<String, String> parents) {
    String current = parents.get(id);
    for (int depth = 0; current != null && depth < 64; depth++) {
      if (current.equals(ancestor)) {
        return true;
      }
      current = parents.get(current);
    }
    return false;
  }

  @Override
  public SourcePage window(
      String mailbox, String calendarId, Instant from, Instant to, String cursor) {
    Deque<Instant[]> pending = cursor == null ? initialRanges(from, to) : ViewCursor.decode(cursor);
    List<XmlNode> items = new ArrayList<>();
    while (!pending.isEmpty() && items.isEmpty()) {
      // Several calendar views at once; one Exchange cut short is split by the count it reported.
      List<Instant[]> ranges = new ArrayList<>();
      while (!pending.isEmpty() && ranges.size() < PARALLEL_VIEWS) {
        ranges.add(pending.pollFirst());
      }
      List<View> views = Parallel.map(ranges, range -> view(mailbox, calendarId, range));
      for (int i = views.size() - 1; i >= 0; i--) {
        View v = views.get(i);
        if (v.truncated()) {
          List<Instant[]> parts = split(v.range(), v.total());
          for (int p = parts.size() - 1; p >= 0; p--) {
            pending.addFirst(parts.get(p));
          }
        } else if (v.items() != null) {
          items.addAll(0, v.items().children);
        }
      }
    }
    List<SourceProblem> problems = new ArrayList<>();
    List<SourceEvent> events = windowEvents(mailbox, items, problems);
    return new SourcePage(
        events,
        List.of(),
        pending.isEmpty() ? null : ViewCursor.encode(pending),
        !pending.isEmpty(),
        problems);
  }

  private record View(Instant[] range, XmlNode items, int total, boolean truncated) {}

  private View view(String mailbox, String calendarId, Instant[] range) {
    XmlNode message =
        request(
                mailbox,
                EwsRequests.calendarView(calendarId, range[0], range[1], CALENDAR_VIEW_MAX),
                "FindItem")
            .get(0);
    XmlNode root = message.child(M, "RootFolder");
    String total = root.attr("TotalItemsInView");
    return new View(
        range,
        root.child(T, "Items"),
        total == null ? CALENDAR_VIEW_MAX * 2 : Integer.parseInt(total),
        "false".equals(root.attr("IncludesLastItemInRange")));
  }

  /**
   * Parts of a range that each hold about {@link #VIEW_TARGET} items, if items are spread evenly.
   */
  private static List<Instant[]> split(Instant[] range, int total) {
    Duration length = Duration.between(range[0], range[1]);
    if (length.compareTo(MIN_VIEW) <= 0) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "ErrorExceededFindCountLimit",
          "more than " + CALENDAR_VIEW_MAX + " items start within " + MIN_VIEW + " at " + range[0]);
    }
    // Bounded: the count is Exchange's word, and a hostile one could claim billions.
    int parts = Math.clamp((long) Math.ceil(total / (double) VIEW_TARGET), 2, 64);
    List<Instant[]> out = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      Instant start = range[0].plus(length.multipliedBy(i).dividedBy(parts));
      Instant end =
          i == parts - 1 ? range[1] : range[0].plus(length.multipliedBy(i + 1).dividedBy(parts));
      out.add(new Instant[] {start, end});
    }
    return out;
  }

  private static Deque<Instant[]> initialRanges(Instant from, Instant to) {
    Deque<Instant[]> ranges = new ArrayDeque<>();
    for (Instant start = from; start.isBefore(to); start = start.plus(MAX_VIEW)) {
      Instant end = start.plus(MAX_VIEW).isBefore(to) ? start.plus(MAX_VIEW) : to;
      ranges.add(new Instant[] {start, end});
    }
    return ranges;
  }

  /** Singles whole, and for occurrences and exceptions their series, each fetched once. */
  /** An occurrence in a calendar view: its id, and the change key that says whether it changed. */
  private record Stub(String id, String changeKey) {}

  private List<SourceEvent> windowEvents(
      String mailbox, List<XmlNode> items, List<SourceProblem> problems) {
    List<String> singles = new ArrayList<>();
    // UID -> an occurrence's id and change key: the change key tells whether a cached series is
    // still the series Exchange holds.
    Map<String, Stub> occurrenceByUid = new LinkedHashMap<>();
    for (XmlNode item : items) {
      String id = idOf(item);
      if (id == null) {
        problems.add(noId(item));
        continue;
      }
      String type = item.childText(T, "CalendarItemType");
      if (type == null || type.equals("Single")) {
        singles.add(id);
      } else if (type.equals("RecurringMaster")) {
        occurrenceByUid.putIfAbsent(item.childText(T, "UID"), null);
        singles.add(id);
      } else {
        occurrenceByUid.putIfAbsent(
            item.childText(T, "UID"), new Stub(id, item.child(T, "ItemId").attr("ChangeKey")));
      }
    }
    // A series with occurrences on many pages is fetched once: its UID names it.
    List<SourceEvent> known = new ArrayList<>();
    List<String> masterOf = new ArrayList<>();
    for (Map.Entry<String, Stub> e : occurrenceByUid.entrySet()) {
      Stub stub = e.getValue();
      SourceEvent cached =
          e.getKey() == null || stub == null
              ? null
              : series.forMaster(mailbox, e.getKey(), stub.changeKey());
      if (cached != null) {
        known.add(cached);
      } else if (stub != null) {
        masterOf.add(stub.id());
      }
    }
    List<XmlNode> fetched = new ArrayList<>();
    Parallel.map(
            List.of(false, true),
            masters -> getItems(mailbox, masters ? masterOf : singles, masters))
        .forEach(fetched::addAll);
    Map<String, XmlNode> byId = new LinkedHashMap<>();
    for (XmlNode item : fetched) {
      String id = idOf(item);
      if (id == null) {
        problems.add(noId(item));
      } else {
        byId.putIfAbsent(id, item);
      }
    }
    Map<String, String> uidById = new HashMap<>();
    byId.forEach(
        (id, item) -> {
          String uid = item.childText(T, "UID");
          if (uid != null) {
            uidById.put(id, uid);
          }
        });
    List<SourceEvent> events = complete(mailbox, new ArrayList<>(byId.values()), problems);
    for (SourceEvent e : events) {
      String uid = uidById.get(e.id());
      if (uid != null && e.kind() == SourceEvent.Kind.MASTER) {
        series.put(mailbox, uid, e);
      }
    }
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.id()));
    for (SourceEvent e : known) {
      if (ids.add(e.id())) {
        events.add(e);
      }
    }
    return events;
  }

  @Override
  public SourcePage all(String mailbox, String calendarId, String cursor) {
    return sync(mailbox, calendarId, cursor, StoredVersions.NONE);
  }

  @Override
  public SourcePage all(String mailbox, String calendarId, String cursor, StoredVersions stored) {
    return sync(mailbox, calendarId, cursor, stored);
  }

  @Override
  public SourcePage changes(String mailbox, String calendarId, String cursor) {
    return sync(mailbox, calendarId, cursor, StoredVersions.NONE);
  }

  @Override
  public SourcePage changes(
      String mailbox, String calendarId, String cursor, StoredVersions stored) {
    return sync(mailbox, calendarId, cursor, stored);
  }

  /**
   * One SyncFolderItems page; the items it names are fetched by GetItem, except those the store
   * holds with the change key the page reports (read in the window already, or written back by
   * exbridge itself).
   */
  private SourcePage sync(String mailbox, String calendarId, String state, StoredVersions stored) {
    XmlNode message =
        request(
                mailbox,
                EwsRequests.syncFolderItems(calendarId, state, MAX_SYNC_CHANGES),
                "SyncFolderItems")
            .get(0);
    String newState = message.childText(M, "SyncState");
    boolean last = !"false".equals(message.childText(M, "IncludesLastItemInRange"));
    Map<String, String> changed = new java.util.LinkedHashMap<>();
    List<String> deleted = new ArrayList<>();
    XmlNode changes = message.child(M, "Changes");
    for (XmlNode change : changes == null ? List.<XmlNode>of() : changes.children) {
      XmlNode id = change.find(T, "ItemId");
      if (id == null) {
        continue;
      }
      switch (change.name) {
        case "Create", "Update" -> {
          if (change.child(T, "CalendarItem") != null) {
            changed.put(id.attr("Id"), id.attr("ChangeKey"));
          }
        }
        case "Delete" -> deleted.add(id.attr("Id"));
        default -> {}
      }
    }
    Map<String, String> keyed = new java.util.HashMap<>();
    changed.forEach(
        (id, key) -> {
          if (key != null && !key.isEmpty()) {
            keyed.put(id, key);
          }
        });
    java.util.Set<String> unchanged =
        keyed.isEmpty() ? java.util.Set.of() : stored.unchanged(keyed);
    List<String> fetch = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String id : changed.keySet()) {
      (unchanged.contains(id) ? kept : fetch).add(id);
    }
    List<SourceProblem> problems = new ArrayList<>();
    List<SourceEvent> events = complete(mailbox, getItems(mailbox, fetch, false), problems);
    return new SourcePage(events, deleted, newState, !last, problems, kept);
  }

  /** Masters get their exceptions, read by a GetItem of their own. */
  private List<SourceEvent> complete(
      String mailbox, List<XmlNode> items, List<SourceProblem> problems) {
    List<String> exceptionIds = new ArrayList<>();
    for (XmlNode item : items) {
      try {
        exceptionIds.addAll(EwsItemReader.modifiedOccurrenceIds(item));
      } catch (RuntimeException e) {
        // read below, where the failure is reported once
      }
    }
    Map<String, SourceEvent> exceptions = new HashMap<>();
    for (XmlNode x : getItems(mailbox, exceptionIds, false)) {
      SourceEvent e = readOrReport(x, problems);
      if (e != null) {
        exceptions.put(e.id(), e);
      }
    }
    List<SourceEvent> out = new ArrayList<>();
    for (XmlNode item : items) {
      SourceEvent e = readOrReport(item, problems);
      if (e == null) {
        continue;
      }
      if (e.kind() == SourceEvent.Kind.EXCEPTION) {
        continue;
      }
      if (e.kind() == SourceEvent.Kind.MASTER) {
        List<SourceEvent> own = new ArrayList<>();
        for (String id : EwsItemReader.modifiedOccurrenceIds(item)) {
          SourceEvent x = exceptions.get(id);
          if (x != null) {
            own.add(x);
          }
        }
        own.sort(
            java.util.Comparator.comparing(
                x -> x.originalStart() == null ? Instant.MIN : sortKey(x.originalStart())));
        e = e.withExceptions(own, e.deletedOccurrences());
      }
      out.add(e);
    }
    return out;
  }

  /** The item read, or null with a problem recorded: one bad item does not stop the page. */
  private static SourceEvent readOrReport(XmlNode item, List<SourceProblem> problems) {
    try {
      return EwsItemReader.read(item);
    } catch (RuntimeException e) {
      problems.add(SourceProblem.unreadable(idOf(item), e));
      return null;
    }
  }

  private static String idOf(XmlNode item) {
    XmlNode id = item.child(T, "ItemId");
    String value = id == null ? null : id.attr("Id");
    return value == null || value.isBlank() ? null : value;
  }

  private static SourceProblem noId(XmlNode item) {
    return new SourceProblem(
        "(no item id)",
        item.childText(T, "Subject"),
        "Exchange sent a calendar item without an ItemId; it was skipped");
  }

  private static Instant sortKey(EventTime t) {
    return t.allDay() ? t.date().atStartOfDay(java.time.ZoneOffset.UTC).toInstant() : t.instant();
  }

  /** GetItem in batches, several batches at once; items that vanished meanwhile are skipped. */
  private List<XmlNode> getItems(String mailbox, List<String> ids, boolean mastersOfOccurrences) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += GET_ITEM_BATCH) {
      batches.add(ids.subList(i, Math.min(ids.size(), i + GET_ITEM_BATCH)));
    }
    List<XmlNode> out = new ArrayList<>();
    for (List<XmlNode> items :
        Parallel.map(
            batches,
            batch -> {
              String body =
                  mastersOfOccurrences
                      ? EwsRequests.getItems(List.of(), batch)
                      : EwsRequests.getItems(batch, List.of());
              List<XmlNode> found = new ArrayList<>();
              for (XmlNode message : request(mailbox, body, "GetItem", "ErrorItemNotFound")) {
                XmlNode list = message.child(M, "Items");
                if (list != null) {
                  found.addAll(list.all(T, "CalendarItem"));
                }
              }
              return found;
            })) {
      out.addAll(items);
    }
    return out;
  }

  // --- writes ----------------------------------------------------------------------------------

  private final EwsWriter writer = new EwsWriter(this);

  @Override
  public org.exbridge.exchange.StreamingNotifications streaming() {
    return transport.streams() ? new EwsStreaming(transport) : null;
  }

  @Override
  public org.exbridge.exchange.ExchangeWriter writer() {
    return writer;
  }

  /** The whole single or series, or null if it is gone (for the writer's read-back). */
  SourceEvent readItem(String mailbox, String itemId) {
    List<SourceProblem> problems = new ArrayList<>();
    List<SourceEvent> found =
        complete(mailbox, getItems(mailbox, List.of(itemId), false), problems);
    if (found.isEmpty() && !problems.isEmpty()) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE, "unreadable", problems.get(0).reason());
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** One operation for the writer: its response messages, or its failure classified. */
  List<XmlNode> operation(String mailbox, String body, String name) {
    return request(mailbox, body, name);
  }

  // --- one request -----------------------------------------------------------------------------

  /**
   * Sends the operation as the mailbox, and returns the SOAP body, or throws the classified
   * failure.
   */
  private List<XmlNode> request(String mailbox, String operation, String name) {
    return request(mailbox, operation, name, null);
  }

  /** One EWS operation: its response messages, or its fault classified; counted either way. */
  private List<XmlNode> request(String mailbox, String operation, String name, String tolerated) {
    try {
      List<XmlNode> messages = messagesAllowing(call(mailbox, operation), name, tolerated);
      observer.request("ews", "ok");
      return messages;
    } catch (ExchangeException e) {
      observer.request("ews", RequestObserver.outcome(e));
      throw e;
    }
  }

  XmlNode call(String mailbox, String operation) {
    EwsTransport.Reply reply;
    try {
      concurrency.acquire();
      try {
        reply = transport.post(EwsRequests.envelope(mailbox, operation), mailbox);
      } finally {
        concurrency.release();
      }
    } catch (IOException e) {
      throw ExchangeException.unreachable("Exchange", e);
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
    return body(reply);
  }

  /** The SOAP body of a reply; faults and bad statuses become classified exceptions. */
  static XmlNode body(EwsTransport.Reply reply) {
    XmlNode envelope = null;
    if (reply.body() != null && reply.body().length > 0) {
      try {
        envelope = XmlNode.parse(new ByteArrayInputStream(reply.body()));
      } catch (XMLStreamException e) {
        envelope = null;
      }
    }
    XmlNode body = envelope == null ? null : envelope.child(SOAP, "Body");
    XmlNode fault = body == null ? null : body.child(SOAP, "Fault");
    if (fault != null) {
      XmlNode detail = fault.child("", "detail");
      String code = detail == null ? null : detail.childText(XmlNode.E, "ResponseCode");
      if (code == null) {
        String faultCode = fault.childText("", "faultcode");
        code = faultCode == null ? "SoapFault" : faultCode.substring(faultCode.indexOf(':') + 1);
      }
      String message =
          detail == null
              ? fault.childText("", "faultstring")
              : detail.childText(XmlNode.E, "Message");
      return throwing(
          EwsErrors.of(
              code, message, backOff(detail == null ? null : detail.child(T, "MessageXml"))));
    }
    if (reply.status() == 200 && body == null) {
      return throwing(notSoap(reply, envelope != null));
    }
    if (reply.status() != 200 || body == null) {
      return throwing(EwsErrors.ofStatus(reply.status()));
    }
    return body;
  }

  /** A 200 answer that is not a SOAP envelope: the URL points at something other than EWS. */
  private static ExchangeException notSoap(EwsTransport.Reply reply, boolean isXml) {
    String type =
        reply.contentType() == null || reply.contentType().isEmpty()
            ? "no content type"
            : reply.contentType();
    String what;
    if (reply.body() == null || reply.body().length == 0) {
      what = "an empty body";
    } else if (type.contains("html")
        || ExchangeHttp.excerpt(reply.body())
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("<!doctype html")
        || ExchangeHttp.excerpt(reply.body())
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("<html")) {
      what = "an HTML page";
    } else if (isXml) {
      what = "XML that is not a SOAP envelope";
    } else {
      what = "a body that is not XML";
    }
    return new ExchangeException(
        ExchangeException.Kind.PERMANENT,
        "NotSoap",
        "the EWS URL answered "
            + what
            + " ("
            + type
            + "), not SOAP: is the path /EWS/Exchange.asmx? It began: "
            + ExchangeHttp.excerpt(reply.body()));
  }

  private static XmlNode throwing(ExchangeException e) {
    throw e;
  }

  /** The response messages of an operation, all of which must have succeeded. */
  static List<XmlNode> messages(XmlNode body, String operation) {
    return messagesAllowing(body, operation, null);
  }

  private static List<XmlNode> messagesAllowing(XmlNode body, String operation, String tolerated) {
    XmlNode response = body.child(M, operation + "Response");
    XmlNode list = response == null ? null : response.child(M, "ResponseMessages");
    if (list == null) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE,
          "malformed",
          "no " + operation + " response in the reply");
    }
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode message : list.children) {
      if ("Error".equals(message.attr("ResponseClass"))) {
        String code = message.childText(M, "ResponseCode");
        if (code != null && code.equals(tolerated)) {
          continue;
        }
        throw EwsErrors.of(
            code == null ? "Error" : code,
            message.childText(M, "MessageText"),
            backOff(message.child(M, "MessageXml")));
      }
      out.add(message);
    }
    return out;
  }

  private static Long backOff(XmlNode messageXml) {
    if (messageXml == null) {
      return null;
    }
    for (XmlNode value : messageXml.all(T, "Value")) {
      if ("BackOffMilliseconds".equals(value.attr("Name"))) {
        try {
          return Long.parseLong(value.text().trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String folderId(XmlNode getFolderMessage) {
    XmlNode folders = getFolderMessage.child(M, "Folders");
    return folderIdOf(folders.children.get(0));
  }

  private static String folderIdOf(XmlNode folder) {
    XmlNode id = folder.child(T, "FolderId");
    return id == null ? null : id.attr("Id");
  }
}
