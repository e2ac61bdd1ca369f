package org.exbridge.binding;

import java.time.Instant;

/** An Exchange account bound, through an admin account, to a user of a tenant. */
public record Binding(
    long id,
    String tenantKey,
    String adminAccount,
    String exchangeAccount,
    String userId,
    BindingStatus status,
    String reason,
    Instant createdAt,
    Instant updatedAt) {

  public String exchangeBindingId() {
    return BindingIdCodec.encode(adminAccount, exchangeAccount);
  }
}
