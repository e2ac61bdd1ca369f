package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.service.calendar.v4.model.CreateExchangeBindingResp;
import com.lark.oapi.service.calendar.v4.model.DeleteExchangeBindingResp;
import com.lark.oapi.service.calendar.v4.model.GetExchangeBindingResp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;

/** Create, get and delete through the official SDK, as integrators call them. */
abstract class BindingLifecycleContract extends ExchangeBindingApiContract {

  @Test
  void createReturnsTheBindingInDoingWithTheDocumentedId() throws Exception {
    String mailbox = newMailbox();
    CreateExchangeBindingResp created = bind(mailbox, aliceOpenId);

    assertThat(created.getCode()).isZero();
    assertThat(created.getMsg()).isEqualTo("success");
    assertThat(created.getData().getStatus()).isEqualTo("doing");
    assertThat(created.getData().getAdminAccount()).isEqualTo(ADMIN);
    assertThat(created.getData().getExchangeAccount()).isEqualTo(mailbox);
    assertThat(created.getData().getUserId()).isEqualTo(aliceOpenId);
    assertThat(created.getData().getExchangeBindingId()).isEqualTo(bindingId(ADMIN, mailbox));
    assertThat(created.getRequestId()).isNotBlank();
  }

  @Test
  void createEnqueuesTheSyncJobWithTheBinding() throws Exception {
    String mailbox = newMailbox();
    bind(mailbox, aliceOpenId);

    long bindingRow =
        server
            .jdbc()
            .sql("select id from exchange_binding where exchange_account = ?")
            .param(mailbox)
            .query(Long.class)
            .single();
    assertThat(
            server
                .jdbc()
                .sql("select count(*) from sync_job where binding_id = ?")
                .param(bindingRow)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void getReturnsTheBindingInEachUserIdType() throws Exception {
    String mailbox = newMailbox();
    String id = bind(mailbox, aliceOpenId).getData().getExchangeBindingId();

    GetExchangeBindingResp byDefault = get(bossToken, id, null);
    assertThat(byDefault.success()).as(byDefault.getMsg()).isTrue();
    assertThat(byDefault.getData().getUserId()).isEqualTo(aliceOpenId);
    assertThat(byDefault.getData().getStatus()).isEqualTo("doing");
    assertThat(byDefault.getData().getExchangeBindingId()).isEqualTo(id);
    assertThat(get(bossToken, id, "union_id").getData().getUserId()).isEqualTo(aliceUnionId);
    assertThat(get(bossToken, id, "user_id").getData().getUserId()).isEqualTo("alice");
    assertThat(get(bossToken, id, "open_id").getRequestId()).isNotBlank();
  }

  @Test
  void createAcceptsEachUserIdType() throws Exception {
    CreateExchangeBindingResp byUnion =
        create(bossToken, "union_id", ADMIN, newMailbox(), aliceUnionId);
    CreateExchangeBindingResp byUserId = create(bossToken, "user_id", ADMIN, newMailbox(), "bob");

    assertThat(byUnion.getData().getUserId()).isEqualTo(aliceUnionId);
    assertThat(byUserId.getData().getUserId()).isEqualTo("bob");
    assertThat(
            get(bossToken, byUserId.getData().getExchangeBindingId(), null).getData().getUserId())
        .isEqualTo(bobOpenId);
  }

  @Test
  void createIsIdempotentForTheSameTriple() throws Exception {
    String mailbox = newMailbox();
    CreateExchangeBindingResp first = bind(mailbox, aliceOpenId);
    CreateExchangeBindingResp again = bind(mailbox, aliceOpenId);

    assertThat(again.getData().getExchangeBindingId())
        .isEqualTo(first.getData().getExchangeBindingId());
    assertThat(bindingsOf(mailbox)).isEqualTo(1);
  }

  @Test
  void anAccountBoundToAnotherUserIsRefusedUntilUnbound() throws Exception {
    String mailbox = newMailbox();
    String id = bind(mailbox, aliceOpenId).getData().getExchangeBindingId();

    CreateExchangeBindingResp refused = create(bossToken, null, ADMIN, mailbox, bobOpenId);
    assertThat(refused.getCode()).isEqualTo(190002);
    assertThat(refused.getMsg()).contains("already bound");

    DeleteExchangeBindingResp deleted = delete(bossToken, id);
    assertThat(deleted.success()).as(deleted.getMsg()).isTrue();
    CreateExchangeBindingResp rebound = create(bossToken, null, ADMIN, mailbox, bobOpenId);
    assertThat(rebound.success()).as(rebound.getMsg()).isTrue();
    assertThat(rebound.getData().getUserId()).isEqualTo(bobOpenId);
  }

  @Test
  void theSameAddressIsBoundInTwoTenantsWithoutEitherLearningOfTheOther() throws Exception {
    String mailbox = newMailbox();
    String acmeId = bind(mailbox, aliceOpenId).getData().getExchangeBindingId();

    OtherTenant otherTenant = otherTenant("carol");
    CreateExchangeBindingResp other =
        create(
            otherTenant.sdk(),
            otherTenant.chiefToken(),
            "open_id",
            OTHER_TENANT_ADMIN,
            mailbox,
            otherTenant.userOpenId());

    assertThat(other.success()).as(other.getMsg()).isTrue();
    assertThat(other.getData().getExchangeBindingId()).isNotEqualTo(acmeId);
    assertThat(other.getMsg()).doesNotContain("already bound");
    // Each tenant sees its own binding and not the other's.
    assertThat(get(bossToken, acmeId, null).getData().getUserId()).isEqualTo(aliceOpenId);
    assertThat(get(bossToken, other.getData().getExchangeBindingId(), null).getCode())
        .isEqualTo(195103);
    // Inside a tenant the documented rule stays.
    CreateExchangeBindingResp refused = create(bossToken, null, ADMIN, mailbox, bobOpenId);
    assertThat(refused.getCode()).isEqualTo(190002);
    // Unbinding in one tenant leaves the other's binding.
    assertThat(delete(bossToken, acmeId).success()).isTrue();
    assertThat(bindingsOf(mailbox)).isEqualTo(1);
  }

  @Test
  void racingCreatesAndDeletesNeverAnswerAServerError() throws Exception {
    String mailbox = newMailbox();
    String id = bindingId(ADMIN, mailbox);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean creating = i % 2 == 0;
      calls.add(
          () -> {
            start.await();
            return creating
                ? create(bossToken, null, ADMIN, mailbox, aliceOpenId).getCode()
                : delete(bossToken, id).getCode();
          });
    }
    List<Integer> codes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
      List<Future<Integer>> futures = calls.stream().map(pool::submit).toList();
      start.countDown();
      for (Future<Integer> f : futures) {
        codes.add(f.get());
      }
    }
    // success, not found after a delete won, or the documented retry hint; never 190003.
    assertThat(codes).doesNotContain(190003).allMatch(c -> c == 0 || c == 195103 || c == 190002);
    assertThat(bindingsOf(mailbox)).isLessThanOrEqualTo(1);
  }

