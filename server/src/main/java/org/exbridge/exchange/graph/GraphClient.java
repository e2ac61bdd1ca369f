package org.exbridge.exchange.graph;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.exbridge.exchange.ClientCredentialsTokens;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.Parallel;
import org.exbridge.exchange.RecurrenceExpansion;
import org.exbridge.exchange.RequestObserver;
import org.exbridge.exchange.SeriesCache;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.exbridge.exchange.SourceProblem;
import org.exbridge.exchange.tz.WindowsZones;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exchange Online through Microsoft Graph v1.0 with an app-only token. The window by {@code
 * calendarView/delta} (occurrence stubs replaced by their series), full and incremental reads by
 * {@code calendars/{id}/events/delta}, each series completed from {@code /instances} (exceptions,
 * and deleted occurrences as the gaps, since v1.0 lists none).
 */
public final class GraphClient implements ExchangeSource {
  static final int PAGE_SIZE = 100;

  /** Events per delta page: fewer, larger pages; Graph allows odata.maxpagesize well above this. */
  static final int DELTA_PAGE_SIZE = 500;

  static final int INSTANCES_PAGE_SIZE = 1000;
  static final int PER_MAILBOX = 4;

  /** Pages one read follows at most (5 million events at 500 a page). */
  static final int MAX_PAGES = 10_000;

  /** Occurrences of one series expanded at most (a daily series over 270 years). */
  static final int MAX_EXPANDED = 100_000;

  /**
   * How far a series is scanned for exceptions and deleted occurrences (v1.0 lists neither, so
   * deletions are the gaps among its instances): its whole span from its first occurrence, to its
   * last when it has an end, else to this far past today and at least {@link #AHEAD} occurrences
   * ahead. Deletions further ahead in a series without an end are not seen through Graph.
   */
  static final Duration SERIES_HORIZON = Duration.ofDays(2 * 366);

  /** Occurrences past today that a series without an end is read for at least. */
  static final int AHEAD = 10;

  /** Series in a calendar from which one calendar view beats one /instances call each. */
  static final int SCAN_MIN = 8;

  /** One calendar-view request covers at most this much time (pages of it follow). */
  static final Duration SCAN_RANGE = Duration.ofDays(366);

  /** The longest span scanned at once; older series are read from their own /instances. */
  static final Duration MAX_SCAN = Duration.ofDays(30 * 366);

  private final ExchangeHttp http;
  private final String origin;
  private final Map<String, Pages> trails = new ConcurrentHashMap<>();
  private final JsonMapper json;
  private final String graphUrl;
  private final ClientCredentialsTokens tokens;
  private final Duration timeout;
  private final Map<String, Semaphore> perMailbox = new ConcurrentHashMap<>();
  private final SeriesCache series;
  private final Clock clock;
  private final RequestObserver observer;
  private final GraphWriter writer;

  public GraphClient(
      ExchangeHttp http,
      JsonMapper json,
      String graphUrl,
      String tokenUrl,
      String clientId,
      String clientSecret,
      Duration timeout,
      Clock clock,
      RequestObserver observer) {
    this.observer = observer;
    this.http = http;
    this.json = json;
    this.graphUrl =
        graphUrl.endsWith("/") ? graphUrl.substring(0, graphUrl.length() - 1) : graphUrl;
    this.origin = origin(URI.create(this.graphUrl));
    this.tokens =
        new ClientCredentialsTokens(
            http,
            json,
            URI.create(tokenUrl),
            clientId,
            clientSecret,
            ClientCredentialsTokens.scopeOf(this.graphUrl),
            clock);
    this.timeout = timeout;
    this.series = new SeriesCache();
    this.clock = clock;
    this.writer = new GraphWriter(this, json);
  }

  @Override
  public void verify(String mailbox) {
    get(mailbox, user(mailbox), false);
    get(mailbox, user(mailbox) + "/calendars?$top=1", false);
  }

  @Override
  public List<SourceCalendar> calendars(String mailbox) {
    List<SourceCalendar> out = new ArrayList<>();
    String next = user(mailbox) + "/calendars";
    Pages pages = new Pages();
    while (next != null) {
      JsonNode page = get(mailbox, next, false);
      for (JsonNode c : page.path("value")) {
        String color = c.path("hexColor").asString("");
        out.add(
            new SourceCalendar(
                c.path("id").asString(),
                c.path("name").asString(),
                color.isEmpty() ? null : color,
                c.path("isDefaultCalendar").asBoolean(false),
                c.path("canEdit").asBoolean(true)));
      }
      next = pages.next(page);
    }
    return out;
  }

