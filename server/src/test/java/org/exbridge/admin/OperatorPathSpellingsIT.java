package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Operator;
import org.exbridge.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator API is closed to anyone without its token however its path is spelled: every route
 * times every spelling a router might take for it answers 401 problem+json, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorPathSpellingsIT {
  private static final String JSON = "Content-Type: application/json";
  private ExbridgeServer server;
  private RawHttp raw;
  private String bindingId;

  private record Route(String method, String path, String body) {}

  /** Ways to write the first segments of {@code /admin/api/v1/...} that a router could map. */
  private static final Map<String, UnaryOperator<String>> SPELLINGS =
      Map.ofEntries(
          Map.entry("as documented", p -> p),
          Map.entry("encoded letter", p -> p.replaceFirst("^/admin", "/%61dmin")),
          Map.entry("encoded upper letter", p -> p.replaceFirst("^/admin", "/%41DMIN")),
          Map.entry("double encoding", p -> p.replaceFirst("^/admin", "/%2561dmin")),
          Map.entry("encoded second segment", p -> p.replaceFirst("^/admin/api", "/admin/%61pi")),
          Map.entry("semicolon parameter", p -> p.replaceFirst("^/admin", "/admin;x")),
          Map.entry("semicolon alone", p -> p.replaceFirst("^/admin", "/admin;")),
          Map.entry(
              "session parameter", p -> p.replaceFirst("^/admin/api", "/admin/api;jsessionid=1")),
          Map.entry("encoded semicolon", p -> p.replaceFirst("^/admin", "/admin%3bx")),
          Map.entry("leading double slash", p -> "/" + p),
          Map.entry("inner double slash", p -> p.replaceFirst("^/admin/", "/admin//")),
          Map.entry("dot segment", p -> "/." + p),
          Map.entry("inner dot segment", p -> p.replaceFirst("^/admin/", "/admin/./")),
          Map.entry("encoded dot segment", p -> "/%2e" + p),
          Map.entry("parent segment", p -> "/x/.." + p),
          Map.entry("encoded parent segment", p -> "/x/%2e%2e" + p),
          Map.entry("upper case", p -> p.replaceFirst("^/admin", "/ADMIN")),
          Map.entry("mixed case", p -> p.replaceFirst("^/admin", "/AdMiN")),
          Map.entry("encoded slash", p -> p.replaceFirst("^/admin/", "/admin%2F")),
          Map.entry("trailing slash", p -> p + "/"),
          Map.entry("query string", p -> p + "?x=1"));

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createTempDirectory("exbridge-spellings");
    server =
        ExbridgeServer.start(
            Database.H2.fresh(data),
            data,
            null,
            Map.of("exbridge.operator.failed-attempts-per-minute", "100000"));
    raw = new RawHttp(server.baseUrl());
    Operator operator = new Operator(server.baseUrl());
    operator.tenant("acme");
    Operator.AppCredentials app = operator.app("acme", Operator.ALL_SCOPES);
    operator.user("acme", "boss", true, "active");
    operator.simulatorEwsAccount("acme", "admin@exchange.test", "http://127.0.0.1:9", "basic");
    bindingId = "YWRtaW5AZXhjaGFuZ2UudGVzdCB1c2VyMUBleGNoYW5nZS50ZXN0";
    assertThat(app.appId()).isNotBlank();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private List<Route> routes() {
    String account = "/admin/api/v1/tenants/acme/exchange_admin_accounts/admin@exchange.test";
    return List.of(
        new Route("GET", "/admin/api/v1/bindings", null),
        new Route("GET", "/admin/api/v1/bindings/" + bindingId, null),
        new Route("POST", "/admin/api/v1/bindings/" + bindingId + "/resync", "{}"),
        new Route("POST", "/admin/api/v1/tenants", "{\"tenant_key\":\"evil\",\"name\":\"evil\"}"),
        new Route("POST", "/admin/api/v1/tenants/acme/apps", "{\"name\":\"evil\",\"scopes\":[]}"),
        new Route(
            "PUT",
            "/admin/api/v1/tenants/acme/users/mallory",
            "{\"name\":\"m\",\"super_admin\":true}"),
        new Route(
            "POST", "/admin/api/v1/tenants/acme/users/boss/access_tokens", "{\"app_id\":\"x\"}"),
        new Route("GET", account, null),
        new Route(
            "PUT",
            account,
            "{\"protocol\":\"ews\",\"ews_url\":\"http://evil/\",\"username\":\"u\",\"password\":\"p\",\"auth\":\"basic\"}"),
        new Route("POST", account + "/check", "{\"mailbox\":\"user1@exchange.test\"}"),
        new Route("GET", "/admin/api/v1/no-such-route", null));
  }

  @Test
  void noSpellingOfAnyOperatorRouteAnswersWithoutTheToken() {
    int tenants = server.count("tenant");
    int apps = server.count("app");
    int users = server.count("directory_user");
    int tokens = server.count("access_token");
    List<String> tried = new ArrayList<>();
    SoftAssertions soft = new SoftAssertions();
    for (Route route : routes()) {
      for (var spelling : SPELLINGS.entrySet()) {
        String target = spelling.getValue().apply(route.path());
        for (String[] auth :
            List.of(new String[0], new String[] {"Authorization: Bearer wrong-token"})) {
          String[] headers = new String[auth.length + 1];
          headers[0] = JSON;
          System.arraycopy(auth, 0, headers, 1, auth.length);
          RawHttp.Reply reply = raw.send(route.method(), target, route.body(), headers);
          String what =
              route.method()
                  + " "
                  + target
                  + " ("
                  + spelling.getKey()
                  + ", "
                  + (auth.length == 0 ? "no token" : "wrong token")
                  + ")";
          tried.add(what);
          soft.assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(401);
          soft.assertThat(reply.header("Content-Type"))
              .as(what)
              .startsWith("application/problem+json");
          soft.assertThat(reply.body()).as(what).doesNotContain("app_secret", "access_token\"");
        }
      }
    }
    soft.assertAll();
    assertThat(tried).hasSize(routes().size() * SPELLINGS.size() * 2);
    assertThat(server.count("tenant")).isEqualTo(tenants);
    assertThat(server.count("app")).isEqualTo(apps);
    assertThat(server.count("directory_user")).isEqualTo(users);
    assertThat(server.count("access_token")).isEqualTo(tokens);
  }

  @Test
  void theDocumentedSpellingWithTheTokenStillWorks() {
    RawHttp.Reply reply =
        raw.send(
            "GET",
            "/admin/api/v1/bindings",
            null,
            "Authorization: Bearer " + ExbridgeServer.ADMIN_TOKEN);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  @Test
  void aNonCanonicalSpellingWithTheTokenIsRefusedAsMalformedNotServed() {
    RawHttp.Reply reply =
        raw.send(
            "GET",
            "/admin;x/api/v1/bindings",
            null,
            "Authorization: Bearer " + ExbridgeServer.ADMIN_TOKEN);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
  }
}
