package org.exbridge.exchange.ews;

import java.io.IOException;

/** Sends one SOAP request; authentication is the transport's business. */
public interface EwsTransport {
  /** A whole answer; {@code contentType} is lower case, empty when the server sent none. */
  record Reply(int status, String contentType, byte[] body) {
    public Reply(int status, byte[] body) {
      this(status, "text/xml; charset=utf-8", body);
    }
  }

  /**
   * Posts {@code soap} to the EWS endpoint with {@code X-AnchorMailbox} set to the mailbox.
   *
   * @throws IOException when the server cannot be reached or the connection fails
   * @throws org.exbridge.exchange.ExchangeException when the answer breaks the call's limits
   */
  Reply post(String soap, String anchorMailbox) throws IOException, InterruptedException;

  /** An answer whose body is read as it comes (streaming notifications); close it to stop. */
  record Stream(
      int status,
      String contentType,
      java.util.Map<String, String> headers,
      java.io.InputStream body)
      implements java.io.Closeable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** Whether {@link #open} works on this transport. */
  default boolean streams() {
    return false;
  }

  /**
   * Posts {@code soap} with these extra headers and answers as soon as the status and headers are
   * in; the body is read by the caller.
   */
  default Stream open(String soap, String anchorMailbox, java.util.Map<String, String> headers)
      throws IOException, InterruptedException {
    throw new UnsupportedOperationException("this EWS transport does not stream");
  }
}
