package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.JsonNode;

/**
 * A bound mailbox really syncs: the real server, the simulator, the statuses in order, the store
 * equal to the truth.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SyncEndToEndContract {
  abstract Database database();

  private static final String PATH = "/open-apis/calendar/v4/exchange_bindings";
  private Simulator sim;
  private SimulatorFixture fx;
  private ExbridgeServer server;
  private Http http;
  private Operator operator;
  private String bossToken;
  private String appId;
  private String appSecret;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(8, 300, 5);
    fx = new SimulatorFixture(sim);
    Path data = Files.createTempDirectory("exbridge-sync");
    server =
        ExbridgeServer.start(
            database().fresh(data),
            data,
            null,
            Map.of(
                "exbridge.sync.poll-interval",
                "50ms",
                "exbridge.sync.interval",
                "500ms",
                "exbridge.sync.backoff-base",
                "100ms",
                "exbridge.sync.max-attempts",
                "3"));
    http = new Http(server.baseUrl());
    operator = new Operator(server.baseUrl());
    operator.tenant("acme");
    Operator.AppCredentials app = operator.app("acme", Operator.ALL_SCOPES);
    appId = app.appId();
    appSecret = app.appSecret();
    operator.user("acme", "boss", true, "active");
    for (int i = 1; i <= 6; i++) {
      operator.user("acme", "u" + i, false, "active");
    }
    bossToken = operator.userToken("acme", "boss", appId);
    operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "ntlm");
    operator.simulatorGraphAccount("acme", "graph@exchange.test", sim.baseUrl());
  }

  @AfterAll
  void stop() {
    server.close();
    sim.close();
  }

  private String bind(String admin, String mailbox, String userId) {
    return operator.bind(bossToken, admin, mailbox, userId);
  }

  private String status(String id) {
    return operator.status(bossToken, id);
  }

  private int storedEvents(String mailbox) {
    return server
        .jdbc()
        .sql(
            "select count(*) from synced_event e join synced_calendar c on c.id = e.calendar_pk"
                + " join exchange_binding b on b.id = c.binding_id where b.exchange_account = ? and e.deleted = false"
                + " and e.kind <> 'EXCEPTION'")
        .param(mailbox)
        .query(Integer.class)
        .single();
  }

  private int truth(String mailbox) {
    return fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null).size();
  }

  @Test
  void anEwsMailboxMovesThroughTheStatusesToDoneAndMatchesTheTruth() {
    String id = bind("admin@exchange.test", "user1@exchange.test", "u1");
    List<String> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              String s = status(id);
              if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
              }
              return s.equals("done");
            });
    assertThat(List.of("doing", "cal_done", "timespan_done", "done")).containsSubsequence(seen);
    assertThat(seen).endsWith("done");
    assertThat(storedEvents("user1@exchange.test")).isEqualTo(truth("user1@exchange.test"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(http.get("/actuator/prometheus", null).body())
                    .containsPattern("exbridge_bindings\\{[^}]*status=\"done\"[^}]*\\} [1-9]")
                    .contains("exbridge_sync_lag_seconds")
                    .contains("exbridge_sync_rounds_total"));
  }

  @Test
  void aGraphMailboxReachesDoneToo() {
    String id = bind("graph@exchange.test", "user2@exchange.test", "u2");
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
    assertThat(storedEvents("user2@exchange.test")).isEqualTo(truth("user2@exchange.test"));
  }

  @Test
  void changesInExchangeReachTheStoreWithinARound() {
    String mailbox = "user3@exchange.test";
    String id = bind("admin@exchange.test", mailbox, "u3");
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
    JsonNode events = fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null);
    String victim = events.get(0).get("ews_id").asString();
    fx.control(
        "DELETE",
        "/_sim/mailboxes/" + mailbox + "/events/" + events.get(0).get("id").asString(),
        null);
    fx.control(
        "PUT",
        "/_sim/mailboxes/" + mailbox + "/events/" + events.get(1).get("id").asString(),
        "{\"subject\":\"Moved to Friday\"}");
    fx.control(
        "POST",
        "/_sim/mailboxes/" + mailbox + "/events",
        "{\"subject\":\"Brand new\",\"time_zone\":\"Asia/Shanghai\",\"start\":\"2026-12-24T10:00\",\"end\":\"2026-12-24T11:00\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(
                      server
                          .jdbc()
                          .sql(
                              "select summary from synced_event where deleted = false and summary in (?, ?)")
                          .params("Moved to Friday", "Brand new")
                          .query(String.class)
                          .list())
                  .containsExactlyInAnyOrder("Moved to Friday", "Brand new");
              assertThat(
                      server
                          .jdbc()
                          .sql("select deleted from synced_event where exchange_id = ?")
                          .param(victim)
                          .query(Boolean.class)
                          .single())
                  .isTrue();
            });
    assertThat(storedEvents(mailbox)).isEqualTo(truth(mailbox));
  }

  private int requestsTo(String mailbox) {
    return fx.control("GET", "/_sim/requests", null).path("by_mailbox").path(mailbox).asInt(0);
  }

  @Test
  void deleteStopsTheSyncMidPhaseLeavesNothingAndRebindingDuplicatesNothing() {
    String mailbox = "user5@exchange.test";
    fx.fault("{\"mailbox\":\"" + mailbox + "\",\"kind\":\"latency\",\"latency_ms\":40}");
    String id = bind("admin@exchange.test", mailbox, "u5");
    await().atMost(Duration.ofSeconds(30)).until(() -> !status(id).equals("doing"));
    long bindingRow =
        server
            .jdbc()
            .sql("select id from exchange_binding where exchange_account = ?")
            .param(mailbox)
            .query(Long.class)
            .single();
    Http.Reply deleted = http.send("DELETE", PATH + "/" + id, bossToken, null, null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from synced_calendar where binding_id = ?")
                .param(bindingRow)
                .query(Integer.class)
                .single())
        .isZero();
    assertThat(
            server
                .jdbc()
                .sql(
                    "select count(*) from synced_event e where not exists"
                        + " (select 1 from synced_calendar c where c.id = e.calendar_pk)")
                .query(Integer.class)
                .single())
        .isZero();
    int[] last = {requestsTo(mailbox)};
    await()
        .pollDelay(Duration.ofMillis(100))
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              int now = requestsTo(mailbox);
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
    fx.clearFaults();

    String again = bind("admin@exchange.test", mailbox, "u5");
    await().atMost(Duration.ofSeconds(60)).until(() -> status(again).equals("done"));
    assertThat(storedEvents(mailbox)).isEqualTo(truth(mailbox));
  }

  @Test
  void throttlingIsHonouredAndTheStatusDoesNotChange() {
    String mailbox = "user6@exchange.test";
    fx.control("DELETE", "/_sim/requests", null);
    fx.fault(
        "{\"mailbox\":\""
            + mailbox
            + "\",\"protocol\":\"ews\",\"operation\":\"SyncFolderItems\","
            + "\"kind\":\"throttle\",\"backoff_ms\":1500,\"times\":1}");
    String id = bind("admin@exchange.test", mailbox, "u6");
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
    JsonNode entries = fx.control("GET", "/_sim/requests?entries=true", null).get("entries");
    // The fault fires once, on the mailbox's first authenticated SyncFolderItems; nothing may reach
    // the mailbox until the 1.5 s Exchange asked for have passed.
    java.time.Instant throttledAt = null;
    for (JsonNode e : entries) {
      if (!mailbox.equals(e.path("mailbox").asString(null))) {
        continue;
      }
      java.time.Instant at = java.time.Instant.parse(e.get("at").asString());
      if (throttledAt == null) {
        if (e.get("operation").asString().equals("SyncFolderItems")
            && e.get("status").asInt() == 200) {
          throttledAt = at;
        }
        continue;
      }
      assertThat(Duration.between(throttledAt, at))
          .as("a request during the back-off")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
    assertThat(throttledAt).as("the throttled call").isNotNull();
    JsonNode progress = http.get("/admin/api/v1/bindings/" + id, ExbridgeServer.ADMIN_TOKEN).json();
    assertThat(progress.get("status").asString()).isEqualTo("done");
    assertThat(progress.get("events_synced").asInt()).isPositive();
    assertThat(progress.get("phase").asString()).isEqualTo("incremental");
    assertThat(http.get("/actuator/prometheus", null).body())
        .containsPattern(
            "exbridge_exchange_requests_total\\{[^}]*outcome=\"throttled\",protocol=\"ews\"[^}]*\\} [1-9]")
        .containsPattern(
            "exbridge_exchange_requests_total\\{[^}]*outcome=\"ok\",protocol=\"ews\"[^}]*\\} [1-9]");
    fx.clearFaults();
  }

  @Test
  void aBindingInErrIsResyncedByTheOperator() {
    fx.fault("{\"mailbox\":\"user4@exchange.test\",\"kind\":\"impersonation_denied\"}");
    String id = bind("admin@exchange.test", "user4@exchange.test", "u4");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("err"));
    fx.clearFaults();
    Http.Reply resync =
        http.send(
            "POST",
            "/admin/api/v1/bindings/" + id + "/resync",
            ExbridgeServer.ADMIN_TOKEN,
            null,
            null);
    assertThat(resync.status()).as(resync.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
    assertThat(storedEvents("user4@exchange.test")).isEqualTo(truth("user4@exchange.test"));
  }

  @Test
  void aPermanentFaultEndsInErrWithTheReason() {
    fx.fault("{\"mailbox\":\"nobody@exchange.test\",\"kind\":\"impersonation_denied\"}");
    operator.user("acme", "u7", false, "active");
    String id = bind("admin@exchange.test", "nobody@exchange.test", "u7");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("err"));
    JsonNode listed =
        http.get("/admin/api/v1/bindings?status=err", ExbridgeServer.ADMIN_TOKEN)
            .json()
            .get("bindings");
    assertThat(listed.toString()).contains("ErrorImpersonateUserDenied");
    fx.clearFaults();
  }

  @Test
  void aPermanentGraphFaultEndsInErrWithTheReason() {
    fx.fault(
        "{\"mailbox\":\"user8@exchange.test\",\"protocol\":\"graph\",\"kind\":\"no_mailbox\"}");
    operator.user("acme", "u8", false, "active");
    String id = bind("graph@exchange.test", "user8@exchange.test", "u8");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("err"));
    JsonNode progress = http.get("/admin/api/v1/bindings/" + id, ExbridgeServer.ADMIN_TOKEN).json();
    assertThat(progress.toString()).contains("MailboxNotEnabledForRESTAPI");
    assertThat(storedEvents("user8@exchange.test")).isZero();
    assertThat(http.get("/actuator/prometheus", null).body())
        .containsPattern(
            "exbridge_exchange_requests_total\\{[^}]*outcome=\"permanent\",protocol=\"graph\"[^}]*\\} [1-9]");
    fx.clearFaults();
  }

  /**
   * A mailbox holding an all-hands of 1,500 people, an event with a 5,000-character subject, and a
   * plain one.
   */
  private void seedAllHands(String mailbox) {
    List<Map<String, Object>> attendees = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      attendees.add(
          Map.of(
              "name",
              "Person " + i,
              "email",
              "person" + i + "@corp.example",
              "type",
              i % 10 == 0 ? "optional" : "required",
              "response",
              i % 3 == 0 ? "accepted" : "none"));
    }
    String day = java.time.LocalDate.now().plusDays(3).toString();
    List<Map<String, Object>> events =
        List.of(
            Map.of(
                "subject",
                "All hands",
                "time_zone",
                "Europe/Berlin",
                "start",
                day + "T10:00:00",
                "end",
                day + "T11:00:00",
                "organizer",
                Map.of("name", "CEO", "email", "ceo@corp.example"),
                "attendees",
                attendees),
            Map.of(
                "subject",
                "x".repeat(5000),
                "time_zone",
                "Europe/Berlin",
                "start",
                day + "T12:00:00",
                "end",
                day + "T13:00:00"),
            Map.of(
                "subject",
                "Plain",
                "time_zone",
                "Europe/Berlin",
                "start",
                day + "T14:00:00",
                "end",
                day + "T15:00:00"));
    fx.control(
        "POST",
        "/_sim/mailboxes",
        Http.JSON.writeValueAsString(
            Map.of(
                "address",
                mailbox,
                "calendars",
                List.of(Map.of("name", "Calendar", "events", events)))));
  }

  private void aBigMeetingReachesDoneWithEveryAttendee(String admin, String mailbox, String user)
      throws Exception {
    seedAllHands(mailbox);
    operator.user("acme", user, false, "active");
    String id = bind(admin, mailbox, user);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
    assertThat(storedEvents(mailbox)).isEqualTo(3);

    // Every attendee, through the official SDK, page by page as the platform pages them.
    com.lark.oapi.Client sdk =
        com.lark.oapi.Client.newBuilder(appId, appSecret).openBaseUrl(server.baseUrl()).build();
    com.lark.oapi.core.request.RequestOptions asUser =
        com.lark.oapi.core.request.RequestOptions.newBuilder()
            .userAccessToken(operator.userToken("acme", user, appId))
            .build();
    String calendarId =
        sdk.calendar()
            .calendar()
            .list(
                com.lark.oapi.service.calendar.v4.model.ListCalendarReq.newBuilder().build(),
                asUser)
            .getData()
            .getCalendarList()[0]
            .getCalendarId();
    String eventId = null;
    for (var e :
        sdk.calendar()
            .calendarEvent()
            .list(
                com.lark.oapi.service.calendar.v4.model.ListCalendarEventReq.newBuilder()
                    .calendarId(calendarId)
                    .pageSize(50)
                    .build(),
                asUser)
            .getData()
            .getItems()) {
      if ("All hands".equals(e.getSummary())) {
        eventId = e.getEventId();
      }
    }
    assertThat(eventId).isNotNull();
    java.util.Set<String> emails = new java.util.HashSet<>();
    String token = null;
    int pages = 0;
    do {
      var page =
          sdk.calendar()
              .calendarEventAttendee()
              .list(
                  com.lark.oapi.service.calendar.v4.model.ListCalendarEventAttendeeReq.newBuilder()
                      .calendarId(calendarId)
                      .eventId(eventId)
                      .pageSize(100)
                      .pageToken(token)
                      .build(),
                  asUser);
      assertThat(page.success()).as(page.getMsg()).isTrue();
      for (var a : page.getData().getItems()) {
        emails.add(a.getThirdPartyEmail());
      }
      token = page.getData().getHasMore() ? page.getData().getPageToken() : null;
      pages++;
    } while (token != null);
    assertThat(emails).hasSize(1500).contains("person0@corp.example", "person1499@corp.example");
    assertThat(pages).isEqualTo(15);

    // The over-long subject is stored cut, and the operator is told so.
    JsonNode progress = http.get("/admin/api/v1/bindings/" + id, ExbridgeServer.ADMIN_TOKEN).json();
    assertThat(progress.get("item_problem_count").asInt()).as(progress.toString()).isEqualTo(1);
    JsonNode problem = progress.get("item_problems").get(0);
    assertThat(problem.get("kind").asString()).isEqualTo("partial");
    assertThat(problem.get("detail").asString()).contains("subject cut to 4000 characters");
    assertThat(progress.toString())
        .doesNotContainIgnoringCase("insert into")
        .doesNotContain("Exception");
    assertThat(http.get("/actuator/prometheus", null).body())
        .containsPattern("exbridge_sync_item_problems_total\\{kind=\"partial\"[^}]*\\} [1-9]");
  }

  @Test
  void aMeetingOfFifteenHundredPeopleReachesDoneThroughEwsWithEveryAttendee() throws Exception {
    aBigMeetingReachesDoneWithEveryAttendee(
        "admin@exchange.test", "allhands-ews@exchange.test", "u20");
  }

  @Test
  void aMeetingOfFifteenHundredPeopleReachesDoneThroughGraphWithEveryAttendee() throws Exception {
    aBigMeetingReachesDoneWithEveryAttendee(
        "graph@exchange.test", "allhands-graph@exchange.test", "u21");
  }
}
