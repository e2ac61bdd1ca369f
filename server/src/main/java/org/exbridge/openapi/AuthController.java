package org.exbridge.openapi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.exbridge.directory.AccessTokens;
import org.exbridge.directory.App;
import org.exbridge.directory.Apps;
import org.exbridge.directory.TokenKind;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's token endpoints for self-built apps. Their replies are flat ({@code code}, {@code
 * msg}, the token, {@code expire}), not wrapped in {@code data}. Every call issues a fresh token;
 * earlier ones stay valid until they expire.
 */
@RestController
final class AuthController {
  private final Apps apps;
  private final AccessTokens tokens;

  AuthController(Apps apps, AccessTokens tokens) {
    this.apps = apps;
    this.tokens = tokens;
  }

  record AppCredentials(String appId, String appSecret) {}

  @PostMapping(
      path = "/open-apis/auth/v3/tenant_access_token/internal",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> tenantAccessToken(@RequestBody AppCredentials credentials) {
    App app = authenticate(credentials);
    AccessTokens.Issued tenant = tokens.issue(TokenKind.TENANT, app.appId(), app.tenantKey(), null);
    Map<String, Object> body = ok();
    body.put("tenant_access_token", tenant.token());
    body.put("expire", tenant.expiresIn().toSeconds());
    return body;
  }

  @PostMapping(
      path = "/open-apis/auth/v3/app_access_token/internal",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> appAccessToken(@RequestBody AppCredentials credentials) {
    App app = authenticate(credentials);
    AccessTokens.Issued appToken = tokens.issue(TokenKind.APP, app.appId(), app.tenantKey(), null);
    AccessTokens.Issued tenant = tokens.issue(TokenKind.TENANT, app.appId(), app.tenantKey(), null);
    Map<String, Object> body = ok();
    body.put("app_access_token", appToken.token());
    body.put("expire", appToken.expiresIn().toSeconds());
    body.put("tenant_access_token", tenant.token());
    return body;
  }

  private App authenticate(AppCredentials credentials) {
    if (credentials == null || blank(credentials.appId())) {
      throw new OpenApiException(ErrorCode.APP_NOT_FOUND, "invalid param: app_id is required");
    }
    if (blank(credentials.appSecret())) {
      throw new OpenApiException(
          ErrorCode.APP_CREDENTIALS_INVALID, "invalid param: app_secret is required");
    }
    if (apps.find(credentials.appId()).isEmpty()) {
      throw OpenApiException.of(ErrorCode.APP_NOT_FOUND);
    }
    return apps.authenticate(credentials.appId(), credentials.appSecret())
        .orElseThrow(() -> OpenApiException.of(ErrorCode.APP_CREDENTIALS_INVALID));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Map<String, Object> ok() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", 0);
    body.put("msg", "ok");
    return body;
  }
}
