package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;
import static org.exbridge.admin.Problems.notFound;
import static org.exbridge.admin.Problems.required;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.exbridge.directory.AccessTokens;
import org.exbridge.directory.App;
import org.exbridge.directory.Apps;
import org.exbridge.directory.Tenant;
import org.exbridge.directory.Tenants;
import org.exbridge.directory.TokenKind;
import org.exbridge.directory.User;
import org.exbridge.directory.UserStatus;
import org.exbridge.directory.Users;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operator API for the directory: tenants, apps, users and user access tokens. */
@RestController
@RequestMapping(path = "/admin/api/v1/tenants", produces = MediaType.APPLICATION_JSON_VALUE)
final class DirectoryAdminController {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private final Tenants tenants;
  private final Apps apps;
  private final Users users;
  private final AccessTokens tokens;

  DirectoryAdminController(Tenants tenants, Apps apps, Users users, AccessTokens tokens) {
    this.tenants = tenants;
    this.apps = apps;
    this.users = users;
    this.tokens = tokens;
  }

  record TenantBody(String tenantKey, String name) {}

  record AppBody(String name, List<String> scopes) {}

  record AppView(
      String appId,
      String appSecret,
      String tenantKey,
      String name,
      List<String> scopes,
      Instant createdAt) {}

  record UserBody(String name, String email, Boolean superAdmin, String status) {}

  record UserView(
      String tenantKey,
      String userId,
      String unionId,
      Map<String, String> openIds,
      String name,
      String email,
      boolean superAdmin,
      String status) {}

  record TokenBody(String appId) {}

  record TokenView(String accessToken, long expiresIn) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Tenant createTenant(@RequestBody TenantBody body) {
    String key = required("tenant_key", body.tenantKey(), 64);
    if (!KEY.matcher(key).matches()) {
      throw badRequest("tenant_key may hold only letters, digits, '.', '_' and '-'");
    }
    String name = required("name", body.name(), 200);
    return tenants
        .create(key, name)
        .orElseThrow(() -> Problems.conflict("tenant " + key + " exists already"));
  }