  @Test
  void deleteRemovesTheBindingAndItsJob() throws Exception {
    String mailbox = newMailbox();
    String id = bind(mailbox, aliceOpenId).getData().getExchangeBindingId();
    int jobsBefore = server.count("sync_job");

    assertThat(delete(bossToken, id).getCode()).isZero();

    assertThat(get(bossToken, id, null).getCode()).isEqualTo(195103);
    assertThat(delete(bossToken, id).getCode()).isEqualTo(195103);
    assertThat(server.count("sync_job")).isEqualTo(jobsBefore - 1);
  }

  @Test
  void fiftyConcurrentCreatesForOneAccountLeaveOneBinding() throws Exception {
    String mailbox = newMailbox();
    List<String> users = List.of(aliceOpenId, bobOpenId);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<CreateExchangeBindingResp>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String user = users.get(i % 2);
      calls.add(
          () -> {
            start.await();
            return create(bossToken, null, ADMIN, mailbox, user);
          });
    }
    List<CreateExchangeBindingResp> replies = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
      List<Future<CreateExchangeBindingResp>> futures = calls.stream().map(pool::submit).toList();
      start.countDown();
      for (Future<CreateExchangeBindingResp> f : futures) {
        replies.add(f.get());
      }
    }

    assertThat(bindingsOf(mailbox)).isEqualTo(1);
    assertThat(
            server
                .jdbc()
                .sql(
                    "select count(*) from sync_job j join exchange_binding b on b.id = j.binding_id"
                        + " where b.exchange_account = ?")
                .param(mailbox)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    String winner = get(bossToken, bindingId(ADMIN, mailbox), null).getData().getUserId();
    for (CreateExchangeBindingResp reply : replies) {
      if (reply.success()) {
        assertThat(reply.getData().getUserId()).isEqualTo(winner);
      } else {
        assertThat(reply.getCode()).as(reply.getMsg()).isEqualTo(190002);
      }
    }
    assertThat(replies.stream().filter(CreateExchangeBindingResp::success)).hasSize(25);
  }

  @Test
  void idsHoldingSlashAndPlusReachTheHandlerUnencodedAndEncoded() throws Exception {
    String mailbox = mailboxWhoseIdHas('/', '+');
    String id = bind(mailbox, aliceOpenId).getData().getExchangeBindingId();
    assertThat(id).contains("/").contains("+");

    GetExchangeBindingResp viaSdk = get(bossToken, id, null);
    assertThat(viaSdk.success()).as(viaSdk.getMsg()).isTrue();
    assertThat(viaSdk.getData().getExchangeAccount()).isEqualTo(mailbox);

    String encoded = id.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D");
    Http.Reply raw = http.get(ExchangeBindingController.PATH + "/" + encoded, bossToken);
    assertThat(raw.status()).as(raw.body()).isEqualTo(200);
    assertThat(raw.json().get("data").get("exchange_account").asString()).isEqualTo(mailbox);

    assertThat(delete(bossToken, id).success()).isTrue();
  }

  @Test
  void getAndDeleteIgnoreAnEmptyJsonBody() throws Exception {
    String id = bind(newMailbox(), aliceOpenId).getData().getExchangeBindingId();

    Http.Reply got =
        http.send(
            "GET", ExchangeBindingController.PATH + "/" + id, bossToken, "application/json", "{}");
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    Http.Reply deleted =
        http.send(
            "DELETE",
            ExchangeBindingController.PATH + "/" + id,
            bossToken,
            "application/json",
            "{}");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json().get("data").isObject()).isTrue();
    assertThat(deleted.json().get("data").size()).isZero();
  }

  @Test
  void emailFieldsNeedTheEmailFieldScope() throws Exception {
    Operator.AppCredentials narrow =
        operator.app("acme", List.of("calendar:calendar", "calendar:calendar:readonly"));
    String token = operator.userToken("acme", "boss", narrow.appId());
    String aliceForNarrow =
        server
            .jdbc()
            .sql("select open_id from user_open_id where app_id = ? and user_id = 'alice'")
            .param(narrow.appId())
            .query(String.class)
            .single();

    Http.Reply created =
        http.json(
            "POST",
            ExchangeBindingController.PATH,
            token,
            Map.of(
                "admin_account",
                ADMIN,
                "exchange_account",
                newMailbox(),
                "user_id",
                aliceForNarrow));

    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().get("data").has("admin_account")).isFalse();
    assertThat(created.json().get("data").has("exchange_account")).isFalse();
    assertThat(created.json().get("data").get("user_id").asString()).isEqualTo(aliceForNarrow);
  }

  @Test
  void everyResponseCarriesALogId() throws Exception {
    assertThat(http.get("/open-apis/nowhere", bossToken).header("X-Tt-Logid")).isNotBlank();
    assertThat(get(bossToken, "bm90IGFuIGlk", null).getRequestId()).isNotBlank();
    assertThat(bind(newMailbox(), aliceOpenId).getRequestId()).matches("\\d{14}[0-9A-F]{20}");
  }

  /** A mailbox address whose binding id, with {@link #ADMIN}, contains both characters. */
  static String mailboxWhoseIdHas(char a, char b) {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "abc?~>";
    for (int i = 0; i < 100_000; i++) {
      StringBuilder local = new StringBuilder();
      for (int c = 0; c < 8; c++) {
        local.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = local + "@exchange.test";
      String id =
          Base64.getEncoder()
              .encodeToString((ADMIN + " " + candidate).getBytes(StandardCharsets.UTF_8));
      if (id.indexOf(a) >= 0 && id.indexOf(b) >= 0) {
        return candidate;
      }
    }
    throw new IllegalStateException("no such address found");
  }

  private int bindingsOf(String mailbox) {
    return server
        .jdbc()
        .sql("select count(*) from exchange_binding where exchange_account = ?")
        .param(mailbox)
        .query(Integer.class)
        .single();
  }
}
