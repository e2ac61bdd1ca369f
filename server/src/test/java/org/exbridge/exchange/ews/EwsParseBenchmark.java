package org.exbridge.exchange.ews;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourcePage;

/**
 * How fast our EWS client turns replies into events, without the network or the server: one full
 * read of a simulator mailbox is recorded, then every recorded reply is parsed again, many times.
 * Run by {@code bench/exchange-read.sh}. Arguments: simulator base URL, mailbox, rounds.
 */
public final class EwsParseBenchmark {
  private EwsParseBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<EwsTransport.Reply> replies = Collections.synchronizedList(new ArrayList<>());
    EwsTransport real =
        JdkEwsTransport.basic(
            new ExchangeHttp(HttpClient.newHttpClient(), ExchangeHttp.Limits.DEFAULT),
            URI.create(args[0] + "/EWS/Exchange.asmx"),
            "admin@exchange.test",
            "secret",
            Duration.ofSeconds(120));
    EwsTransport recording =
        new EwsTransport() {
          @Override
          public Reply post(String soap, String anchorMailbox)
              throws IOException, InterruptedException {
            Reply reply = real.post(soap, anchorMailbox);
            if (soap.contains("<m:GetItem>")) {
              replies.add(reply);
            }
            return reply;
          }
        };
    EwsClient client = new EwsClient(recording, 10);
    for (SourceCalendar calendar : client.calendars(args[1])) {
      String cursor = null;
      SourcePage page;
      do {
        page = client.all(args[1], calendar.id(), cursor);
        cursor = page.cursor();
      } while (page.more());
    }
    int rounds = Integer.parseInt(args[2]);
    long items = 0;
    long bytes = 0;
    long started = 0;
    for (int round = 0; round <= rounds; round++) {
      if (round == 1) {
        started = System.nanoTime();
        items = 0;
        bytes = 0;
      }
      for (EwsTransport.Reply reply : replies) {
        bytes += reply.body().length;
        for (XmlNode message : EwsClient.messages(EwsClient.body(reply), "GetItem")) {
          for (XmlNode item : message.child(XmlNode.M, "Items").children) {
            EwsItemReader.read(item);
            items++;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "ews-parse items=%d seconds=%.2f items_per_s=%.0f mb_per_s=%.1f%n",
        items, seconds, items / seconds, bytes / seconds / 1e6);
  }
}
