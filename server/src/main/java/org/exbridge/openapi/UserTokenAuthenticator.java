package org.exbridge.openapi;

import java.time.Clock;
import org.exbridge.directory.AccessTokens;
import org.exbridge.directory.App;
import org.exbridge.directory.TokenKind;
import org.exbridge.directory.User;
import org.springframework.stereotype.Component;

/**
 * Checks a call made with a user_access_token, in the platform's order: the token, the app's rate
 * limits, the app's scopes, then the user behind the token.
 */
@Component
public final class UserTokenAuthenticator {
  private static final String BEARER = "Bearer ";
  private final AccessTokens tokens;
  private final RateLimits limits;
  private final Clock clock;

  UserTokenAuthenticator(AccessTokens tokens, RateLimits limits, Clock clock) {
    this.tokens = tokens;
    this.limits = limits;
    this.clock = clock;
  }

  /** The caller of {@code api}, who must be an active member of the token's tenant. */
  public Caller authenticate(String authorization, OpenApi api) {
    String token = bearer(authorization);
    AccessTokens.Grant grant =
        tokens.find(token).orElseThrow(() -> OpenApiException.of(ErrorCode.TOKEN_INVALID));
    if (!grant.expiresAt().isAfter(clock.instant())) {
      throw OpenApiException.of(ErrorCode.TOKEN_EXPIRED);
    }
    if (grant.kind() != TokenKind.USER) {
      throw OpenApiException.of(ErrorCode.TOKEN_TYPE_NOT_SUPPORTED);
    }
    App app = grant.app();
    limits.admit(app.appId(), api.method());
    if (!app.hasAnyScope(api.scopes())) {
      throw new OpenApiException(
          ErrorCode.SCOPE_MISSING, ErrorCode.SCOPE_MISSING.message().formatted(api.scopes()));
    }
    User user =
        java.util.Optional.ofNullable(grant.user())
            .filter(User::active)
            .orElseThrow(() -> OpenApiException.of(ErrorCode.USER_NOT_IN_TENANT));
    return new Caller(app, user);
  }

  /** As {@link #authenticate}, and the caller must be the tenant's super admin. */
  public Caller authenticateSuperAdmin(String authorization, OpenApi api) {
    Caller caller = authenticate(authorization, api);
    if (!caller.user().superAdmin()) {
      throw OpenApiException.of(ErrorCode.NOT_SUPER_ADMIN);
    }
    return caller;
  }

  private static String bearer(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw OpenApiException.of(ErrorCode.TOKEN_MISSING);
    }
    String token = authorization.substring(BEARER.length()).trim();
    if (token.isEmpty()
        || token.length() > 512
        || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw OpenApiException.of(ErrorCode.TOKEN_MISSING);
    }
    return token;
  }
}
