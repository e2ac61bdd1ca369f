package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.exbridge.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded fuzz over the open-platform and operator endpoints: random methods, paths, escapes,
 * headers and bodies, sent byte for byte. No answer is a 5xx, and every answer but to HEAD and
 * OPTIONS has a JSON body. Each seed is fixed, so a failure replays.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeFuzzIT {
  private static final int REQUESTS_PER_SEED = 1000;
  private static final String[] METHODS = {
    "GET",
    "GET",
    "POST",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "DELETE",
    "OPTIONS",
    "HEAD",
    "TRACE",
    "PROPFIND",
    "FOO"
  };
  private static final String[] ROOTS = {
    "/open-apis/calendar/v4/exchange_bindings",
    "/open-apis/calendar/v4/exchange_bindings/",
    "/open-apis/calendar/v4/calendars",
    "/open-apis/calendar/v4/calendars/",
    "/open-apis/auth/v3/tenant_access_token/internal",
    "/open-apis/auth/v3/app_access_token/internal",
    "/admin/api/v1/bindings",
    "/admin/api/v1/bindings/",
    "/admin/api/v1/tenants",
    "/admin/api/v1/tenants/acme/apps",
    "/admin/api/v1/tenants/acme/users/",
    "/admin/api/v1/tenants/acme/exchange_admin_accounts/",
    "/admin/api/v1/tenants/acme/binding_imports",
    "/admin/api/v1/tenants/acme/binding_imports/",
    "/admin/api/v1/tenants/acme/apps/",
    "/admin/api/v1/tenants/",
    "/admin/api/v1/push",
    "/v3/api-docs",
    "/",
    "/error",
    "/nowhere"
  };
  private static final String[] PIECES = {
    "YWRtaW5AZXhjaGFuZ2UudGVzdCB1c2VyMUBleGNoYW5nZS50ZXN0",
    "a/b+c=",
    "%2F",
    "%2f",
    "%25",
    "%",
    "%zz",
    "%ff%fe",
    "%c0%ae",
    ";",
    ";jsessionid=x",
    "//",
    "/./",
    "/../",
    "..",
    "%2e%2e",
    "\u00e9",
    "%e2%80%ae",
    "x".repeat(3000),
    "events",
    "events/instance_view",
    "attendees",
    "%00",
    "%0d%0a",
    "admin@exchange.test",
    "check",
    "resync",
    "access_tokens",
    "start",
    "rows/1",
    "secret",
    "imp_x",
    "*",
    "~",
    "%5c",
    "'",
    "\"",
    "<",
    "{}",
  };
  private static final String[] CONTENT_TYPES = {
    null,
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "text/csv",
    "application/json; charset=latin-9",
    "*/*",
    "garbage"
  };

  private ExbridgeServer server;
  private RawHttp raw;
  private List<String> tokens;

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createTempDirectory("exbridge-fuzz");
    server =
        ExbridgeServer.start(
            Database.H2.fresh(data),
            data,
            null,
            Map.of(
                "exbridge.sync.enabled", "false",
                "exbridge.operator.failed-attempts-per-minute", "1000000",
                "exbridge.rate-limit.method-per-second", "1000000",
                "exbridge.rate-limit.method-per-minute", "1000000",
                "exbridge.rate-limit.app-per-second", "1000000"));
    raw = new RawHttp(server.baseUrl());
    Operator operator = new Operator(server.baseUrl());
    Operator.Staffed acme = operator.staffedTenant("acme", "alice");
    operator.simulatorEwsAccount("acme", "admin@exchange.test", "http://127.0.0.1:9", "basic");
    tokens =
        List.of(
            "",
            "Bearer ",
            "Bearer " + acme.bossToken(),
            "Bearer " + ExbridgeServer.ADMIN_TOKEN,
            "Bearer u-" + "z".repeat(40),
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
            "bearer " + acme.bossToken(),
            "Bearer t-" + "\u00ff".repeat(5),
            "Bearer " + "A".repeat(9000));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private String path(Random r) {
    StringBuilder p = new StringBuilder(pick(r, ROOTS));
    int extra = r.nextInt(4);
    for (int i = 0; i < extra; i++) {
      if (r.nextBoolean() && p.charAt(p.length() - 1) != '/') {
        p.append('/');
      }
      p.append(pick(r, PIECES));
    }
    if (r.nextInt(3) == 0) {
      p.append('?')
          .append(
              pick(
                  r,
                  new String[] {
                    "user_id_type", "page_size", "page_token", "a", "%", "sync_token", "start_time"
                  }))
          .append('=')
          .append(
              pick(
                  r,
                  new String[] {
                    "open_id", "1", "-5", "99999999999999999999", "%", "%ff%fe", "x%zz", "", "%2B"
                  }));
    }
    // The request target goes on the wire as ASCII: anything else is percent-encoded, as a
    // client would, or sent raw to see Tomcat's refusal.
    String target = p.toString();
    return r.nextInt(10) == 0 ? target : asciiOnly(target);
  }

  private static String asciiOnly(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '\\') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static String body(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "{";
      case 3 ->
          "{\"admin_account\":\"admin@exchange.test\",\"exchange_account\":\"user"
              + r.nextInt(5)
              + "@exchange.test\",\"user_id\":\"alice\"}";
      case 4 -> "[".repeat(5000);
      case 5 -> "a=%ff%fe&b=%&c";
      case 6 -> "{\"tenant_key\":\"" + "t".repeat(r.nextInt(300)) + "\",\"name\":null}";
      case 7 -> "{\"x\":" + "1".repeat(400) + "}";
      default -> "\u0000\u0001\u00ff binary";
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 20261122L, 424242L})
  void noAnswerIsAServerErrorAndEveryAnswerIsJson(long seed) {
    Random r = new Random(seed);
    SoftAssertions soft = new SoftAssertions();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < REQUESTS_PER_SEED; i++) {
      String method = pick(r, METHODS);
      String target = path(r);
      List<String> headers = new ArrayList<>();
      String auth = tokens.get(r.nextInt(tokens.size()));
      if (!auth.isEmpty()) {
        headers.add("Authorization: " + auth);
      }
      String type = pick(r, CONTENT_TYPES);
      if (type != null) {
        headers.add("Content-Type: " + type);
      }
      if (r.nextInt(8) == 0) {
        headers.add(
            pick(
                r,
                new String[] {
                  "Accept: text/html",
                  "Accept: application/xml",
                  "X-Forwarded-For: 10.0.0.1",
                  "Accept-Charset: utf-7",
                  "Transfer-Encoding: identity"
                }));
      }
      String body = method.equals("GET") || method.equals("HEAD") ? null : body(r);
      String what = "seed " + seed + " #" + i + ": " + method + " " + target;
      RawHttp.Reply reply;
      try {
        reply = raw.send(method, target, body, headers.toArray(String[]::new));
      } catch (RuntimeException e) {
        failures.add(what + " -> no answer: " + e.getMessage());
        continue;
      }
      if (reply.status() >= 500) {
        failures.add(what + " -> " + reply.status() + " " + reply.body());
      }
      boolean bodyless =
          method.equals("HEAD")
              || method.equals("OPTIONS")
              || reply.status() == 204
              || reply.status() == 304;
      if (!bodyless) {
        try {
          Http.JSON.readTree(reply.body());
          if (!reply.body().trim().startsWith("{")) {
            failures.add(what + " -> not a JSON object: " + reply.body());
          }
        } catch (RuntimeException notJson) {
          failures.add(what + " -> " + reply.status() + " not JSON: " + reply.body());
        }
      }
    }
    soft.assertThat(failures).as("requests that broke the rules").isEmpty();
    soft.assertAll();
    assertThat(server.bean(javax.sql.DataSource.class)).isNotNull();
  }
}
