package org.exbridge.exchange.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.exbridge.exchange.ExchangeException.Kind;
import org.junit.jupiter.api.Test;

/** One fact per test: what each Graph failure means to the sync engine. */
class GraphErrorsTest {
  @Test
  void tooManyRequestsIsThrottledForAsLongAsAsked() {
    var e = GraphErrors.of(429, "ApplicationThrottled", "x", Duration.ofSeconds(3), true);
    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void serviceUnavailableWithRetryAfterIsThrottled() {
    assertThat(GraphErrors.of(503, null, null, Duration.ofSeconds(1), true).kind())
        .isEqualTo(Kind.THROTTLED);
  }

  @Test
  void gatewayTimeoutWithoutRetryAfterIsRetryable() {
    assertThat(GraphErrors.of(504, null, null, null, true).kind()).isEqualTo(Kind.RETRYABLE);
  }

  @Test
  void goneMeansTheDeltaTokenIsLost() {
    assertThat(GraphErrors.of(410, "SyncStateNotFound", null, null, true).kind())
        .isEqualTo(Kind.CURSOR_LOST);
  }

  @Test
  void anInvalidTokenIsPermanent() {
    assertThat(GraphErrors.of(401, "InvalidAuthenticationToken", null, null, false).kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void accessDeniedIsPermanent() {
    assertThat(GraphErrors.of(403, "ErrorAccessDenied", null, null, true).kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void aMailboxWithoutRestIsPermanentEvenOnACalendarPath() {
    assertThat(GraphErrors.of(404, "MailboxNotEnabledForRESTAPI", null, null, true).kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void aMissingCalendarIsGone() {
    assertThat(GraphErrors.of(404, "ErrorItemNotFound", null, null, true).kind())
        .isEqualTo(Kind.CALENDAR_GONE);
  }

  @Test
  void aServerErrorIsRetryable() {
    assertThat(GraphErrors.of(500, "InternalServerError", null, null, true).kind())
        .isEqualTo(Kind.RETRYABLE);
  }
}
