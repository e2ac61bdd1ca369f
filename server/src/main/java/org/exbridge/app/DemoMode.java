package org.exbridge.app;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.directory.AccessTokens;
import org.exbridge.directory.App;
import org.exbridge.directory.Apps;
import org.exbridge.directory.Tenants;
import org.exbridge.directory.TokenKind;
import org.exbridge.directory.UserStatus;
import org.exbridge.directory.Users;
import org.exbridge.simulator.Simulator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code --demo}: an Exchange simulator inside the server (five mailboxes), a demo tenant with an
 * app, a super admin and five users, and the admin account pointed at the simulator; then prints
 * what a new user needs to bind a mailbox.
 */
@Component
final class DemoMode implements ApplicationRunner, DisposableBean {
  private static final String TENANT = "demo";
  private static final String ADMIN_ACCOUNT = "admin@exchange.test";
  private static final String GRAPH_ADMIN_ACCOUNT = "graph-admin@exchange.test";
  private final Tenants tenants;
  private final Apps apps;
  private final Users users;
  private final AccessTokens tokens;
  private final AdminAccounts accounts;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Environment environment;
  private Simulator simulator;

  DemoMode(
      Tenants tenants,
      Apps apps,
      Users users,
      AccessTokens tokens,
      AdminAccounts accounts,
      JdbcClient jdbc,
      Clock clock,
      Environment environment) {
    this.tenants = tenants;
    this.apps = apps;
    this.users = users;
    this.tokens = tokens;
    this.accounts = accounts;
    this.jdbc = jdbc;
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (!args.containsOption("demo")) {
      return;
    }
    simulator = Simulator.start("127.0.0.1", 0, Clock.systemUTC()).generate(5, 500, 1);
    tenants.create(TENANT, "Demo tenant");
    String appSecret = null;
    App app = existingApp().orElse(null);
    if (app == null) {
      Apps.Created created =
          apps.create(
              TENANT,
              "demo app",
              List.of(
                  "calendar:calendar",
                  "calendar:calendar:readonly",
                  "contact:user.email:readonly",
                  "contact:user.employee_id:readonly"));
      app = created.app();
      appSecret = created.appSecret();
    }
    users.put(
        TENANT,
        "admin",
        new Users.Changes("Demo Admin", "admin@demo.test", true, UserStatus.ACTIVE));
    for (String name : List.of("alice", "bob", "carol", "dave", "erin")) {
      users.put(
          TENANT, name, new Users.Changes(name, name + "@demo.test", false, UserStatus.ACTIVE));
    }
    accounts.put(
        new AdminAccount(
            ADMIN_ACCOUNT,
            TENANT,
            AdminAccount.Protocol.EWS,
            simulator.baseUrl() + "/EWS/Exchange.asmx",
            ADMIN_ACCOUNT,
            AdminAccount.EwsAuth.NTLM,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        "secret");
    accounts.put(
        new AdminAccount(
            GRAPH_ADMIN_ACCOUNT,
            TENANT,
            AdminAccount.Protocol.GRAPH,
            null,
            null,
            null,
            simulator.baseUrl(),
            simulator.baseUrl() + "/demo.test/oauth2/v2.0/token",
            "sim-client",
            null,
            null,
            null,
            null),
        "sim-secret");
    String adminToken = tokens.issue(TokenKind.USER, app.appId(), TENANT, "admin").token();
    String aliceToken = tokens.issue(TokenKind.USER, app.appId(), TENANT, "alice").token();
    String base = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
    System.out.println();
    System.out.println("=== exbridge demo ===");
    System.out.println(
        "Exchange simulator: "
            + simulator.baseUrl()
            + " (mailboxes user1..user5@exchange.test; control API "
            + simulator.baseUrl()
            + "/_sim/mailboxes)");
    System.out.println(
        "tenant 'demo', app "
            + app.appId()
            + (appSecret == null
                ? " (its secret was printed when it was created)"
                : " with app_secret " + appSecret + " (shown once)")
            + ", super admin 'admin', users alice bob carol dave erin");
    System.out.println("super admin user_access_token: " + adminToken);
    System.out.println("alice's user_access_token:     " + aliceToken);
    System.out.println("Bind user1@exchange.test to alice:");
    System.out.println(
        "  curl -s -XPOST '"
            + base
            + "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id' \\");
    System.out.println(
        "    -H 'Authorization: Bearer " + adminToken + "' -H 'Content-Type: application/json' \\");
    System.out.println(
        "    -d '{\"admin_account\":\""
            + ADMIN_ACCOUNT
            + "\",\"exchange_account\":\"user1@exchange.test\",\"user_id\":\"alice\"}'");
    System.out.println(
        "(or through Microsoft Graph: \"admin_account\":\""
            + GRAPH_ADMIN_ACCOUNT
            + "\"; both push changes to exbridge as they happen)");
    System.out.println(
        "Then watch its status (GET .../exchange_bindings/<exchange_binding_id>) and read alice's calendars:");
    System.out.println(
        "  curl -s "
            + base
            + "/open-apis/calendar/v4/calendars -H 'Authorization: Bearer "
            + aliceToken
            + "'");
    System.out.println("=====================");
    System.out.println();
  }

  private Optional<App> existingApp() {
    return jdbc.sql("select app_id from app where tenant_key = ? order by created_at limit 1")
        .param(TENANT)
        .query(String.class)
        .optional()
        .flatMap(apps::find);
  }

  @Override
  public void destroy() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
