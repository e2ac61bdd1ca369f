package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;
import static org.exbridge.admin.Problems.notFound;
import static org.exbridge.admin.Problems.required;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.EmailAddress;
import org.exbridge.directory.Tenants;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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
                url("ews_url", body.ewsUrl()),
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
            oauth
                ? required("client_secret", body.clientSecret(), 1000)
                : required("password", body.password(), 1000);
      }
      case "graph" -> {
        String graphUrl =
            body.graphUrl() == null ? DEFAULT_GRAPH_URL : url("graph_url", body.graphUrl());
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
        secret = required("client_secret", body.clientSecret(), 1000);
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
