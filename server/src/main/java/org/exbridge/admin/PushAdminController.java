package org.exbridge.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.exbridge.push.PushStore;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Push as the operator sees it: subscriptions by protocol and state, and every channel (the EWS
 * streaming connections of an admin account, the Graph subscription upkeep) with the instance that
 * holds it.
 */
@RestController
final class PushAdminController {
  private final PushStore store;
  private final Clock clock;

  PushAdminController(PushStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  record ChannelView(
      String name,
      String heldBy,
      boolean alive,
      int connections,
      int subscriptions,
      long reconnects,
      Instant connectedSince,
      String lastError) {}

  record PushOverview(List<PushStore.Count> subscriptions, List<ChannelView> channels) {}

  @GetMapping(path = "/admin/api/v1/push", produces = MediaType.APPLICATION_JSON_VALUE)
  PushOverview overview() {
    Instant now = clock.instant();
    return new PushOverview(
        store.counts(),
        store.channels().stream()
            .map(
                c ->
                    new ChannelView(
                        c.name(),
                        c.alive(now) ? c.owner() : null,
                        c.alive(now),
                        c.connections(),
                        c.subscriptions(),
                        c.reconnects(),
                        c.connectedSince(),
                        c.lastError()))
            .toList());
  }
}
