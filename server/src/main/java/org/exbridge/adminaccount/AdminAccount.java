package org.exbridge.adminaccount;

import java.time.Instant;

/**
 * A tenant's Exchange admin account as bound in the admin console: how to reach Exchange for the
 * mailboxes bound through it. The secret (password or client secret) is not part of this value.
 */
public record AdminAccount(
    String adminAccount,
    String tenantKey,
    Protocol protocol,
    String ewsUrl,
    String username,
    EwsAuth auth,
    String graphUrl,
    String tokenUrl,
    String clientId,
    VerificationStatus status,
    String lastError,
    Instant checkedAt,
    Instant updatedAt) {

  public enum Protocol {
    EWS,
    GRAPH
  }

  public enum EwsAuth {
    BASIC,
    NTLM,
    /** App-only token for EWS on Exchange Online: token_url, client_id and the secret. */
    OAUTH
  }

  public enum VerificationStatus {
    UNVERIFIED,
    OK,
    FAILED
  }
}
