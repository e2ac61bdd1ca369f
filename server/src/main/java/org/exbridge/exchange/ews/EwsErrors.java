package org.exbridge.exchange.ews;

import java.time.Duration;
import java.util.Set;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeException.Kind;

/**
 * The one place that decides what an EWS failure means, keyed on the ResponseCode (fault text is
 * localised) and the HTTP status.
 */
final class EwsErrors {
  private static final Set<String> THROTTLED =
      Set.of(
          "ErrorServerBusy",
          "ErrorExceededConnectionCount",
          "ErrorTooManyObjectsOpened",
          "ErrorExceededFindCountLimit",
          "ErrorExceededSubscriptionCount");
  private static final Set<String> RETRYABLE =
      Set.of(
          "ErrorInternalServerError",
          "ErrorInternalServerTransientError",
          "ErrorMailboxStoreUnavailable",
          "ErrorConnectionFailed",
          "ErrorTimeoutExpired",
          "ErrorMailboxMoveInProgress",
          "ErrorBatchProcessingStopped");
  private static final Set<String> CURSOR_LOST = Set.of("ErrorInvalidSyncStateData");
  private static final Set<String> GONE = Set.of("ErrorSyncFolderNotFound", "ErrorFolderNotFound");

  private EwsErrors() {}

  /**
   * A ResponseCode from a SOAP fault or a response message, with the BackOffMilliseconds hint if
   * any.
   */
  static ExchangeException of(String code, String message, Long backOffMillis) {
    Duration delay = backOffMillis == null ? null : Duration.ofMillis(backOffMillis);
    Kind kind;
    if (THROTTLED.contains(code)) {
      kind = Kind.THROTTLED;
    } else if (RETRYABLE.contains(code)) {
      kind = Kind.RETRYABLE;
    } else if (CURSOR_LOST.contains(code)) {
      kind = Kind.CURSOR_LOST;
    } else if (GONE.contains(code)) {
      kind = Kind.CALENDAR_GONE;
    } else if ("ErrorIrresolvableConflict".equals(code)) {
      kind = Kind.CONFLICT;
    } else if ("ErrorItemNotFound".equals(code)) {
      kind = Kind.ITEM_GONE;
    } else {
      kind = Kind.PERMANENT;
    }
    return new ExchangeException(kind, code, message == null ? code : message, delay);
  }

  /** A reply with no EWS error inside: judged by its status alone. */
  static ExchangeException ofStatus(int status) {
    String code = "HTTP " + status;
    if (status == 401 || status == 403) {
      return new ExchangeException(
          Kind.PERMANENT,
          code,
          "Exchange refused the admin account's credentials (" + status + ")");
    }
    if (status == 503 || status == 429) {
      return new ExchangeException(Kind.THROTTLED, code, "Exchange is busy (" + status + ")");
    }
    if (status >= 500) {
      return new ExchangeException(Kind.RETRYABLE, code, "Exchange failed (" + status + ")");
    }
    if (status == 404) {
      return new ExchangeException(
          Kind.PERMANENT,
          code,
          "no EWS service at this URL (404); the EWS URL usually ends in /EWS/Exchange.asmx,"
              + " as in https://mail.example.com/EWS/Exchange.asmx");
    }
    return new ExchangeException(Kind.PERMANENT, code, "Exchange answered " + status);
  }
}
