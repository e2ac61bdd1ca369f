package org.exbridge.openapi;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Gives every request a log id, returned as {@code X-Tt-Logid} and carried in the logs. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
final class LogIdFilter extends OncePerRequestFilter {
  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String logId = LogIds.next();
    request.setAttribute(LogIds.ATTRIBUTE, logId);
    response.setHeader(LogIds.HEADER, logId);
    MDC.put("logId", logId);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("logId");
    }
  }
}
