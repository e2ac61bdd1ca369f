package org.exbridge.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Exchange on one port: EWS at {@code /EWS/Exchange.asmx}, Graph at {@code /v1.0/…}, the
 * token endpoint at {@code /{tenant}/oauth2/v2.0/token}, and the control API under {@code /_sim/}.
 * Embeddable: {@code Simulator.start(0)} in a test, {@link #close()} after.
 */
public final class Simulator implements AutoCloseable {
  private static final Pattern TOKEN_PATH = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");

  private final Map<String, SimMailbox> mailboxes = new ConcurrentHashMap<>();
  private Churn churn;
  private final Faults faults = new Faults();
  private final Clock clock;
  private final Credentials credentials;
  private final RequestLog log;
  private final EwsService ews = new EwsService(this);
  private final GraphService graph = new GraphService(this);
  private final SimControl control = new SimControl(this);
  private final SimPush push = new SimPush(this);
  private HttpServer server;
  private ExecutorService executor;

  private Simulator(Clock clock) {
    this.clock = clock;
    this.credentials = new Credentials(clock);
    this.log = new RequestLog(clock);
  }

  /** An empty simulator listening on {@code port} (0 for any free port) on loopback. */
  public static Simulator start(int port) throws IOException {
    return start("127.0.0.1", port, Clock.systemUTC());
  }

  public static Simulator start(String host, int port, Clock clock) throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK, and every reply waits ~40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Simulator sim = new Simulator(clock);
    sim.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    sim.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "simulator");
              t.setDaemon(true);
              return t;
            });
    sim.server.setExecutor(sim.executor);
    sim.server.createContext("/", sim::serve);
    sim.server.start();
    return sim;
  }

  /** Adds {@code count} generated mailboxes of {@code events} events each. */
  public Simulator generate(int count, int events, long seed) {
    for (SimMailbox m : Generator.generate(count, events, seed, clock)) {
      add(m);
    }
    return this;
  }

  /** Adds the mailboxes of a seed file (the control API's JSON shape). */
  public Simulator seed(Path file) throws IOException {
    control.seed(SimJson.JSON.readTree(Files.readString(file)));
    return this;
  }

  /** Latency added to every Exchange request, as a slow network or server would. */
  public Simulator latency(long millis) {
    faults.setBaseLatency(millis);
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The addresses of all mailboxes. */
  public List<String> addresses() {
    return mailboxes.keySet().stream().sorted().toList();
  }

  /** How many requests reached the simulator's Exchange endpoints. */
  public int requestCount() {
    return log.entries().size();
  }

  /** Starts changing every mailbox once per period (replacing an earlier churn). */
  synchronized Churn churn(Duration period) {
    stopChurn();
    churn = new Churn(this, period);
    return churn;
  }

  synchronized Churn churn() {
    return churn;
  }

  synchronized void stopChurn() {
    if (churn != null) {
      churn.close();
      churn = null;
    }
  }

  @Override
  public void close() {
    stopChurn();
    push.close();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- for the services ---------------------------------------------------------------------

  /** Adds (or replaces) a mailbox; its changes reach push subscribers from now on. */
  void add(SimMailbox mailbox) {
    mailbox.listener = push;
    mailboxes.put(mailbox.address, mailbox);
  }

  SimPush push() {
    return push;
  }

  SimMailbox mailbox(String address) {
    return address == null ? null : mailboxes.get(address.toLowerCase(Locale.ROOT));
  }

  Map<String, SimMailbox> mailboxes() {
    return mailboxes;
  }

  Faults faults() {
    return faults;
  }

  RequestLog log() {
    return log;
  }

  Credentials credentials() {
    return credentials;
  }

  Clock clock() {
    return clock;
  }

  static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- HTTP -----------------------------------------------------------------------------------

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (path.startsWith("/_sim/")) {
        SimControl.Reply r =
            control.handle(method, path, exchange.getRequestURI().getRawQuery(), body);
        send(exchange, r.status(), "application/json", r.body(), Map.of());
        return;
      }
      pause(faults.baseLatency());
      if (path.equalsIgnoreCase("/EWS/Exchange.asmx")) {
        if (!method.equals("POST")) {
          send(exchange, 405, "text/plain", "", Map.of("Allow", "POST"));
          return;
        }
        EwsService.Reply r =
            ews.handle(
                exchange.getRequestHeaders().getFirst("Authorization"),
                String.valueOf(exchange.getRemoteAddress()),
                body,
                "true"
                    .equalsIgnoreCase(
                        exchange.getRequestHeaders().getFirst("X-PreferServerAffinity")));
        if (r.wwwAuthenticate() != null) {
          for (String challenge : r.wwwAuthenticate().split("\n")) {
            exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
          }
        }
        if (r.stream() != null) {
          exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            r.stream().stream(out);
          } catch (IOException e) {
            // the client went away
          }
          return;
        }
        send(exchange, r.status(), "text/xml; charset=utf-8", r.body(), r.headers());
        return;
      }
      Matcher token = TOKEN_PATH.matcher(path);
      if (token.matches() && method.equals("POST")) {
        token(exchange, new String(body, StandardCharsets.UTF_8));
        return;
      }
      if (path.equals("/v1.0/subscriptions") || path.startsWith("/v1.0/subscriptions/")) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        GraphService.Reply r;
        String rest = path.substring("/v1.0/subscriptions".length());
        if (!credentials.graphAllows(auth)) {
          r =
              GraphService.error(
                  401,
                  "InvalidAuthenticationToken",
                  "Access token validation failure. Invalid audience.");
        } else {
          r = push.graph(method, rest, body);
        }
        log.record("graph", "subscriptions." + method.toLowerCase(Locale.ROOT), null, r.status());
        send(exchange, r.status(), "application/json", r.body(), r.headers());
        return;
      }
      if (path.startsWith("/v1.0/")) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        GraphService.Reply r =
            graph.handle(
                "http://" + (host == null ? "127.0.0.1:" + port() : host),
                method,
                path,
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                String.join(",", exchange.getRequestHeaders().getOrDefault("Prefer", List.of())),
                exchange.getRequestHeaders().getFirst("If-Match"),
                body);
        send(
            exchange,
            r.status(),
            r.headers().getOrDefault("Content-Type", "application/json"),
            r.body(),
            r.headers());
        return;
      }
      send(
          exchange,
          404,
          "application/json",
          "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such endpoint\"}}",
          Map.of());
    } catch (RuntimeException e) {
      // Logged, and answered as the protocol answers a server fault, never by dropping the line.
      java.util.logging.Logger.getLogger(Simulator.class.getName())
          .log(
              java.util.logging.Level.WARNING,
              "simulator failure on " + exchange.getRequestURI(),
              e);
      String message = String.valueOf(e).replace("\\", "\\\\").replace("\"", "'");
      send(
          exchange,
          500,
          "application/json",
          "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"" + message + "\"}}",
          Map.of());
    }
  }

  private void token(HttpExchange exchange, String form) throws IOException {
    Map<String, String> params = GraphService.query(form);
    if (!"client_credentials".equals(params.get("grant_type"))) {
      send(
          exchange,
          400,
          "application/json",
          "{\"error\":\"unsupported_grant_type\",\"error_description\":\"AADSTS70003: The app requested an unsupported grant type.\"}",
          Map.of());
      return;
    }
    String issued =
        credentials.issueGraphToken(params.get("client_id"), params.get("client_secret"));
    log.record("token", "token", null, issued == null ? 401 : 200);
    if (issued == null) {
      send(
          exchange,
          401,
          "application/json",
          "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}",
          Map.of());
      return;
    }
    send(
        exchange,
        200,
        "application/json",
        "{\"token_type\":\"Bearer\",\"expires_in\":"
            + Credentials.TOKEN_SECONDS
            + ",\"ext_expires_in\":"
            + Credentials.TOKEN_SECONDS
            + ",\"access_token\":\""
            + issued
            + "\"}",
        Map.of());
  }

  private static void send(
      HttpExchange exchange,
      int status,
      String contentType,
      String body,
      Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach(
        (k, v) -> {
          if (!k.equalsIgnoreCase("Content-Type")) {
            exchange.getResponseHeaders().set(k, v);
          }
        });
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Percent-decoding of a path segment: a {@code +} stays a plus. */
  static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
