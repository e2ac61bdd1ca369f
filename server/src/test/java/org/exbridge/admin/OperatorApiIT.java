package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The operator API's contract: shapes, problem details, and secrets that go in and never come out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiIT {
  private static final String TOKEN = ExbridgeServer.ADMIN_TOKEN;
  private ExbridgeServer server;
  private Http http;
  private Operator operator;

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createTempDirectory("exbridge-operator");
    server = ExbridgeServer.start(Database.H2.fresh(data), data, null, Map.of());
    http = new Http(server.baseUrl());
    operator = new Operator(server.baseUrl());
    operator.tenant("acme");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static void assertProblem(Http.Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.json().get("status").asInt()).isEqualTo(status);
    assertThat(reply.json().get("detail").asString()).isNotBlank();
  }

  @Test
  void everyCallNeedsTheOperatorToken() {
    assertProblem(http.get("/admin/api/v1/bindings", null), 401);
    assertProblem(http.get("/admin/api/v1/bindings", "wrong"), 401);
    assertThat(http.get("/admin/api/v1/bindings", TOKEN).status()).isEqualTo(200);
  }

  @Test
  void aTenantKeyIsTakenOnce() {
    assertProblem(
        http.json(
            "POST", "/admin/api/v1/tenants", TOKEN, Map.of("tenant_key", "acme", "name", "again")),
        409);
    assertProblem(
        http.json("POST", "/admin/api/v1/tenants", TOKEN, Map.of("tenant_key", "a b", "name", "x")),
        400);
    assertProblem(http.json("POST", "/admin/api/v1/tenants", TOKEN, Map.of("name", "x")), 400);
    assertProblem(http.send("POST", "/admin/api/v1/tenants", TOKEN, "application/json", "{"), 400);
  }

  @Test
  void aUserHasAnOpenIdPerAppAndKeepsItsUnionId() {
    Operator.AppCredentials first = operator.app("acme", List.of("calendar:calendar"));
    JsonNode created = operator.user("acme", "erin", false, "active");
    Operator.AppCredentials second = operator.app("acme", List.of("calendar:calendar"));
    JsonNode updated = operator.user("acme", "erin", true, "active");

    assertThat(updated.get("union_id").asString())
        .isEqualTo(created.get("union_id").asString())
        .startsWith("on_");
    String openFirst = updated.get("open_ids").get(first.appId()).asString();
    String openSecond = updated.get("open_ids").get(second.appId()).asString();
    assertThat(openFirst).startsWith("ou_").isNotEqualTo(openSecond);
    assertThat(updated.get("super_admin").asBoolean()).isTrue();
    assertProblem(
        http.json("PUT", "/admin/api/v1/tenants/acme/users/erin", TOKEN, Map.of("status", "gone")),
        400);
    assertProblem(http.json("PUT", "/admin/api/v1/tenants/nope/users/erin", TOKEN, Map.of()), 404);
  }

  @Test
  void userTokensNeedAnAppOfTheTenant() {
    operator.user("acme", "frank", false, "active");
    assertProblem(
        http.json(
            "POST",
            "/admin/api/v1/tenants/acme/users/frank/access_tokens",
            TOKEN,
            Map.of("app_id", "cli_missing")),
        404);
    Operator.AppCredentials app = operator.app("acme", List.of());
    Http.Reply issued =
        http.json(
            "POST",
            "/admin/api/v1/tenants/acme/users/frank/access_tokens",
            TOKEN,
            Map.of("app_id", app.appId()));
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().get("access_token").asString()).startsWith("u-");
    assertThat(issued.json().get("expires_in").asInt()).isEqualTo(7200);
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from access_token where token_hash = ?")
                .param(issued.json().get("access_token").asString())
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void adminAccountSecretsAreEncryptedAndNeverReturned() {
    String password = "Pa55-word-never-shown";
    Http.Reply put =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/acme/exchange_admin_accounts/Admin@Exchange.test",
            TOKEN,
            Map.of(
                "protocol",
                "ews",
                "ews_url",
                "https://mail.example.test/EWS/Exchange.asmx",
                "username",
                "admin@exchange.test",
                "password",
                password,
                "auth",
                "basic"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).doesNotContain(password);
    assertThat(put.json().get("admin_account").asString()).isEqualTo("admin@exchange.test");

    Http.Reply got =
        http.get("/admin/api/v1/tenants/acme/exchange_admin_accounts/admin@exchange.test", TOKEN);
    assertThat(got.json().get("status").asString()).isEqualTo("unverified");
    assertThat(got.body()).doesNotContain(password).doesNotContain("secret_ciphertext");

    String stored =
        server
            .jdbc()
            .sql("select secret_ciphertext from exchange_admin_account where admin_account = ?")
            .param("admin@exchange.test")
            .query(String.class)
            .single();
    assertThat(stored).doesNotContain(password).startsWith("v1:");

    Http.Reply graph =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/acme/exchange_admin_accounts/app@contoso.test",
            TOKEN,
            Map.of(
                "protocol",
                "graph",
                "token_url",
                "https://login.example.test/t/oauth2/v2.0/token",
                "client_id",
                "sim-client",
                "client_secret",
                "sim-secret-value"));
    assertThat(graph.status()).as(graph.body()).isEqualTo(200);
    assertThat(graph.json().get("graph_url").asString()).isEqualTo("https://graph.microsoft.com");
    assertThat(graph.body()).doesNotContain("sim-secret-value");
  }

  @Test
  void adminAccountProfilesAreValidated() {
    String path = "/admin/api/v1/tenants/acme/exchange_admin_accounts/";
    assertProblem(http.json("PUT", path + "x@y.test", TOKEN, Map.of("protocol", "imap")), 400);
    assertProblem(
        http.json(
            "PUT",
            path + "x@y.test",
            TOKEN,
            Map.of("protocol", "ews", "ews_url", "ftp://x", "username", "u", "password", "p")),
        400);
    assertProblem(
        http.json(
            "PUT",
            path + "x@y.test",
            TOKEN,
            Map.of(
                "protocol", "ews", "ews_url", "https://x.test/EWS/Exchange.asmx", "username", "u")),
        400);
    assertProblem(http.json("PUT", path + "not-an-address", TOKEN, Map.of("protocol", "ews")), 400);
    assertProblem(http.get(path + "missing@y.test", TOKEN), 404);
  }

  @Test
  void anAdminAccountBelongsToOneTenant() {
    operator.tenant("rival");
    operator.ewsAdminAccount("acme", "owned@exchange.test");
    Http.Reply taken =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/rival/exchange_admin_accounts/owned@exchange.test",
            TOKEN,
            Map.of(
                "protocol",
                "ews",
                "ews_url",
                "https://x.test/EWS/Exchange.asmx",
                "username",
                "u",
                "password",
                "p"));
    assertProblem(taken, 409);
    assertProblem(
        http.get("/admin/api/v1/tenants/rival/exchange_admin_accounts/owned@exchange.test", TOKEN),
        404);
  }

  @Test
  void bindingsAreListedByTenantAndStatus() {
    operator.tenant("listing");
    Operator.AppCredentials app = operator.app("listing", Operator.ALL_SCOPES);
    operator.user("listing", "boss", true, "active");
    operator.user("listing", "gina", false, "active");
    operator.ewsAdminAccount("listing", "admin@listing.test");
    String token = operator.userToken("listing", "boss", app.appId());
    Http.Reply created =
        http.json(
            "POST",
            "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id",
            token,
            Map.of(
                "admin_account",
                "admin@listing.test",
                "exchange_account",
                "gina@listing.test",
                "user_id",
                "gina"));
    assertThat(created.status()).as(created.body()).isEqualTo(200);

    JsonNode doing =
        http.get("/admin/api/v1/bindings?tenant_key=listing&status=doing", TOKEN)
            .json()
            .get("bindings");
    assertThat(doing).hasSize(1);
    assertThat(doing.get(0).get("exchange_account").asString()).isEqualTo("gina@listing.test");
    assertThat(doing.get(0).get("user_id").asString()).isEqualTo("gina");
    assertThat(doing.get(0).get("exchange_binding_id").asString())
        .isEqualTo(created.json().get("data").get("exchange_binding_id").asString());
    assertThat(
            http.get("/admin/api/v1/bindings?tenant_key=listing&status=done", TOKEN)
                .json()
                .get("bindings"))
        .isEmpty();
    assertProblem(http.get("/admin/api/v1/bindings?status=finished", TOKEN), 400);
  }
}