  @PostMapping(path = "/{tenantKey}/apps", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  AppView createApp(@PathVariable String tenantKey, @RequestBody AppBody body) {
    tenant(tenantKey);
    String name = required("name", body.name(), 200);
    List<String> scopes = body.scopes() == null ? List.of() : body.scopes();
    for (String scope : scopes) {
      if (scope == null
          || scope.isBlank()
          || scope.length() > 200
          || scope.chars().anyMatch(Character::isWhitespace)) {
        throw badRequest("each scope must be a non-empty word without spaces");
      }
    }
    Apps.Created created = apps.create(tenantKey, name, scopes);
    App app = created.app();
    return new AppView(
        app.appId(),
        created.appSecret(),
        app.tenantKey(),
        app.name(),
        scopes.stream().distinct().toList(),
        app.createdAt());
  }

  @PutMapping(path = "/{tenantKey}/users/{userId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  UserView putUser(
      @PathVariable String tenantKey, @PathVariable String userId, @RequestBody UserBody body) {
    tenant(tenantKey);
    required("user_id", userId, 200);
    String name =
        body.name() == null || body.name().isBlank() ? userId : required("name", body.name(), 200);
    if (body.email() != null && body.email().length() > 500) {
      throw badRequest("email must be at most 500 characters");
    }
    UserStatus status =
        body.status() == null
            ? UserStatus.ACTIVE
            : UserStatus.parse(body.status())
                .orElseThrow(() -> badRequest("status must be active or dismissed"));
    User user =
        users.put(
            tenantKey,
            userId,
            new Users.Changes(name, body.email(), Boolean.TRUE.equals(body.superAdmin()), status));
    return view(user);
  }

  @PostMapping(
      path = "/{tenantKey}/users/{userId}/access_tokens",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  TokenView issueUserToken(
      @PathVariable String tenantKey, @PathVariable String userId, @RequestBody TokenBody body) {
    tenant(tenantKey);
    String appId = required("app_id", body.appId(), 64);
    App app =
        apps.find(appId)
            .filter(a -> a.tenantKey().equals(tenantKey))
            .orElseThrow(() -> notFound("app " + appId + " is not an app of tenant " + tenantKey));
    User user =
        users
            .find(tenantKey, userId)
            .orElseThrow(() -> notFound("user " + userId + " is not in tenant " + tenantKey));
    AccessTokens.Issued issued =
        tokens.issue(TokenKind.USER, app.appId(), tenantKey, user.userId());
    return new TokenView(issued.token(), issued.expiresIn().toSeconds());
  }

  @GetMapping
  Paging.Page<Tenant> listTenants(
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    int n = Paging.limit(limit);
    return Paging.page(tenants.list(Paging.after(cursor), n + 1), n, Tenant::tenantKey, t -> t);
  }

  @GetMapping("/{tenantKey}")
  Tenant getTenant(@PathVariable String tenantKey) {
    return tenants
        .find(tenantKey)
        .orElseThrow(() -> notFound("tenant " + tenantKey + " does not exist"));
  }

  @DeleteMapping("/{tenantKey}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteTenant(@PathVariable String tenantKey) {
    switch (tenants.delete(tenantKey)) {
      case DELETED -> {}
      case NOT_FOUND -> throw notFound("tenant " + tenantKey + " does not exist");
      case HAS_ADMIN_ACCOUNTS ->
          throw Problems.conflict(
              "tenant "
                  + tenantKey
                  + " still has Exchange admin accounts; unbind their bindings and delete them"
                  + " first");
    }
  }

  @GetMapping("/{tenantKey}/apps")
  Paging.Page<AppView> listApps(
      @PathVariable String tenantKey,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    tenant(tenantKey);
    int n = Paging.limit(limit);
    return Paging.page(
        apps.list(tenantKey, Paging.after(cursor), n + 1), n, App::appId, a -> appView(a, null));
  }

  @GetMapping("/{tenantKey}/apps/{appId}")
  AppView getApp(@PathVariable String tenantKey, @PathVariable String appId) {
    return appView(app(tenantKey, appId), null);
  }

  /**
   * A new secret, shown in this answer only; the old one and the tokens it obtained stop working.
   */
  @PostMapping("/{tenantKey}/apps/{appId}/secret")
  AppView rotateSecret(@PathVariable String tenantKey, @PathVariable String appId) {
    App app = app(tenantKey, appId);
    String secret =
        apps.rotateSecret(app.appId())
            .orElseThrow(() -> notFound("app " + appId + " is not an app of tenant " + tenantKey));
    return appView(app, secret);
  }

  @DeleteMapping("/{tenantKey}/apps/{appId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteApp(@PathVariable String tenantKey, @PathVariable String appId) {
    apps.delete(app(tenantKey, appId).appId());
  }

  /**
   * The tenant's users, paged; {@code q} keeps those whose id, name or e-mail holds it, {@code
   * open_id} finds the user an app knows by that id.
   */
  @GetMapping("/{tenantKey}/users")
  Paging.Page<UserView> listUsers(
      @PathVariable String tenantKey,
      @RequestParam(required = false) String q,
      @RequestParam(name = "open_id", required = false) String openId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    tenant(tenantKey);
    int n = Paging.limit(limit);
    if (q != null && q.length() > 200) {
      throw badRequest("q must be at most 200 characters");
    }
    if (openId != null) {
      return new Paging.Page<>(
          users.byOpenId(tenantKey, openId).map(this::view).stream().toList(), null);
    }
    return Paging.page(
        users.list(tenantKey, q, Paging.after(cursor), n + 1), n, User::userId, this::view);
  }

  @GetMapping("/{tenantKey}/users/{userId}")
  UserView getUser(@PathVariable String tenantKey, @PathVariable String userId) {
    tenant(tenantKey);
    return users
        .find(tenantKey, userId)
        .map(this::view)
        .orElseThrow(() -> notFound("user " + userId + " is not in tenant " + tenantKey));
  }

  @DeleteMapping("/{tenantKey}/users/{userId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteUser(@PathVariable String tenantKey, @PathVariable String userId) {
    tenant(tenantKey);
    switch (users.delete(tenantKey, userId)) {
      case DELETED -> {}
      case NOT_FOUND -> throw notFound("user " + userId + " is not in tenant " + tenantKey);
      case HAS_BINDINGS ->
          throw Problems.conflict(
              "user " + userId + " has Exchange accounts bound to it; unbind them first");
    }
  }

  private App app(String tenantKey, String appId) {
    tenant(tenantKey);
    return apps.find(appId)
        .filter(a -> a.tenantKey().equals(tenantKey))
        .orElseThrow(() -> notFound("app " + appId + " is not an app of tenant " + tenantKey));
  }

  private static AppView appView(App app, String secret) {
    return new AppView(
        app.appId(),
        secret,
        app.tenantKey(),
        app.name(),
        app.scopes().stream().sorted().toList(),
        app.createdAt());
  }

  private void tenant(String tenantKey) {
    tenants.find(tenantKey).orElseThrow(() -> notFound("tenant " + tenantKey + " does not exist"));
  }

  private UserView view(User user) {
    return new UserView(
        user.tenantKey(),
        user.userId(),
        user.unionId(),
        users.openIds(user.tenantKey(), user.userId()),
        user.name(),
        user.email(),
        user.superAdmin(),
        user.status().wire());
  }
}
