package org.exbridge.exchange.ews;

import static org.exbridge.exchange.ews.XmlNode.M;
import static org.exbridge.exchange.ews.XmlNode.SOAP;
import static org.exbridge.exchange.ews.XmlNode.T;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.StreamingNotifications;

/**
 * EWS streaming notifications (Exchange 2010 SP1 and later): {@code Subscribe} with a {@code
 * StreamingSubscriptionRequest} per mailbox, one {@code GetStreamingEvents} connection for many
 * subscriptions, whose chunked answer is a sequence of SOAP envelopes split here as they arrive.
 * The affinity headers keep a group on the backend that holds its subscriptions.
 */
final class EwsStreaming implements StreamingNotifications {
  /** One envelope may not grow past this; a server that sends more is cut off. */
  static final int MAX_ENVELOPE_BYTES = 4 << 20;

  private static final Pattern ENVELOPE_END =
      Pattern.compile("</(?:[A-Za-z_][\\w.-]*:)?Envelope\\s*>");
  private static final String EVENT_TYPES =
      "<t:EventTypes><t:EventType>CreatedEvent</t:EventType><t:EventType>DeletedEvent</t:EventType>"
          + "<t:EventType>ModifiedEvent</t:EventType><t:EventType>MovedEvent</t:EventType>"
          + "<t:EventType>CopiedEvent</t:EventType></t:EventTypes>";

  private final EwsTransport transport;

  EwsStreaming(EwsTransport transport) {
    this.transport = transport;
  }

  @Override
  public String subscribe(String mailbox, List<String> folderIds, Affinity affinity) {
    StringBuilder folders = new StringBuilder();
    for (String id : folderIds) {
      folders.append("<t:FolderId Id=\"").append(EwsRequests.escape(id)).append("\"/>");
    }
    String soap =
        EwsRequests.envelope(
            mailbox,
            "<m:Subscribe><m:StreamingSubscriptionRequest><t:FolderIds>"
                + folders
                + "</t:FolderIds>"
                + EVENT_TYPES
                + "</m:StreamingSubscriptionRequest></m:Subscribe>");
    Map<String, String> headers = new LinkedHashMap<>();
    if (affinity.cookie() == null) {
      headers.put("X-PreferServerAffinity", "true");
    } else {
      headers.put("X-BackEndOverrideCookie", affinity.cookie());
    }
    EwsTransport.Reply reply;
    String cookie;
    try (EwsTransport.Stream stream = transport.open(soap, affinity.anchorMailbox(), headers)) {
      cookie = stream.headers().get("X-BackEndOverrideCookie");
      reply =
          new EwsTransport.Reply(stream.status(), stream.contentType(), readCapped(stream.body()));
    } catch (IOException e) {
      throw ExchangeException.unreachable("Exchange", e);
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
    XmlNode message = EwsClient.messages(EwsClient.body(reply), "Subscribe").get(0);
    String id = message.childText(M, "SubscriptionId");
    if (id == null || id.isEmpty()) {
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE, "malformed", "Subscribe answered no SubscriptionId");
    }
    if (cookie != null && affinity.cookie() == null) {
      affinity.cookie(cookie);
    }
    return id;
  }

