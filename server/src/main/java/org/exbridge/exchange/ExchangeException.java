package org.exbridge.exchange;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A failure talking to Exchange, classified once per protocol so the sync engine only asks what to
 * do: retry after a delay, resync from scratch, or give up.
 */
public final class ExchangeException extends RuntimeException {
  public enum Kind {
    /** Auth, impersonation, no mailbox, bad configuration: retrying will not help. */
    PERMANENT,
    /** The server asked us to slow down; {@link #retryAfter()} says for how long when it said. */
    THROTTLED,
    /** A passing fault: 5xx, timeouts, connection resets. */
    RETRYABLE,
    /** The saved cursor is no longer valid: read everything again. */
    CURSOR_LOST,
    /** The calendar folder is gone. */
    CALENDAR_GONE,
    /** A write was based on a version of the item that is no longer current (stale change key). */
    CONFLICT,
    /** A write names an item that is no longer there. */
    ITEM_GONE
  }

  private final Kind kind;
  private final String code;
  private final Duration retryAfter;

  public ExchangeException(Kind kind, String code, String message, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public ExchangeException(Kind kind, String code, String message) {
    this(kind, code, message, null);
  }

  /**
   * A request that did not get an answer: a timeout or a connection failure, both worth retrying.
   */
  public static ExchangeException unreachable(String server, IOException e) {
    if (e instanceof HttpTimeoutException) {
      return new ExchangeException(Kind.RETRYABLE, "timeout", server + " did not answer in time");
    }
    return new ExchangeException(
        Kind.RETRYABLE, "io", "cannot reach " + server + ": " + e.getMessage());
  }

  /** The calling thread was interrupted; the flag is set again for the caller to see. */
  public static ExchangeException interrupted() {
    Thread.currentThread().interrupt();
    return new ExchangeException(Kind.RETRYABLE, "interrupted", "interrupted");
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The protocol's own word for the failure: an EWS ResponseCode, a Graph error code or an HTTP
   * status.
   */
  public String code() {
    return code;
  }

  /** The delay the server asked for, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
