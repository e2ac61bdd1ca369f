package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;
import static org.exbridge.admin.Problems.notFound;
import static org.exbridge.admin.Problems.required;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.EmailAddress;
import org.exbridge.directory.Tenants;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's Exchange admin accounts, as bound in the admin console: an EWS impersonation account
 * for on-premises Exchange, or an Entra app for Exchange Online through Graph. Secrets go in and
 * are never given back.
 */
@RestController
@RequestMapping(
    path = "/admin/api/v1/tenants/{tenantKey}/exchange_admin_accounts",
    produces = MediaType.APPLICATION_JSON_VALUE)
final class AdminAccountAdminController {
  private static final String DEFAULT_GRAPH_URL = "https://graph.microsoft.com";
  private final AdminAccounts accounts;
  private final Tenants tenants;

  AdminAccountAdminController(AdminAccounts accounts, Tenants tenants) {
    this.accounts = accounts;
    this.tenants = tenants;
  }

  record ProfileBody(
      String protocol,
      String ewsUrl,
      String username,
      String password,
      String auth,
      String graphUrl,
      String tokenUrl,
      String clientId,
      String clientSecret) {}

  record ProfileView(
      String adminAccount,
      String tenantKey,
      String protocol,
      String ewsUrl,
      String username,
      String auth,
      String graphUrl,
      String tokenUrl,
      String clientId,
      String status,
      String lastError,
      Instant checkedAt,
      Instant updatedAt) {}

  @PutMapping(path = "/{adminAccount}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ProfileView put(
      @PathVariable String tenantKey,
      @PathVariable String adminAccount,
      @RequestBody ProfileBody body) {
    tenants.find(tenantKey).orElseThrow(() -> notFound("tenant " + tenantKey + " does not exist"));
    if (!EmailAddress.isValid(adminAccount)) {
      throw badRequest("the admin account must be an e-mail address");
    }
    String id = AdminAccounts.normalise(adminAccount);
    String protocol = required("protocol", body.protocol(), 10).toLowerCase(Locale.ROOT);
    AdminAccount profile;
    String secret;
    switch (protocol) {
      case "ews" -> {
        String auth = body.auth() == null ? "ntlm" : body.auth().toLowerCase(Locale.ROOT);
        if (!auth.equals("basic") && !auth.equals("ntlm") && !auth.equals("oauth")) {
          throw badRequest("auth must be basic, ntlm or oauth");
        }
        boolean oauth = auth.equals("oauth");
        profile =
            new AdminAccount(
                id,
                tenantKey,
                AdminAccount.Protocol.EWS,
                ewsUrl(body.ewsUrl()),
                oauth ? null : required("username", body.username(), 500),
                AdminAccount.EwsAuth.valueOf(auth.toUpperCase(Locale.ROOT)),
                null,
                oauth ? url("token_url", body.tokenUrl()) : null,
                oauth ? required("client_id", body.clientId(), 500) : null,
                null,
                null,
                null,
                null);
        secret =
            secret(
                profile,
                oauth ? "client_secret" : "password",
                oauth ? body.clientSecret() : body.password());
      }
      case "graph" -> {
        String graphUrl =
            body.graphUrl() == null || body.graphUrl().isBlank()
                ? DEFAULT_GRAPH_URL
                : graphUrl(body.graphUrl());
        profile =
            new AdminAccount(
                id,
                tenantKey,
                AdminAccount.Protocol.GRAPH,
                null,
                null,
                null,
                graphUrl,
                url("token_url", body.tokenUrl()),
                required("client_id", body.clientId(), 500),
                null,
                null,
                null,
                null);
        secret = secret(profile, "client_secret", body.clientSecret());
      }
      default -> throw badRequest("protocol must be ews or graph");
    }
    return switch (accounts.put(profile, secret)) {
      case AdminAccounts.PutResult.Saved saved -> view(saved.account());
      case AdminAccounts.PutResult.OwnedByOtherTenant other ->
          throw Problems.conflict("admin account " + id + " is bound to another tenant");
    };
  }

  @GetMapping("/{adminAccount}")
  ProfileView get(@PathVariable String tenantKey, @PathVariable String adminAccount) {
    return accounts
        .find(adminAccount)
        .filter(a -> a.tenantKey().equals(tenantKey))
        .map(AdminAccountAdminController::view)
        .orElseThrow(
            () ->
                notFound("admin account " + adminAccount + " is not bound in tenant " + tenantKey));
  }

  @GetMapping
  Paging.Page<ProfileView> list(
      @PathVariable String tenantKey,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    tenants.find(tenantKey).orElseThrow(() -> notFound("tenant " + tenantKey + " does not exist"));
    int n = Paging.limit(limit);
    return Paging.page(
        accounts.list(tenantKey, Paging.after(cursor), n + 1),
        n,
        AdminAccount::adminAccount,
        AdminAccountAdminController::view);
  }

