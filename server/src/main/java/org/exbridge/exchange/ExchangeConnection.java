package org.exbridge.exchange;

/**
 * How to reach Exchange for one admin account: EWS with the admin's credentials (Basic; NTLM is not
 * yet supported and is refused), or Graph with an Entra app's client credentials.
 */
public record ExchangeConnection(
    Protocol protocol,
    String ewsUrl,
    String username,
    String password,
    String graphUrl,
    String tokenUrl,
    String clientId,
    String clientSecret) {

  public enum Protocol {
    EWS_BASIC,
    EWS_NTLM,
    /**
     * EWS on Exchange Online with an app-only token (full_access_as_app), until EWS there ends in
     * 2027.
     */
    EWS_OAUTH,
    GRAPH
  }

  @Override
  public String toString() {
    return "ExchangeConnection["
        + protocol
        + " "
        + (protocol == Protocol.GRAPH ? graphUrl : ewsUrl)
        + "]";
  }
}
