package org.exbridge.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Push, as Exchange does it: EWS streaming subscriptions ({@code Subscribe}, a {@code
 * GetStreamingEvents} response that stays open and carries notification envelopes as items change,
 * {@code Unsubscribe}) and Graph change notifications ({@code /v1.0/subscriptions}, the validation
 * handshake, notifications POSTed to the subscriber, lifecycle notifications). The control API
 * breaks connections and sends lifecycle events as faults.
 */
final class SimPush implements SimMailbox.ChangeListener {
  /** The longest a Graph subscription on events may live: 10,080 minutes, less a margin. */
  static final Duration GRAPH_MAX_LIFETIME = Duration.ofMinutes(10_070);

  private static final Pattern GRAPH_RESOURCE =
      Pattern.compile("^/?(?:users|Users)/([^/]+)/(?:events|Events)$");
  private static final Set<String> EWS_EVENTS =
      Set.of(
          "CreatedEvent",
          "DeletedEvent",
          "ModifiedEvent",
          "MovedEvent",
          "CopiedEvent",
          "NewMailEvent",
          "FreeBusyChangedEvent");

  private final Simulator sim;
  private final Map<String, EwsSubscription> ews = new ConcurrentHashMap<>();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, GraphSubscription> graph = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newCachedThreadPool(SimPush::daemon);
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newCachedThreadPool(SimPush::daemon))
          .build();

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "sim-push");
    t.setDaemon(true);
    return t;
  }

  private final AtomicLong graphDelivered = new AtomicLong();
  private final AtomicLong graphFailed = new AtomicLong();

  /** Mailboxes whose changes notify nobody (a fault: notifications lost on the way). */
  private final Set<String> muted = ConcurrentHashMap.newKeySet();

  private volatile int ewsConnectionLimit = 3;
  private volatile long heartbeatMillis = 30_000;

  SimPush(Simulator sim) {
    this.sim = sim;
  }

  void close() {
    streams.forEach(Stream::drop);
    delivery.shutdownNow();
  }

  // --- the mailbox tells -----------------------------------------------------------------------

  @Override
  public void changed(SimMailbox mailbox, long calendar, long item, long version, String kind) {
    if (muted.contains(mailbox.address)) {
      return;
    }
    String ewsKind =
        switch (kind) {
          case "created" -> "CreatedEvent";
          case "deleted" -> "DeletedEvent";
          default -> "ModifiedEvent";
        };
    for (EwsSubscription s : ews.values()) {
      if (s.mailbox.equals(mailbox.address)
          && (s.folders.isEmpty() || s.folders.contains(calendar))
          && s.eventTypes.contains(ewsKind)) {
        s.add(ewsEvent(ewsKind, mailbox.address, calendar, item, version));
      }
    }
    Instant now = sim.clock().instant();
    for (GraphSubscription s : graph.values()) {
      if (s.mailbox.equals(mailbox.address)
          && s.changeTypes.contains(kind)
          && s.expires.isAfter(now)) {
        String id = Ids.graph(Ids.Kind.ITEM, mailbox.address, item);
        ObjectNode n = s.notification(now);
        n.put("changeType", kind);
        n.put("resource", "Users/" + mailbox.address + "/Events/" + id);
        ObjectNode data = n.putObject("resourceData");
        data.put("@odata.type", "#Microsoft.Graph.Event");
        data.put("@odata.id", "Users/" + mailbox.address + "/Events/" + id);
        data.put("@odata.etag", "W/\"" + EwsItems.changeKey(version) + "\"");
        data.put("id", id);
        post(s, s.notificationUrl, n, 0);
      }
    }
  }

  private String ewsEvent(String kind, String address, long calendar, long item, long version) {
    Xml x = new Xml();
    // Streaming notifications carry no watermark (pull and push subscriptions do).
    x.open("t:" + kind);
    x.text(
        "t:TimeStamp",
        sim.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    x.empty(
        "t:ItemId",
        "Id",
        Ids.ews(Ids.Kind.ITEM, address, item),
        "ChangeKey",
        EwsItems.changeKey(version));
    x.empty(
        "t:ParentFolderId", "Id", Ids.ews(Ids.Kind.FOLDER, address, calendar), "ChangeKey", "AQ==");
    x.close("t:" + kind);
    return x.toString();
  }

  // --- EWS -------------------------------------------------------------------------------------

  /**
   * One streaming subscription: a mailbox's folders, and what happened while no stream listened.
   */
  final class EwsSubscription {
    final String id = "SUB" + UUID.randomUUID().toString().replace("-", "");
    final String mailbox;
    final String account;
    final Set<Long> folders;
    final Set<String> eventTypes;
    private final Deque<String> pending = new ArrayDeque<>();
    private boolean missed;
    private Stream stream;

    EwsSubscription(String mailbox, String account, Set<Long> folders, Set<String> eventTypes) {
      this.mailbox = mailbox;
      this.account = account;
      this.folders = folders;
      this.eventTypes = eventTypes;
    }

    synchronized void add(String event) {
      if (stream != null && stream.send(this, List.of(event))) {
        return;
      }
      if (pending.size() < 500) {
        pending.add(event);
      } else {
        missed = true;
      }
    }

    /** Attaches a stream, handing it what was queued meanwhile; false when events were lost. */
    synchronized boolean attach(Stream s) {
      if (stream != null && stream != s) {
        stream.detach(this);
      }
      stream = s;
      if (missed) {
        return false;
      }
      if (!pending.isEmpty() && s.send(this, List.copyOf(pending))) {
        pending.clear();
      }
      return true;
    }

    synchronized void detach(Stream s) {
      if (stream == s) {
        stream = null;
      }
    }
  }

  String subscribe(Element op, SimMailbox mailbox, String account) {
    Element request = EwsService.child(op, EwsService.M, "StreamingSubscriptionRequest");
    Xml x = new Xml();
    x.open("m:SubscribeResponse", "xmlns:m", EwsService.M, "xmlns:t", EwsService.T)
        .open("m:ResponseMessages");
    if (request == null) {
      return error(
          x,
          "Subscribe",
          "ErrorInvalidSubscriptionRequest",
          "Only streaming subscriptions are served here.");
    }
    Set<Long> folders = new HashSet<>();
    boolean all = "true".equalsIgnoreCase(request.getAttribute("SubscribeToAllFolders"));
    Element folderIds = EwsService.child(request, EwsService.T, "FolderIds");
    if (!all) {
      if (folderIds == null) {
        return error(x, "Subscribe", "ErrorInvalidSubscriptionRequest", "FolderIds are required.");
      }
      for (Element f : EwsService.children(folderIds)) {
        long number = EwsOperations.folderNumber(mailbox, f);
        if (number == Long.MIN_VALUE) {
          return error(
              x, "Subscribe", "ErrorFolderNotFound", "The specified folder could not be found.");
        }
        folders.add(number);
      }
    }
    Set<String> types = new HashSet<>();
    Element eventTypes = EwsService.child(request, EwsService.T, "EventTypes");
    if (eventTypes != null) {
      for (Element t : EwsService.children(eventTypes)) {
        String type = t.getTextContent().trim();
        if (!EWS_EVENTS.contains(type)) {
          return error(
              x, "Subscribe", "ErrorInvalidSubscriptionRequest", "Unknown event type " + type);
        }
        types.add(type);
      }
    }
    if (types.isEmpty()) {
      return error(
          x,
          "Subscribe",
          "ErrorInvalidSubscriptionRequest",
          "At least one event type is required.");
    }
    EwsSubscription s = new EwsSubscription(mailbox.address, account, folders, types);
    ews.put(s.id, s);
    x.open("m:SubscribeResponseMessage", "ResponseClass", "Success")
        .text("m:ResponseCode", "NoError")
        .text("m:SubscriptionId", s.id)
        .close("m:SubscribeResponseMessage");
    return x.close("m:ResponseMessages").close("m:SubscribeResponse").toString();
  }

  String unsubscribe(Element op) {
    Element idElement = EwsService.child(op, EwsService.M, "SubscriptionId");
    String id = idElement == null ? "" : idElement.getTextContent().trim();
    EwsSubscription s = ews.remove(id);
    Xml x = new Xml();
    x.open("m:UnsubscribeResponse", "xmlns:m", EwsService.M, "xmlns:t", EwsService.T)
        .open("m:ResponseMessages");
    if (s == null) {
      return error(
          x,
          "Unsubscribe",
          "ErrorSubscriptionNotFound",
          "The specified subscription was not found.");
    }
    Stream st;
    synchronized (s) {
      st = s.stream;
    }
    if (st != null) {
      st.detach(s);
    }
    x.open("m:UnsubscribeResponseMessage", "ResponseClass", "Success")
        .text("m:ResponseCode", "NoError")
        .close("m:UnsubscribeResponseMessage");
    return x.close("m:ResponseMessages").close("m:UnsubscribeResponse").toString();
  }

  private static String error(Xml x, String op, String code, String text) {
    x.open("m:" + op + "ResponseMessage", "ResponseClass", "Error")
        .text("m:MessageText", text)
        .text("m:ResponseCode", code)
        .text("m:DescriptiveLinkKey", 0)
        .close("m:" + op + "ResponseMessage");
    return x.close("m:ResponseMessages").close("m:" + op + "Response").toString();
  }

  /**
   * A {@code GetStreamingEvents} request: either an error answered at once, or a stream the HTTP
   * layer keeps open and writes envelopes to until the timeout, a fault, or the client goes.
   */
  EwsService.Reply getStreamingEvents(Element op, String account) {
    Element ids = EwsService.child(op, EwsService.M, "SubscriptionIds");
    Element timeout = EwsService.child(op, EwsService.M, "ConnectionTimeout");
    Xml x = new Xml();
    x.open("m:GetStreamingEventsResponse", "xmlns:m", EwsService.M, "xmlns:t", EwsService.T)
        .open("m:ResponseMessages");
    int minutes;
    try {
      minutes = timeout == null ? -1 : Integer.parseInt(timeout.getTextContent().trim());
    } catch (NumberFormatException e) {
      minutes = -1;
    }
    if (minutes < 1 || minutes > 30) {
      return ok(
          error(
              x,
              "GetStreamingEvents",
              "ErrorInvalidArgument",
              "ConnectionTimeout must be between 1 and 30 minutes."));
    }
    List<EwsSubscription> subscriptions = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (ids != null) {
      for (Element e : EwsService.children(ids)) {
        String id = e.getTextContent().trim();
        EwsSubscription s = ews.get(id);
        if (s == null) {
          unknown.add(id);
        } else {
          subscriptions.add(s);
        }
      }
    }
    if (!unknown.isEmpty() || subscriptions.isEmpty()) {
      x.open("m:GetStreamingEventsResponseMessage", "ResponseClass", "Error")
          .text("m:MessageText", "The specified subscription was not found.")
          .text("m:ResponseCode", "ErrorSubscriptionNotFound")
          .text("m:DescriptiveLinkKey", 0);
      if (!unknown.isEmpty()) {
        x.open("m:ErrorSubscriptionIds");
        unknown.forEach(u -> x.text("m:SubscriptionId", u));
        x.close("m:ErrorSubscriptionIds");
      }
      x.close("m:GetStreamingEventsResponseMessage");
      return ok(x.close("m:ResponseMessages").close("m:GetStreamingEventsResponse").toString());
    }
    synchronized (this) {
      long open = streams.stream().filter(s -> s.account.equals(account) && s.open).count();
      if (open >= ewsConnectionLimit) {
        return new EwsService.Reply(
            500,
            EwsService.fault(
                "ErrorExceededConnectionCount",
                "You have exceeded the maximum number of open connections (limit "
                    + ewsConnectionLimit
                    + ") for this account.",
                null),
            null);
      }
      Stream stream =
          new Stream(account, subscriptions, Duration.ofMinutes(minutes), heartbeatMillis);
      streams.add(stream);
      return new EwsService.Reply(200, null, null, stream);
    }
  }

  private static EwsService.Reply ok(String body) {
    return new EwsService.Reply(200, EwsService.envelope(body), null);
  }

  /** One open GetStreamingEvents response. */
  final class Stream implements EwsService.Streamer {
    final String account;
    final List<EwsSubscription> subscriptions;
    final Duration timeout;
    final long heartbeat;
    final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
    volatile boolean open = true;

    /** Null while open; "closed" after the timeout, "dropped" when cut. */
    private volatile String end;

    Stream(String account, List<EwsSubscription> subscriptions, Duration timeout, long heartbeat) {
      this.account = account;
      this.subscriptions = new ArrayList<>(subscriptions);
      this.timeout = timeout;
      this.heartbeat = heartbeat;
    }

    /**
     * Queues a notification; false once the connection is ending (the events wait for the next).
     */
    synchronized boolean send(EwsSubscription s, List<String> events) {
      if (!open) {
        return false;
      }
      Xml x = message("Success");
      x.text("m:ResponseCode", "NoError");
      x.open("m:Notifications").open("m:Notification").text("t:SubscriptionId", s.id);
      events.forEach(x::raw);
      x.close("m:Notification").close("m:Notifications");
      out.add(finish(x));
      return true;
    }

    /**
     * A subscription left this connection (moved to a newer one, ended, or lost): a connection left
     * with none is over, as Exchange ends a connection whose subscriptions all went elsewhere.
     */
    void detach(EwsSubscription s) {
      synchronized (subscriptions) {
        subscriptions.remove(s);
        if (subscriptions.isEmpty() && open) {
          drop();
        }
      }
    }

    /** The subscriptions of this stream lost events: tell it, and end them. */
    void missed(List<EwsSubscription> lost) {
      Xml x = message("Error");
      x.text("m:MessageText", "Missed notification events; resubscribe.")
          .text("m:ResponseCode", "ErrorMissedNotificationEvents")
          .text("m:DescriptiveLinkKey", 0)
          .open("m:ErrorSubscriptionIds");
      lost.forEach(s -> x.text("m:SubscriptionId", s.id));
      x.close("m:ErrorSubscriptionIds");
      out.add(finish(x));
    }

    void drop() {
      synchronized (this) {
        end = "dropped";
        open = false;
      }
      out.add("");
    }

    private Xml message(String responseClass) {
      Xml x = new Xml();
      x.open("m:GetStreamingEventsResponse", "xmlns:m", EwsService.M, "xmlns:t", EwsService.T)
          .open("m:ResponseMessages")
          .open("m:GetStreamingEventsResponseMessage", "ResponseClass", responseClass);
      return x;
    }

    /**
     * One envelope of the stream, as Exchange writes them: no XML declaration (the answer is a
     * sequence of documents), the envelope in the default namespace, header and body prefixed
     * soap11.
     */
    private String finish(Xml x) {
      String body =
          x.close("m:GetStreamingEventsResponseMessage")
              .close("m:ResponseMessages")
              .close("m:GetStreamingEventsResponse")
              .toString();
      return "<Envelope xmlns=\""
          + EwsService.SOAP
          + "\"><soap11:Header xmlns:soap11=\""
          + EwsService.SOAP
          + "\"><ServerVersionInfo xmlns=\""
          + EwsService.T
          + "\" MajorVersion=\"15\" MinorVersion=\"2\" MajorBuildNumber=\"1544\""
          + " MinorBuildNumber=\"4\" Version=\"V2017_07_11\"/></soap11:Header><soap11:Body"
          + " xmlns:soap11=\""
          + EwsService.SOAP
          + "\">"
          + body
          + "</soap11:Body></Envelope>";
    }

    private String status(String status) {
      Xml x = message("Success");
      x.text("m:ResponseCode", "NoError").text("m:ConnectionStatus", status);
      return finish(x);
    }

    @Override
    public void stream(OutputStream body) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        List<EwsSubscription> lost = new ArrayList<>();
        List<EwsSubscription> mine;
        synchronized (subscriptions) {
          mine = List.copyOf(subscriptions);
        }
        for (EwsSubscription s : mine) {
          if (!s.attach(this)) {
            lost.add(s);
          }
        }
        if (!lost.isEmpty()) {
          lost.forEach(s -> ews.remove(s.id));
          missed(lost);
        }
        write(body, status("OK"));
        while (open) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            // Nothing is queued here from now on; what was is sent before the end.
            synchronized (this) {
              open = false;
              end = "closed";
            }
            for (String rest = out.poll(); rest != null; rest = out.poll()) {
              if (!rest.isEmpty()) {
                write(body, rest);
              }
            }
            write(body, status("Closed"));
            return;
          }
          String next = out.poll(Math.min(left, heartbeat), TimeUnit.MILLISECONDS);
          if (next == null) {
            write(body, status("OK"));
          } else if (!next.isEmpty()) {
            write(body, next);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        open = false;
        streams.remove(this);
        List<EwsSubscription> left;
        synchronized (subscriptions) {
          left = List.copyOf(subscriptions);
        }
        for (EwsSubscription s : left) {
          s.detach(this);
        }
      }
    }

    private void write(OutputStream body, String envelope) throws IOException {
      body.write(envelope.getBytes(StandardCharsets.UTF_8));
      body.flush();
    }
  }

  // --- Graph -----------------------------------------------------------------------------------

  final class GraphSubscription {
    final String id = UUID.randomUUID().toString();
    final String mailbox;
    final String resource;
    final Set<String> changeTypes;
    final String notificationUrl;
    final String lifecycleUrl;
    final String clientState;
    final String changeTypeText;
    volatile Instant expires;

    GraphSubscription(
        String mailbox,
        String resource,
        String changeTypeText,
        String notificationUrl,
        String lifecycleUrl,
        String clientState,
        Instant expires) {
      this.mailbox = mailbox;
      this.resource = resource;
      this.changeTypeText = changeTypeText;
      this.changeTypes = Set.of(changeTypeText.split(","));
      this.notificationUrl = notificationUrl;
      this.lifecycleUrl = lifecycleUrl;
      this.clientState = clientState;
      this.expires = expires;
    }

    ObjectNode notification(Instant now) {
      ObjectNode n = SimJson.JSON.createObjectNode();
      n.put("subscriptionId", id);
      n.put("subscriptionExpirationDateTime", expires.toString());
      if (clientState != null) {
        n.put("clientState", clientState);
      }
      n.put("tenantId", "00000000-0000-0000-0000-00000000beef");
      return n;
    }

    ObjectNode json() {
      ObjectNode n = SimJson.JSON.createObjectNode();
      n.put("id", id);
      n.put("resource", resource);
      n.put("applicationId", Credentials.GRAPH_CLIENT_ID);
      n.put("changeType", changeTypeText);
      n.put("clientState", clientState);
      n.put("notificationUrl", notificationUrl);
      n.put("lifecycleNotificationUrl", lifecycleUrl);
      n.put("expirationDateTime", expires.toString());
      n.put("creatorId", "00000000-0000-0000-0000-000000000001");
      n.put("latestSupportedTlsVersion", "v1_2");
      return n;
    }
  }

  /** {@code /v1.0/subscriptions…}: create, renew, delete, list. */
  GraphService.Reply graph(String method, String rest, byte[] bytes) {
    Instant now = sim.clock().instant();
    if (rest.isEmpty() && method.equals("GET")) {
      ObjectNode page = SimJson.JSON.createObjectNode();
      ArrayNode value = page.putArray("value");
      graph.values().forEach(s -> value.add(s.json()));
      return json(200, page);
    }
    JsonNode body;
    try {
      body =
          bytes.length == 0
              ? SimJson.JSON.createObjectNode()
              : SimJson.JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (tools.jackson.core.JacksonException e) {
      return GraphService.error(400, "BadRequest", "Unable to read JSON request payload.");
    }
    if (rest.isEmpty() && method.equals("POST")) {
      return create(body, now);
    }
    String id = rest.startsWith("/") ? rest.substring(1) : rest;
    GraphSubscription s = graph.get(id);
    if (s == null || s.expires.isBefore(now)) {
      graph.remove(id);
      return GraphService.error(404, "ResourceNotFound", "The object was not found.");
    }
    switch (method) {
      case "GET" -> {
        return json(200, s.json());
      }
      case "PATCH" -> {
        Instant expires;
        try {
          expires = Instant.parse(body.path("expirationDateTime").asString(""));
        } catch (DateTimeParseException e) {
          return GraphService.error(400, "InvalidRequest", "expirationDateTime is invalid.");
        }
        String problem = lifetimeProblem(expires, now);
        if (problem != null) {
          return GraphService.error(400, "InvalidRequest", problem);
        }
        s.expires = expires;
        return json(200, s.json());
      }
      case "DELETE" -> {
        graph.remove(id);
        return new GraphService.Reply(204, "", Map.of());
      }
      default -> {
        return GraphService.error(405, "MethodNotAllowed", "Method not allowed.");
      }
    }
  }

  private GraphService.Reply create(JsonNode body, Instant now) {
    String resource = body.path("resource").asString("");
    Matcher m = GRAPH_RESOURCE.matcher(resource);
    if (!m.matches()) {
      return GraphService.error(
          400, "InvalidRequest", "Resource '" + resource + "' is not supported.");
    }
    String address = Simulator.decode(m.group(1)).toLowerCase(Locale.ROOT);
    if (sim.mailbox(address) == null) {
      return GraphService.error(
          404,
          "ExtensionError",
          "Operation: Create; Exception: [Status Code: NotFound; Reason: "
              + "The requested user '"
              + address
              + "' is invalid.]");
    }
    String changeType = body.path("changeType").asString("").replace(" ", "");
    for (String t : changeType.split(",")) {
      if (!Set.of("created", "updated", "deleted").contains(t)) {
        return GraphService.error(
            400, "InvalidRequest", "Invalid changeType '" + changeType + "'.");
      }
    }
    String url = body.path("notificationUrl").asString("");
    String lifecycle = body.path("lifecycleNotificationUrl").asString(null);
    String clientState = body.path("clientState").asString(null);
    if (clientState != null && clientState.length() > 128) {
      return GraphService.error(
          400, "InvalidRequest", "clientState must be at most 128 characters.");
    }
    Instant expires;
    try {
      expires = Instant.parse(body.path("expirationDateTime").asString(""));
    } catch (DateTimeParseException e) {
      return GraphService.error(400, "InvalidRequest", "expirationDateTime is invalid.");
    }
    String problem = lifetimeProblem(expires, now);
    if (problem != null) {
      return GraphService.error(400, "InvalidRequest", problem);
    }
    for (String target : lifecycle == null ? List.of(url) : List.of(url, lifecycle)) {
      String failure = validate(target);
      if (failure != null) {
        return GraphService.error(400, "InvalidRequest", failure);
      }
    }
    GraphSubscription s =
        new GraphSubscription(address, resource, changeType, url, lifecycle, clientState, expires);
    graph.put(s.id, s);
    return json(201, s.json());
  }

  private static String lifetimeProblem(Instant expires, Instant now) {
    if (!expires.isAfter(now)) {
      return "Subscription expiration must be in the future.";
    }
    if (expires.isAfter(now.plus(GRAPH_MAX_LIFETIME))) {
      return "Subscription expiration can only be "
          + GRAPH_MAX_LIFETIME.toMinutes()
          + " minutes in the future.";
    }
    return null;
  }

  /** The handshake: the URL must echo a validation token as text/plain within 10 seconds. */
  private String validate(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return "Invalid notification url '" + url + "'.";
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      return "Invalid notification url '" + url + "'.";
    }
    String token =
        "Validation: Testing client application reachability for subscription Request-Id: "
            + UUID.randomUUID();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      url
                          + (url.contains("?") ? "&" : "?")
                          + "validationToken="
                          + URLEncoder.encode(token, StandardCharsets.UTF_8)))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "text/plain; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && token.equals(response.body())) {
        return null;
      }
      return "Subscription validation request failed. Response must exactly match validationToken"
          + " query parameter.";
    } catch (IOException e) {
      return "Subscription validation request failed. Notification endpoint must respond with 200"
          + " OK to validation request.";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Subscription validation request failed.";
    }
  }

  /** Delivers one notification, retrying a failed one a few times, as Graph does (for hours). */
  private void post(GraphSubscription s, String url, ObjectNode notification, int attempt) {
    ObjectNode envelope = SimJson.JSON.createObjectNode();
    envelope.putArray("value").add(notification);
    delivery.execute(
        () -> {
          if (attempt > 0) {
            Simulator.pause(500L << Math.min(attempt, 4));
          }
          try {
            HttpResponse<Void> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(envelope.toString()))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
              graphDelivered.incrementAndGet();
              return;
            }
          } catch (IOException e) {
            // retried below
          } catch (InterruptedException e) {
            return;
          }
          graphFailed.incrementAndGet();
          if (attempt < 5) {
            post(s, url, notification, attempt + 1);
          }
        });
  }

  // --- control ---------------------------------------------------------------------------------

  /** {@code /_sim/push…}. */
  SimControl.Reply control(String method, String path, JsonNode body) {
    String mailbox = body == null ? null : body.path("mailbox").asString(null);
    switch (method + " " + path) {
      case "GET /_sim/push" -> {
        return new SimControl.Reply(200, status().toString());
      }
      case "PUT /_sim/push" -> {
        if (body != null && body.has("ews_connection_limit")) {
          ewsConnectionLimit = Math.max(1, body.get("ews_connection_limit").asInt());
        }
        if (body != null && body.has("heartbeat_ms")) {
          heartbeatMillis = Math.max(100, body.get("heartbeat_ms").asLong());
        }
        return new SimControl.Reply(200, status().toString());
      }
      case "POST /_sim/push/mute" -> {
        if (mailbox == null) {
          return new SimControl.Reply(400, "{\"error\":\"mailbox is required\"}");
        }
        if (body.path("muted").asBoolean(true)) {
          muted.add(mailbox.toLowerCase(Locale.ROOT));
        } else {
          muted.remove(mailbox.toLowerCase(Locale.ROOT));
        }
        return new SimControl.Reply(200, "{\"muted\":" + muted.size() + "}");
      }
      case "POST /_sim/push/ews/drop" -> {
        int dropped = 0;
        for (Stream s : List.copyOf(streams)) {
          List<EwsSubscription> carried;
          synchronized (s.subscriptions) {
            carried = List.copyOf(s.subscriptions);
          }
          if (mailbox == null
              || carried.stream().anyMatch(x -> x.mailbox.equalsIgnoreCase(mailbox))) {
            s.drop();
            dropped++;
          }
        }
        return new SimControl.Reply(200, "{\"dropped\":" + dropped + "}");
      }
      case "POST /_sim/push/ews/missed" -> {
        return new SimControl.Reply(
            200, "{\"subscriptions\":" + endEwsSubscriptions(mailbox, true) + "}");
      }
      case "POST /_sim/push/ews/expire" -> {
        return new SimControl.Reply(
            200, "{\"subscriptions\":" + endEwsSubscriptions(mailbox, false) + "}");
      }
      case "POST /_sim/push/graph/lifecycle" -> {
        String event = body == null ? "" : body.path("event").asString("");
        if (!Set.of("missed", "subscriptionRemoved", "reauthorizationRequired").contains(event)) {
          return new SimControl.Reply(
              400,
              "{\"error\":\"event must be missed, subscriptionRemoved or reauthorizationRequired\"}");
        }
        int sent = 0;
        Instant now = sim.clock().instant();
        for (GraphSubscription s : List.copyOf(graph.values())) {
          if (mailbox != null && !s.mailbox.equalsIgnoreCase(mailbox)) {
            continue;
          }
          if (event.equals("subscriptionRemoved")) {
            graph.remove(s.id);
          }
          if (s.lifecycleUrl != null) {
            ObjectNode n = s.notification(now);
            n.put("lifecycleEvent", event);
            post(s, s.lifecycleUrl, n, 0);
            sent++;
          }
        }
        return new SimControl.Reply(200, "{\"sent\":" + sent + "}");
      }
      case "POST /_sim/push/graph/expire" -> {
        int expired = 0;
        for (GraphSubscription s : List.copyOf(graph.values())) {
          if (mailbox == null || s.mailbox.equalsIgnoreCase(mailbox)) {
            graph.remove(s.id);
            expired++;
          }
        }
        return new SimControl.Reply(200, "{\"subscriptions\":" + expired + "}");
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Ends the EWS subscriptions of a mailbox (or all): telling their connection that events were
   * missed, or silently, as an expired subscription goes.
   */
  private int endEwsSubscriptions(String mailbox, boolean missed) {
    int ended = 0;
    for (EwsSubscription s : List.copyOf(ews.values())) {
      if (mailbox == null || s.mailbox.equalsIgnoreCase(mailbox)) {
        ews.remove(s.id);
        Stream st;
        synchronized (s) {
          st = s.stream;
          s.missed |= missed;
        }
        if (st != null) {
          if (missed) {
            st.missed(List.of(s));
          }
          st.detach(s);
        }
        ended++;
      }
    }
    return ended;
  }

  private ObjectNode status() {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("ews_connection_limit", ewsConnectionLimit);
    n.put("heartbeat_ms", heartbeatMillis);
    n.put("ews_subscriptions", ews.size());
    n.put("ews_connections", streams.stream().filter(s -> s.open).count());
    ObjectNode perAccount = n.putObject("ews_connections_by_account");
    for (Stream s : streams) {
      if (s.open) {
        perAccount.put(s.account, perAccount.path(s.account).asInt(0) + 1);
      }
    }
    n.put("graph_subscriptions", graph.size());
    n.put("graph_notifications_delivered", graphDelivered.get());
    n.put("graph_notifications_failed", graphFailed.get());
    ArrayNode subs = n.putArray("graph");
    graph.values().forEach(s -> subs.add(s.json()));
    return n;
  }

  private static GraphService.Reply json(int status, JsonNode body) {
    return new GraphService.Reply(status, body.toString(), Map.of());
  }
}
