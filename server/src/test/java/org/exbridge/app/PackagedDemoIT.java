package org.exbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.lark.oapi.Client;
import com.lark.oapi.core.request.RequestOptions;
import com.lark.oapi.service.calendar.v4.model.CalendarEvent;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.ListCalendarReq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.exbridge.testing.ChildServer;
import org.exbridge.testing.Database;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;

/**
 * The README's demo, from the packaged jar as a user runs it: what the jar carries must be enough
 * (the simulator inside it expands series with lib-recur; a test-only dependency would be missing
 * here and nowhere else).
 */
class PackagedDemoIT {
  @Test
  void theDemoFromThePackagedJarBindsAMailboxToDone() throws Exception {
    Path data = Files.createTempDirectory("exbridge-demo");
    try (ChildServer server =
        ChildServer.start(Database.H2.fresh(data), data, Map.of("demo", ""))) {
      Path log;
      try (var files = Files.list(data)) {
        log =
            files
                .filter(f -> f.getFileName().toString().startsWith("server-"))
                .findFirst()
                .orElseThrow();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("super admin user_access_token:"));
      String admin =
          Files.readString(log)
              .lines()
              .filter(l -> l.startsWith("super admin user_access_token:"))
              .findFirst()
              .orElseThrow()
              .replaceAll(".*:\\s*", "");
      Operator operator = new Operator(server.baseUrl());
      String id = operator.bind(admin, "admin@exchange.test", "user1@exchange.test", "alice");
      await().atMost(Duration.ofSeconds(60)).until(() -> operator.status(admin, id).equals("done"));
      String bob = operator.bind(admin, "graph-admin@exchange.test", "user2@exchange.test", "bob");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> operator.status(admin, bob).equals("done"));
      assertThat(Files.readString(log)).doesNotContain("ClassNotFoundException");

      // With the default settings, a change in Exchange shows in the SDK's list within seconds:
      // EWS streaming (NTLM) for alice, Graph change notifications for bob.
      List<String> lines = Files.readString(log).lines().toList();
      String sim = value(lines, "Exchange simulator:").split(" ")[0];
      String[] app = value(lines, "tenant 'demo', app").split(" ");
      Client sdk = Client.newBuilder(app[0], app[3]).openBaseUrl(server.baseUrl()).build();
      RequestOptions asAlice =
          RequestOptions.newBuilder()
              .userAccessToken(value(lines, "alice's user_access_token:"))
              .build();
      RequestOptions asBob =
          RequestOptions.newBuilder()
              .userAccessToken(operator.userToken("demo", "bob", app[0]))
              .build();
      for (var who :
          List.of(
              Map.entry("user1@exchange.test", asAlice), Map.entry("user2@exchange.test", asBob))) {
        var sdkList =
            sdk.calendar().calendar().list(ListCalendarReq.newBuilder().build(), who.getValue());
        String calendar =
            java.util.Arrays.stream(sdkList.getData().getCalendarList())
                .filter(c -> c.getSummary().equals("Calendar"))
                .findFirst()
                .orElseThrow()
                .getCalendarId();
        HttpClient http = HttpClient.newHttpClient();
        String events =
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(sim + "/_sim/mailboxes/" + who.getKey() + "/events"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        String eventId = events.replaceFirst("(?s)^\\[\\{\"id\":\"([^\"]+)\".*", "$1");
        String renamed = "Renamed in Exchange " + UUID.randomUUID();
        http.send(
            HttpRequest.newBuilder(
                    URI.create(sim + "/_sim/mailboxes/" + who.getKey() + "/events/" + eventId))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"subject\":\"" + renamed + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> summaries(sdk, calendar, who.getValue()).contains(renamed));
      }
    }
  }

  private static String value(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length())
        .trim();
  }

  private static List<String> summaries(Client sdk, String calendar, RequestOptions as)
      throws Exception {
    List<String> out = new java.util.ArrayList<>();
    String token = null;
    do {
      ListCalendarEventReq.Builder req =
          ListCalendarEventReq.newBuilder().calendarId(calendar).pageSize(500);
      if (token != null) {
        req.pageToken(token);
      }
      ListCalendarEventResp page = sdk.calendar().calendarEvent().list(req.build(), as);
      for (CalendarEvent e : page.getData().getItems()) {
        out.add(e.getSummary());
      }
      token = page.getData().getHasMore() ? page.getData().getPageToken() : null;
    } while (token != null);
    return out;
  }
}
