package org.exbridge.exchange.ews;

import static org.assertj.core.api.Assertions.assertThat;

import org.exbridge.exchange.ExchangeException.Kind;
import org.junit.jupiter.api.Test;

/** One fact per test: what each EWS failure means to the sync engine. */
class EwsErrorsTest {
  @Test
  void impersonationDeniedIsPermanent() {
    assertThat(EwsErrors.of("ErrorImpersonateUserDenied", "无权模拟", null).kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void aMissingMailboxIsPermanent() {
    assertThat(EwsErrors.of("ErrorNonExistentMailbox", "SMTP 地址没有关联的邮箱。", null).kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void serverBusyIsThrottled() {
    assertThat(EwsErrors.of("ErrorServerBusy", "busy", 100L).kind()).isEqualTo(Kind.THROTTLED);
  }

  @Test
  void anInternalServerErrorIsRetryable() {
    assertThat(EwsErrors.of("ErrorInternalServerError", "x", null).kind())
        .isEqualTo(Kind.RETRYABLE);
  }

  @Test
  void aLostSyncFolderMeansTheCalendarIsGone() {
    assertThat(EwsErrors.of("ErrorSyncFolderNotFound", "x", null).kind())
        .isEqualTo(Kind.CALENDAR_GONE);
  }

  @Test
  void unauthorizedIsPermanent() {
    assertThat(EwsErrors.ofStatus(401).kind()).isEqualTo(Kind.PERMANENT);
  }

  @Test
  void serviceUnavailableIsThrottled() {
    assertThat(EwsErrors.ofStatus(503).kind()).isEqualTo(Kind.THROTTLED);
  }

  @Test
  void aBare500IsRetryable() {
    assertThat(EwsErrors.ofStatus(500).kind()).isEqualTo(Kind.RETRYABLE);
  }
}
