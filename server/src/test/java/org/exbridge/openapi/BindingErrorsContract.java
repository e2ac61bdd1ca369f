package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.service.calendar.v4.model.CreateExchangeBindingResp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.directory.Secrets;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every documented error, and bad input of every kind: a JSON error, the documented code, nothing
 * written.
 */
abstract class BindingErrorsContract extends ExchangeBindingApiContract {
  private static final String PATH = ExchangeBindingController.PATH;

  private Map<String, Object> body(String admin, String exchange, String userId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("admin_account", admin);
    body.put("exchange_account", exchange);
    body.put("user_id", userId);
    return body;
  }

  private void assertError(Http.Reply reply, int status, int code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.code()).as(reply.body()).isEqualTo(code);
    assertThat(reply.json().get("msg").asString()).isNotBlank();
    assertThat(reply.json().has("data")).isTrue();
    assertThat(reply.header("X-Tt-Logid")).isNotBlank();
  }

  @Test
  void aCallerWhoIsNotTheSuperAdminIsRefused() throws Exception {
    String token = operator.userToken("acme", "alice", app.appId());
    CreateExchangeBindingResp refused = create(token, null, ADMIN, newMailbox(), bobOpenId);

    assertThat(refused.getCode()).isEqualTo(195101);
    assertThat(refused.getMsg()).isEqualTo("user is not supper administrator");
    assertThat(get(token, bindingId(ADMIN, newMailbox()), null).getCode()).isEqualTo(195101);
    assertThat(delete(token, bindingId(ADMIN, newMailbox())).getCode()).isEqualTo(195101);
  }

  @Test
  void aDismissedCallerIsNotInTheTenant() throws Exception {
    operator.user("acme", "exboss", true, "active");
    String token = operator.userToken("acme", "exboss", app.appId());
    operator.user("acme", "exboss", true, "dismissed");

    assertThat(create(token, null, ADMIN, newMailbox(), aliceOpenId).getCode()).isEqualTo(195100);
  }

  @Test
  void anUnknownOrDismissedTargetUserIsNotInTheTenant() throws Exception {
    String dismissed =
        operator
            .user("acme", "carol", false, "dismissed")
            .get("open_ids")
            .get(app.appId())
            .asString();
    int before = server.count("exchange_binding");

    CreateExchangeBindingResp unknown = create(bossToken, null, ADMIN, newMailbox(), "ou_nobody");
    assertThat(unknown.getCode()).isEqualTo(195100);
    assertThat(create(bossToken, null, ADMIN, newMailbox(), dismissed).getCode()).isEqualTo(195100);
    assertThat(create(bossToken, "user_id", ADMIN, newMailbox(), "nobody").getCode())
        .isEqualTo(195100);
    assertThat(server.count("exchange_binding")).isEqualTo(before);
  }

  @Test
  void anUnknownAdminAccountIsNotFound() throws Exception {
    CreateExchangeBindingResp reply =
        create(bossToken, null, "ghost@exchange.test", newMailbox(), aliceOpenId);
    assertThat(reply.getCode()).isEqualTo(195106);
    assertThat(reply.getMsg()).startsWith("admin account is not found");
  }

  @Test
  void anotherTenantsAdminAccountDoesNotMatch() throws Exception {
    assertThat(create(bossToken, null, OTHER_TENANT_ADMIN, newMailbox(), aliceOpenId).getCode())
        .isEqualTo(195104);
  }

  @Test
  void anAdminAccountThatFailedItsCheckIsRefused() throws Exception {
    operator.ewsAdminAccount("acme", "broken@exchange.test");
    server.bean(AdminAccounts.class).recordCheck("broken@exchange.test", false, "401 Unauthorized");

    assertThat(create(bossToken, null, "broken@exchange.test", newMailbox(), aliceOpenId).getCode())
        .isEqualTo(195105);
  }

  @Test
  void undecodableIdsAreInvalid() throws Exception {
    for (String id :
        List.of(
            "not-base64!", "bm90IGFuIGlk", "YWRtaW5AZXhjaGFuZ2UudGVzdA==", "%%", "a/b/c", "////")) {
      assertThat(get(bossToken, id, null).getCode()).as(id).isEqualTo(195102);
      assertThat(delete(bossToken, id).getCode()).as(id).isEqualTo(195102);
    }
    assertError(http.get(PATH + "/", bossToken), 400, 195102);
  }

  @Test
  void aWellFormedIdWithoutBindingIsNotFound() throws Exception {
    assertThat(get(bossToken, bindingId(ADMIN, newMailbox()), null).getCode()).isEqualTo(195103);
    assertThat(delete(bossToken, bindingId(ADMIN, newMailbox())).getCode()).isEqualTo(195103);
  }

  @Test
  void anotherTenantsBindingIsNotFound() throws Exception {
    OtherTenant otherTenant = otherTenant("dave");
    String otherUser = otherTenant.userOpenId();
    String chief = otherTenant.chiefToken();
    String mailbox = newMailbox();
    Http.Reply created =
        http.json("POST", PATH, chief, body(OTHER_TENANT_ADMIN, mailbox, otherUser));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String id = created.json().get("data").get("exchange_binding_id").asString();

    assertThat(get(bossToken, id, null).getCode()).isEqualTo(195103);
    assertThat(delete(bossToken, id).getCode()).isEqualTo(195103);
    assertThat(http.get(PATH + "/" + id, chief).status()).isEqualTo(200);
  }

  @Test
  void badParametersNameTheField() throws Exception {
    String longAddress = "a".repeat(495) + "@x.test";
    Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
    cases.put(body(null, newMailbox(), aliceOpenId), "admin_account is required");
    cases.put(body("", newMailbox(), aliceOpenId), "admin_account is required");
    cases.put(body(longAddress, newMailbox(), aliceOpenId), "admin_account must be at most 500");
    cases.put(
        body("not-an-email", newMailbox(), aliceOpenId), "admin_account must be an e-mail address");
    cases.put(body(ADMIN, null, aliceOpenId), "exchange_account is required");
    cases.put(body(ADMIN, longAddress, aliceOpenId), "exchange_account must be at most 500");
    cases.put(body(ADMIN, "user@@x", aliceOpenId), "exchange_account must be an e-mail address");
    cases.put(body(ADMIN, newMailbox(), null), "user_id is required");
    cases.put(body(ADMIN, newMailbox(), ""), "user_id is required");
    int before = server.count("exchange_binding");
    for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
      Http.Reply reply = http.json("POST", PATH, bossToken, c.getKey());
      assertError(reply, 400, 190002);
      assertThat(reply.json().get("msg").asString())
          .as(c.getKey().toString())
          .contains(c.getValue());
    }
    Http.Reply badType =
        http.json(
            "POST",
            PATH + "?user_id_type=email",
            bossToken,
            body(ADMIN, newMailbox(), aliceOpenId));
    assertError(badType, 400, 190002);
    assertThat(badType.json().get("msg").asString()).contains("user_id_type");
    assertError(
        http.get(PATH + "/" + bindingId(ADMIN, newMailbox()) + "?user_id_type=x", bossToken),
        400,
        190002);
    assertThat(server.count("exchange_binding")).isEqualTo(before);
  }

  @Test
  void malformedBodiesAreJsonErrorsAndWriteNothing() {
    int before = server.count("exchange_binding");
    assertError(
        http.send("POST", PATH, bossToken, "application/json", "{\"admin_account\":"), 400, 190002);
    assertError(http.send("POST", PATH, bossToken, "application/json", "[]"), 400, 190002);
    assertError(http.send("POST", PATH, bossToken, "application/json", ""), 400, 190002);
    assertError(
        http.send("POST", PATH, bossToken, "application/json", "{\"admin_account\":42,\"x\":{}}"),
        400,
        190002);
    assertError(http.send("POST", PATH, bossToken, "text/plain", "{}"), 415, 190002);
    assertError(http.send("POST", PATH, bossToken, null, "{}"), 415, 190002);
    assertError(
        http.send(
            "POST",
            PATH,
            bossToken,
            "application/json",
            "{\"user_id\":\"" + "x".repeat(70_000) + "\"}"),
        413,
        190002);
    assertThat(server.count("exchange_binding")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x'; drop table exchange_binding; --@exchange.test",
        "robert'); delete from tenant;--@x.test"
      })
  void sqlLookingInputIsJustText(String address) throws Exception {
    int tenants = server.count("tenant");
    CreateExchangeBindingResp reply = create(bossToken, null, ADMIN, address, "ou_' or '1'='1");
    assertThat(reply.getCode()).isIn(190002, 195100);
    assertThat(get(bossToken, bindingId(ADMIN, address), "open_id").getCode()).isIn(195102, 195103);
    assertThat(server.count("tenant")).isEqualTo(tenants);
  }

  @Test
  void routesMethodsAndMediaTypesOutsideTheApiAreJsonErrors() {
    assertError(http.get("/open-apis/calendar/v4/nothing", bossToken), 404, 190002);
    assertError(http.get("/", null), 404, 190002);
    assertError(http.send("PUT", PATH, bossToken, "application/json", "{}"), 405, 190002);
    assertError(
        http.send("PATCH", PATH + "/abc", bossToken, "application/json", "{}"), 405, 190002);
    Http.Reply admin = http.get("/admin/api/v1/nothing", "test-admin-token");
    assertThat(admin.status()).isEqualTo(404);
    assertThat(admin.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void tokensAreCheckedOneByOne() {
    String mailbox = bindingId(ADMIN, newMailbox());
    assertError(http.get(PATH + "/" + mailbox, null), 401, 99991661);
    assertError(http.send("GET", PATH + "/" + mailbox, null, null, null), 401, 99991661);
    Http.Reply basic = http.send("GET", PATH + "/" + mailbox, null, null, null);
    assertThat(basic.code()).isEqualTo(99991661);
    assertError(http.get(PATH + "/" + mailbox, "u-" + Secrets.random("", 40)), 401, 99991663);

    String expired = operator.userToken("acme", "boss", app.appId());
    server
        .jdbc()
        .sql("update access_token set expires_at = ? where token_hash = ?")
        .params(
            OffsetDateTime.ofInstant(Instant.now().minusSeconds(1), ZoneOffset.UTC),
            Secrets.hash(expired))
        .update();
    assertError(http.get(PATH + "/" + mailbox, expired), 401, 99991677);

    Http.Reply tenantToken =
        http.json(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            null,
            Map.of("app_id", app.appId(), "app_secret", app.appSecret()));
    assertThat(tenantToken.code()).isZero();
    Http.Reply wrongType =
        http.get(PATH + "/" + mailbox, tenantToken.json().get("tenant_access_token").asString());
    assertError(wrongType, 401, 99991668);
    assertThat(wrongType.json().get("msg").asString()).contains("not support");
  }

  @Test
  void aMissingHeaderIsAJsonError() {
    Http.Reply noAuth =
        http.send("GET", PATH + "/" + bindingId(ADMIN, newMailbox()), "", null, null);
    assertError(noAuth, 401, 99991661);
  }

  @Test
  void anAppWithoutTheScopeIsDenied() {
    Operator.AppCredentials bare = operator.app("acme", List.of("contact:user.email:readonly"));
    String token = operator.userToken("acme", "boss", bare.appId());
    Http.Reply denied = http.json("POST", PATH, token, body(ADMIN, newMailbox(), "ou_x"));
    assertError(denied, 403, 99991672);
    assertThat(denied.json().get("msg").asString()).contains("calendar:exchange.bindings:create");

    Operator.AppCredentials readOnly = operator.app("acme", List.of("calendar:calendar:readonly"));
    String reader = operator.userToken("acme", "boss", readOnly.appId());
    assertError(
        http.send("DELETE", PATH + "/" + bindingId(ADMIN, newMailbox()), reader, null, null),
        403,
        99991672);
    assertError(http.get(PATH + "/" + bindingId(ADMIN, newMailbox()), reader), 404, 195103);
  }

  @Test
  void tokenEndpointsAnswerFlatAndRefuseBadCredentials() {
    Http.Reply tenant =
        http.json(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            null,
            Map.of("app_id", app.appId(), "app_secret", app.appSecret()));
    assertThat(tenant.status()).isEqualTo(200);
    assertThat(tenant.json().get("msg").asString()).isEqualTo("ok");
    assertThat(tenant.json().get("tenant_access_token").asString()).startsWith("t-");
    assertThat(tenant.json().get("expire").asInt()).isEqualTo(7200);
    assertThat(tenant.json().has("data")).isFalse();

    Http.Reply appToken =
        http.json(
            "POST",
            "/open-apis/auth/v3/app_access_token/internal",
            null,
            Map.of("app_id", app.appId(), "app_secret", app.appSecret()));
    assertThat(appToken.json().get("app_access_token").asString()).startsWith("a-");
    assertThat(appToken.json().get("tenant_access_token").asString()).startsWith("t-");

    Http.Reply wrong =
        http.json(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            null,
            Map.of("app_id", app.appId(), "app_secret", "nope"));
    assertThat(wrong.code()).isNotZero();
    assertThat(wrong.status()).isEqualTo(400);
  }
}
