package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.exbridge.exchange.HostileServer;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A hostile Exchange behind a real binding: the worker is freed at each deadline, the retries run
 * out, and the binding ends in err with a reason in words; nothing is left due in the past.
 */
class HostileExchangeSyncIT {
  @Test
  void anExchangeThatNeverFinishesItsAnswerEndsTheBindingInErrWithTheReason() throws Exception {
    try (HostileServer exchange =
        new HostileServer(
            "127.0.0.1",
            (head, in, out) -> {
              HostileServer.head(out, 200, "text/xml", 1_000_000);
              out.write("<?xml version=\"1.0\"?>".getBytes());
              out.flush();
              while (in.read() >= 0) {
                // hold the connection until the client drops it
              }
            })) {
      Path data = Files.createTempDirectory("exbridge-hostile");
      try (ExbridgeServer server =
          ExbridgeServer.start(
              Database.H2.fresh(data),
              data,
              null,
              Map.of(
                  "exbridge.exchange.deadline", "1s",
                  "exbridge.sync.poll-interval", "50ms",
                  "exbridge.sync.backoff-base", "50ms",
                  "exbridge.sync.backoff-max", "200ms",
                  "exbridge.sync.max-attempts", "2"))) {
        Operator operator = new Operator(server.baseUrl());
        String boss = operator.staffedTenant("acme", "alice").bossToken();
        operator.simulatorEwsAccount("acme", "admin@exchange.test", exchange.url(), "basic");
        String id = operator.bind(boss, "admin@exchange.test", "user1@exchange.test", "alice");

        await().atMost(Duration.ofSeconds(30)).until(() -> operator.status(boss, id).equals("err"));
        JsonNode progress =
            new Http(server.baseUrl())
                .get("/admin/api/v1/bindings/" + id, ExbridgeServer.ADMIN_TOKEN)
                .json();
        assertThat(progress.get("reason").asString())
            .contains("retries exhausted")
            .contains("did not finish its answer within 1 s");
        assertThat(
                progress.path("next_attempt_at").isMissingNode()
                    || progress.get("next_attempt_at").isNull())
            .as(progress.toString())
            .isTrue();
        await().atMost(Duration.ofSeconds(5)).until(exchange::idle);
        assertThat(exchange.connections()).isBetween(3, 10);
      }
    }
  }
}
