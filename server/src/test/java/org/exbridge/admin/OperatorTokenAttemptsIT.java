package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OperatorTokenAttemptsIT {
  @Test
  void failedTokenAttemptsAreLoggedWithoutTheTokenAndLimitedPerAddress(CapturedOutput output)
      throws Exception {
    Path data = Files.createTempDirectory("exbridge-attempts");
    try (ExbridgeServer server =
        ExbridgeServer.start(
            Database.H2.fresh(data),
            data,
            null,
            Map.of("exbridge.operator.failed-attempts-per-minute", "3"))) {
      Http http = new Http(server.baseUrl());
      for (int i = 0; i < 3; i++) {
        assertThat(http.get("/admin/api/v1/bindings", "guess-number-" + i).status()).isEqualTo(401);
      }
      Http.Reply limited = http.get("/admin/api/v1/bindings", ExbridgeServer.ADMIN_TOKEN);
      assertThat(limited.status()).as(limited.body()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isNotBlank();
      assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
      // The open platform API is not affected by the operator lock-out.
      assertThat(http.get("/open-apis/calendar/v4/calendars", null).status()).isEqualTo(401);

      assertThat(output.getAll())
          .contains("operator API: refused GET /admin/api/v1/bindings from 127.0.0.1")
          .contains("wrong token")
          .doesNotContain("guess-number-");
    }
  }
}
