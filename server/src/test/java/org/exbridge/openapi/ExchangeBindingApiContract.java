package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.core.request.RequestOptions;
import com.lark.oapi.service.calendar.v4.model.CreateExchangeBindingReq;
import com.lark.oapi.service.calendar.v4.model.CreateExchangeBindingResp;
import com.lark.oapi.service.calendar.v4.model.DeleteExchangeBindingReq;
import com.lark.oapi.service.calendar.v4.model.DeleteExchangeBindingResp;
import com.lark.oapi.service.calendar.v4.model.ExchangeBinding;
import com.lark.oapi.service.calendar.v4.model.GetExchangeBindingReq;
import com.lark.oapi.service.calendar.v4.model.GetExchangeBindingResp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The running server, a seeded directory and the official Lark Java SDK as the client. Subclasses
 * pick the database; the tests in them hold on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExchangeBindingApiContract {
  static final String ADMIN = "admin@exchange.test";
  static final String OTHER_TENANT_ADMIN = "admin@other.test";
  static final Map<String, String> NO_LIMITS =
      Map.of(
          "exbridge.rate-limit.method-per-second", "1000000",
          "exbridge.rate-limit.method-per-minute", "1000000",
          "exbridge.rate-limit.app-per-second", "1000000");
  private static final AtomicInteger MAILBOXES = new AtomicInteger();

  Path dataDir;
  ExbridgeServer server;
  Http http;
  Operator operator;
  Operator.AppCredentials app;
  Client sdk;
  String bossToken;
  String aliceOpenId;
  String aliceUnionId;
  String bobOpenId;

  abstract Database database();

  Map<String, String> settings() {
    return NO_LIMITS;
  }

  @BeforeAll
  void startServer() throws java.io.IOException {
    dataDir = java.nio.file.Files.createTempDirectory("exbridge-it");
    server = ExbridgeServer.start(database().fresh(dataDir), dataDir, null, settings());
    http = new Http(server.baseUrl());
    operator = new Operator(server.baseUrl());
    operator.tenant("acme");
    app = operator.app("acme", Operator.ALL_SCOPES);
    operator.user("acme", "boss", true, "active");
    JsonNode alice = operator.user("acme", "alice", false, "active");
    aliceOpenId = alice.get("open_ids").get(app.appId()).asString();
    aliceUnionId = alice.get("union_id").asString();
    bobOpenId =
        operator.user("acme", "bob", false, "active").get("open_ids").get(app.appId()).asString();
    bossToken = operator.userToken("acme", "boss", app.appId());
    operator.ewsAdminAccount("acme", ADMIN);
    operator.tenant("other");
    operator.ewsAdminAccount("other", OTHER_TENANT_ADMIN);
    sdk = Client.newBuilder(app.appId(), app.appSecret()).openBaseUrl(server.baseUrl()).build();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static String newMailbox() {
    return "user" + MAILBOXES.incrementAndGet() + "@exchange.test";
  }

  static String bindingId(String admin, String exchange) {
    return Base64.getEncoder()
        .encodeToString((admin + " " + exchange).getBytes(StandardCharsets.UTF_8));
  }

  RequestOptions as(String userToken) {
    return RequestOptions.newBuilder().userAccessToken(userToken).build();
  }

  /** The second tenant's app, super admin and one user, as another customer of the server. */
  record OtherTenant(Client sdk, String chiefToken, String userOpenId) {}

  OtherTenant otherTenant(String userId) {
    Operator.AppCredentials otherApp = operator.app("other", Operator.ALL_SCOPES);
    operator.user("other", "chief", true, "active");
    String openId =
        operator
            .user("other", userId, false, "active")
            .get("open_ids")
            .get(otherApp.appId())
            .asString();
    return new OtherTenant(
        Client.newBuilder(otherApp.appId(), otherApp.appSecret())
            .openBaseUrl(server.baseUrl())
            .build(),
        operator.userToken("other", "chief", otherApp.appId()),
        openId);
  }

  CreateExchangeBindingResp create(
      String token, String userIdType, String admin, String exchange, String userId)
      throws Exception {
    return create(sdk, token, userIdType, admin, exchange, userId);
  }

  CreateExchangeBindingResp create(
      Client client, String token, String userIdType, String admin, String exchange, String userId)
      throws Exception {
    CreateExchangeBindingReq.Builder request =
        CreateExchangeBindingReq.newBuilder()
            .exchangeBinding(
                ExchangeBinding.newBuilder()
                    .adminAccount(admin)
                    .exchangeAccount(exchange)
                    .userId(userId)
                    .build());
    if (userIdType != null) {
      request.userIdType(userIdType);
    }
    return client.calendar().exchangeBinding().create(request.build(), as(token));
  }

  CreateExchangeBindingResp bind(String exchange, String openId) throws Exception {
    CreateExchangeBindingResp created = create(bossToken, "open_id", ADMIN, exchange, openId);
    assertThat(created.success()).as(created.getMsg()).isTrue();
    return created;
  }

  GetExchangeBindingResp get(String token, String id, String userIdType) throws Exception {
    GetExchangeBindingReq.Builder request =
        GetExchangeBindingReq.newBuilder().exchangeBindingId(id);
    if (userIdType != null) {
      request.userIdType(userIdType);
    }
    return sdk.calendar().exchangeBinding().get(request.build(), as(token));
  }

  DeleteExchangeBindingResp delete(String token, String id) throws Exception {
    return sdk.calendar()
        .exchangeBinding()
        .delete(DeleteExchangeBindingReq.newBuilder().exchangeBindingId(id).build(), as(token));
  }
}