  /**
   * The whole window in one call: every {@code calendarView/delta} page, and beside it the
   * calendar's series masters listed with {@code $filter=type eq 'seriesMaster'} (a few requests,
   * where one GET per series would be thousands). Each series comes with what the view shows of it:
   * its exceptions in the window, and as deleted occurrences the expected starts the view did not
   * return. Such a series is partial: its change key is left null, so the full read, which
   * completes every series from {@code /instances}, replaces it.
   */
  @Override
  public SourcePage window(
      String mailbox, String calendarId, Instant from, Instant to, String cursor) {
    Parallel.Both<WindowView, Map<String, JsonNode>> read =
        Parallel.both(
            () -> readView(mailbox, calendarId, from, to), () -> listMasters(mailbox, calendarId));
    WindowView view = read.first();
    Map<String, JsonNode> masters = read.second();
    List<SourceEvent> events = new ArrayList<>(view.singles);
    List<String> missing =
        view.seriesIds().stream().filter(id -> !masters.containsKey(id)).toList();
    // Created after the listing was read: fetched one by one.
    for (JsonNode master :
        Parallel.map(missing, id -> getOrNull(mailbox, user(mailbox) + "/events/" + enc(id)))) {
      if (master != null) {
        masters.put(master.path("id").asString(), master);
      }
    }
    List<SourceProblem> problems = new ArrayList<>(view.problems);
    for (String masterId : view.seriesIds()) {
      JsonNode master = masters.get(masterId);
      if (master != null) {
        try {
          events.add(view.series(GraphEventReader.read(master), from, to));
        } catch (RuntimeException e) {
          problems.add(SourceProblem.unreadable(masterId, e));
        }
      }
    }
    return new SourcePage(events, List.of(), view.deltaLink, false, problems);
  }

  /**
   * A calendar's view ({@code calendarView} or {@code calendarView/delta}) between two instants.
   */
  private String viewUrl(String mailbox, String calendarId, String view, Instant from, Instant to) {
    return user(mailbox)
        + "/calendars/"
        + enc(calendarId)
        + "/"
        + view
        + "?startDateTime="
        + enc(from.toString())
        + "&endDateTime="
        + enc(to.toString());
  }

  private WindowView readView(String mailbox, String calendarId, Instant from, Instant to) {
    WindowView view = new WindowView();
    String next = viewUrl(mailbox, calendarId, "calendarView/delta", from, to);
    Pages pages = new Pages();
    while (next != null) {
      JsonNode page = get(mailbox, next, true, DELTA_PAGE_SIZE);
      for (JsonNode item : page.path("value")) {
        if (!item.has("@removed")) {
          try {
            view.add(item);
          } catch (RuntimeException e) {
            view.problems.add(SourceProblem.unreadable(item.path("id").asString(null), e));
          }
        }
      }
      next = pages.next(page);
      String delta = page.path("@odata.deltaLink").asString(null);
      view.deltaLink = delta == null ? view.deltaLink : onGraph(delta);
    }
    return view;
  }

  private Map<String, JsonNode> listMasters(String mailbox, String calendarId) {
    Map<String, JsonNode> out = new ConcurrentHashMap<>();
    String next =
        user(mailbox)
            + "/calendars/"
            + enc(calendarId)
            + "/events?$filter="
            + enc("type eq 'seriesMaster'")
            + "&$top="
            + DELTA_PAGE_SIZE;
    Pages pages = new Pages();
    while (next != null) {
      JsonNode page = get(mailbox, next, true, DELTA_PAGE_SIZE);
      for (JsonNode master : page.path("value")) {
        out.put(master.path("id").asString(), master);
      }
      next = pages.next(page);
    }
    return out;
  }

  /** What a calendar view shows: singles whole, and per series its occurrences and exceptions. */
  private static final class WindowView {
    /** An occurrence's original start as the view gives it: local time in a named zone. */
    private record Seen(LocalDateTime local, ZoneId in) {}

    final List<SourceEvent> singles = new ArrayList<>();
    final List<SourceProblem> problems = new ArrayList<>();
    final Map<String, List<Seen>> occurrences = new LinkedHashMap<>();
    final Map<String, List<SourceEvent>> exceptions = new LinkedHashMap<>();
    String deltaLink;

