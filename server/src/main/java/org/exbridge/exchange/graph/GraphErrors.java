package org.exbridge.exchange.graph;

import java.time.Duration;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeException.Kind;

/** The one place that decides what a Graph failure means: status first, then Graph's error code. */
final class GraphErrors {
  private GraphErrors() {}

  static ExchangeException of(
      int status, String code, String message, Duration retryAfter, boolean calendarScoped) {
    String word = code == null ? "HTTP " + status : code;
    String text = message == null ? word : message;
    Kind kind;
    if (status == 429) {
      kind = Kind.THROTTLED;
    } else if (status == 412 || "ErrorIrresolvableConflict".equals(code) && status == 409) {
      kind = Kind.CONFLICT;
    } else if (status == 503 || status == 504) {
      kind = retryAfter != null ? Kind.THROTTLED : Kind.RETRYABLE;
    } else if (status >= 500) {
      kind = Kind.RETRYABLE;
    } else if (status == 410
        || "SyncStateNotFound".equalsIgnoreCase(code)
        || "resyncRequired".equalsIgnoreCase(code)) {
      kind = Kind.CURSOR_LOST;
    } else if (status == 404 && calendarScoped && !isMailboxCode(code)) {
      kind = Kind.CALENDAR_GONE;
    } else {
      kind = Kind.PERMANENT;
    }
    return new ExchangeException(kind, word, text, retryAfter);
  }

  private static boolean isMailboxCode(String code) {
    return code != null
        && (code.equals("MailboxNotEnabledForRESTAPI")
            || code.equals("ErrorInvalidUser")
            || code.equals("Request_ResourceNotFound")
            || code.equals("ResourceNotFound"));
  }

  /** Retry-After in seconds (the only form Graph sends), or null. */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
