package org.exbridge.exchange.graph;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
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
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.Parallel;
import org.exbridge.exchange.RecurrenceExpansion;
import org.exbridge.exchange.SeriesCache;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
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

  /**
   * How far past its start a series is searched for deleted occurrences (v1.0 lists none, so they
   * are the gaps among its instances); a deletion further out than this is not seen.
   */
  static final Duration SERIES_HORIZON = Duration.ofDays(2 * 366);

  /** The instance fields read: enough to find gaps and to read exceptions whole. */
  static final String INSTANCE_FIELDS =
      "id,type,originalStart,originalStartTimeZone,start,end,isAllDay,subject,body,"
          + "location,showAs,sensitivity,isCancelled,organizer,attendees,isReminderOn,reminderMinutesBeforeStart,"
          + "onlineMeeting,onlineMeetingUrl,changeKey,lastModifiedDateTime,seriesMasterId";

  private final HttpClient http;
  private final JsonMapper json;
  private final String graphUrl;
  private final ClientCredentialsTokens tokens;
  private final Duration timeout;
  private final Map<String, Semaphore> perMailbox = new ConcurrentHashMap<>();
  private final SeriesCache series;

  public GraphClient(
      HttpClient http,
      JsonMapper json,
      String graphUrl,
      String tokenUrl,
      String clientId,
      String clientSecret,
      Duration timeout,
      Clock clock) {
    this.http = http;
    this.json = json;
    this.graphUrl =
        graphUrl.endsWith("/") ? graphUrl.substring(0, graphUrl.length() - 1) : graphUrl;
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
    this.series = new SeriesCache(clock);
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
      next = page.path("@odata.nextLink").asString(null);
    }
    return out;
  }

  @Override
  public SourcePage window(
      String mailbox, String calendarId, Instant from, Instant to, String cursor) {
    String url =
        cursor != null
            ? cursor
            : user(mailbox)
                + "/calendars/"
                + enc(calendarId)
                + "/calendarView/delta?startDateTime="
                + enc(from.toString())
                + "&endDateTime="
                + enc(to.toString());
    boolean incremental = url.contains("$deltatoken=");
    JsonNode page = get(mailbox, url, true, DELTA_PAGE_SIZE);
    Map<String, JsonNode> singles = new LinkedHashMap<>();
    Set<String> masters = new HashSet<>();
    List<String> deleted = new ArrayList<>();
    for (JsonNode item : page.path("value")) {
      String id = item.path("id").asString();
      if (item.has("@removed")) {
        // Deleted, or only moved out of the window: only a deletion is reported as one.
        if (incremental && !exists(mailbox, id)) {
          deleted.add(id);
        }
        continue;
      }
      String type = item.path("type").asString("singleInstance");
      if (type.equals("occurrence") || type.equals("exception")) {
        masters.add(item.path("seriesMasterId").asString());
      } else if (type.equals("seriesMaster")) {
        masters.add(id);
      } else {
        singles.put(id, item);
      }
    }
    List<SourceEvent> events = new ArrayList<>();
    singles.values().forEach(s -> events.add(GraphEventReader.read(s)));
    for (SourceEvent series :
        Parallel.map(
            new ArrayList<>(masters),
            masterId -> {
              SourceEvent cached = series.recent(mailbox, masterId);
              if (cached != null) {
                return cached;
              }
              JsonNode master = getOrNull(mailbox, user(mailbox) + "/events/" + enc(masterId));
              return master == null ? null : completeSeries(mailbox, master);
            })) {
      if (series != null) {
        events.add(series);
      }
    }
    return next(page, events, deleted);
  }

  @Override
  public SourcePage all(String mailbox, String calendarId, String cursor) {
    return events(
        mailbox,
        cursor != null
            ? cursor
            : user(mailbox) + "/calendars/" + enc(calendarId) + "/events/delta");
  }

  @Override
  public SourcePage changes(String mailbox, String calendarId, String cursor) {
    return events(mailbox, cursor);
  }

  private SourcePage events(String mailbox, String url) {
    JsonNode page = get(mailbox, url, true, DELTA_PAGE_SIZE);
    List<JsonNode> items = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (JsonNode item : page.path("value")) {
      if (item.has("@removed")) {
        deleted.add(item.path("id").asString());
      } else {
        items.add(item);
      }
    }
    return next(
        page,
        Parallel.map(
            items,
            item ->
                "seriesMaster".equals(item.path("type").asString())
                    ? completeSeries(mailbox, item)
                    : GraphEventReader.read(item)),
        deleted);
  }

  private static SourcePage next(JsonNode page, List<SourceEvent> events, List<String> deleted) {
    String nextLink = page.path("@odata.nextLink").asString(null);
    String deltaLink = page.path("@odata.deltaLink").asString(null);
    return new SourcePage(
        events, deleted, nextLink != null ? nextLink : deltaLink, nextLink != null);
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

  private SourceEvent completeSeriesFresh(String mailbox, SourceEvent master) {
    if (master.recurrence() == null) {
      return master;
    }
    ZoneId zone = master.recurrence().zone();
    boolean allDay = master.start().allDay();
    LocalDateTime firstLocal =
        allDay
            ? master.start().date().atStartOfDay()
            : LocalDateTime.ofInstant(master.start().instant(), zone);
    LocalDateTime horizon = firstLocal.plus(SERIES_HORIZON);
    List<LocalDateTime> expected =
        RecurrenceExpansion.starts(master.recurrence().rrule(), firstLocal, zone, horizon, 10_000);
    if (expected.isEmpty()) {
      return master;
    }
    Instant from = firstLocal.atZone(zone).toInstant();
    Instant to =
        expected.get(expected.size() - 1).atZone(zone).toInstant().plus(Duration.ofDays(2));
    Set<Instant> seen = new HashSet<>();
    List<SourceEvent> exceptions = new ArrayList<>();
    String next =
        user(mailbox)
            + "/events/"
            + enc(master.id())
            + "/instances?startDateTime="
            + enc(from.toString())
            + "&endDateTime="
            + enc(to.toString());
    while (next != null) {
      JsonNode page = get(mailbox, next, true, INSTANCES_PAGE_SIZE);
      for (JsonNode instance : page.path("value")) {
        String original = instance.path("originalStart").asString(null);
        if (original != null) {
          seen.add(GraphEventReader.parseInstant(original));
        }
        if ("exception".equals(instance.path("type").asString())) {
          exceptions.add(GraphEventReader.read(instance));
        }
      }
      next = page.path("@odata.nextLink").asString(null);
    }
    List<EventTime> deleted = new ArrayList<>();
    for (LocalDateTime start : expected) {
      Instant at = start.atZone(zone).toInstant();
      if (!seen.contains(at)) {
        deleted.add(allDay ? EventTime.onDate(LocalDate.from(start)) : EventTime.at(at, zone));
      }
    }
    exceptions.sort(
        java.util.Comparator.comparing(
            x ->
                x.originalStart().allDay()
                    ? x.originalStart().date().atStartOfDay(zone).toInstant()
                    : x.originalStart().instant()));
    return master.withExceptions(exceptions, deleted);
  }

  private boolean exists(String mailbox, String eventId) {
    return getOrNull(mailbox, user(mailbox) + "/events/" + enc(eventId)) != null;
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

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode get(String mailbox, String url, boolean calendarScoped) {
    return get(mailbox, url, calendarScoped, PAGE_SIZE);
  }

  /**
   * One GET, at most {@link #PER_MAILBOX} at once per mailbox; a rejected token is renewed once.
   */
  private JsonNode get(String mailbox, String url, boolean calendarScoped, int pageSize) {
    Semaphore gate = perMailbox.computeIfAbsent(mailbox, m -> new Semaphore(PER_MAILBOX));
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        gate.acquire();
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
                  HttpResponse.BodyHandlers.ofString());
        } finally {
          gate.release();
        }
      } catch (IOException e) {
        throw ExchangeException.unreachable("Graph", e);
      } catch (InterruptedException e) {
        throw ExchangeException.interrupted();
      }
      if (response.statusCode() == 200) {
        return json.readTree(response.body());
      }
      if (response.statusCode() == 401 && attempt == 0) {
        tokens.forget();
        continue;
      }
      JsonNode error = null;
      try {
        error = json.readTree(response.body()).path("error");
      } catch (RuntimeException e) {
        // not JSON: the status decides
      }
      throw GraphErrors.of(
          response.statusCode(),
          error == null ? null : error.path("code").asString(null),
          error == null ? null : error.path("message").asString(null),
          GraphErrors.retryAfter(response.headers().firstValue("Retry-After").orElse(null)),
          calendarScoped);
    }
  }
}
