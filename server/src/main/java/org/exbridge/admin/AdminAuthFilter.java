package org.exbridge.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.exbridge.openapi.EdgeErrors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Every operator API call must carry {@code Authorization: Bearer <admin token>}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
final class AdminAuthFilter extends OncePerRequestFilter {
  private final AdminToken token;
  private final EdgeErrors errors;

  AdminAuthFilter(AdminToken token, EdgeErrors errors) {
    this.token = token;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(EdgeErrors.ADMIN_PREFIX);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    String presented =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : null;
    if (!token.matches(presented)) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"exbridge-admin\"");
      errors.writeProblem(request, response, 401, "a valid operator token is required");
      return;
    }
    chain.doFilter(request, response);
  }
}
