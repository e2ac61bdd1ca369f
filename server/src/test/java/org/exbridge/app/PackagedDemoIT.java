package org.exbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.exbridge.testing.ChildServer;
import org.exbridge.testing.Database;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;

/**
 * The README's demo, from the packaged jar as a user runs it: what the jar carries must be enough
 * (the simulator inside it expands series with lib-recur; a test-only dependency would be missing
 * here and nowhere else).
 */
class PackagedDemoIT {
  @Test
  void theDemoFromThePackagedJarBindsAMailboxToDone() throws Exception {
    Path data = Files.createTempDirectory("exbridge-demo");
    try (ChildServer server =
        ChildServer.start(Database.H2.fresh(data), data, Map.of("demo", ""))) {
      Path log;
      try (var files = Files.list(data)) {
        log =
            files
                .filter(f -> f.getFileName().toString().startsWith("server-"))
                .findFirst()
                .orElseThrow();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("super admin user_access_token:"));
      String admin =
          Files.readString(log)
              .lines()
              .filter(l -> l.startsWith("super admin user_access_token:"))
              .findFirst()
              .orElseThrow()
              .replaceAll(".*:\\s*", "");
      Operator operator = new Operator(server.baseUrl());
      String id = operator.bind(admin, "admin@exchange.test", "user1@exchange.test", "alice");
      await().atMost(Duration.ofSeconds(60)).until(() -> operator.status(admin, id).equals("done"));
      assertThat(Files.readString(log)).doesNotContain("ClassNotFoundException");
    }
  }
}
