package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
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

/** The operator's connection check, pointed at the simulator through an EWS and a Graph profile. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionCheckIT {
  private static final String TOKEN = ExbridgeServer.ADMIN_TOKEN;
  private Simulator sim;
  private ExbridgeServer server;
  private Http http;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(2, 60, 11);
    Path data = Files.createTempDirectory("exbridge-check");
    server = ExbridgeServer.start(Database.H2.fresh(data), data, null, Map.of());
    http = new Http(server.baseUrl());
    Operator operator = new Operator(server.baseUrl());
    operator.tenant("acme");
    operator.simulatorEwsAccount("acme", "ews@exchange.test", sim.baseUrl(), "basic");
    operator.simulatorGraphAccount("acme", "graph@exchange.test", sim.baseUrl());
    operator.adminAccount(
        "acme",
        "online@exchange.test",
        Map.of(
            "protocol",
            "ews",
            "auth",
            "oauth",
            "ews_url",
            sim.baseUrl() + "/EWS/Exchange.asmx",
            "token_url",
            sim.baseUrl() + "/exchange.test/oauth2/v2.0/token",
            "client_id",
            "sim-client",
            "client_secret",
            "sim-secret"));
    operator.adminAccount(
        "acme",
        "ntlm@exchange.test",
        Map.of(
            "protocol",
            "ews",
            "auth",
            "ntlm",
            "ews_url",
            sim.baseUrl() + "/EWS/Exchange.asmx",
            "username",
            "EXCHANGE\\admin",
            "password",
            "secret"));
    operator.adminAccount(
        "acme",
        "wrong@exchange.test",
        Map.of(
            "protocol",
            "ews",
            "ews_url",
            sim.baseUrl() + "/EWS/Exchange.asmx",
            "username",
            "admin@exchange.test",
            "password",
            "not-the-password",
            "auth",
            "basic"));
  }

  @AfterAll
  void stop() {
    server.close();
    sim.close();
  }

  private JsonNode check(String account, String mailbox) {
    Http.Reply reply =
        http.json(
            "POST",
            "/admin/api/v1/tenants/acme/exchange_admin_accounts/" + account + "/check",
            TOKEN,
            Map.of("mailbox", mailbox));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static TreeSet<String> summary(JsonNode events) {
    TreeSet<String> out = new TreeSet<>();
    events.forEach(
        e ->
            out.add(
                e.get("subject").asString()
                    + "|"
                    + e.get("start")
                    + "|"
                    + e.get("recurrence")
                    + "|"
                    + e.get("exceptions").size()
                    + "|"
                    + e.get("deleted_occurrences")));
    return out;
  }

  private static TreeSet<String> outline(JsonNode events) {
    TreeSet<String> out = new TreeSet<>();
    events.forEach(
        e ->
            out.add(
                e.get("subject").asString() + "|" + e.get("start") + "|" + e.get("recurrence")));
    return out;
  }

  private static TreeSet<String> deletions(JsonNode events) {
    TreeSet<String> out = new TreeSet<>();
    events.forEach(
        e -> e.get("deleted_occurrences").forEach(d -> out.add(e.get("subject").asString() + d)));
    return out;
  }

  @Test
  void ewsAndGraphProfilesSeeTheSameCalendarsAndEvents() {
    JsonNode ews = check("ews@exchange.test", "user1@exchange.test");
    JsonNode graph = check("graph@exchange.test", "user1@exchange.test");
    assertThat(ews.get("ok").asBoolean()).as(ews.toString()).isTrue();
    assertThat(graph.get("ok").asBoolean()).as(graph.toString()).isTrue();
    assertThat(ews.get("calendars")).hasSize(2);
    assertThat(ews.get("calendars").findValuesAsString("name"))
        .containsExactlyInAnyOrderElementsOf(graph.get("calendars").findValuesAsString("name"));
    assertThat(ews.get("events").size()).isPositive();
    // EWS reads each series whole; Graph's window shows a series' exceptions and deletions only
    // within the window, so the two agree on the events and Graph's deletions are among EWS's.
    assertThat(outline(ews.get("events"))).isEqualTo(outline(graph.get("events")));
    assertThat(deletions(ews.get("events"))).containsAll(deletions(graph.get("events")));
    assertThat(
            http.get("/admin/api/v1/tenants/acme/exchange_admin_accounts/ews@exchange.test", TOKEN)
                .json()
                .get("status")
                .asString())
        .isEqualTo("ok");
  }

  @Test
  void ntlmAndAppOnlyEwsProfilesSeeWhatBasicSees() {
    JsonNode basic = check("ews@exchange.test", "user2@exchange.test");
    JsonNode ntlm = check("ntlm@exchange.test", "user2@exchange.test");
    JsonNode oauth = check("online@exchange.test", "user2@exchange.test");
    assertThat(ntlm.get("ok").asBoolean()).as(ntlm.toString()).isTrue();
    assertThat(oauth.get("ok").asBoolean()).as(oauth.toString()).isTrue();
    assertThat(summary(ntlm.get("events"))).isEqualTo(summary(basic.get("events")));
    assertThat(summary(oauth.get("events"))).isEqualTo(summary(basic.get("events")));
  }

  @Test
  void aRefusedConnectionIsClassifiedAndRecorded() {
    JsonNode result = check("wrong@exchange.test", "user1@exchange.test");
    assertThat(result.get("ok").asBoolean()).isFalse();
    assertThat(result.get("error").get("kind").asString()).isEqualTo("permanent");
    assertThat(result.get("error").get("code").asString()).isEqualTo("HTTP 401");
    JsonNode profile =
        http.get("/admin/api/v1/tenants/acme/exchange_admin_accounts/wrong@exchange.test", TOKEN)
            .json();
    assertThat(profile.get("status").asString()).isEqualTo("failed");
    assertThat(profile.get("last_error").asString()).contains("401");
    assertThat(result.toString()).doesNotContain("not-the-password");
  }

  @Test
  void throttlingIsReportedWithItsDelayAndDoesNotFailTheProfile() {
    new org.exbridge.exchange.SimulatorFixture(sim)
        .fault("{\"protocol\":\"ews\",\"kind\":\"throttle\",\"backoff_ms\":1500,\"times\":1}");
    JsonNode result = check("ews@exchange.test", "user2@exchange.test");
    assertThat(result.get("ok").asBoolean()).isFalse();
    assertThat(result.get("error").get("kind").asString()).isEqualTo("throttled");
    assertThat(result.get("error").get("code").asString()).isEqualTo("ErrorServerBusy");
    assertThat(result.get("error").get("retry_after_ms").asLong()).isEqualTo(1500);
    assertThat(
            http.get("/admin/api/v1/tenants/acme/exchange_admin_accounts/ews@exchange.test", TOKEN)
                .json()
                .get("status")
                .asString())
        .isNotEqualTo("failed");
  }

  @Test
  void anUnknownMailboxIsPermanent() {
    JsonNode result = check("graph@exchange.test", "nobody@exchange.test");
    assertThat(result.get("ok").asBoolean()).isFalse();
    assertThat(result.get("error").get("kind").asString()).isEqualTo("permanent");
    assertThat(result.get("error").get("code").asString()).isEqualTo("ErrorInvalidUser");
    assertThat(
            http.get(
                    "/admin/api/v1/tenants/acme/exchange_admin_accounts/graph@exchange.test", TOKEN)
                .json()
                .get("status")
                .asString())
        .as("a missing mailbox does not fail the account")
        .isNotEqualTo("failed");
  }
}
