package org.exbridge.exchange;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private final HttpClient http;
  private final JsonMapper json;
  private final URI tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final String scope;
  private final Clock clock;
  private String token;
  private Instant expiresAt = Instant.MIN;

  public ClientCredentialsTokens(
      HttpClient http,
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
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(tokenUrl)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw ExchangeException.unreachable("the token endpoint", e);
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (RuntimeException e) {
      body = null;
    }
    if (response.statusCode() != 200 || body == null || !body.hasNonNull("access_token")) {
      String code = body == null ? null : body.path("error").asString(null);
      String description = body == null ? null : body.path("error_description").asString(null);
      if (response.statusCode() >= 500 || response.statusCode() == 429) {
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        throw new ExchangeException(
            response.statusCode() == 429
                ? ExchangeException.Kind.THROTTLED
                : ExchangeException.Kind.RETRYABLE,
            code == null ? "HTTP " + response.statusCode() : code,
            description == null ? "the token endpoint failed" : description,
            retryAfter == null || !retryAfter.matches("\\d+")
                ? null
                : Duration.ofSeconds(Long.parseLong(retryAfter)));
      }
      throw new ExchangeException(
          ExchangeException.Kind.PERMANENT,
          code == null ? "HTTP " + response.statusCode() : code,
          description == null ? "the token endpoint refused the client credentials" : description);
    }
    token = body.get("access_token").asString();
    expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(3599));
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