    void add(JsonNode item) {
      String type = item.path("type").asString("singleInstance");
      switch (type) {
        case "occurrence" -> {
          // A stub: id, series, start and end; an unchanged occurrence starts where it was due.
          JsonNode start = item.path("start");
          occurrences
              .computeIfAbsent(item.path("seriesMasterId").asString(), k -> new ArrayList<>())
              .add(
                  new Seen(
                      GraphEventReader.localDateTime(start.path("dateTime").asString()),
                      WindowsZones.zone(start.path("timeZone").asString("UTC"))
                          .orElse(WindowsZones.UTC)));
        }
        case "exception" -> {
          String master = item.path("seriesMasterId").asString();
          occurrences.computeIfAbsent(master, k -> new ArrayList<>());
          exceptions
              .computeIfAbsent(master, k -> new ArrayList<>())
              .add(GraphEventReader.read(item));
        }
        case "seriesMaster" ->
            occurrences.computeIfAbsent(item.path("id").asString(), k -> new ArrayList<>());
        default -> singles.add(GraphEventReader.read(item));
      }
    }

    Set<String> seriesIds() {
      return occurrences.keySet();
    }

    /**
     * The master with the exceptions the view showed, and as deleted the due occurrences lying
     * wholly inside the window that the view did not show (an occurrence moved out of the window
     * reads as deleted until the full read).
     */
    SourceEvent series(SourceEvent master, Instant from, Instant to) {
      List<SourceEvent> found = new ArrayList<>(exceptions.getOrDefault(master.id(), List.of()));
      if (master.recurrence() == null || master.start() == null || master.end() == null) {
        return master.partial(found, List.of());
      }
      ZoneId zone = master.recurrence().zone();
      boolean allDay = master.start().allDay();
      Set<Object> seen = new HashSet<>();
      for (Seen s : occurrences.getOrDefault(master.id(), List.of())) {
        seen.add(allDay ? s.local().toLocalDate() : s.local().atZone(s.in()).toInstant());
      }
      for (SourceEvent x : found) {
        seen.add(allDay ? x.originalStart().date() : x.originalStart().instant());
      }
      LocalDateTime firstLocal = firstLocal(master);
      Duration length =
          allDay
              ? Duration.ofDays(
                  Math.max(
                      1, master.end().date().toEpochDay() - master.start().date().toEpochDay()))
              : Duration.between(master.start().instant(), master.end().instant());
      // All-day occurrences are floating dates: keep clear of the window's edges by a day.
      Instant low = allDay ? from.plus(Duration.ofDays(1)) : from;
      Instant high = allDay ? to.minus(Duration.ofDays(1)) : to;
      List<EventTime> deleted = new ArrayList<>();
      for (LocalDateTime start :
          RecurrenceExpansion.starts(
              master.recurrence().rrule(),
              firstLocal,
              zone,
              LocalDateTime.ofInstant(to, zone).plusDays(1),
              MAX_EXPANDED)) {
        Instant at = start.atZone(zone).toInstant();
        if (at.isBefore(low) || at.plus(length).isAfter(high)) {
          continue;
        }
        Object key = allDay ? start.toLocalDate() : at;
        if (!seen.contains(key)) {
          deleted.add(allDay ? EventTime.onDate(start.toLocalDate()) : EventTime.at(at, zone));
        }
      }
      found.sort(Comparator.comparing(GraphClient::originalInstant));
      return master.partial(found, deleted);
    }
  }

  /** A series' first start as local time in its recurrence zone (midnight for all-day ones). */
  private static LocalDateTime firstLocal(SourceEvent master) {
    return master.start().allDay()
        ? master.start().date().atStartOfDay()
        : LocalDateTime.ofInstant(master.start().instant(), master.recurrence().zone());
  }

  private static Instant originalInstant(SourceEvent exception) {
    EventTime original = exception.originalStart();
    return original.allDay()
        ? original.date().atStartOfDay(ZoneOffset.UTC).toInstant()
        : original.instant();
  }

  @Override
  public SourcePage all(String mailbox, String calendarId, String cursor) {
    if (cursor == null) {
      trails.remove(mailbox + " " + calendarId);
      completeSeriesByScan(mailbox, calendarId);
    }
    return events(
        mailbox,
        calendarId,
        cursor != null
            ? cursor
            : user(mailbox) + "/calendars/" + enc(calendarId) + "/events/delta");
  }

  @Override
  public SourcePage changes(String mailbox, String calendarId, String cursor) {
    return events(mailbox, calendarId, cursor);
  }

