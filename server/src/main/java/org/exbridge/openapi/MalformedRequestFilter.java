package org.exbridge.openapi;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Content-Type that is no media type is refused (415), and query strings and form bodies are
 * parsed once, up front: a malformed %-escape or bytes that are not UTF-8 ({@code ?a=%}, {@code
 * ?page_token=%ff%fe}) are the caller's mistake, answered 400 in JSON, not an exception deep inside
 * a handler; so is a path with a malformed escape that Tomcat let through inside a {@code ;}
 * parameter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
final class MalformedRequestFilter extends OncePerRequestFilter {
  private final EdgeErrors errors;

  MalformedRequestFilter(EdgeErrors errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!wellEscaped(request.getRequestURI())) {
      boolean bindingPath = request.getRequestURI().startsWith(EdgeErrors.BINDING_ID_PATH);
      errors.write(
          request,
          response,
          400,
          bindingPath
              ? OpenApiException.of(ErrorCode.BINDING_ID_INVALID)
              : OpenApiException.invalid("the path has a malformed %-escape"));
      return;
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && !usable(contentType)) {
      errors.write(
          request,
          response,
          415,
          OpenApiException.invalid("Content-Type is not a media type: send application/json"));
      return;
    }
    try {
      request.getParameterMap();
    } catch (IllegalStateException | IllegalArgumentException malformed) {
      errors.write(
          request,
          response,
          400,
          OpenApiException.invalid(
              "a query or form parameter has a malformed %-escape or is not UTF-8"));
      return;
    }
    chain.doFilter(request, response);
  }

  /** A concrete media type (no wildcard), as every reader of the body expects. */
  private static boolean usable(String contentType) {
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return !type.isWildcardType() && !type.isWildcardSubtype();
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  /** Every '%' is followed by two hex digits (Tomcat does not look inside ';' parameters). */
  static boolean wellEscaped(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length()
          || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
