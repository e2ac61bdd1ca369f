package org.exbridge.push;

import java.time.Duration;

/** How push runs; see {@code exbridge.push.*} in application.yml. */
record PushSettings(
    boolean enabled,
    java.util.function.Supplier<String> publicUrl,
    Duration tick,
    Duration lease,
    Duration debounce,
    int connectionsPerAccount,
    int perConnection,
    Duration connectionTimeout,
    Duration graphLifetime,
    Duration graphRenewBefore) {

  /**
   * Where Graph delivers: the public URL without a trailing slash, or null when none is set. Read
   * when used, so that it may name the port the server came up on ({@code ${local.server.port}}).
   */
  String graphBase() {
    String url;
    try {
      url = publicUrl.get();
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (url == null || url.isBlank() || url.contains("${")) {
      return null;
    }
    String base = url.trim();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
