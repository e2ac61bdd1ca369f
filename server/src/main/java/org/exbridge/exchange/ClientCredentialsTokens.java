package org.exbridge.exchange;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * App-only OAuth tokens by the client-credentials grant (Entra ID), cached until shortly before
 * they expire: for Graph, and for EWS on Exchange Online while it lasts.
 */
public final class ClientCredentialsTokens {
  private static final Duration EARLY = Duration.ofMinutes(5);
  private final ExchangeHttp http;
  private final JsonMapper json;
  private final URI tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final String scope;
  private final Clock clock;
  private String token;
  private Instant expiresAt = Instant.MIN;

  public ClientCredentialsTokens(
      ExchangeHttp http,
      JsonMapper json,
      URI tokenUrl,
      String clientId,
      String clientSecret,
      String scope,
      Clock clock) {
    this.http = http;
    this.json = json;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
    this.clock = clock;
  }

  public synchronized String token() {
    if (token != null && clock.instant().isBefore(expiresAt.minus(EARLY))) {
      return token;
    }
    String form =
        "grant_type=client_credentials&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(clientSecret)
            + "&scope="
            + enc(scope);
    ExchangeHttp.Answer response =
        http.send(
            HttpRequest.newBuilder(tokenUrl)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            "the token endpoint");
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (RuntimeException e) {
      body = null;
    }
    if (body != null && !body.isObject()) {
      body = null;
    }
    if (response.status() == 200 && body == null) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "NotJson",
          "the token endpoint answered "
              + (response.contentType().isEmpty() ? "no content type" : response.contentType())
              + ", not a JSON token: is token_url the OAuth 2.0 token endpoint? It began: "
              + ExchangeHttp.excerpt(response.body()));
    }
    if (response.status() != 200 || !body.hasNonNull("access_token")) {
      String code = body == null ? null : body.path("error").asString(null);
      String description = body == null ? null : body.path("error_description").asString(null);
      if (response.status() >= 500 || response.status() == 429) {
        String retryAfter = response.header("Retry-After");
        throw new ExchangeException(
            response.status() == 429
                ? ExchangeException.Kind.THROTTLED
                : ExchangeException.Kind.RETRYABLE,
            code == null ? "HTTP " + response.status() : code,
            description == null ? "the token endpoint failed" : description,
            retryAfter == null || !retryAfter.matches("\\d{1,6}")
                ? null
                : Duration.ofSeconds(Long.parseLong(retryAfter)));
      }
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          code == null ? "HTTP " + response.status() : code,
          description == null ? "the token endpoint refused the client credentials" : description);
    }
    String issued = body.get("access_token").asString("");
    if (issued.isEmpty()
        || issued.length() > 16_384
        || !issued.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          "BadToken",
          "the token endpoint answered an access_token that cannot be sent in a header");
    }
    token = issued;
    long lifetime = Math.clamp(body.path("expires_in").asLong(3599), 60, 86_400);
    expiresAt = clock.instant().plusSeconds(lifetime);
    return token;
  }

  /** The {@code .default} scope of the resource a URL belongs to. */
  public static String scopeOf(String resourceUrl) {
    URI uri = URI.create(resourceUrl);
    return uri.getScheme() + "://" + uri.getAuthority() + "/.default";
  }

  public synchronized void forget() {
    token = null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
