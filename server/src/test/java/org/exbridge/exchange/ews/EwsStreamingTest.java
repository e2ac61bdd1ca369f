package org.exbridge.exchange.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.StreamingNotifications;
import org.junit.jupiter.api.Test;

/**
 * The streaming answer as it comes off the wire: envelopes split anywhere, several in one read,
 * errors naming subscriptions, and what a hostile or broken server sends.
 */
class EwsStreamingTest {
  private static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";

  private static String envelope(String message) {
    return "<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap11:Header"
        + " xmlns:soap11=\"http://schemas.xmlsoap.org/soap/envelope/\"/><soap11:Body"
        + " xmlns:soap11=\"http://schemas.xmlsoap.org/soap/envelope/\"><m:GetStreamingEventsResponse"
        + " xmlns:m=\""
        + M
        + "\" xmlns:t=\""
        + T
        + "\"><m:ResponseMessages>"
        + message
        + "</m:ResponseMessages></m:GetStreamingEventsResponse></soap11:Body></Envelope>";
  }

  private static String status(String s) {
    return envelope(
        "<m:GetStreamingEventsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError"
            + "</m:ResponseCode><m:ConnectionStatus>"
            + s
            + "</m:ConnectionStatus></m:GetStreamingEventsResponseMessage>");
  }

  private static String modified(String subscription) {
    return envelope(
        "<m:GetStreamingEventsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError"
            + "</m:ResponseCode><m:Notifications><m:Notification><t:SubscriptionId>"
            + subscription
            + "</t:SubscriptionId><t:ModifiedEvent><t:TimeStamp>2026-11-22T10:00:00Z</t:TimeStamp>"
            + "<t:ItemId Id=\"AAMk\" ChangeKey=\"CQ\"/><t:ParentFolderId Id=\"AAMf\"/>"
            + "</t:ModifiedEvent></m:Notification></m:Notifications>"
            + "</m:GetStreamingEventsResponseMessage>");
  }

  private static String missed(String subscription) {
    return envelope(
        "<m:GetStreamingEventsResponseMessage ResponseClass=\"Error\"><m:MessageText>missed"
            + "</m:MessageText><m:ResponseCode>ErrorMissedNotificationEvents</m:ResponseCode>"
            + "<m:ErrorSubscriptionIds><m:SubscriptionId>"
            + subscription
            + "</m:SubscriptionId></m:ErrorSubscriptionIds></m:GetStreamingEventsResponseMessage>");
  }

  /** A transport whose streaming answer is these bytes, handed out {@code chunk} at a time. */
  private static EwsTransport answering(int status, byte[] body, int chunk) {
    return new EwsTransport() {
      @Override
      public Reply post(String soap, String anchorMailbox) {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean streams() {
        return true;
      }

      @Override
      public Stream open(String soap, String anchorMailbox, Map<String, String> headers) {
        InputStream in =
            new ByteArrayInputStream(body) {
              @Override
              public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
              }
            };
        return new Stream(status, "text/xml; charset=utf-8", Map.of(), in);
      }
    };
  }

  private static final class Heard implements StreamingNotifications.Listener {
    final List<String> changed = new ArrayList<>();
    final List<String> lost = new ArrayList<>();
    boolean opened;

    @Override
    public void opened(Closeable connection) {
      opened = true;
    }

    @Override
    public void changed(String subscriptionId) {
      changed.add(subscriptionId);
    }

    @Override
    public void lost(List<String> subscriptionIds, String code) {
      lost.add(code + " " + subscriptionIds);
    }
  }

  private static StreamingNotifications.Ended listen(EwsTransport transport, Heard heard) {
    return new EwsStreaming(transport)
        .listen(
            List.of("S1", "S2"),
            new StreamingNotifications.Affinity("a@x.test"),
            Duration.ofMinutes(10),
            heard);
  }

  @Test
  void envelopesSplitAnywhereOrSharingAReadAreEachTold() {
    byte[] body =
        (status("OK") + modified("S1") + modified("S2") + modified("S1") + status("Closed"))
            .getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 7, 100, 1 << 20}) {
      Heard heard = new Heard();
      assertThat(listen(answering(200, body, chunk), heard))
          .isEqualTo(StreamingNotifications.Ended.CLOSED);
      assertThat(heard.opened).isTrue();
      assertThat(heard.changed).as("chunk %d", chunk).containsExactly("S1", "S2", "S1");
    }
  }

  @Test
  void anAnswerThatEndsWithoutClosedIsADrop() {
    Heard heard = new Heard();
    byte[] body = (status("OK") + modified("S2")).getBytes(StandardCharsets.UTF_8);
    assertThat(listen(answering(200, body, 50), heard))
        .isEqualTo(StreamingNotifications.Ended.DROPPED);
    assertThat(heard.changed).containsExactly("S2");
  }

  @Test
  void missedEventsNameTheirSubscriptions() {
    Heard heard = new Heard();
    byte[] body = (status("OK") + missed("S2")).getBytes(StandardCharsets.UTF_8);
    assertThat(listen(answering(200, body, 64), heard))
        .isEqualTo(StreamingNotifications.Ended.CLOSED);
    assertThat(heard.lost).containsExactly("ErrorMissedNotificationEvents [S2]");
  }

  @Test
  void anEnvelopeThatNeverEndsIsCutOffAtItsCap() {
    Heard heard = new Heard();
    StringBuilder huge = new StringBuilder(status("OK")).append("<Envelope><x>");
    while (huge.length() <= EwsStreaming.MAX_ENVELOPE_BYTES + 1024) {
      huge.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    }
    assertThat(
            listen(
                answering(200, huge.toString().getBytes(StandardCharsets.UTF_8), 1 << 16), heard))
        .isEqualTo(StreamingNotifications.Ended.DROPPED);
  }

  @Test
  void whatIsNotXmlOrNotAStreamingAnswerIsADrop() {
    for (String junk :
        new String[] {
          "<Envelope>not closed properly</Envelope>",
          "<html><body>proxy error</body></html></Envelope>",
          "<!DOCTYPE x [<!ENTITY e \"boom\">]><Envelope>&e;</Envelope>"
        }) {
      Heard heard = new Heard();
      assertThat(listen(answering(200, junk.getBytes(StandardCharsets.UTF_8), 1024), heard))
          .as(junk)
          .isEqualTo(StreamingNotifications.Ended.DROPPED);
      assertThat(heard.changed).isEmpty();
    }
  }

  @Test
  void aFaultInsteadOfAStreamIsClassified() {
    String fault =
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><s:Fault><faultcode>a:ErrorExceededConnectionCount</faultcode><faultstring>"
            + "too many</faultstring><detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/"
            + "exchange/services/2006/errors\">ErrorExceededConnectionCount</e:ResponseCode>"
            + "</detail></s:Fault></s:Body></s:Envelope>";
    assertThatThrownBy(
            () -> listen(answering(500, fault.getBytes(StandardCharsets.UTF_8), 1024), new Heard()))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> assertThat(e.code()).isEqualTo("ErrorExceededConnectionCount"));
  }
}
