package org.exbridge.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.exbridge.openapi.EdgeErrors;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The second lock: whatever path a request took, a handler of the operator API runs only for a
 * request that Spring Security authenticated as the operator. Should a spelling ever slip past the
 * path check, it ends here with 401.
 */
@Configuration(proxyBeanMethods = false)
class OperatorControllersGuard implements WebMvcConfigurer {
  private static final String OPERATOR_AUTHORITY = "ROLE_" + OperatorSecurity.ROLE;
  private final EdgeErrors errors;

  OperatorControllersGuard(EdgeErrors errors) {
    this.errors = errors;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(
        new HandlerInterceptor() {
          @Override
          public boolean preHandle(
              HttpServletRequest request, HttpServletResponse response, Object handler)
              throws Exception {
            if (!(handler instanceof HandlerMethod method)
                || !method.getBeanType().getPackageName().equals(getClass().getPackageName())
                || isOperator(SecurityContextHolder.getContext().getAuthentication())) {
              return true;
            }
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"exbridge-admin\"");
            errors.writeProblem(request, response, 401, "a valid operator token is required");
            return false;
          }
        });
  }

  private static boolean isOperator(Authentication authentication) {
    return authentication != null
        && authentication.isAuthenticated()
        && authentication.getAuthorities().stream()
            .anyMatch(a -> OPERATOR_AUTHORITY.equals(a.getAuthority()));
  }
}
