package org.exbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.exbridge.exchange.ews.EwsClient;
import org.exbridge.exchange.ews.JdkEwsTransport;
import org.exbridge.exchange.ews.NtlmEwsTransport;
import org.exbridge.exchange.graph.GraphClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exchange answers as a hostile or broken server would: every call ends within its deadline and its
 * size cap, as a classified failure that says what happened, with the connection dropped.
 */
class HostileExchangeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final long CAP = 4L << 20;
  private static final String MAILBOX = "user1@exchange.test";
  private static final String TOKEN_JSON =
      "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t0k3n\"}";
  private final ExchangeHttp http =
      new ExchangeHttp(HttpClient.newHttpClient(), new ExchangeHttp.Limits(DEADLINE, CAP));
  private HostileServer server;
  private HostileServer elsewhere;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  private HostileServer serve(HostileServer.Behaviour behaviour) throws IOException {
    server = new HostileServer("127.0.0.1", behaviour);
    return server;
  }

  private EwsClient ews() {
    return new EwsClient(
        JdkEwsTransport.basic(
            http, URI.create(server.url() + "/EWS/Exchange.asmx"), "admin", "secret", DEADLINE),
        2);
  }

  private GraphClient graph() {
    return new GraphClient(
        http,
        JsonMapper.builder().build(),
        server.url(),
        server.url() + "/tenant/oauth2/v2.0/token",
        "client",
        "secret",
        DEADLINE,
        Clock.systemUTC(),
        RequestObserver.NONE);
  }

  private static ExchangeException failure(Runnable call) {
    long started = System.nanoTime();
    ExchangeException e = catchThrowableOfType(ExchangeException.class, call::run);
    assertThat(e).as("the call must fail with a classified ExchangeException").isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("ended within its deadline")
        .isLessThan(DEADLINE.plusSeconds(3));
    return e;
  }

  /** Blocks until the client closes the connection. */
  private static void stall(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // nothing: the client sends no more
    }
  }

  @Test
  void anEwsBodyThatStallsFailsAtTheDeadlineAsRetryableAndTheConnectionIsDropped()
      throws Exception {
    serve(
        (head, in, out) -> {
          HostileServer.head(out, 200, "text/xml", 100_000);
          out.write("<?xml version=\"1.0\"?><s:Envelope".getBytes(StandardCharsets.UTF_8));
          out.flush();
          stall(in);
        });
    ExchangeException e = failure(() -> ews().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.RETRYABLE);
    assertThat(e.code()).isEqualTo("deadline");
    assertThat(e.getMessage()).contains("did not finish its answer within 2 s");
    await().atMost(5, TimeUnit.SECONDS).until(server::idle);
  }

  @Test
  void anEwsBodyThatTricklesFailsAtTheDeadline() throws Exception {
    serve(
        (head, in, out) -> {
          HostileServer.head(out, 200, "text/xml", -1);
          for (int i = 0; i < 10_000; i++) {
            out.write(' ');
            out.flush();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the slow peer's pace
          }
        });
    ExchangeException e = failure(() -> ews().calendars(MAILBOX));
    assertThat(e.code()).isEqualTo("deadline");
    await().atMost(5, TimeUnit.SECONDS).until(server::idle);
  }

  @Test
  void anEwsAnswerOfTwoHundredMegabytesStopsAtTheCap() throws Exception {
    AtomicLong written = new AtomicLong();
    serve(
        (head, in, out) -> {
          HostileServer.head(out, 200, "text/xml", -1);
          byte[] chunk = new byte[1 << 20];
          java.util.Arrays.fill(chunk, (byte) ' ');
          for (int i = 0; i < 200; i++) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        });
    ExchangeException e = failure(() -> ews().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.RETRYABLE);
    assertThat(e.code()).isEqualTo("too_large");
    assertThat(e.getMessage()).contains("more than 4 MB");
    await().atMost(5, TimeUnit.SECONDS).until(server::idle);
    assertThat(written.get()).isLessThan(200L << 20);
  }

  @Test
  void aDeclaredLengthOverTheCapIsRefusedBeforeReading() throws Exception {
    serve(
        (head, in, out) -> {
          HostileServer.head(out, 200, "text/xml", 200L << 20);
          stall(in);
        });
    ExchangeException e = failure(() -> ews().calendars(MAILBOX));
    assertThat(e.code()).isEqualTo("too_large");
  }

  @Test
  void ntlmCallsHaveTheSameDeadline() throws Exception {
    serve(
        (head, in, out) -> {
          HostileServer.head(out, 200, "text/xml", 100_000);
          out.write("<?xml".getBytes(StandardCharsets.UTF_8));
          out.flush();
          stall(in);
        });
    try (NtlmEwsTransport ntlm =
        new NtlmEwsTransport(
            URI.create(server.url() + "/EWS/Exchange.asmx"),
            "admin",
            "secret",
            DEADLINE,
            2,
            http.limits())) {
      ExchangeException e = failure(() -> new EwsClient(ntlm, 2).calendars(MAILBOX));
      assertThat(e.code()).isEqualTo("deadline");
    }
  }

  @Test
  void anEwsUrlThatAnswersAWebPageSaysSo() throws Exception {
    serve(
        (head, in, out) ->
            HostileServer.reply(
                out,
                200,
                "text/html; charset=utf-8",
                "<!DOCTYPE html><html><body>Outlook Web App</body></html>"));
    ExchangeException e = failure(() -> ews().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.PERMANENT);
    assertThat(e.getMessage())
        .contains("answered an HTML page (text/html; charset=utf-8), not SOAP")
        .contains("/EWS/Exchange.asmx");
  }

  private static void graphAnswers(String head, OutputStream out, String contentType, String page)
      throws IOException {
    if (head.contains("/oauth2/v2.0/token")) {
      HostileServer.reply(out, 200, "application/json", TOKEN_JSON);
    } else {
      HostileServer.reply(out, 200, contentType, page);
    }
  }

  @Test
  void aGraphNextLinkBackToTheSamePageEndsTheRead() throws Exception {
    serve((head, in, out) -> {});
    String self = server.url() + "/v1.0/users/" + MAILBOX.replace("@", "%40") + "/calendars";
    server.behave(
        (head, in, out) ->
            graphAnswers(
                head,
                out,
                "application/json",
                "{\"value\":[],\"@odata.nextLink\":\"" + self + "?page=2\"}"));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.PERMANENT);
    assertThat(e.code()).isEqualTo("PagingLoop");
    assertThat(server.requestHeads()).hasSizeLessThan(5);
  }

  @Test
  void aGraphNextLinkToAnotherHostIsNotFollowedAndGetsNoToken() throws Exception {
    elsewhere =
        new HostileServer(
            "127.0.0.2",
            (head, in, out) -> HostileServer.reply(out, 200, "application/json", "{\"value\":[]}"));
    serve(
        (head, in, out) ->
            graphAnswers(
                head,
                out,
                "application/json",
                "{\"value\":[],\"@odata.nextLink\":\"" + elsewhere.url() + "/v1.0/steal\"}"));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains(elsewhere.url()).contains("no token was sent there");
    assertThat(elsewhere.connections()).isZero();
  }

  @Test
  void aGraphDeltaNextLinkToAnotherHostIsRefusedInTheFullRead() throws Exception {
    elsewhere = new HostileServer("127.0.0.2", (head, in, out) -> stall(in));
    serve(
        (head, in, out) ->
            graphAnswers(
                head,
                out,
                "application/json",
                "{\"value\":[],\"@odata.nextLink\":\"" + elsewhere.url() + "/v1.0/next\"}"));
    ExchangeException e = failure(() -> graph().all(MAILBOX, "cal", null));
    assertThat(e.code()).isEqualTo("ForeignLink");
    ExchangeException resumed =
        failure(() -> graph().all(MAILBOX, "cal", elsewhere.url() + "/v1.0/next"));
    assertThat(resumed.code()).isEqualTo("ForeignLink");
    assertThat(elsewhere.connections()).isZero();
  }

  @Test
  void aGraphDeltaLoopAcrossCallsIsCaught() throws Exception {
    serve((head, in, out) -> {});
    String a = server.url() + "/v1.0/a";
    String b = server.url() + "/v1.0/b";
    server.behave(
        (head, in, out) ->
            graphAnswers(
                head,
                out,
                "application/json",
                "{\"value\":[],\"@odata.nextLink\":\""
                    + (head.contains("/v1.0/a") ? b : a)
                    + "\"}"));
    GraphClient client = graph();
    SourcePage first = client.all(MAILBOX, "cal", null);
    SourcePage second = client.all(MAILBOX, "cal", first.cursor());
    assertThat(first.cursor()).isEqualTo(a);
    assertThat(second.cursor()).isEqualTo(b);
    ExchangeException e = failure(() -> client.all(MAILBOX, "cal", second.cursor()));
    assertThat(e.code()).isEqualTo("PagingLoop");
  }

  @Test
  void malformedGraphJsonIsARetryableFailureNotACrash() throws Exception {
    serve((head, in, out) -> graphAnswers(head, out, "application/json", "{\"value\":[{\"id\":"));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.RETRYABLE);
    assertThat(e.code()).isEqualTo("MalformedJson");
  }

  @Test
  void deeplyNestedGraphJsonIsRefusedNotRecursed() throws Exception {
    String deep = "{\"value\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    serve((head, in, out) -> graphAnswers(head, out, "application/json", deep));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.code()).isEqualTo("MalformedJson");
  }

  @Test
  void aGraphUrlThatAnswersAWebPageSaysSo() throws Exception {
    serve(
        (head, in, out) ->
            graphAnswers(head, out, "text/html", "<html><body>Sign in</body></html>"));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("an HTML page (text/html)").contains("graph_url");
  }

  @Test
  void aTokenEndpointThatAnswersAWebPageSaysSo() throws Exception {
    serve((head, in, out) -> HostileServer.reply(out, 200, "text/html", "<html>login</html>"));
    ExchangeException e = failure(() -> graph().calendars(MAILBOX));
    assertThat(e.kind()).isEqualTo(ExchangeException.Kind.PERMANENT);
    assertThat(e.getMessage()).contains("token endpoint answered text/html");
  }
}
