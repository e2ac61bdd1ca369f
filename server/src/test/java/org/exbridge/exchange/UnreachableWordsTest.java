package org.exbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** An Exchange that cannot be reached is reported as such, in words, never as "null". */
class UnreachableWordsTest {
  @Test
  void eachWayOfNotReachingExchangeSaysWhatToCheck() {
    ExchangeException refused =
        ExchangeException.unreachable("Exchange", new IOException(new ConnectException()));
    assertThat(refused.code()).isEqualTo("unreachable");
    assertThat(refused.kind()).isEqualTo(ExchangeException.Kind.RETRYABLE);
    assertThat(refused.getMessage())
        .isEqualTo(
            "cannot reach Exchange: the connection was refused or timed out (check the URL, the"
                + " port and the firewall)")
        .doesNotContain("null");
    assertThat(
            ExchangeException.unreachable("Exchange", new UnknownHostException("mail.contoso.test"))
                .getMessage())
        .contains("unknown host mail.contoso.test");
    assertThat(
            ExchangeException.unreachable(
                    "Exchange", new IOException("x", new SSLHandshakeException("PKIX path")))
                .getMessage())
        .contains("TLS handshake failed: PKIX path");
    assertThat(ExchangeException.unreachable("Exchange", new IOException()).getMessage())
        .isEqualTo("cannot reach Exchange: IOException");
  }
}
