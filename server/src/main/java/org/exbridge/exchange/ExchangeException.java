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
        Kind.RETRYABLE, "unreachable", "cannot reach " + server + ": " + why(e));
  }

  /** What went wrong on the way, in words (the JDK leaves some of these without a message). */
  static String why(IOException e) {
    Throwable root = e;
    for (Throwable c = e; c != null; c = c.getCause()) {
      root = c;
      if (c instanceof java.net.ConnectException
          || c instanceof java.net.UnknownHostException
          || c instanceof javax.net.ssl.SSLException
          || c instanceof java.net.NoRouteToHostException) {
        break;
      }
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    if (root instanceof java.net.UnknownHostException) {
      return "unknown host " + message + " (check the URL and DNS)";
    }
    if (root instanceof java.net.NoRouteToHostException) {
      return "no route to the host (check the network and firewall)";
    }
    if (root instanceof java.net.ConnectException) {
      return "the connection was refused or timed out"
          + (message.isEmpty() ? "" : " (" + message + ")")
          + " (check the URL, the port and the firewall)";
    }
    if (root instanceof javax.net.ssl.SSLException) {
      return "the TLS handshake failed"
          + (message.isEmpty() ? "" : ": " + message)
          + " (is the certificate trusted by this JVM?)";
    }
    return message.isEmpty() ? root.getClass().getSimpleName() : message;
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
