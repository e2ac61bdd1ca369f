package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A binding's life as the operator sees it: the log tells the story line by line (bound, each
 * status with counts and seconds, resync, unbound, err with its reason, transient faults held back
 * so a flapping server cannot flood it), never a secret; progress has an estimate and a phase that
 * agrees with the status; URLs written the way Microsoft writes them work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BindingStoryIT {
  private static final String TOKEN = ExbridgeServer.ADMIN_TOKEN;

  /** The lines of the binding-events logger, safe to read while the sync engine writes. */
  private final List<String> logged = new CopyOnWriteArrayList<>();

  private final AppenderBase<ILoggingEvent> lines =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          logged.add(event.getFormattedMessage());
        }
      };
  private Simulator sim;
  private ExbridgeServer server;
  private Http http;
  private Http simulator;
  private Operator operator;
  private Operator.Staffed staffed;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(4, 120, 5);
    simulator = new Http(sim.baseUrl());
    Path data = Files.createTempDirectory("exbridge-story");
    server =
        ExbridgeServer.start(
            Database.H2.fresh(data),
            data,
            null,
            Map.of("exbridge.sync.backoff-base", "200ms", "exbridge.sync.max-attempts", "3"));
    // After the server's start, which sets logging up afresh.
    Logger events = (Logger) LoggerFactory.getLogger("org.exbridge.binding.events");
    events.setLevel(Level.INFO);
    lines.start();
    events.addAppender(lines);
    http = new Http(server.baseUrl());
    operator = new Operator(server.baseUrl());
    staffed = operator.staffedTenant("story", "alice", "bob", "carol", "dave");
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger("org.exbridge.binding.events")).detachAppender(lines);
    if (server != null) {
      server.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private List<String> linesAbout(String account) {
    return logged.stream().filter(m -> m.contains(account)).toList();
  }

  @Test
  void theLogTellsABindingsLifeAndProgressAgreesWithIt() {
    // The bare server address: the EWS path is completed.
    JsonNode account =
        operator.adminAccount(
            "story",
            "ews@exchange.test",
            Map.of(
                "protocol", "ews",
                "ews_url", sim.baseUrl() + "/",
                "username", "admin@exchange.test",
                "password", "secret",
                "auth", "basic"));
    assertThat(account.get("ews_url").asString()).isEqualTo(sim.baseUrl() + "/EWS/Exchange.asmx");
    String id =
        operator.bind(staffed.bossToken(), "ews@exchange.test", "user1@exchange.test", "alice");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> operator.status(staffed.bossToken(), id).equals("done"));
    JsonNode progress = http.get("/admin/api/v1/bindings/" + id, TOKEN).json();
    assertThat(progress.get("phase").asString()).isEqualTo("incremental");
    assertThat(progress.get("progress_percent").asInt()).isEqualTo(100);
    assertThat(progress.get("events_total_estimate").asInt())
        .as("Exchange's item count of the mailbox's calendars")
        .isEqualTo(simulator.get("/_sim/mailboxes/user1@exchange.test/events", null).json().size());

    JsonNode resync =
        http.send("POST", "/admin/api/v1/bindings/" + id + "/resync", TOKEN, null, null).json();
    assertThat(resync.get("phase").asString()).as("a resync shows at once").isEqualTo("all");
    assertThat(resync.get("status").asString()).isEqualTo("done");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                linesAbout("user1@exchange.test").stream()
                    .anyMatch(l -> l.contains("read again in full")));
    assertThat(http.send("DELETE", "/admin/api/v1/bindings/" + id, TOKEN, null, null).status())
        .isEqualTo(204);

    List<String> story = linesAbout("user1@exchange.test");
    assertThat(story)
        .allMatch(l -> l.startsWith("binding " + id + ": "))
        .allMatch(l -> l.contains("tenant story"));
    assertThat(story.get(0))
        .contains(
            "bound user1@exchange.test to user alice in tenant story through ews@exchange.test");
    assertThat(story)
        .anyMatch(
            l ->
                l.matches(
                    ".*: cal_done for user1@exchange.test in tenant story: \\d+ calendar\\(s\\), 0 event\\(s\\), \\d+ s after it was bound"))
        .anyMatch(
            l ->
                l.matches(
                    ".*: timespan_done for .*: \\d+ calendar\\(s\\), [1-9]\\d* event\\(s\\), \\d+ s after it was bound"))
        .anyMatch(
            l ->
                l.matches(
                    ".*: done for .*: \\d+ calendar\\(s\\), [1-9]\\d* event\\(s\\), \\d+ s after it was bound"))
        .anyMatch(
            l ->
                l.contains(
                    "resync of user1@exchange.test in tenant story requested (status was done)"))
        .anyMatch(
            l ->
                l.contains(
                    "unbound user1@exchange.test from user alice in tenant story (status was done)"));
    assertThat(String.join("\n", logged))
        .doesNotContain("secret")
        .doesNotContain(TOKEN)
        .doesNotContain(staffed.bossToken());
  }

  @Test
  void aGraphRootWrittenWithV1IsTheRootAndSyncs() {
    JsonNode account =
        operator.adminAccount(
            "story",
            "graph@exchange.test",
            Map.of(
                "protocol", "graph",
                "graph_url", sim.baseUrl() + "/v1.0",
                "token_url", sim.baseUrl() + "/t/oauth2/v2.0/token",
                "client_id", "sim-client",
                "client_secret", "sim-secret"));
    assertThat(account.get("graph_url").asString()).isEqualTo(sim.baseUrl());
    String id =
        operator.bind(staffed.bossToken(), "graph@exchange.test", "user2@exchange.test", "bob");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> operator.status(staffed.bossToken(), id).equals("done"));
    assertThat(http.get("/admin/api/v1/bindings/" + id, TOKEN).json().get("events_synced").asInt())
        .isPositive();
  }

  @Test
  void aMissingMailboxEndsInErrWithItsReasonAndAFlappingServerIsHeldBack() {
    operator.simulatorEwsAccount("story", "flaky@exchange.test", sim.baseUrl(), "basic");
    String missing =
        operator.bind(staffed.bossToken(), "flaky@exchange.test", "nobody@exchange.test", "carol");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> operator.status(staffed.bossToken(), missing).equals("err"));
    JsonNode progress = http.get("/admin/api/v1/bindings/" + missing, TOKEN).json();
    assertThat(progress.get("phase").asString()).isEqualTo("stopped");
    assertThat(progress.get("progress_percent").asInt()).isZero();
    assertThat(linesAbout("nobody@exchange.test"))
        .anyMatch(
            l ->
                l.contains(
                    "err for nobody@exchange.test in tenant story: ErrorNonExistentMailbox"));

    // Exchange failing every request for the mailbox: the binding retries with backoff until err,
    // and the
    // log has one WARN line for it, not one per attempt.
    simulator.json(
        "POST", "/_sim/faults", null, Map.of("mailbox", "user4@exchange.test", "kind", "http_500"));
    String flapping =
        operator.bind(staffed.bossToken(), "flaky@exchange.test", "user4@exchange.test", "dave");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> operator.status(staffed.bossToken(), flapping).equals("err"));
    simulator.send("DELETE", "/_sim/faults", null, null, null);
    List<String> story = linesAbout("user4@exchange.test");
    assertThat(
            story.stream()
                .filter(l -> l.contains("Exchange throttles") || l.contains("Exchange failed")))
        .hasSize(1)
        .allMatch(l -> l.contains("attempt 1, next in"));
    assertThat(story)
        .anyMatch(
            l -> l.contains("err for user4@exchange.test") && l.contains("retries exhausted"));
  }
}
