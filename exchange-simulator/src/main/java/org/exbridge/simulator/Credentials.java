package org.exbridge.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call: the EWS admin account (Basic), and the Graph app, which trades its client
 * credentials for bearer tokens at the token endpoint.
 */
final class Credentials {
  static final String EWS_USER = "admin@exchange.test";
  static final String EWS_PASSWORD = "secret";
  static final String GRAPH_CLIENT_ID = "sim-client";
  static final String GRAPH_CLIENT_SECRET = "sim-secret";
  static final long TOKEN_SECONDS = 3599;

  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Ntlm ntlm = new Ntlm(EWS_USER, EWS_PASSWORD);
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  Credentials(Clock clock) {
    this.clock = clock;
  }

  Ntlm ntlm() {
    return ntlm;
  }

  boolean ewsAllows(String authorization) {
    if (graphAllows(authorization)) {
      // an app-only token, as EWS on Exchange Online takes (full_access_as_app)
      return true;
    }
    String[] basic = basic(authorization);
    if (basic == null) {
      return false;
    }
    String user = basic[0];
    String login = user.contains("\\") ? user.substring(user.indexOf('\\') + 1) : user;
    return (login.equalsIgnoreCase(EWS_USER) || login.equalsIgnoreCase("admin"))
        && basic[1].equals(EWS_PASSWORD);
  }

  /** The user and password of a Basic Authorization header, or null for any other. */
  static String[] basic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String pair =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A new bearer token, or null when the client credentials are wrong. */
  String issueGraphToken(String clientId, String clientSecret) {
    if (!GRAPH_CLIENT_ID.equals(clientId) || !GRAPH_CLIENT_SECRET.equals(clientSecret)) {
      return null;
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token =
        "eyJ0eXAiOiJKV1QiLCJzaW0iOnRydWV9."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.put(token, clock.instant().plusSeconds(TOKEN_SECONDS));
    return token;
  }

  boolean graphAllows(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    Instant expiry = tokens.get(authorization.substring(7).trim());
    return expiry != null && expiry.isAfter(clock.instant());
  }

  /** Ends every issued token, as a tenant admin revoking consent would. */
  void revokeGraphTokens() {
    tokens.clear();
  }
}
