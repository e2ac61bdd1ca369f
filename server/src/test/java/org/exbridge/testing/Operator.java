package org.exbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Sets up tenants, apps, users, tokens and admin accounts through the operator API, as an operator
 * would.
 */
public final class Operator {
  public static final List<String> ALL_SCOPES =
      List.of(
          "calendar:calendar",
          "calendar:calendar:readonly",
          "contact:user.email:readonly",
          "contact:user.employee_id:readonly");

  private final Http http;

  public Operator(String baseUrl) {
    this.http = new Http(baseUrl);
  }

  public record AppCredentials(String appId, String appSecret) {}

  /** A GET of the operator API that must succeed. */
  public JsonNode adminGet(String path) {
    return ok(http.get(path, ExbridgeServer.ADMIN_TOKEN), 200);
  }

  public void tenant(String tenantKey) {
    ok(
        http.json(
            "POST",
            "/admin/api/v1/tenants",
            ExbridgeServer.ADMIN_TOKEN,
            Map.of("tenant_key", tenantKey, "name", tenantKey)),
        201);
  }

  public AppCredentials app(String tenantKey, List<String> scopes) {
    JsonNode app =
        ok(
            http.json(
                "POST",
                "/admin/api/v1/tenants/" + tenantKey + "/apps",
                ExbridgeServer.ADMIN_TOKEN,
                Map.of("name", "app", "scopes", scopes)),
            201);
    return new AppCredentials(app.get("app_id").asString(), app.get("app_secret").asString());
  }

  public JsonNode user(String tenantKey, String userId, boolean superAdmin, String status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", userId);
    body.put("email", userId + "@" + tenantKey + ".test");
    body.put("super_admin", superAdmin);
    body.put("status", status);
    return ok(
        http.json(
            "PUT",
            "/admin/api/v1/tenants/" + tenantKey + "/users/" + userId,
            ExbridgeServer.ADMIN_TOKEN,
            body),
        200);
  }

  /** An active user with the given e-mail. */
  public JsonNode userWithEmail(String tenantKey, String userId, String email) {
    return ok(
        http.json(
            "PUT",
            "/admin/api/v1/tenants/" + tenantKey + "/users/" + userId,
            ExbridgeServer.ADMIN_TOKEN,
            Map.of("name", userId, "email", email)),
        200);
  }

  /** A tenant's app (every scope), its super admin's user token. */
  public record Staffed(AppCredentials app, String bossToken) {}

  /** A tenant with an app holding every scope, a super admin "boss" and active users. */
  public Staffed staffedTenant(String tenantKey, String... users) {
    tenant(tenantKey);
    AppCredentials app = app(tenantKey, ALL_SCOPES);
    user(tenantKey, "boss", true, "active");
    for (String u : users) {
      user(tenantKey, u, false, "active");
    }
    return new Staffed(app, userToken(tenantKey, "boss", app.appId()));
  }

  public String userToken(String tenantKey, String userId, String appId) {
    return ok(
            http.json(
                "POST",
                "/admin/api/v1/tenants/" + tenantKey + "/users/" + userId + "/access_tokens",
                ExbridgeServer.ADMIN_TOKEN,
                Map.of("app_id", appId)),
            201)
        .get("access_token")
        .asString();
  }

  /** Creates or replaces an admin account's profile. */
  public JsonNode adminAccount(String tenantKey, String adminAccount, Map<String, String> profile) {
    return ok(
        http.json(
            "PUT",
            "/admin/api/v1/tenants/" + tenantKey + "/exchange_admin_accounts/" + adminAccount,
            ExbridgeServer.ADMIN_TOKEN,
            profile),
        200);
  }

  public JsonNode ewsAdminAccount(String tenantKey, String adminAccount) {
    return adminAccount(
        tenantKey,
        adminAccount,
        Map.of(
            "protocol",
            "ews",
            "ews_url",
            "https://mail.example.test/EWS/Exchange.asmx",
            "username",
            adminAccount,
            "password",
            "s3cret-Passw0rd",
            "auth",
            "ntlm"));
  }

  /** Points an admin account at a simulator's EWS endpoint ({@code basic} or {@code ntlm}). */
  public JsonNode simulatorEwsAccount(
      String tenantKey, String adminAccount, String simulatorUrl, String auth) {
    return adminAccount(
        tenantKey,
        adminAccount,
        Map.of(
            "protocol",
            "ews",
            "ews_url",
            simulatorUrl + "/EWS/Exchange.asmx",
            "username",
            "admin@exchange.test",
            "password",
            "secret",
            "auth",
            auth));
  }

  /** Points an admin account at a simulator's Graph endpoint and its token endpoint. */
  public JsonNode simulatorGraphAccount(
      String tenantKey, String adminAccount, String simulatorUrl) {
    return adminAccount(
        tenantKey,
        adminAccount,
        Map.of(
            "protocol",
            "graph",
            "graph_url",
            simulatorUrl,
            "token_url",
            simulatorUrl + "/t/oauth2/v2.0/token",
            "client_id",
            "sim-client",
            "client_secret",
            "sim-secret"));
  }

  /** Binds a mailbox to a user (by user_id) as the super admin; the exchange_binding_id. */
  public String bind(String superAdminToken, String adminAccount, String mailbox, String userId) {
    return ok(
            http.json(
                "POST",
                "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id",
                superAdminToken,
                Map.of(
                    "admin_account", adminAccount, "exchange_account", mailbox, "user_id", userId)),
            200)
        .get("data")
        .get("exchange_binding_id")
        .asString();
  }

  /** A binding's sync status, as the open API reports it. */
  public String status(String superAdminToken, String exchangeBindingId) {
    return ok(
            http.get(
                "/open-apis/calendar/v4/exchange_bindings/" + exchangeBindingId, superAdminToken),
            200)
        .get("data")
        .get("status")
        .asString();
  }

  private static JsonNode ok(Http.Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    return reply.json();
  }
}
