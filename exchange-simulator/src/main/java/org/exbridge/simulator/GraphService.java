package org.exbridge.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0, the calendar endpoints a sync uses, with Graph's paging, delta and errors.
 */
final class GraphService {
  private static final Pattern USER = Pattern.compile("^/v1\\.0/users/([^/]+)(/.*)?$");
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  record Reply(int status, String body, Map<String, String> headers) {}

  private record Request(String baseUrl, String path, Map<String, String> query, String prefer) {}

  private final Simulator sim;

  GraphService(Simulator sim) {
    this.sim = sim;
  }

  Reply handle(
      String baseUrl,
      String method,
      String path,
      String rawQuery,
      String authorization,
      String prefer,
      String ifMatch,
      byte[] body) {
    Matcher m = USER.matcher(path);
    if (!m.matches()) {
      return error(404, "Request_UnsupportedQuery", "Unsupported segment type.");
    }
    String user = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    String rest = m.group(2) == null ? "" : m.group(2);
    String op = method.equals("GET") ? operation(rest) : write(method, rest);
    if (!sim.credentials().graphAllows(authorization)) {
      sim.log().record("graph", op, user, 401);
      return error(
          401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
    }
    Request request = new Request(baseUrl, path, query(rawQuery), prefer == null ? "" : prefer);
    boolean lose = false;
    for (Faults.Rule fault : sim.faults().fire(user, "graph", op, rangeDays(request))) {
      if (fault.kind == Faults.Kind.LOST_RESPONSE) {
        lose = true;
        continue;
      }
      Reply injected = inject(fault, request);
      if (injected != null) {
        sim.log().record("graph", op, user, injected.status());
        return injected;
      }
    }
    Reply reply;
    SimMailbox mailbox = sim.mailbox(user);
    if (mailbox == null) {
      reply = error(404, "ErrorInvalidUser", "The requested user '" + user + "' is invalid.");
    } else if (method.equals("GET")) {
      reply = mailbox.read(() -> dispatch(mailbox, rest, request));
    } else {
      reply = mailbox.write(() -> dispatchWrite(mailbox, method, rest, request, ifMatch, body));
    }
    if (lose) {
      sim.log().record("graph", op, user, 504);
      return error(504, "GatewayTimeout", "The answer was lost on the way.");
    }
    sim.log().record("graph", op, user, reply.status());
    return reply;
  }

  private static String write(String method, String rest) {
    if (method.equals("POST") && rest.endsWith("/cancel")) return "cancel";
    if (method.equals("POST") && rest.matches(".*/(accept|tentativelyAccept|decline)$"))
      return "respond";
    if (method.equals("POST") && rest.endsWith("/events")) return "create";
    if (method.equals("PATCH")) return "update";
    if (method.equals("DELETE")) return "delete";
    return method.toLowerCase(Locale.ROOT);
  }

  private static final Pattern CREATE =
      Pattern.compile("^(?:/calendars/([^/]+)|/calendar)?/events$");
  private static final Pattern ONE = Pattern.compile("^/events/([^/]+)$");
  private static final Pattern CANCEL = Pattern.compile("^/events/([^/]+)/cancel$");
  private static final Pattern RESPOND =
      Pattern.compile("^/events/([^/]+)/(accept|tentativelyAccept|decline)$");

  private Reply dispatchWrite(
      SimMailbox mailbox,
      String method,
      String rest,
      Request request,
      String ifMatch,
      byte[] bytes) {
    tools.jackson.databind.JsonNode body;
    try {
      body =
          bytes.length == 0
              ? SimJson.JSON.createObjectNode()
              : SimJson.JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (tools.jackson.core.JacksonException e) {
      return error(400, "RequestBodyRead", "The body is not JSON: " + e.getOriginalMessage());
    }
    java.time.Clock clock = sim.clock();
    try {
      Matcher m;
      if (method.equals("POST") && (m = CREATE.matcher(rest)).matches()) {
        SimMailbox.SimCalendar c =
            m.group(1) == null
                ? defaultCalendar(mailbox)
                : calendar(mailbox, Simulator.decode(m.group(1)));
        if (c == null) {
          return notFound();
        }
        SimEvent e = GraphWrites.create(mailbox, c, body, clock);
        ObjectNode out = GraphItems.full(mailbox, e, null, zone(request));
        return new Reply(201, out.toString(), ok(out).headers());
      }
      if (method.equals("POST") && (m = RESPOND.matcher(rest)).matches()) {
        Ids.Parsed id = Ids.parse(Simulator.decode(m.group(1)));
        SimEvent e =
            id == null || id.kind() != Ids.Kind.ITEM || !id.mailbox().equals(mailbox.address)
                ? null
                : mailbox.event(id.number());
        if (e == null) {
          return notFound();
        }
        String response =
            switch (m.group(2)) {
              case "accept" -> "accepted";
              case "tentativelyAccept" -> "tentativelyAccepted";
              default -> "declined";
            };
        try {
          EwsWrites.reply(mailbox, e, response, "graph", clock);
        } catch (EwsWrites.Refused r) {
          return error(
              400, "ErrorInvalidRequest", "Your request can't be completed. " + r.getMessage());
        }
        return new Reply(202, "", Map.of());
      }
      if (method.equals("POST") && (m = CANCEL.matcher(rest)).matches()) {
        GraphWrites.delete(mailbox, Ids.parse(Simulator.decode(m.group(1))), ifMatch, clock, true);
        return new Reply(202, "", Map.of());
      }
      if ((m = ONE.matcher(rest)).matches()) {
        Ids.Parsed id = Ids.parse(Simulator.decode(m.group(1)));
        if (method.equals("PATCH")) {
          SimEvent e = GraphWrites.patch(mailbox, id, ifMatch, body, clock);
          Occurrences.Occurrence o = null;
          if (id.kind() == Ids.Kind.OCCURRENCE) {
            LocalDateTime original = LocalDateTime.parse(id.occurrenceKey());
            o =
                Occurrences.live(e, original).stream()
                    .filter(x -> x.originalStart().equals(original))
                    .findFirst()
                    .orElse(null);
          }
          return ok(GraphItems.full(mailbox, e, o, zone(request)));
        }
        if (method.equals("DELETE")) {
          GraphWrites.delete(mailbox, id, ifMatch, clock, false);
          return new Reply(204, "", Map.of());
        }
      }
      return error(405, "ErrorInvalidRequest", "Unsupported request: " + method + " " + rest);
    } catch (GraphWrites.Refused r) {
      return error(r.status, r.code, r.getMessage());
    } catch (EwsWrites.Refused | IllegalArgumentException | java.time.DateTimeException r) {
      return error(400, "ErrorInvalidRequest", r.getMessage());
    }
  }

  private static String operation(String rest) {
    if (rest.isEmpty()) return "user";
    if (rest.equals("/calendars")) return "calendars";
    if (rest.endsWith("/calendarView/delta")) return "calendarView.delta";
    if (rest.endsWith("/calendarView")) return "calendarView";
    if (rest.endsWith("/events/delta")) return "events.delta";
    if (rest.endsWith("/instances")) return "instances";
    if (rest.matches("/calendars/[^/]+/events")) return "events";
    if (rest.matches("/events/[^/]+")) return "event";
    return "other";
  }

  private Reply inject(Faults.Rule fault, Request request) {
    return switch (fault.kind) {
      case LATENCY -> {
        Simulator.pause(fault.latencyMillis);
        yield null;
      }
      case THROTTLE ->
          withHeader(
              error(
                  429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit."),
              "Retry-After",
              Long.toString(Math.max(1, (fault.backoffMillis + 999) / 1000)));
      case HTTP_500 -> error(500, "InternalServerError", "An internal server error occurred.");
      case HTTP_503 ->
          withHeader(
              error(503, "ServiceUnavailable", "The service is temporarily unavailable."),
              "Retry-After",
              "1");
      case BAD_CREDENTIALS ->
          error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
      case IMPERSONATION_DENIED ->
          error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
      case NO_MAILBOX ->
          error(
              404,
              "MailboxNotEnabledForRESTAPI",
              "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
      case LOST_RESPONSE -> null;
      case INVALID_SYNC_STATE ->
          request.query().containsKey("$deltatoken") || request.query().containsKey("$skiptoken")
              ? error(
                  410,
                  "SyncStateNotFound",
                  "The sync state generation is not found. Please do a full resync.")
              : null;
    };
  }

  private Reply dispatch(SimMailbox mailbox, String rest, Request request) {
    if (rest.isEmpty()) {
      ObjectNode user = SimJson.JSON.createObjectNode();
      user.put("id", Ids.graph(Ids.Kind.FOLDER, mailbox.address, 0));
      user.put("displayName", mailbox.displayName);
      user.put("mail", mailbox.address);
      user.put("userPrincipalName", mailbox.address);
      return ok(user);
    }
    if (rest.equals("/calendars")) {
      return calendars(mailbox, request);
    }
    Matcher m;
    if ((m = Pattern.compile("^/calendars/([^/]+)/calendarView/delta$").matcher(rest)).matches()) {
      SimMailbox.SimCalendar c = calendar(mailbox, Simulator.decode(m.group(1)));
      return c == null
          ? notFound()
          : GraphDelta.calendarView(
              deltaRounds,
              mailbox,
              c,
              request.baseUrl() + request.path(),
              request.query(),
              zone(request),
              pageSize(request));
    }
    if ((m = Pattern.compile("^/calendars/([^/]+)/events/delta$").matcher(rest)).matches()) {
      SimMailbox.SimCalendar c = calendar(mailbox, Simulator.decode(m.group(1)));
      return c == null
          ? notFound()
          : GraphDelta.events(
              mailbox,
              c,
              request.baseUrl() + request.path(),
              request.query(),
              zone(request),
              pageSize(request));
    }
    // The plain (not delta) calendar view, of a calendar or of the default one, as the Graph
    // SDKs call it: every occurrence and single overlapping the range, by start, paged.
    if ((m = Pattern.compile("^(?:/calendars/([^/]+)|/calendar)?/calendarView$").matcher(rest))
        .matches()) {
      SimMailbox.SimCalendar c =
          m.group(1) == null
              ? defaultCalendar(mailbox)
              : calendar(mailbox, Simulator.decode(m.group(1)));
      return c == null ? notFound() : calendarView(mailbox, c, request);
    }
    if ((m = Pattern.compile("^(?:/calendars/([^/]+)|/calendar)?/events$").matcher(rest))
        .matches()) {
      SimMailbox.SimCalendar c =
          m.group(1) == null
              ? defaultCalendar(mailbox)
              : calendar(mailbox, Simulator.decode(m.group(1)));
      if (c == null) {
        return notFound();
      }
      java.util.Set<String> types;
      try {
        types = typeFilter(request.query().get("$filter"));
      } catch (IllegalArgumentException e) {
        return error(400, "BadRequest", "Invalid filter clause: " + e.getMessage());
      }
      List<ObjectNode> all = new ArrayList<>();
      c.events.values().stream()
          .filter(
              e ->
                  types == null
                      || types.contains(e.recurring() ? "seriesMaster" : "singleInstance"))
          .sorted(Comparator.comparingLong(e -> e.number))
          .forEach(e -> all.add(GraphItems.full(mailbox, e, null, zone(request))));
      return page(all, request, pageSize(request));
    }
    if ((m = Pattern.compile("^/events/([^/]+)/instances$").matcher(rest)).matches()) {
      return instances(mailbox, Simulator.decode(m.group(1)), request);
    }
    if ((m = Pattern.compile("^/events/([^/]+)$").matcher(rest)).matches()) {
      Ids.Parsed p = Ids.parse(Simulator.decode(m.group(1)));
      SimEvent e =
          p == null || !p.mailbox().equals(mailbox.address) ? null : mailbox.event(p.number());
      if (e == null || p.kind() == Ids.Kind.FOLDER) {
        return notFound();
      }
      if (p.kind() == Ids.Kind.OCCURRENCE) {
        LocalDateTime original = LocalDateTime.parse(p.occurrenceKey());
        Occurrences.Occurrence o =
            Occurrences.live(e, original).stream()
                .filter(x -> x.originalStart().equals(original))
                .findFirst()
                .orElse(null);
        return o == null ? notFound() : ok(GraphItems.full(mailbox, e, o, zone(request)));
      }
      return ok(GraphItems.full(mailbox, e, null, zone(request)));
    }
    return error(400, "BadRequest", "Unsupported request: " + rest);
  }

  private static final Pattern TYPE_EQ =
      Pattern.compile(
          "\\(?\\s*type\\s+eq\\s+'(singleInstance|seriesMaster|occurrence|exception)'\\s*\\)?");

  /**
   * The event types a {@code $filter} of {@code type eq '...'} clauses joined by {@code or} keeps
   * (null: no filter). Other filters are refused, not ignored, so a client relying on one notices.
   */
  static java.util.Set<String> typeFilter(String filter) {
    if (filter == null || filter.isBlank()) {
      return null;
    }
    java.util.Set<String> types = new java.util.HashSet<>();
    for (String clause : filter.trim().split("\\s+or\\s+")) {
      Matcher m = TYPE_EQ.matcher(clause.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(filter);
      }
      types.add(m.group(1));
    }
    return types;
  }

  private Reply calendars(SimMailbox mailbox, Request request) {
    List<ObjectNode> all = new ArrayList<>();
    for (SimMailbox.SimCalendar c : mailbox.calendars) {
      ObjectNode n = SimJson.JSON.createObjectNode();
      n.put("id", Ids.graph(Ids.Kind.FOLDER, mailbox.address, c.number));
      n.put("name", c.name);
      n.put("color", "auto");
      n.put("hexColor", c.color);
      n.put("isDefaultCalendar", c.isDefault);
      n.put("changeKey", "nfZyf7VcrEKLNoU37KWlkQAAA0x0+w==");
      n.put("canShare", c.canEdit);
      n.put("canViewPrivateItems", true);
      n.put("canEdit", c.canEdit);
      n.put("isRemovable", !c.isDefault);
      ObjectNode owner = n.putObject("owner");
      owner.put("name", mailbox.displayName);
      owner.put("address", mailbox.address);
      all.add(n);
    }
    return page(all, request, pageSize(request));
  }

  private Reply instances(SimMailbox mailbox, String id, Request request) {
    Ids.Parsed p = Ids.parse(id);
    SimEvent e =
        p == null || p.kind() != Ids.Kind.ITEM || !p.mailbox().equals(mailbox.address)
            ? null
            : mailbox.event(p.number());
    if (e == null) {
      return notFound();
    }
    Instant from;
    Instant to;
    try {
      from = GraphDelta.parseTime(request.query().get("startDateTime"));
      to = GraphDelta.parseTime(request.query().get("endDateTime"));
    } catch (DateTimeParseException | NullPointerException ex) {
      return error(
          400,
          "ErrorInvalidParameter",
          "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
    }
    List<ObjectNode> all = new ArrayList<>();
    if (e.recurring()) {
      LocalDateTime until = LocalDateTime.ofInstant(to, e.zone).plusDays(1);
      for (Occurrences.Occurrence o : Occurrences.live(e, until)) {
        if (e.instant(o.start()).isBefore(to) && e.instant(o.end()).isAfter(from)) {
          all.add(GraphItems.full(mailbox, e, o, zone(request)));
        }
      }
    }
    return page(all, request, pageSize(request));
  }

  private static SimMailbox.SimCalendar calendar(SimMailbox mailbox, String id) {
    Ids.Parsed p = Ids.parse(id);
    if (p == null || p.kind() != Ids.Kind.FOLDER || !p.mailbox().equals(mailbox.address)) {
      return null;
    }
    return mailbox.calendar(p.number());
  }

  private static SimMailbox.SimCalendar defaultCalendar(SimMailbox mailbox) {
    return mailbox.calendars.isEmpty() ? null : mailbox.defaultCalendar();
  }

  private Reply calendarView(SimMailbox mailbox, SimMailbox.SimCalendar c, Request request) {
    Instant from;
    Instant to;
    try {
      from = GraphDelta.parseTime(request.query().get("startDateTime"));
      to = GraphDelta.parseTime(request.query().get("endDateTime"));
    } catch (RuntimeException e) {
      return error(
          400,
          "ErrorInvalidParameter",
          "This request requires a time window specified by the query string parameters"
              + " StartDateTime and EndDateTime.");
    }
    GraphItems.OutputZone zone = zone(request);
    // The view is expanded once per query and mailbox version, and each page made from it: a
    // client paging a long view must not make every page expand every series again.
    String key =
        mailbox.address
            + " "
            + c.number
            + " "
            + from
            + " "
            + to
            + " "
            + zone
            + " "
            + mailbox.version();
    Instant viewFrom = from;
    Instant viewTo = to;
    List<Map.Entry<Instant, java.util.function.Supplier<ObjectNode>>> found =
        views.get(
            key,
            () -> {
              List<Map.Entry<Instant, java.util.function.Supplier<ObjectNode>>> all =
                  new ArrayList<>();
              for (SimEvent e : c.events.values()) {
                if (!e.recurring()) {
                  if (e.instant(e.start).isBefore(viewTo) && e.instant(e.end).isAfter(viewFrom)) {
                    all.add(
                        Map.entry(
                            e.instant(e.start), () -> GraphItems.full(mailbox, e, null, zone)));
                  }
                  continue;
                }
                LocalDateTime until = LocalDateTime.ofInstant(viewTo, e.zone).plusDays(1);
                for (Occurrences.Occurrence o : Occurrences.live(e, until)) {
                  if (o.startAt().isBefore(viewTo) && o.endAt().isAfter(viewFrom)) {
                    all.add(Map.entry(o.startAt(), () -> GraphItems.full(mailbox, e, o, zone)));
                  }
                }
              }
              all.sort(Map.Entry.comparingByKey());
              return all;
            });
    int size = pageSize(request);
    int skip = Integer.parseInt(request.query().getOrDefault("$skip", "0"));
    List<ObjectNode> shown = new ArrayList<>();
    for (int i = skip; i < Math.min(found.size(), skip + size); i++) {
      shown.add(found.get(i).getValue().get());
    }
    return page(shown, found.size(), request, size);
  }

  /** The days a calendar view's first request spans; -1 for any other request. */
  private static long rangeDays(Request request) {
    try {
      return java.time.Duration.between(
              GraphDelta.parseTime(request.query().get("startDateTime")),
              GraphDelta.parseTime(request.query().get("endDateTime")))
          .toDays();
    } catch (RuntimeException notAView) {
      return -1;
    }
  }

  /** Expanded calendar-view delta rounds by query and mailbox version. */
  private final GraphDelta.Rounds deltaRounds = new GraphDelta.Rounds();

  /** Expanded calendar views by query and mailbox version. */
  private final Expanded<List<Map.Entry<Instant, java.util.function.Supplier<ObjectNode>>>> views =
      new Expanded<>();

  /** One page of a plain list, with {@code $skip} in the next link. */
  private Reply page(List<ObjectNode> all, Request request, int size) {
    int skip = Integer.parseInt(request.query().getOrDefault("$skip", "0"));
    return page(all.stream().skip(skip).limit(size).toList(), all.size(), request, size);
  }

  /** A page already cut from a list of {@code total} items. */
  private Reply page(List<ObjectNode> shown, int total, Request request, int size) {
    int skip = Integer.parseInt(request.query().getOrDefault("$skip", "0"));
    ObjectNode body = SimJson.JSON.createObjectNode();
    body.put("@odata.context", request.baseUrl() + "/v1.0/$metadata#collection");
    ArrayNode value = body.putArray("value");
    shown.stream().map(item -> select(item, request)).forEach(value::add);
    if (skip + size < total) {
      Map<String, String> next = new LinkedHashMap<>(request.query());
      next.put("$skip", Integer.toString(skip + size));
      next.put("$top", Integer.toString(size));
      body.put(
          "@odata.nextLink",
          request.baseUrl() + request.path() + "?" + GraphDelta.queryString(next));
    }
    return ok(body);
  }

  /** Graph's {@code $select}: only the named properties (and the id) are returned. */
  private static ObjectNode select(ObjectNode item, Request request) {
    String select = request.query().get("$select");
    if (select == null || select.isBlank()) {
      return item;
    }
    java.util.Set<String> keep =
        new java.util.HashSet<>(java.util.Arrays.asList(select.split(",")));
    keep.add("id");
    keep.add("@odata.etag");
    ObjectNode out = SimJson.JSON.createObjectNode();
    item.properties()
        .forEach(
            e -> {
              if (keep.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  static int pageSize(Map<String, String> query, String prefer) {
    Matcher m = Pattern.compile("odata\\.maxpagesize=(\\d+)").matcher(prefer);
    int size =
        m.find()
            ? Integer.parseInt(m.group(1))
            : query.containsKey("$top") ? Integer.parseInt(query.get("$top")) : DEFAULT_PAGE;
    return Math.max(1, Math.min(MAX_PAGE, size));
  }

  private static int pageSize(Request request) {
    return pageSize(request.query(), request.prefer());
  }

  private static GraphItems.OutputZone zone(Request request) {
    Matcher m = Pattern.compile("outlook\\.timezone=\"([^\"]+)\"").matcher(request.prefer());
    if (!m.find()) {
      return GraphItems.OutputZone.UTC;
    }
    String name = m.group(1);
    ZoneId zone = Zones.fromWindows(name);
    if (zone == null) {
      try {
        zone = ZoneId.of(name);
      } catch (RuntimeException e) {
        return GraphItems.OutputZone.UTC;
      }
    }
    return new GraphItems.OutputZone(zone, name);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  static Reply ok(ObjectNode body) {
    return new Reply(
        200, body.toString(), Map.of("Content-Type", "application/json; odata.metadata=minimal"));
  }

  static Reply notFound() {
    return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }

  static Reply error(int status, String code, String message) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("code", code);
    e.put("message", message);
    ObjectNode inner = e.putObject("innerError");
    inner.put("date", Instant.now().toString().substring(0, 19));
    inner.put("request-id", java.util.UUID.randomUUID().toString());
    return new Reply(status, n.toString(), Map.of("Content-Type", "application/json"));
  }

  private static Reply withHeader(Reply reply, String name, String value) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put(name, value);
    return new Reply(reply.status(), reply.body(), headers);
  }

  static String token(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String untoken(String token) {
    return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
  }
}