  private SourcePage events(String mailbox, String calendarId, String url) {
    JsonNode page = get(mailbox, onGraph(url), true, DELTA_PAGE_SIZE);
    List<JsonNode> items = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (JsonNode item : page.path("value")) {
      if (item.has("@removed")) {
        deleted.add(item.path("id").asString());
      } else {
        items.add(item);
      }
    }
    String nextLink = page.path("@odata.nextLink").asString(null);
    String deltaLink = page.path("@odata.deltaLink").asString(null);
    String trailKey = mailbox + " " + calendarId;
    if (nextLink != null) {
      trails.computeIfAbsent(trailKey, k -> new Pages()).follow(onGraph(nextLink), url);
    } else {
      trails.remove(trailKey);
      if (deltaLink != null) {
        onGraph(deltaLink);
      }
    }
    List<SourceProblem> problems = new ArrayList<>();
    List<SourceEvent> events = new ArrayList<>();
    for (Object read :
        Parallel.map(
            items,
            item -> {
              try {
                return "seriesMaster".equals(item.path("type").asString())
                    ? completeSeries(mailbox, item)
                    : GraphEventReader.read(item);
              } catch (ExchangeException e) {
                throw e;
              } catch (RuntimeException e) {
                return SourceProblem.unreadable(item.path("id").asString(null), e);
              }
            })) {
      if (read instanceof SourceEvent event) {
        events.add(event);
      } else {
        problems.add((SourceProblem) read);
      }
    }
    return new SourcePage(
        events, deleted, nextLink != null ? nextLink : deltaLink, nextLink != null, problems);
  }

  /**
   * Paging links of one read. A link is followed only to the configured Graph host (the token must
   * never reach another), at most once per read, and for at most {@link #MAX_PAGES} pages.
   */
  private final class Pages {
    private final Set<String> seen = new HashSet<>();

    /** The page's next link, checked, or null at the end. */
    String next(JsonNode page) {
      String link = page.path("@odata.nextLink").asString(null);
      return link == null ? null : follow(onGraph(link), null);
    }

    synchronized String follow(String link, String current) {
      if (link.equals(current) || !seen.add(link)) {
        throw new ExchangeException(
            ExchangeException.Kind.PERMANENT,
            "PagingLoop",
            "Graph's @odata.nextLink leads back to a page already read; the read was stopped");
      }
      if (seen.size() > MAX_PAGES) {
        throw new ExchangeException(
            ExchangeException.Kind.PERMANENT,
            "TooManyPages",
            "Graph kept sending next pages past "
                + MAX_PAGES
                + " in one read; the read was stopped");
      }
      return link;
    }
  }

