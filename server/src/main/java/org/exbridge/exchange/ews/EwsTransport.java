package org.exbridge.exchange.ews;

import java.io.IOException;

/** Sends one SOAP request; authentication is the transport's business. */
public interface EwsTransport {
  record Reply(int status, byte[] body) {}

  /**
   * Posts {@code soap} to the EWS endpoint with {@code X-AnchorMailbox} set to the mailbox.
   *
   * @throws IOException when the server cannot be reached or the connection fails
   */
  Reply post(String soap, String anchorMailbox) throws IOException, InterruptedException;
}
