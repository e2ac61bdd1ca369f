package org.exbridge.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.lark.oapi.Client;
import com.lark.oapi.core.request.RequestOptions;
import com.lark.oapi.service.calendar.v4.model.CalendarEvent;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.ListCalendarReq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Push, both protocols, H2 and PostgreSQL, with the default 60 s polling interval: changes made in
 * the simulator reach the calendar API (read with the official SDK) within 5 s, also after a
 * dropped connection, lost notifications, and through a second instance; forged notifications
 * change nothing; without a public URL Graph bindings keep polling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushIT {
  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Simulator sim;
  private SimulatorFixture fx;
  private final Map<Database, Side> sides = new EnumMap<>(Database.class);

  private record Side(
      ExbridgeServer server,
      Operator operator,
      String boss,
      Client sdk,
      RequestOptions asEws,
      RequestOptions asGraph,
      String ewsCalendar,
      String graphCalendar,
      String ewsBinding,
      String graphBinding) {}

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0);
    fx = new SimulatorFixture(sim);
    for (Database db : Database.values()) {
      for (String protocol : List.of("ews", "graph")) {
        seed(mailbox(db, protocol));
      }
      Path data = Files.createTempDirectory("exbridge-push");
      ExbridgeServer server =
          ExbridgeServer.start(
              db.fresh(data),
              data,
              null,
              Map.of(
                  "exbridge.push.public-url", "http://127.0.0.1:${local.server.port}",
                  "exbridge.push.tick", "300ms",
                  "exbridge.sync.poll-interval", "100ms",
                  "exbridge.rate-limit.method-per-second", "100000",
                  "exbridge.rate-limit.method-per-minute", "1000000",
                  "exbridge.rate-limit.app-per-second", "100000"));
      Operator operator = new Operator(server.baseUrl());
      Operator.Staffed acme = operator.staffedTenant("acme", "ews_user", "graph_user");
      operator.simulatorEwsAccount("acme", "ews@exchange.test", sim.baseUrl(), "ntlm");
      operator.simulatorGraphAccount("acme", "graph@exchange.test", sim.baseUrl());
      String a =
          operator.bind(acme.bossToken(), "ews@exchange.test", mailbox(db, "ews"), "ews_user");
      String b =
          operator.bind(
              acme.bossToken(), "graph@exchange.test", mailbox(db, "graph"), "graph_user");
      Client sdk =
          Client.newBuilder(acme.app().appId(), acme.app().appSecret())
              .openBaseUrl(server.baseUrl())
              .build();
      RequestOptions ews = as(operator, acme, "ews_user");
      RequestOptions graph = as(operator, acme, "graph_user");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> healthy(operator, a) && healthy(operator, b));
      sides.put(
          db,
          new Side(
              server,
              operator,
              acme.bossToken(),
              sdk,
              ews,
              graph,
              calendarOf(sdk, ews),
              calendarOf(sdk, graph),
              a,
              b));
    }
  }

  @AfterAll
  void stop() {
    sides.values().forEach(s -> s.server().close());
    sim.close();
  }

  private void seed(String address) {
    fx.control(
        "POST",
        "/_sim/mailboxes",
        Http.JSON.writeValueAsString(
            Map.of(
                "address",
                address,
                "name",
                "Push",
                "calendars",
                List.of(
                    Map.of(
                        "name",
                        "Calendar",
                        "events",
                        List.of(event("Standing meeting", "2027-03-01T09:00")))))));
  }

  private static Map<String, Object> event(String subject, String start) {
    return Map.of(
        "subject",
        subject,
        "start",
        start,
        "end",
        start.substring(0, 11) + "23:00",
        "time_zone",
        "Europe/Berlin");
  }

  private static String mailbox(Database db, String protocol) {
    return db.name().toLowerCase() + "-push-" + protocol + "@exchange.test";
  }

  private static RequestOptions as(Operator operator, Operator.Staffed acme, String user) {
    return RequestOptions.newBuilder()
        .userAccessToken(operator.userToken("acme", user, acme.app().appId()))
        .build();
  }

  private static String calendarOf(Client sdk, RequestOptions as) throws Exception {
    return sdk.calendar()
        .calendar()
        .list(ListCalendarReq.newBuilder().build(), as)
        .getData()
        .getCalendarList()[0]
        .getCalendarId();
  }

  private static JsonNode progress(Operator operator, String bindingId) {
    return operator.adminGet("/admin/api/v1/bindings/" + bindingId);
  }

  private static boolean healthy(Operator operator, String bindingId) {
    return progress(operator, bindingId).path("push").path("healthy").asBoolean(false);
  }

  /** The subjects of the events the calendar API lists, through the SDK. */
  private static List<String> subjects(Side s, String protocol) throws Exception {
    List<String> out = new ArrayList<>();
    String token = null;
    do {
      ListCalendarEventReq.Builder req =
          ListCalendarEventReq.newBuilder()
              .calendarId(protocol.equals("ews") ? s.ewsCalendar() : s.graphCalendar())
              .pageSize(500);
      if (token != null) {
        req.pageToken(token);
      }
      ListCalendarEventResp page =
          s.sdk()
              .calendar()
              .calendarEvent()
              .list(req.build(), protocol.equals("ews") ? s.asEws() : s.asGraph());
      assertThat(page.success()).as(page.getMsg()).isTrue();
      if (page.getData().getItems() != null) {
        for (CalendarEvent e : page.getData().getItems()) {
          out.add(e.getSummary());
        }
      }
      token = page.getData().getHasMore() ? page.getData().getPageToken() : null;
    } while (token != null);
    return out;
  }

  private String addEvent(Database db, String protocol, String subject) {
    return fx.control(
            "POST",
            "/_sim/mailboxes/" + mailbox(db, protocol) + "/events",
            Http.JSON.writeValueAsString(event(subject, "2027-04-02T10:00")))
        .path("id")
        .asString();
  }

  private void rename(Database db, String protocol, String id, String subject) {
    fx.control(
        "PATCH",
        "/_sim/mailboxes/" + mailbox(db, protocol) + "/events/" + id,
        Http.JSON.writeValueAsString(Map.of("subject", subject)));
  }

  private void mute(Database db, String protocol, boolean muted) {
    fx.control(
        "POST",
        "/_sim/push/mute",
        Http.JSON.writeValueAsString(Map.of("mailbox", mailbox(db, protocol), "muted", muted)));
  }

  private static String tag(String what) {
    return what + " " + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String binding(Side s, String protocol) {
    return protocol.equals("ews") ? s.ewsBinding() : s.graphBinding();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void anAdditionAnEditAndADeletionArriveWithinSeconds(Database db, String protocol)
      throws Exception {
    Side s = sides.get(db);
    // Healthy push: the safety round is far away, so what arrives below came by push.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode p = progress(s.operator(), binding(s, protocol));
              return p.path("push").path("state").asString().equals("active")
                  && Instant.parse(p.path("next_attempt_at").asString())
                      .isAfter(Instant.now().plus(Duration.ofMinutes(5)));
            });

    String added = tag("Added");
    String id = addEvent(db, protocol, added);
    await().atMost(WITHIN).until(() -> subjects(s, protocol).contains(added));

    String renamed = tag("Renamed");
    rename(db, protocol, id, renamed);
    await()
        .atMost(WITHIN)
        .until(
            () ->
                subjects(s, protocol).contains(renamed) && !subjects(s, protocol).contains(added));

    fx.control("DELETE", "/_sim/mailboxes/" + mailbox(db, protocol) + "/events/" + id, null);
    await().atMost(WITHIN).until(() -> !subjects(s, protocol).contains(renamed));
    assertThat(
            progress(s.operator(), binding(s, protocol))
                .path("push")
                .path("notifications")
                .asLong())
        .isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"H2", "POSTGRES"})
  void aDroppedStreamingConnectionComesBackAndWhatChangedMeanwhileArrives(Database db)
      throws Exception {
    Side s = sides.get(db);
    String id = addEvent(db, "ews", tag("Before the drop"));
    await().atMost(WITHIN).until(() -> healthy(s.operator(), s.ewsBinding()));
    // The connection cannot be opened again for a while: Exchange answers 503.
    fx.fault(
        "{\"protocol\":\"ews\",\"operation\":\"GetStreamingEvents\",\"kind\":\"http_503\",\"times\":2}");
    try {
      fx.control(
          "POST",
          "/_sim/push/ews/drop",
          Http.JSON.writeValueAsString(Map.of("mailbox", mailbox(db, "ews"))));
      await()
          .atMost(WITHIN)
          .until(
              () ->
                  !progress(s.operator(), s.ewsBinding())
                      .path("push")
                      .path("state")
                      .asString()
                      .equals("active"));
      String meanwhile = tag("Renamed while down");
      rename(db, "ews", id, meanwhile);
      await().atMost(Duration.ofSeconds(15)).until(() -> subjects(s, "ews").contains(meanwhile));
      await().atMost(Duration.ofSeconds(15)).until(() -> healthy(s.operator(), s.ewsBinding()));
      assertThat(
              s
                  .operator()
                  .adminGet("/admin/api/v1/push")
                  .path("channels")
                  .findValues("reconnects")
                  .stream()
                  .mapToLong(JsonNode::asLong)
                  .sum())
          .isPositive();
    } finally {
      fx.clearFaults();
    }
    // And it carries notifications again.
    String after = tag("After the drop");
    rename(db, "ews", id, after);
    await().atMost(WITHIN).until(() -> subjects(s, "ews").contains(after));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void lostNotificationsLeadToARound(Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    await().atMost(WITHIN).until(() -> healthy(s.operator(), binding(s, protocol)));
    String missed = tag("Missed");
    mute(db, protocol, true);
    try {
      addEvent(db, protocol, missed);
    } finally {
      mute(db, protocol, false);
    }
    // Nobody was told: the change waits for the safety round...
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !subjects(s, protocol).contains(missed));
    // ...until Exchange says events were missed.
    if (protocol.equals("ews")) {
      fx.control(
          "POST",
          "/_sim/push/ews/missed",
          Http.JSON.writeValueAsString(Map.of("mailbox", mailbox(db, protocol))));
    } else {
      fx.control(
          "POST",
          "/_sim/push/graph/lifecycle",
          Http.JSON.writeValueAsString(
              Map.of("mailbox", mailbox(db, protocol), "event", "missed")));
    }
    await().atMost(WITHIN).until(() -> subjects(s, protocol).contains(missed));
    await().atMost(Duration.ofSeconds(10)).until(() -> healthy(s.operator(), binding(s, protocol)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"H2", "POSTGRES"})
  void aNotificationWithAWrongClientStateChangesNothing(Database db) throws Exception {
    Side s = sides.get(db);
    await().atMost(WITHIN).until(() -> healthy(s.operator(), s.graphBinding()));
    JsonNode subscription = graphSubscription(db);
    String quiet = tag("Told by a forger");
    mute(db, "graph", true);
    try {
      addEvent(db, "graph", quiet);
    } finally {
      mute(db, "graph", false);
    }
    String forged = notification(subscription, "not-the-client-state");
    assertThat(post(s.server().baseUrl() + "/push/graph/notifications", forged)).isEqualTo(202);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !subjects(s, "graph").contains(quiet));
    // The same notification with the subscription's own clientState is believed.
    String genuine = notification(subscription, subscription.path("clientState").asString());
    assertThat(post(s.server().baseUrl() + "/push/graph/notifications", genuine)).isEqualTo(202);
    await().atMost(WITHIN).until(() -> subjects(s, "graph").contains(quiet));
  }

  @Test
  void aNotificationReachingAnInstanceWithoutTheJobStillLeadsToTheRound() throws Exception {
    Side s = sides.get(Database.POSTGRES);
    await().atMost(WITHIN).until(() -> healthy(s.operator(), s.graphBinding()));
    // A second instance on the same database that runs no sync work and holds no job.
    Path data = Files.createTempDirectory("exbridge-push-second");
    Map<String, String> database =
        Map.of(
            "spring.datasource.url",
            s.server()
                .bean(org.springframework.core.env.Environment.class)
                .getProperty("spring.datasource.url"),
            "spring.datasource.username",
            "postgres",
            "spring.datasource.password",
            "postgres");
    try (ExbridgeServer second =
        ExbridgeServer.start(
            database,
            data,
            null,
            Map.of("exbridge.sync.enabled", "false", "exbridge.push.enabled", "false"))) {
      JsonNode subscription = graphSubscription(Database.POSTGRES);
      String quiet = tag("Told to the other instance");
      mute(Database.POSTGRES, "graph", true);
      try {
        addEvent(Database.POSTGRES, "graph", quiet);
      } finally {
        mute(Database.POSTGRES, "graph", false);
      }
      String genuine = notification(subscription, subscription.path("clientState").asString());
      assertThat(post(second.baseUrl() + "/push/graph/notifications", genuine)).isEqualTo(202);
      await().atMost(WITHIN).until(() -> subjects(s, "graph").contains(quiet));
    }
  }

  @Test
  void withoutAPublicUrlGraphBindingsKeepPolling() throws Exception {
    String address = "nourl-push-graph@exchange.test";
    seed(address);
    Path data = Files.createTempDirectory("exbridge-push-nourl");
    try (ExbridgeServer server =
        ExbridgeServer.start(
            Database.H2.fresh(data),
            data,
            null,
            Map.of("exbridge.sync.interval", "1s", "exbridge.sync.poll-interval", "100ms"))) {
      Operator operator = new Operator(server.baseUrl());
      Operator.Staffed acme = operator.staffedTenant("acme", "polled");
      operator.simulatorGraphAccount("acme", "graph@exchange.test", sim.baseUrl());
      String id = operator.bind(acme.bossToken(), "graph@exchange.test", address, "polled");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> operator.status(acme.bossToken(), id).equals("done"));
      String added =
          fx.control(
                  "POST",
                  "/_sim/mailboxes/" + address + "/events",
                  Http.JSON.writeValueAsString(event(tag("Polled"), "2027-04-03T10:00")))
              .path("subject")
              .asString();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  server
                          .jdbc()
                          .sql("select count(*) from synced_event where summary = ?")
                          .param(added)
                          .query(Integer.class)
                          .single()
                      == 1);
      JsonNode push = progress(operator, id).path("push");
      assertThat(push.path("state").asString()).isEqualTo("none");
      assertThat(push.path("healthy").asBoolean()).isFalse();
      for (JsonNode sub : fx.control("GET", "/_sim/push", null).path("graph")) {
        assertThat(sub.path("resource").asString()).doesNotContain(address);
      }
    }
  }

  private JsonNode graphSubscription(Database db) {
    for (JsonNode sub : fx.control("GET", "/_sim/push", null).path("graph")) {
      if (sub.path("resource").asString().contains(mailbox(db, "graph"))) {
        return sub;
      }
    }
    throw new IllegalStateException("no Graph subscription for " + mailbox(db, "graph"));
  }

  private static String notification(JsonNode subscription, String clientState) {
    return Http.JSON.writeValueAsString(
        Map.of(
            "value",
            List.of(
                Map.of(
                    "subscriptionId", subscription.path("id").asString(),
                    "clientState", clientState,
                    "changeType", "created",
                    "resource", "Users/x/Events/y",
                    "tenantId", "t"))));
  }

  private static int post(String url, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