  /** A link from Graph, refused unless it points at the configured Graph scheme, host and port. */
  private String onGraph(String link) {
    URI uri;
    try {
      uri = URI.create(link);
    } catch (IllegalArgumentException e) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "BadLink",
          "Graph sent a paging link that is not a URL");
    }
    if (!origin.equals(origin(uri))) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "ForeignLink",
          "Graph sent a paging link to "
              + uri.getScheme()
              + "://"
              + uri.getHost()
              + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
              + ", not to the configured Graph URL; it was not followed and no token was sent there");
    }
    return link;
  }

  private static String origin(URI uri) {
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port =
        uri.getPort() >= 0
            ? uri.getPort()
            : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
    return scheme + "://" + host + ":" + port;
  }

  /**
   * The master with its exceptions, and its deleted occurrences found as gaps among its instances.
   */
  private SourceEvent completeSeries(String mailbox, JsonNode masterJson) {
    SourceEvent master = GraphEventReader.read(masterJson);
    SourceEvent known = series.forMaster(mailbox, master.id(), master.changeKey());
    if (known != null) {
      return known;
    }
    SourceEvent completed = completeSeriesFresh(mailbox, master);
    series.put(mailbox, completed.id(), completed);
    return completed;
  }

  /** How far before its first and after its last due start a series' instances are looked for. */
  private static final Duration PLAN_MARGIN = Duration.ofDays(2);

  /**
   * Where a series' occurrences must be looked for ({@code from}, {@code to}: its due starts and a
   * margin either side), and which starts its pattern gives.
   */
  private record Plan(
      SourceEvent master,
      ZoneId zone,
      boolean allDay,
      List<LocalDateTime> expected,
      Instant from,
      Instant to) {
    /** Whether an instant lies between the first and the last due start, both included. */
    boolean spans(Instant at) {
      return !at.isBefore(from.plus(PLAN_MARGIN)) && !at.isAfter(to.minus(PLAN_MARGIN));
    }
  }

  /** The plan of a recurring master; null for one with no occurrence. */
  private Plan plan(SourceEvent master) {
    ZoneId zone = master.recurrence().zone();
    LocalDateTime firstLocal = firstLocal(master);
    // The whole span: a deletion is found whatever its age. A series with an end is read to its
    // last occurrence; one without, to SERIES_HORIZON past today.
    String rrule = master.recurrence().rrule();
    boolean bounded = rrule.contains("COUNT=") || rrule.contains("UNTIL=");
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), zone);
    LocalDateTime until =
        bounded
            ? firstLocal.plusYears(1000)
            : (now.isAfter(firstLocal) ? now : firstLocal).plus(SERIES_HORIZON);
    List<LocalDateTime> expected =
        RecurrenceExpansion.starts(rrule, firstLocal, zone, until, MAX_EXPANDED);
    if (!bounded) {
      // A sparse series (yearly, say) is read at least AHEAD occurrences past today.
      long ahead = expected.stream().filter(start -> start.isAfter(now)).count();
      if (ahead < AHEAD) {
        expected =
            RecurrenceExpansion.starts(
                rrule,
                firstLocal,
                zone,
                firstLocal.plusYears(1000),
                (int) Math.min(MAX_EXPANDED, expected.size() + AHEAD - ahead));
      }
    }
    if (expected.isEmpty()) {
      return null;
    }
    return new Plan(
        master,
        zone,
        master.start().allDay(),
        expected,
        expected.get(0).atZone(zone).toInstant().minus(PLAN_MARGIN),
        expected.get(expected.size() - 1).atZone(zone).toInstant().plus(PLAN_MARGIN));
  }

  /** The series from what was seen of it: its exceptions, and the expected starts not seen. */
  private static SourceEvent complete(Plan plan, Set<Instant> seen, List<SourceEvent> exceptions) {
    List<EventTime> deleted = new ArrayList<>();
    for (LocalDateTime start : plan.expected()) {
      Instant at = start.atZone(plan.zone()).toInstant();
      if (!seen.contains(at)) {
        deleted.add(
            plan.allDay()
                ? EventTime.onDate(LocalDate.from(start))
                : EventTime.at(at, plan.zone()));
      }
    }
    List<SourceEvent> sorted = new ArrayList<>(exceptions);
    sorted.sort(Comparator.comparing(GraphClient::originalInstant));
    return plan.master().withExceptions(sorted, deleted);
  }

  /** One series from its own {@code /instances} over its whole span. */
  private SourceEvent completeSeriesFresh(String mailbox, SourceEvent master) {
    if (master.recurrence() == null) {
      return master;
    }
    Plan plan = plan(master);
    if (plan == null) {
      return master;
    }
    Set<Instant> seen = new HashSet<>();
    List<SourceEvent> exceptions = new ArrayList<>();
    String next =
        user(mailbox)
            + "/events/"
            + enc(master.id())
            + "/instances?startDateTime="
            + enc(plan.from().toString())
            + "&endDateTime="
            + enc(plan.to().toString());
    Pages pages = new Pages();
    while (next != null) {
      JsonNode page = get(mailbox, next, true, INSTANCES_PAGE_SIZE);
      for (JsonNode instance : page.path("value")) {
        // As in a scan (see Seen): only instances due within the span, at most as many as due.
        String original = instance.path("originalStart").asString(null);
        Instant due = original == null ? null : GraphEventReader.parseInstant(original);
        if (due == null || !plan.spans(due)) {
          continue;
        }
        if (seen.size() < plan.expected().size()) {
          seen.add(due);
        }
        if ("exception".equals(instance.path("type").asString())
            && exceptions.size() < plan.expected().size()) {
          exceptions.add(GraphEventReader.read(instance));
        }
      }
      next = pages.next(page);
    }
    return complete(plan, seen, exceptions);
  }

  /**
   * Before a full read of a calendar: its series completed together from one calendar view over
   * their spans ({@code calendarView/delta} rounds of year-long ranges, read side by side: stubs
   * for occurrences, exceptions whole), instead of one {@code /instances} scan per series; each is
   * put in the series cache under its master's change key, where the full read's pages find it. A
   * series that changed since (another change key), one outside the scanned span, or every series
   * when the view is refused, is read from its own {@code /instances} as before. Worth it from
   * {@link #SCAN_MIN} series on.
   */
  private void completeSeriesByScan(String mailbox, String calendarId) {
    Map<String, JsonNode> masters;
    try {
      masters = listMasters(mailbox, calendarId);
    } catch (ExchangeException e) {
      if (e.kind() != ExchangeException.Kind.PERMANENT) {
        throw e;
      }
      // The scan only saves requests: the full read goes on without it, and meets on its own
      // pages whatever is really wrong.
      return;
    }
    List<Plan> plans = new ArrayList<>();
    for (JsonNode json : masters.values()) {
      try {
        SourceEvent master = GraphEventReader.read(json);
        if (master.recurrence() != null
            && series.forMaster(mailbox, master.id(), master.changeKey()) == null) {
          Plan plan = plan(master);
          if (plan != null) {
            plans.add(plan);
          }
        }
      } catch (RuntimeException unreadable) {
        // left to the page that carries it, which reports it
      }
    }
    if (plans.size() < SCAN_MIN) {
      return;
    }
    Instant to = plans.stream().map(Plan::to).max(Comparator.naturalOrder()).orElseThrow();
    Instant earliest = plans.stream().map(Plan::from).min(Comparator.naturalOrder()).orElseThrow();
    Instant from = earliest.isBefore(to.minus(MAX_SCAN)) ? to.minus(MAX_SCAN) : earliest;
    Map<String, Plan> byId = new HashMap<>();
    for (Plan plan : plans) {
      if (!plan.from().isBefore(from)) {
        byId.put(plan.master().id(), plan);
      }
    }
    List<Instant[]> ranges = new ArrayList<>();
    for (Instant start = from; start.isBefore(to); start = start.plus(SCAN_RANGE)) {
      Instant end = start.plus(SCAN_RANGE);
      ranges.add(new Instant[] {start, end.isAfter(to) ? to : end});
    }
    Seen seen = new Seen();
    try {
      Parallel.map(ranges, range -> view(mailbox, calendarId, range[0], range[1], byId, seen));
    } catch (ExchangeException e) {
      if (e.kind() != ExchangeException.Kind.PERMANENT) {
        throw e;
      }
      // The view was refused (a range this Graph does not take): each series reads its own
      // /instances, as before.
      return;
    } catch (RuntimeException unreadable) {
      // an instance that cannot be read: its series is read from its own /instances
      return;
    }
    for (Plan plan : byId.values()) {
      String id = plan.master().id();
      series.put(
          mailbox,
          id,
          complete(
              plan,
              seen.starts.getOrDefault(id, Set.of()),
              List.copyOf(seen.exceptions.getOrDefault(id, Map.of()).values())));
    }
  }

  /**
   * What a calendar view showed of each series: the original starts of its instances and its
   * exceptions (read at once; a page is let go as soon as it is read, so memory holds instants, not
   * JSON). Ranges overlap at their ends: an instance seen twice counts once. Only instances due
   * between the series' first and last due start count (the view covers the spans of all series, so
   * it also shows a series' occurrences past its horizon, as its own /instances would not); there
   * every honest instance is a due one, so a series holds at most as many as its pattern has
   * occurrences: a Graph that sends more (millions of made-up instances over its allowed pages)
   * fills no memory with them.
   */
  private static final class Seen {
    final Map<String, Set<Instant>> starts = new HashMap<>();
    final Map<String, Map<String, SourceEvent>> exceptions = new HashMap<>();

    synchronized void add(Plan plan, Instant original, String id, SourceEvent exception) {
      if (!plan.spans(original)) {
        return;
      }
      String masterId = plan.master().id();
      int most = plan.expected().size();
      Set<Instant> own = starts.computeIfAbsent(masterId, k -> new HashSet<>());
      if (own.size() < most) {
        own.add(original);
      }
      Map<String, SourceEvent> found = exceptions.computeIfAbsent(masterId, k -> new HashMap<>());
      if (exception != null && found.size() < most) {
        found.putIfAbsent(id, exception);
      }
    }
  }

  /**
   * The occurrences and exceptions of the given series in one range of a calendar's view, read as a
   * {@code calendarView/delta} round: occurrences come as stubs (id, series, start, end) and
   * exceptions whole, so the scan moves a third of the bytes of a plain calendar view with every
   * field an exception needs (v1.0's delta takes no {@code $select}). The round's delta link is not
   * kept: the full read follows the calendar with its own {@code events/delta}.
   */
  private Void view(
      String mailbox,
      String calendarId,
      Instant from,
      Instant to,
      Map<String, Plan> wanted,
      Seen seen) {
    String next = viewUrl(mailbox, calendarId, "calendarView/delta", from, to);
    Pages pages = new Pages();
    while (next != null) {
      JsonNode page = get(mailbox, next, true, INSTANCES_PAGE_SIZE);
      for (JsonNode instance : page.path("value")) {
        Plan plan = wanted.get(instance.path("seriesMasterId").asString(""));
        if (plan == null || instance.has("@removed")) {
          continue;
        }
        switch (instance.path("type").asString("")) {
          case "occurrence" -> seen.add(plan, dueStart(instance, plan), null, null);
          case "exception" ->
              seen.add(
                  plan,
                  GraphEventReader.parseInstant(instance.path("originalStart").asString()),
                  instance.path("id").asString(),
                  GraphEventReader.read(instance));
          default -> {}
        }
      }
      next = pages.next(page);
    }
    return null;
  }

  /**
   * Where an occurrence was due, as an instant comparable with the plan's: its original start when
   * the stub carries one, else its start (an occurrence that is not an exception starts where it
   * was due). All-day occurrences are dates, taken at midnight in the series' zone.
   */
  private static Instant dueStart(JsonNode stub, Plan plan) {
    String original = stub.path("originalStart").asString(null);
    if (original != null && !plan.allDay()) {
      return GraphEventReader.parseInstant(original);
    }
    EventTime start = GraphEventReader.time(stub.path("start"), plan.zone(), plan.allDay());
    return plan.allDay() ? start.date().atStartOfDay(plan.zone()).toInstant() : start.instant();
  }

  // --- writes ----------------------------------------------------------------------------------

  @Override
  public org.exbridge.exchange.ChangeSubscriptions changeSubscriptions() {
    return subscriptions;
  }

  private final org.exbridge.exchange.ChangeSubscriptions subscriptions =
      new org.exbridge.exchange.ChangeSubscriptions() {
        @Override
        public Subscription create(
            String mailbox,
            String notificationUrl,
            String lifecycleUrl,
            String clientState,
            Instant expires) {
          tools.jackson.databind.node.ObjectNode body = json.createObjectNode();
          body.put("changeType", "created,updated,deleted");
          body.put("notificationUrl", notificationUrl);
          body.put("lifecycleNotificationUrl", lifecycleUrl);
          body.put("resource", "/users/" + mailbox + "/events");
          body.put("expirationDateTime", expires.toString());
          body.put("clientState", clientState);
          return subscription(write(mailbox, "POST", graphUrl + "/v1.0/subscriptions", body, null));
        }

        @Override
        public Subscription renew(String mailbox, String subscriptionId, Instant expires) {
          tools.jackson.databind.node.ObjectNode body = json.createObjectNode();
          body.put("expirationDateTime", expires.toString());
          return subscription(
              write(
                  mailbox,
                  "PATCH",
                  graphUrl + "/v1.0/subscriptions/" + enc(subscriptionId),
                  body,
                  null));
        }

        @Override
        public void delete(String mailbox, String subscriptionId) {
          try {
            write(
                mailbox,
                "DELETE",
                graphUrl + "/v1.0/subscriptions/" + enc(subscriptionId),
                null,
                null);
          } catch (ExchangeException e) {
            if (e.kind() != ExchangeException.Kind.ITEM_GONE) {
              throw e;
            }
          }
        }

        private Subscription subscription(JsonNode answer) {
          String id = answer == null ? null : answer.path("id").asString(null);
          if (id == null) {
            throw new ExchangeException(
                ExchangeException.Kind.RETRYABLE, "malformed", "Graph answered no subscription id");
          }
          Instant until;
          try {
            until = Instant.parse(answer.path("expirationDateTime").asString(""));
          } catch (java.time.format.DateTimeParseException e) {
            until = null;
          }
          return new Subscription(id, until);
        }
      };

  @Override
  public org.exbridge.exchange.ExchangeWriter writer() {
    return writer;
  }

  /** The whole single or series (deleted occurrences found), or null if it is gone. */
  SourceEvent readItem(String mailbox, String itemId) {
    JsonNode event;
    try {
      event = get(mailbox, user(mailbox) + "/events/" + enc(itemId), false);
    } catch (ExchangeException e) {
      if (e.kind() == ExchangeException.Kind.PERMANENT && "ErrorItemNotFound".equals(e.code())) {
        return null;
      }
      throw e;
    }
    SourceEvent master = GraphEventReader.read(event);
    return master.recurrence() == null ? master : completeSeriesFresh(mailbox, master);
  }

  String userUrl(String mailbox) {
    return user(mailbox);
  }

  JsonNode getJson(String mailbox, String url) {
    return get(mailbox, url, false);
  }

  /**
   * One write: POST, PATCH or DELETE with a JSON body; the answer's JSON (null for none). 412 is a
   * conflict and 404 an item that is gone; a rejected token is renewed once.
   */
  JsonNode write(String mailbox, String method, String url, JsonNode body, String ifMatch) {
    Semaphore gate = perMailbox.computeIfAbsent(mailbox, m -> new Semaphore(PER_MAILBOX));
    for (int attempt = 0; ; attempt++) {
      ExchangeHttp.Answer response;
      try {
        gate.acquire();
      } catch (InterruptedException e) {
        throw ExchangeException.interrupted();
      }
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "Bearer " + tokens.token())
                .header("Accept", "application/json")
                .header("Prefer", "outlook.timezone=\"UTC\", outlook.body-content-type=\"text\"")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
          request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
          request.header("If-Match", ifMatch);
        }
        response = http.send(request.build(), "Graph");
      } catch (ExchangeException e) {
        observer.request("graph", RequestObserver.outcome(e));
        throw e;
      } finally {
        gate.release();
      }
      int status = response.status();
      if (status >= 200 && status < 300) {
        observer.request("graph", "ok");
        return response.body() == null || response.body().length == 0 ? null : parse(response);
      }
      if (status == 401 && attempt == 0) {
        tokens.forget();
        continue;
      }
      ExchangeException failure = failure(response, false, true);
      observer.request("graph", RequestObserver.outcome(failure));
      throw failure;
    }
  }

  private JsonNode getOrNull(String mailbox, String url) {
    try {
      return get(mailbox, url, true);
    } catch (ExchangeException e) {
      if (e.kind() == ExchangeException.Kind.CALENDAR_GONE) {
        return null;
      }
      throw e;
    }
  }

  private String user(String mailbox) {
    return graphUrl + "/v1.0/users/" + enc(mailbox);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode get(String mailbox, String url, boolean calendarScoped) {
    return get(mailbox, url, calendarScoped, PAGE_SIZE);
  }

  /**
   * One GET, at most {@link #PER_MAILBOX} at once per mailbox; a rejected token is renewed once.
   */
  private JsonNode get(String mailbox, String url, boolean calendarScoped, int pageSize) {
    try {
      JsonNode reply = send(mailbox, url, calendarScoped, pageSize);
      observer.request("graph", "ok");
      return reply;
    } catch (ExchangeException e) {
      observer.request("graph", RequestObserver.outcome(e));
      throw e;
    }
  }

  private JsonNode send(String mailbox, String url, boolean calendarScoped, int pageSize) {
    Semaphore gate = perMailbox.computeIfAbsent(mailbox, m -> new Semaphore(PER_MAILBOX));
    for (int attempt = 0; ; attempt++) {
      ExchangeHttp.Answer response;
      try {
        gate.acquire();
      } catch (InterruptedException e) {
        throw ExchangeException.interrupted();
      }
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + tokens.token())
                    .header("Accept", "application/json")
                    .header(
                        "Prefer",
                        "outlook.timezone=\"UTC\", outlook.body-content-type=\"text\", odata.maxpagesize="
                            + pageSize)
                    .GET()
                    .build(),
                "Graph");
      } finally {
        gate.release();
      }
      if (response.status() == 200) {
        return parse(response);
      }
      if (response.status() == 401 && attempt == 0) {
        tokens.forget();
        continue;
      }
      throw failure(response, calendarScoped, false);
    }
  }

  /**
   * A failed answer, classified by its status and Graph's error code; for a write, 404 is an item
   * that is gone.
   */
  private ExchangeException failure(
      ExchangeHttp.Answer response, boolean calendarScoped, boolean write) {
    JsonNode error = null;
    try {
      error = json.readTree(response.body()).path("error");
    } catch (RuntimeException e) {
      // not JSON: the status decides
    }
    String code = error == null ? null : error.path("code").asString(null);
    String message = error == null ? null : error.path("message").asString(null);
    if (write && response.status() == 404) {
      return new ExchangeException(
          ExchangeException.Kind.ITEM_GONE,
          code == null ? "HTTP 404" : code,
          message == null ? "the event is not there" : message);
    }
    return GraphErrors.of(
        response.status(),
        code,
        message,
        GraphErrors.retryAfter(response.header("Retry-After")),
        calendarScoped);
  }

  /** A 200 answer's JSON object; anything else is a classified failure that says what came. */
  private JsonNode parse(ExchangeHttp.Answer response) {
    String type = response.contentType();
    if (!type.isEmpty() && !type.contains("json")) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "NotJson",
          "the Graph URL answered "
              + (type.contains("html") ? "an HTML page" : "something other than JSON")
              + " ("
              + type
              + "), not Graph JSON: is graph_url https://graph.microsoft.com? It began: "
              + ExchangeHttp.excerpt(response.body()));
    }
    JsonNode node;
    try {
      node = json.readTree(response.body());
    } catch (RuntimeException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE,
          "MalformedJson",
          "Graph answered JSON that cannot be read (malformed, cut short or nested too deep); it began: "
              + ExchangeHttp.excerpt(response.body()));
    }
    return node;
  }
}
