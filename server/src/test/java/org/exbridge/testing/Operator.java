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

  public JsonNode ewsAdminAccount(String tenantKey, String adminAccount) {
    return ok(
        http.json(
            "PUT",
            "/admin/api/v1/tenants/" + tenantKey + "/exchange_admin_accounts/" + adminAccount,
            ExbridgeServer.ADMIN_TOKEN,
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
                "ntlm")),
        200);
  }

  private static JsonNode ok(Http.Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    return reply.json();
  }
}
