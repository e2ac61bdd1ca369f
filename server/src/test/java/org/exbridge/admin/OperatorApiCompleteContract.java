package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.exbridge.directory.UserStatus;
import org.exbridge.directory.Users;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The operator API beyond one binding at a time: lists with paging, single items, deletes, secret
 * rotation, the bulk import, problem details, and the OpenAPI description against the routes. Sync
 * is off here: these are the API's rules, not Exchange's (ConsoleBrowserIT and BindingStoryIT run
 * imports to done).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OperatorApiCompleteContract {
  private static final String TOKEN = ExbridgeServer.ADMIN_TOKEN;
  private ExbridgeServer server;
  private Http http;
  private Operator operator;

  abstract Database database();

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createTempDirectory("exbridge-operator");
    server =
        ExbridgeServer.start(
            database().fresh(data),
            data,
            null,
            Map.of(
                "exbridge.sync.enabled",
                "false",
                "exbridge.push.enabled",
                "false",
                "exbridge.import.stall-check",
                "1s"));
    http = new Http(server.baseUrl());
    operator = new Operator(server.baseUrl());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonNode ok(Http.Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    return reply.body().isEmpty() ? null : reply.json();
  }

  private List<String> collect(String path, String field) {
    List<String> keys = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok(
              http.get(
                  path
                      + (path.contains("?") ? "&" : "?")
                      + "limit=2"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  TOKEN),
              200);
      JsonNode items = page.has("items") ? page.get("items") : page.get("bindings");
      assertThat(items.size()).isLessThanOrEqualTo(2);
      items.forEach(i -> keys.add(i.get(field).asString()));
      cursor = page.path("next_cursor").isMissingNode() ? null : page.get("next_cursor").asString();
      pages++;
    } while (cursor != null && pages < 100);
    return keys;
  }

  @Test
  void tenantsAreListedPageByPageReadAndDeleted() {
    for (String key : List.of("lst-a", "lst-b", "lst-c", "lst-d", "lst-e")) {
      operator.tenant(key);
    }
    List<String> keys = collect("/admin/api/v1/tenants", "tenant_key");
    assertThat(keys).containsSubsequence("lst-a", "lst-b", "lst-c", "lst-d", "lst-e");
    assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);
    assertThat(keys).isSorted();

    assertThat(ok(http.get("/admin/api/v1/tenants/lst-c", TOKEN), 200).get("name").asString())
        .isEqualTo("lst-c");
    assertThat(http.get("/admin/api/v1/tenants?cursor=!!!", TOKEN).status()).isEqualTo(400);
    assertThat(http.get("/admin/api/v1/tenants?limit=0", TOKEN).json().get("detail").asString())
        .isEqualTo("limit must be between 1 and 1000");

    operator.app("lst-e", List.of("calendar:calendar"));
    operator.user("lst-e", "someone", false, "active");
    ok(http.send("DELETE", "/admin/api/v1/tenants/lst-e", TOKEN, null, null), 204);
    assertThat(http.get("/admin/api/v1/tenants/lst-e", TOKEN).status()).isEqualTo(404);
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from app where tenant_key = 'lst-e'")
                .query(Integer.class)
                .single())
        .isZero();

    operator.ewsAdminAccount("lst-d", "admin@lst-d.test");
    Http.Reply refused = http.send("DELETE", "/admin/api/v1/tenants/lst-d", TOKEN, null, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("detail").asString()).contains("Exchange admin accounts");
  }

  @Test
  void anAppsSecretIsRotatedShownOnceAndTheOldOneStopsWorking() {
    operator.tenant("rot");
    Operator.AppCredentials app = operator.app("rot", List.of("calendar:calendar"));
    Map<String, String> oldCredentials =
        Map.of("app_id", app.appId(), "app_secret", app.appSecret());
    String oldToken =
        ok(
                http.json(
                    "POST",
                    "/open-apis/auth/v3/tenant_access_token/internal",
                    null,
                    oldCredentials),
                200)
            .get("tenant_access_token")
            .asString();

    JsonNode rotated =
        ok(
            http.send(
                "POST",
                "/admin/api/v1/tenants/rot/apps/" + app.appId() + "/secret",
                TOKEN,
                null,
                null),
            200);
    String newSecret = rotated.get("app_secret").asString();
    assertThat(newSecret).isNotBlank().isNotEqualTo(app.appSecret());
    assertThat(
            ok(http.get("/admin/api/v1/tenants/rot/apps/" + app.appId(), TOKEN), 200)
                .has("app_secret"))
        .isFalse();
    assertThat(collect("/admin/api/v1/tenants/rot/apps", "app_id")).containsExactly(app.appId());

    Http.Reply withOld =
        http.json("POST", "/open-apis/auth/v3/tenant_access_token/internal", null, oldCredentials);
    assertThat(withOld.json().get("code").asInt()).isNotZero();
    assertThat(http.get("/open-apis/calendar/v4/calendars", oldToken).json().get("code").asInt())
        .isEqualTo(99991663);
    Http.Reply withNew =
        http.json(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            null,
            Map.of("app_id", app.appId(), "app_secret", newSecret));
    assertThat(withNew.json().get("code").asInt()).isZero();

    assertThat(
            http.send(
                    "POST",
                    "/admin/api/v1/tenants/other/apps/" + app.appId() + "/secret",
                    TOKEN,
                    null,
                    null)
                .status())
        .isEqualTo(404);
    ok(
        http.send("DELETE", "/admin/api/v1/tenants/rot/apps/" + app.appId(), TOKEN, null, null),
        204);
    assertThat(http.get("/admin/api/v1/tenants/rot/apps/" + app.appId(), TOKEN).status())
        .isEqualTo(404);
  }

  @Test
  void usersAreSearchedFoundByOpenIdAndDeletedUnlessBound() {
    Operator.Staffed staffed = operator.staffedTenant("usr", "alice", "alina", "bob");
    List<String> found = new ArrayList<>();
    ok(http.get("/admin/api/v1/tenants/usr/users?q=ALI", TOKEN), 200)
        .get("items")
        .forEach(u -> found.add(u.get("user_id").asString()));
    assertThat(found).containsExactly("alice", "alina");
    assertThat(
            ok(http.get("/admin/api/v1/tenants/usr/users?q=%25", TOKEN), 200).get("items").size())
        .as("a LIKE wildcard in the query is a plain character")
        .isZero();
    assertThat(collect("/admin/api/v1/tenants/usr/users", "user_id"))
        .containsExactly("alice", "alina", "bob", "boss");

    String openId =
        ok(http.get("/admin/api/v1/tenants/usr/users/bob", TOKEN), 200)
            .get("open_ids")
            .get(staffed.app().appId())
            .asString();
    JsonNode byOpenId =
        ok(http.get("/admin/api/v1/tenants/usr/users?open_id=" + openId, TOKEN), 200);
    assertThat(byOpenId.get("items").get(0).get("user_id").asString()).isEqualTo("bob");

    operator.ewsAdminAccount("usr", "admin@usr.test");
    operator.bind(staffed.bossToken(), "admin@usr.test", "alice@usr.test", "alice");
    Http.Reply refused =
        http.send("DELETE", "/admin/api/v1/tenants/usr/users/alice", TOKEN, null, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("detail").asString()).contains("unbind them first");
    ok(http.send("DELETE", "/admin/api/v1/tenants/usr/users/alina", TOKEN, null, null), 204);
    assertThat(http.get("/admin/api/v1/tenants/usr/users/alina", TOKEN).status()).isEqualTo(404);
    assertThat(
            http.send("DELETE", "/admin/api/v1/tenants/usr/users/alina", TOKEN, null, null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void adminAccountsAreListedNormalisedKeptAndDeletedOnlyWhenUnused() {
    Operator.Staffed staffed = operator.staffedTenant("acc", "alice");
    JsonNode graph =
        operator.adminAccount(
            "acc",
            "graph@acc.test",
            Map.of(
                "protocol", "graph",
                "graph_url", "https://graph.microsoft.com/v1.0/",
                "token_url", "https://login.microsoftonline.com/t/oauth2/v2.0/token",
                "client_id", "c",
                "client_secret", "s"));
    assertThat(graph.get("graph_url").asString()).isEqualTo("https://graph.microsoft.com");
    JsonNode china =
        operator.adminAccount(
            "acc",
            "cn@acc.test",
            Map.of(
                "protocol", "graph",
                "graph_url", "https://microsoftgraph.chinacloudapi.cn/v1.0",
                "token_url", "https://login.chinacloudapi.cn/t/oauth2/v2.0/token",
                "client_id", "c",
                "client_secret", "s"));
    assertThat(china.get("graph_url").asString())
        .isEqualTo("https://microsoftgraph.chinacloudapi.cn");
    JsonNode bare =
        operator.adminAccount(
            "acc",
            "ews@acc.test",
            Map.of(
                "protocol",
                "ews",
                "ews_url",
                "https://mail.acc.test",
                "username",
                "u",
                "password",
                "p"));
    assertThat(bare.get("ews_url").asString()).isEqualTo("https://mail.acc.test/EWS/Exchange.asmx");
    Http.Reply owa =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/acc/exchange_admin_accounts/owa@acc.test",
            TOKEN,
            Map.of(
                "protocol",
                "ews",
                "ews_url",
                "https://mail.acc.test/owa/",
                "username",
                "u",
                "password",
                "p"));
    assertThat(owa.status()).isEqualTo(400);
    assertThat(owa.json().get("detail").asString()).contains("/EWS/Exchange.asmx").contains("OWA");
    Http.Reply beta =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/acc/exchange_admin_accounts/beta@acc.test",
            TOKEN,
            Map.of(
                "protocol",
                "graph",
                "graph_url",
                "https://graph.microsoft.com/beta",
                "token_url",
                "https://x.test/t",
                "client_id",
                "c",
                "client_secret",
                "s"));
    assertThat(beta.status()).isEqualTo(400);

    // An edit without the password keeps it while the account points at the same place...
    String before = secretCiphertext("ews@acc.test");
    operator.adminAccount(
        "acc",
        "ews@acc.test",
        Map.of(
            "protocol",
            "ews",
            "ews_url",
            "https://mail.acc.test/EWS/Exchange.asmx",
            "username",
            "u",
            "auth",
            "ntlm"));
    assertThat(secretCiphertext("ews@acc.test")).isNotBlank();
    assertThat(server.bean(org.exbridge.adminaccount.AdminAccounts.class).secret("ews@acc.test"))
        .contains("p");
    assertThat(before).isNotBlank();
    // ...and is asked for again when the URL changes: a stored password never goes to a new host.
    Http.Reply moved =
        http.json(
            "PUT",
            "/admin/api/v1/tenants/acc/exchange_admin_accounts/ews@acc.test",
            TOKEN,
            Map.of(
                "protocol",
                "ews",
                "ews_url",
                "https://evil.test/EWS/Exchange.asmx",
                "username",
                "u",
                "auth",
                "ntlm"));
    assertThat(moved.status()).isEqualTo(400);
    assertThat(moved.json().get("detail").asString()).startsWith("password is required");
    assertThat(
            server
                .bean(org.exbridge.adminaccount.AdminAccounts.class)
                .find("ews@acc.test")
                .orElseThrow()
                .ewsUrl())
        .isEqualTo("https://mail.acc.test/EWS/Exchange.asmx");

    assertThat(collect("/admin/api/v1/tenants/acc/exchange_admin_accounts", "admin_account"))
        .containsExactly("cn@acc.test", "ews@acc.test", "graph@acc.test");
    JsonNode listed = ok(http.get("/admin/api/v1/tenants/acc/exchange_admin_accounts", TOKEN), 200);
    assertThat(listed.toString()).doesNotContain("\"p\"").doesNotContain("secret_ciphertext");

    String id = operator.bind(staffed.bossToken(), "ews@acc.test", "alice@acc.test", "alice");
    Http.Reply inUse =
        http.send(
            "DELETE",
            "/admin/api/v1/tenants/acc/exchange_admin_accounts/ews@acc.test",
            TOKEN,
            null,
            null);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().get("detail").asString()).contains("1 binding(s)");
    ok(http.send("DELETE", "/admin/api/v1/bindings/" + id, TOKEN, null, null), 204);
    ok(
        http.send(
            "DELETE",
            "/admin/api/v1/tenants/acc/exchange_admin_accounts/ews@acc.test",
            TOKEN,
            null,
            null),
        204);
    assertThat(
            http.get("/admin/api/v1/tenants/acc/exchange_admin_accounts/ews@acc.test", TOKEN)
                .status())
        .isEqualTo(404);
  }

  private String secretCiphertext(String account) {
    return server
        .jdbc()
        .sql("select secret_ciphertext from exchange_admin_account where admin_account = ?")
        .param(account)
        .query(String.class)
        .single();
  }

  @Test
  void bindingsArePagedWithACursorAndFilteredByAdminAccount() {
    Operator.Staffed staffed = operator.staffedTenant("pg", "u1", "u2", "u3", "u4", "u5");
    operator.ewsAdminAccount("pg", "one@pg.test");
    operator.ewsAdminAccount("pg", "two@pg.test");
    for (int i = 1; i <= 5; i++) {
      operator.bind(
          staffed.bossToken(),
          i % 2 == 0 ? "two@pg.test" : "one@pg.test",
          "m" + i + "@pg.test",
          "u" + i);
    }
    assertThat(collect("/admin/api/v1/bindings?tenant_key=pg", "exchange_account"))
        .containsExactly("m1@pg.test", "m2@pg.test", "m3@pg.test", "m4@pg.test", "m5@pg.test");
    assertThat(
            collect(
                "/admin/api/v1/bindings?tenant_key=pg&admin_account=TWO@pg.test",
                "exchange_account"))
        .containsExactly("m2@pg.test", "m4@pg.test");
    assertThat(
            ok(
                    http.get(
                        "/admin/api/v1/bindings?tenant_key=pg&exchange_account=m3@pg.test", TOKEN),
                    200)
                .get("bindings")
                .size())
        .isEqualTo(1);
    assertThat(http.get("/admin/api/v1/bindings?cursor=bm90LWEtbnVtYmVy", TOKEN).status())
        .isEqualTo(400);
  }

  @Test
  void aCsvOfThousandsOfAccountsIsMatchedFixedAndStartedOnceEvenIfStartedTwice() {
    operator.tenant("imp");
    operator.ewsAdminAccount("imp", "admin@imp.test");
    Users users = server.bean(Users.class);
    int n = 3000;
    for (int i = 0; i < n; i++) {
      users.put(
          "imp",
          "u" + i,
          new Users.Changes("User " + i, "u" + i + "@imp.test", false, UserStatus.ACTIVE));
    }
    users.put("imp", "twin1", new Users.Changes("Twin", "twin@imp.test", false, UserStatus.ACTIVE));
    users.put("imp", "twin2", new Users.Changes("Twin", "TWIN@imp.test", false, UserStatus.ACTIVE));
    StringBuilder csv = new StringBuilder("\uFEFFExchange Account;E-mail;User ID\r\n");
    for (int i = 0; i < n; i++) {
      // every tenth row names its user by id, the rest are matched by e-mail
      csv.append("mb")
          .append(i)
          .append("@exchange.imp.test;")
          .append(i % 10 == 0 ? "" : "U" + i + "@IMP.test")
          .append(';')
          .append(i % 10 == 0 ? "u" + i : "")
          .append("\r\n");
    }
    csv.append("mb0@exchange.imp.test;;u1\r\n"); // the same account again
    csv.append("\"not an address\";;\r\n");
    csv.append("twin@exchange.imp.test;twin@imp.test;\r\n"); // two users have this e-mail
    csv.append("ghost@exchange.imp.test;;nobody\r\n"); // no such user

    Http.Reply created =
        http.send(
            "POST",
            "/admin/api/v1/tenants/imp/binding_imports?admin_account=admin@imp.test",
            TOKEN,
            "text/csv",
            csv.toString());
    JsonNode imp = ok(created, 201);
    String id = imp.get("id").asString();
    JsonNode counts = imp.get("counts");
    assertThat(counts.get("rows").asInt()).isEqualTo(n + 4);
    assertThat(counts.get("matched").asInt()).isEqualTo(n);
    assertThat(counts.get("unmatched").asInt()).isEqualTo(4);
    JsonNode rows = imp.get("rows");
    assertThat(rows.get(1).get("match").asString()).isEqualTo("email");
    assertThat(rows.get(1).get("user_id").asString()).isEqualTo("u1");
    assertThat(rows.get(0).get("match").asString()).isEqualTo("user_id");
    assertThat(rows.get(n).get("problem").asString()).isEqualTo("the same account is on row 1");
    assertThat(rows.get(n).has("user_id")).as("user_id is null, not left out").isTrue();
    assertThat(rows.get(n).get("user_id").isNull()).isTrue();
    assertThat(rows.get(n + 1).get("problem").asString()).contains("not an e-mail address");
    assertThat(rows.get(n + 2).get("problem").asString()).contains("2 users have the e-mail");
    assertThat(rows.get(n + 3).get("problem").asString()).contains("no user nobody");

    // Another tenant's path does not reach this import, to read, change or start it.
    operator.tenant("imp-other");
    assertThat(http.get("/admin/api/v1/tenants/imp-other/binding_imports/" + id, TOKEN).status())
        .isEqualTo(404);
    assertThat(
            http.json(
                    "PATCH",
                    "/admin/api/v1/tenants/imp-other/binding_imports/" + id + "/rows/1",
                    TOKEN,
                    Map.of("dropped", true))
                .status())
        .isEqualTo(404);
    assertThat(
            http.send(
                    "POST",
                    "/admin/api/v1/tenants/imp-other/binding_imports/" + id + "/start",
                    TOKEN,
                    null,
                    null)
                .status())
        .isEqualTo(404);
    String rowPath = "/admin/api/v1/tenants/imp/binding_imports/" + id + "/rows/";
    ok(http.json("PATCH", rowPath + (n + 3), TOKEN, Map.of("user_id", "twin2")), 200);
    ok(http.json("PATCH", rowPath + 2, TOKEN, Map.of("dropped", true)), 200);
    assertThat(http.json("PATCH", rowPath + (n + 4), TOKEN, Map.of("user_id", "ghost")).status())
        .isEqualTo(400);
    assertThat(http.json("PATCH", rowPath + 99999, TOKEN, Map.of("dropped", true)).status())
        .isEqualTo(404);

    // Started twice: the second start binds nothing again.
    for (int start = 0; start < 2; start++) {
      ok(
          http.send(
              "POST",
              "/admin/api/v1/tenants/imp/binding_imports/" + id + "/start",
              TOKEN,
              null,
              null),
          202);
    }
    Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () ->
                ok(http.get("/admin/api/v1/tenants/imp/binding_imports/" + id, TOKEN), 200)
                    .get("state")
                    .asString()
                    .equals("finished"));
    JsonNode done = ok(http.get("/admin/api/v1/tenants/imp/binding_imports/" + id, TOKEN), 200);
    assertThat(done.get("counts").get("not_started").asInt()).isZero();
    assertThat(done.get("counts").get("refused").asInt()).isZero();
    assertThat(done.get("counts").get("doing").asInt()).isEqualTo(n - 1 + 1);
    assertThat(done.get("counts").get("dropped").asInt()).isEqualTo(1);
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from exchange_binding where tenant_key = 'imp'")
                .query(Integer.class)
                .single())
        .isEqualTo(n);
    assertThat(
            server
                .jdbc()
                .sql(
                    "select count(*) from sync_job j join exchange_binding b on b.id = j.binding_id where b.tenant_key = 'imp'")
                .query(Integer.class)
                .single())
        .isEqualTo(n);
    assertThat(
            ok(http.get("/admin/api/v1/tenants/imp/binding_imports", TOKEN), 200)
                .get("imports")
                .get(0)
                .get("id")
                .asString())
        .isEqualTo(id);
  }

  /** An import whose instance died while binding is taken up by one that lives on. */
  @Test
  void anImportLeftRunningByADeadInstanceIsTakenUp() {
    operator.tenant("stall");
    operator.ewsAdminAccount("stall", "admin@stall.test");
    operator.user("stall", "alice", false, "active");
    var now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    server
        .jdbc()
        .sql(
            "insert into binding_import (id, tenant_key, admin_account, state, created_at,"
                + " started_at) values ('imp_dead', 'stall', 'admin@stall.test', 'running', ?, ?)")
        .params(now.minusMinutes(10), now.minusMinutes(10))
        .update();
    server
        .jdbc()
        .sql(
            "insert into binding_import_row (import_id, row_no, exchange_account, user_id,"
                + " match_kind, dropped) values ('imp_dead', 1, 'alice@stall.test', 'alice',"
                + " 'user_id', false)")
        .update();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ok(http.get("/admin/api/v1/tenants/stall/binding_imports/imp_dead", TOKEN), 200)
                    .get("state")
                    .asString()
                    .equals("finished"));
    JsonNode row =
        ok(http.get("/admin/api/v1/tenants/stall/binding_imports/imp_dead", TOKEN), 200)
            .get("rows")
            .get(0);
    assertThat(row.get("outcome").asString()).isEqualTo("bound");
    assertThat(row.get("status").asString()).isEqualTo("doing");
  }

  @Test
  void importsRefuseWhatTheyCannotReadInWords() {
    operator.tenant("bad");
    operator.ewsAdminAccount("bad", "admin@bad.test");
    String path = "/admin/api/v1/tenants/bad/binding_imports?admin_account=admin@bad.test";
    assertThat(detail(http.send("POST", path, TOKEN, "text/csv", "email,user_id\nx@y.z,\n")))
        .contains("exchange_account");
    assertThat(detail(http.send("POST", path, TOKEN, "text/csv", "exchange_account\n")))
        .contains("no rows");
    assertThat(detail(http.send("POST", path, TOKEN, "text/csv", "exchange_account\n\"unclosed\n")))
        .contains("not a readable CSV");
    Http.Reply notUtf8 =
        http.sendBytes(
            "POST", path, TOKEN, "text/csv", new byte[] {'a', ',', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThat(notUtf8.status()).isEqualTo(400);
    assertThat(notUtf8.json().get("detail").asString()).contains("UTF-8");
    assertThat(
            detail(
                http.send(
                    "POST",
                    "/admin/api/v1/tenants/bad/binding_imports?admin_account=other@x.test",
                    TOKEN,
                    "text/csv",
                    "exchange_account\na@b.c\n")))
        .contains("is not bound in tenant bad");
    StringBuilder big = new StringBuilder("exchange_account\n");
    while (big.length() < 5 * 1024 * 1024) {
      big.append("someone.with.a.long.name@exchange.example.test\n");
    }
    assertThat(http.send("POST", path, TOKEN, "text/csv", big.toString()).status()).isEqualTo(413);
    assertThat(http.send("POST", path, null, "text/csv", "exchange_account\na@b.c\n").status())
        .isEqualTo(401);
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from binding_import where tenant_key = 'bad'")
                .query(Integer.class)
                .single())
        .isZero();
  }

  private static String detail(Http.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    return reply.json().get("detail").asString();
  }

  /** The console's three files are the only operator paths served without the token. */
  @Test
  void theConsoleFilesAloneAreServedWithoutTheToken() {
    Http.Reply page = http.get("/admin/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.body()).contains("/admin/console.js").doesNotContain(TOKEN);
    assertThat(http.get("/admin/console.js", null).header("Content-Type"))
        .startsWith("text/javascript");
    assertThat(http.get("/admin/console.css", null).status()).isEqualTo(200);
    assertThat(http.get("/admin", null).status()).isEqualTo(301);
    for (String path :
        List.of(
            "/admin/console.js?x=1",
            "/Admin/",
            "/admin/index.html",
            "/admin/console.js%2f..%2fapi/v1/tenants",
            "/admin/api/v1/tenants",
            "/admin/api/v1/tenants/x/binding_imports")) {
      assertThat(http.get(path, null).status()).as(path).isIn(400, 401);
    }
    assertThat(http.send("POST", "/admin/", null, "text/plain", "x").status()).isEqualTo(401);
  }

  @Test
  void problemDetailsSayWhatHappenedWithoutThePlatformsPrefix() {
    Http.Reply missing = http.get("/admin/api/v1/nothing-here", TOKEN);
    Http.Reply wrongMethod =
        http.send("PATCH", "/admin/api/v1/tenants", TOKEN, "application/json", "{}");
    Http.Reply wrongType = http.send("POST", "/admin/api/v1/tenants", TOKEN, "text/plain", "x");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongType.status()).isEqualTo(415);
    Http.Reply noId = http.send("DELETE", "/admin/api/v1/bindings", TOKEN, null, null);
    assertThat(noId.status()).isEqualTo(404);
    assertThat(noId.json().get("detail").asString()).contains("{exchange_binding_id}");
    for (Http.Reply r : List.of(missing, wrongMethod, wrongType, noId)) {
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asString()).doesNotContain("invalid parameters in request");
    }
  }

  @Test
  void aFailedAdminAccountTellsTheCallerWhereTheOperatorFixesIt() {
    Operator.Staffed staffed = operator.staffedTenant("fail", "alice");
    operator.ewsAdminAccount("fail", "admin@fail.test");
    server
        .bean(org.exbridge.adminaccount.AdminAccounts.class)
        .recordCheck("admin@fail.test", false, "HTTP 401");
    Http.Reply refused =
        http.json(
            "POST",
            "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id",
            staffed.bossToken(),
            Map.of(
                "admin_account",
                "admin@fail.test",
                "exchange_account",
                "a@fail.test",
                "user_id",
                "alice"));
    assertThat(refused.json().get("code").asInt()).isEqualTo(195105);
    assertThat(refused.json().get("msg").asString())
        .contains("/admin/")
        .contains("/admin/api/v1/tenants/fail/exchange_admin_accounts/admin@fail.test")
        .doesNotContain("bind it again");
  }

  /** Every route the server answers is in the description, and nothing else is. */
  @Test
  void theOpenApiDescriptionMatchesTheRoutes() {
    JsonNode doc = ok(http.get("/v3/api-docs", null), 200);
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    Set<String> described = new TreeSet<>();
    doc.get("paths")
        .properties()
        .forEach(
            e ->
                e.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (Set.of("get", "put", "post", "delete", "patch")
                              .contains(op.getKey())) {
                            described.add(op.getKey().toUpperCase() + " " + e.getKey());
                          }
                        }));
    Set<String> routes = new TreeSet<>();
    RequestMappingHandlerMapping mapping =
        server.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    mapping
        .getHandlerMethods()
        .forEach(
            (info, method) -> {
              if (!method.getBeanType().getPackageName().startsWith("org.exbridge")
                  || method.getBeanType().getSimpleName().equals("ConsoleController")
                  || method.getBeanType().getSimpleName().equals("JsonErrorController")) {
                return;
              }
              for (String path : info.getPatternValues()) {
                for (var m : info.getMethodsCondition().getMethods()) {
                  routes.addAll(named(m.name(), path));
                }
              }
            });
    assertThat(routes).isNotEmpty();
    assertThat(described).isEqualTo(routes);
    assertThat(doc.at("/components/securitySchemes/operatorToken/scheme").asString())
        .isEqualTo("bearer");
  }

  /** A route as the description names it: the binding handlers take the rest of the path. */
  private static List<String> named(String method, String path) {
    if (path.equals("/admin/api/v1/bindings/**")) {
      return List.of(
          method.equals("POST")
              ? "POST /admin/api/v1/bindings/{exchange_binding_id}/resync"
              : method + " /admin/api/v1/bindings/{exchange_binding_id}");
    }
    if (path.equals("/open-apis/calendar/v4/exchange_bindings/**")) {
      return List.of(method + " /open-apis/calendar/v4/exchange_bindings/{exchange_binding_id}");
    }
    return List.of(method + " " + path);
  }
}
