package org.exbridge.directory;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/** An open-platform app of one tenant, with the scopes it was granted. */
public record App(
    String appId, String tenantKey, String name, Set<String> scopes, Instant createdAt) {
  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  public boolean hasAnyScope(Collection<String> anyOf) {
    return anyOf.stream().anyMatch(scopes::contains);
  }
}