  @DeleteMapping("/{adminAccount}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable String tenantKey, @PathVariable String adminAccount) {
    String id = get(tenantKey, adminAccount).adminAccount();
    if (!accounts.delete(id)) {
      throw Problems.conflict(
          "admin account "
              + id
              + " still has "
              + accounts.bindingCount(id)
              + " binding(s); unbind them first");
    }
  }

  /**
   * The secret as given; when left out on an edit, the stored one, but only while the profile still
   * points at the same place with the same name (a stored password is never sent to a new URL
   * without being typed again).
   */
  private String secret(AdminAccount profile, String field, String given) {
    if (given != null && !given.isEmpty()) {
      return required(field, given, 1000);
    }
    AdminAccount stored =
        accounts
            .find(profile.adminAccount())
            .filter(a -> a.tenantKey().equals(profile.tenantKey()))
            .orElse(null);
    boolean samePlace =
        stored != null
            && stored.protocol() == profile.protocol()
            && Objects.equals(stored.ewsUrl(), profile.ewsUrl())
            && Objects.equals(stored.graphUrl(), profile.graphUrl())
            && Objects.equals(stored.tokenUrl(), profile.tokenUrl())
            && Objects.equals(stored.username(), profile.username())
            && Objects.equals(stored.clientId(), profile.clientId())
            && stored.auth() == profile.auth();
    if (!samePlace) {
      throw badRequest(
          field
              + " is required"
              + (stored == null
                  ? ""
                  : " (the stored one is kept only while the URLs, user name and client id stay"
                      + " the same)"));
    }
    return accounts.secret(stored.adminAccount()).orElseThrow();
  }

  /**
   * The EWS endpoint: a bare server URL, or one ending in {@code /EWS}, is completed with the
   * service path; a path that is plainly something else of Exchange's (OWA, Autodiscover, ECP) is
   * refused with the hint.
   */
  static String ewsUrl(String value) {
    String url = url("ews_url", value);
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String lower = path.toLowerCase(Locale.ROOT);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw badRequest(
          "ews_url must not have a query or fragment; it usually ends in /EWS/Exchange.asmx");
    }
    String trimmed = lower.replaceAll("/+$", "");
    if (trimmed.isEmpty()) {
      return stripSlashes(url) + "/EWS/Exchange.asmx";
    }
    if (trimmed.equals("/ews")) {
      return stripSlashes(url) + "/Exchange.asmx";
    }
    for (String other : new String[] {"/owa", "/ecp", "/autodiscover", "/mapi", "/rpc"}) {
      if (lower.equals(other) || lower.startsWith(other + "/") || lower.startsWith(other + ".")) {
        throw badRequest(
            "ews_url points at "
                + other.substring(1).toUpperCase(Locale.ROOT)
                + ", not at EWS; it usually ends in /EWS/Exchange.asmx, as in"
                + " https://mail.example.com/EWS/Exchange.asmx");
      }
    }
    return url;
  }

  /**
   * The Graph root: {@code https://graph.microsoft.com} and {@code …/v1.0} (the way Microsoft
   * writes it) both mean the root; exbridge adds {@code /v1.0} itself.
   */
  static String graphUrl(String value) {
    String url = stripSlashes(url("graph_url", value));
    URI uri = URI.create(url);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw badRequest(
          "graph_url must not have a query or fragment, as in https://graph.microsoft.com");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.endsWith("/v1.0")) {
      url = stripSlashes(url.substring(0, url.length() - "/v1.0".length()));
    } else if (lower.endsWith("/beta")) {
      throw badRequest(
          "graph_url names the beta API; give the Graph root, as in https://graph.microsoft.com"
              + " (exbridge uses v1.0)");
    }
    return url;
  }

  private static String stripSlashes(String url) {
    String result = url;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  private static String url(String field, String value) {
    String url = required(field, value, 2000);
    try {
      URI uri = URI.create(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return url;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw badRequest(field + " must be an http or https URL");
  }

  static ProfileView view(AdminAccount a) {
    return new ProfileView(
        a.adminAccount(),
        a.tenantKey(),
        a.protocol().name().toLowerCase(Locale.ROOT),
        a.ewsUrl(),
        a.username(),
        a.auth() == null ? null : a.auth().name().toLowerCase(Locale.ROOT),
        a.graphUrl(),
        a.tokenUrl(),
        a.clientId(),
        a.status().name().toLowerCase(Locale.ROOT),
        a.lastError(),
        a.checkedAt(),
        a.updatedAt());
  }
}
