package org.exbridge.openapi;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Whether a request is for the operator API, decided on the path as any router could see it: every
 * percent-escape decoded (repeatedly, so {@code %2561} counts as {@code a}), {@code ;} parameters
 * removed, {@code .} and {@code ..} resolved, empty segments dropped, letters folded to lower case.
 * The decision errs towards "operator": such a path needs the operator token, so a spelling that no
 * router would take for an operator path loses nothing by being asked for it.
 */
public final class OperatorPaths {
  public static final String PREFIX = "/admin/";
  private static final int MAX_DECODE_ROUNDS = 5;

  private OperatorPaths() {}

  private static final String DECIDED = OperatorPaths.class.getName();

  /** Decided once per request (several filters and the error writers ask). */
  public static boolean isOperator(HttpServletRequest request) {
    if (request.getAttribute(DECIDED) instanceof Boolean decided) {
      return decided;
    }
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String uri = original instanceof String s ? s : request.getRequestURI();
    boolean operator = uri != null && isOperator(uri);
    request.setAttribute(DECIDED, operator);
    return operator;
  }

  /** For a raw request URI (no scheme, host or query). */
  public static boolean isOperator(String rawUri) {
    Deque<String> segments = new ArrayDeque<>();
    for (String raw : decode(rawUri).split("/", -1)) {
      int semicolon = raw.indexOf(';');
      String segment = (semicolon >= 0 ? raw.substring(0, semicolon) : raw).trim();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
        continue;
      }
      segments.addLast(segment.toLowerCase(Locale.ROOT));
    }
    return "admin".equals(segments.peekFirst());
  }

  /** Percent-decoded until nothing changes; backslashes count as slashes. */
  static String decode(String raw) {
    String current = raw;
    for (int round = 0; round < MAX_DECODE_ROUNDS && current.indexOf('%') >= 0; round++) {
      String next = PercentDecoding.decode(current);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current.replace('\\', '/');
  }
}