  @Override
  public void unsubscribe(String mailbox, String subscriptionId, Affinity affinity) {
    String soap =
        EwsRequests.envelope(
            mailbox,
            "<m:Unsubscribe><m:SubscriptionId>"
                + EwsRequests.escape(subscriptionId)
                + "</m:SubscriptionId></m:Unsubscribe>");
    try (EwsTransport.Stream stream =
        transport.open(soap, affinity.anchorMailbox(), affinityHeaders(affinity))) {
      XmlNode body =
          EwsClient.body(
              new EwsTransport.Reply(
                  stream.status(), stream.contentType(), readCapped(stream.body())));
      XmlNode response = body.child(M, "UnsubscribeResponse");
      // An error here is a subscription that is gone already: what unsubscribing wants.
      if (response == null) {
        throw new ExchangeException(
            ExchangeException.Kind.RETRYABLE, "malformed", "no Unsubscribe response");
      }
    } catch (IOException e) {
      throw ExchangeException.unreachable("Exchange", e);
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
  }

  @Override
  public Ended listen(
      List<String> subscriptionIds, Affinity affinity, Duration timeout, Listener listener) {
    StringBuilder ids = new StringBuilder();
    for (String id : subscriptionIds) {
      ids.append("<t:SubscriptionId>").append(EwsRequests.escape(id)).append("</t:SubscriptionId>");
    }
    long minutes = Math.max(1, Math.min(30, timeout.toMinutes()));
    String soap =
        EwsRequests.envelope(
            affinity.anchorMailbox(),
            "<m:GetStreamingEvents><m:SubscriptionIds>"
                + ids
                + "</m:SubscriptionIds><m:ConnectionTimeout>"
                + minutes
                + "</m:ConnectionTimeout></m:GetStreamingEvents>");
    EwsTransport.Stream stream;
    try {
      stream = transport.open(soap, affinity.anchorMailbox(), affinityHeaders(affinity));
    } catch (IOException e) {
      throw ExchangeException.unreachable("Exchange", e);
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
    try (stream) {
      if (stream.status() != 200) {
        // A fault (connection limit, throttling, credentials) comes whole.
        EwsClient.body(
            new EwsTransport.Reply(
                stream.status(), stream.contentType(), readCapped(stream.body())));
        throw new ExchangeException(
            ExchangeException.Kind.RETRYABLE,
            "HTTP " + stream.status(),
            "GetStreamingEvents answered HTTP " + stream.status());
      }
      listener.opened(stream);
      return read(stream.body(), listener);
    } catch (IOException e) {
      return Ended.DROPPED;
    }
  }

  /** Splits the answer into envelopes as they arrive and tells what each says. */
  private static Ended read(InputStream in, Listener listener) throws IOException {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    int searchFrom = 0;
    boolean lastWasError = false;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      listener.alive();
      pending.write(buffer, 0, n);
      while (true) {
        // Latin-1 maps byte for byte, so positions in the text are positions in the bytes.
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        Matcher end = ENVELOPE_END.matcher(text);
        if (!end.find(Math.max(0, searchFrom - 32))) {
          searchFrom = text.length();
          if (pending.size() > MAX_ENVELOPE_BYTES) {
            throw new IOException(
                "a streaming envelope grew past " + MAX_ENVELOPE_BYTES + " bytes");
          }
          break;
        }
        byte[] all = pending.toByteArray();
        byte[] one = java.util.Arrays.copyOfRange(all, 0, end.end());
        pending.reset();
        pending.write(all, end.end(), all.length - end.end());
        searchFrom = 0;
        Boolean closed = handle(one, listener);
        if (closed == null) {
          lastWasError = true;
        } else if (closed) {
          return Ended.CLOSED;
        } else {
          lastWasError = false;
        }
      }
    }
    // An answer that ends right after an error about some subscriptions is that error's answer.
    return lastWasError ? Ended.CLOSED : Ended.DROPPED;
  }

  /**
   * Tells the listener what one envelope says: true when the server closed the connection, null
   * when it reported lost subscriptions, false otherwise.
   */
  private static Boolean handle(byte[] envelope, Listener listener) throws IOException {
    XmlNode root;
    try {
      root = XmlNode.parse(new ByteArrayInputStream(envelope));
    } catch (XMLStreamException e) {
      throw new IOException("a streaming envelope is not XML: " + e.getMessage());
    }
    XmlNode body = root.child(SOAP, "Body");
    if (body != null && body.child(SOAP, "Fault") != null) {
      XmlNode fault = body.child(SOAP, "Fault");
      throw new IOException(
          "the stream ended with a SOAP fault: " + fault.childText("", "faultstring"));
    }
    XmlNode response = body == null ? null : body.child(M, "GetStreamingEventsResponse");
    XmlNode messages = response == null ? null : response.child(M, "ResponseMessages");
    if (messages == null) {
      throw new IOException("a streaming envelope without GetStreamingEventsResponse");
    }
    Boolean closed = false;
    for (XmlNode message : messages.children) {
      if ("Error".equals(message.attr("ResponseClass"))) {
        String code = message.childText(M, "ResponseCode");
        List<String> lost = new ArrayList<>();
        XmlNode errorIds = message.child(M, "ErrorSubscriptionIds");
        if (errorIds != null) {
          for (XmlNode id : errorIds.children) {
            lost.add(id.text().trim());
          }
        }
        listener.lost(lost, code == null ? "Error" : code);
        if (lost.isEmpty()) {
          // An error for the whole connection: it is over.
          return true;
        }
        closed = null;
        continue;
      }
      XmlNode notifications = message.child(M, "Notifications");
      if (notifications != null) {
        for (XmlNode notification : notifications.children) {
          String id = notification.childText(T, "SubscriptionId");
          boolean change = false;
          for (XmlNode event : notification.children) {
            if (!event.name.equals("SubscriptionId")
                && !event.name.equals("PreviousWatermark")
                && !event.name.equals("MoreEvents")
                && !event.name.equals("StatusEvent")) {
              change = true;
            }
          }
          if (id != null && change) {
            listener.changed(id);
          }
        }
      }
      if ("Closed".equals(message.childText(M, "ConnectionStatus"))) {
        // the server ends the connection at the timeout asked for
        closed = true;
      }
    }
    return closed;
  }

  private static Map<String, String> affinityHeaders(Affinity affinity) {
    return affinity.cookie() == null
        ? Map.of()
        : Map.of("X-BackEndOverrideCookie", affinity.cookie());
  }

  private static byte[] readCapped(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_ENVELOPE_BYTES + 1);
    if (bytes.length > MAX_ENVELOPE_BYTES) {
      throw new IOException("the answer grew past " + MAX_ENVELOPE_BYTES + " bytes");
    }
    return bytes;
  }
}
