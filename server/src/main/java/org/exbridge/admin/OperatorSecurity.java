package org.exbridge.admin;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.exbridge.console.ConsoleController;
import org.exbridge.openapi.EdgeErrors;
import org.exbridge.openapi.ErrorCode;
import org.exbridge.openapi.OpenApiException;
import org.exbridge.openapi.OperatorPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request security by Spring Security: the operator API ({@code /admin/**}, in any spelling that
 * {@link OperatorPaths} recognises) needs {@code Authorization: Bearer <operator token>}; the open
 * platform API authenticates its own tokens and is passed through. Spring Security's firewall
 * refuses paths that are not in canonical form ({@code ;}, {@code //}, {@code /./}, {@code %25},
 * encoded dots) before any router sees them; encoded slashes are allowed, since binding ids are
 * base64 and clients may send {@code %2F}.
 */
@Configuration(proxyBeanMethods = false)
class OperatorSecurity {
  private static final Logger log = LoggerFactory.getLogger(OperatorSecurity.class);
  static final String ROLE = "OPERATOR";

  /** Every spelling of an operator path, but the console's own files (which hold no data). */
  private static final RequestMatcher OPERATOR =
      request -> OperatorPaths.isOperator(request) && !ConsoleController.isConsoleFile(request);

  @Bean
  OperatorAttempts operatorAttempts(
      @Value("${exbridge.operator.failed-attempts-per-minute:10}") int limit, Clock clock) {
    return new OperatorAttempts(limit, clock);
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, AdminToken token, EdgeErrors errors, OperatorAttempts attempts)
      throws Exception {
    AuthenticationManager checkToken =
        authentication -> {
          if (!token.matches((String) authentication.getCredentials())) {
            throw new BadCredentialsException("the operator token does not match");
          }
          return UsernamePasswordAuthenticationToken.authenticated(
              "operator", null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        };
    AuthenticationFilter bearer =
        new AuthenticationFilter(checkToken, OperatorSecurity::presentedToken);
    bearer.setRequestMatcher(OPERATOR);
    bearer.setSuccessHandler((request, response, authentication) -> {});
    bearer.setFailureHandler(
        (request, response, failure) -> refuse(request, response, errors, attempts, failure));
    http.csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new Throttle(attempts, errors), AuthorizationFilter.class)
        .addFilterBefore(bearer, AuthorizationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(OPERATOR)
                    .hasRole(ROLE)
                    .anyRequest()
                    .permitAll())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, failure) ->
                            refuse(request, response, errors, attempts, failure))
                    .accessDeniedHandler(
                        (request, response, denied) ->
                            errors.writeProblem(
                                request, response, 403, "the operator role is required")));
    return http.build();
  }

  /** Spring Security's firewall, with encoded slashes allowed for base64 binding ids. */
  @Bean
  HttpFirewall httpFirewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowUrlEncodedSlash(true);
    // Tomcat passes %2F through undecoded (see TomcatConfiguration), so a decoded path may hold
    // '%'. Double encoding cannot smuggle an operator path past OperatorPaths, which decodes
    // until nothing changes.
    firewall.setAllowUrlEncodedPercent(true);
    return firewall;
  }

  /**
   * A refused URL answers in JSON: an operator path without the token gets 401 like any other
   * spelling of it; everything else 400.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler(
      AdminToken token, EdgeErrors errors, OperatorAttempts attempts) {
    return (request, response, rejected) -> {
      if (OperatorPaths.isOperator(request)) {
        if (!token.matches(presentedTokenValue(request))) {
          refuse(request, response, errors, attempts, null);
          return;
        }
        errors.writeProblem(request, response, 400, "the request URL is not in canonical form");
        return;
      }
      errors.write(
          request,
          response,
          400,
          request.getRequestURI().startsWith(EdgeErrors.BINDING_ID_PATH)
              ? OpenApiException.of(ErrorCode.BINDING_ID_INVALID)
              : OpenApiException.invalid("the request URL is not in canonical form"));
    };
  }

  /** The firewall's reason, which names what it refused (never a credential). */
  private static String refusal(RuntimeException rejected) {
    String reason = rejected.getMessage() == null ? "" : rejected.getMessage();
    if (reason.length() > 300) {
      reason = reason.substring(0, 300) + "…";
    }
    return reason.isEmpty() ? "the request was refused" : reason;
  }

  private static UsernamePasswordAuthenticationToken presentedToken(HttpServletRequest request) {
    String presented = presentedTokenValue(request);
    return presented == null
        ? null
        : UsernamePasswordAuthenticationToken.unauthenticated("operator", presented);
  }

  private static String presentedTokenValue(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim()
        : null;
  }

  private static void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      EdgeErrors errors,
      OperatorAttempts attempts,
      AuthenticationException failure)
      throws IOException {
    String address = request.getRemoteAddr();
    int failures = attempts.fail(address);
    // The presented token is never logged: only that one was there.
    log.warn(
        "operator API: refused {} {} from {} ({}; {} failed attempt(s) in the last minute)",
        request.getMethod(),
        request.getRequestURI(),
        address,
        request.getHeader(HttpHeaders.AUTHORIZATION) == null ? "no token" : "wrong token",
        failures);
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"exbridge-admin\"");
    errors.writeProblem(request, response, 401, "a valid operator token is required");
  }

  /** Refuses operator calls from an address that failed too often in the last minute. */
  private static final class Throttle extends OncePerRequestFilter {
    private final OperatorAttempts attempts;
    private final EdgeErrors errors;

    Throttle(OperatorAttempts attempts, EdgeErrors errors) {
      this.attempts = attempts;
      this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
      return !OperatorPaths.isOperator(request);
    }

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      long wait = attempts.blockedForSeconds(request.getRemoteAddr());
      if (wait > 0) {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        errors.writeProblem(
            request, response, 429, "too many failed operator-token attempts from this address");
        return;
      }
      chain.doFilter(request, response);
    }
  }
}
