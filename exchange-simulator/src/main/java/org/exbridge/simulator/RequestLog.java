package org.exbridge.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/** Every request the simulator served: counts by protocol operation and mailbox, and when. */
final class RequestLog {
  record Entry(Instant at, String protocol, String operation, String mailbox, int status) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Clock clock;

  RequestLog(Clock clock) {
    this.clock = clock;
  }

  synchronized void record(String protocol, String operation, String mailbox, int status) {
    entries.add(new Entry(clock.instant(), protocol, operation, mailbox, status));
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  synchronized ObjectNode json(boolean withEntries) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("total", entries.size());
    Map<String, Integer> byOperation = new TreeMap<>();
    Map<String, Integer> byMailbox = new TreeMap<>();
    for (Entry e : entries) {
      byOperation.merge(e.protocol() + ":" + e.operation(), 1, Integer::sum);
      if (e.mailbox() != null) {
        byMailbox.merge(e.mailbox(), 1, Integer::sum);
      }
    }
    ObjectNode ops = n.putObject("by_operation");
    byOperation.forEach(ops::put);
    ObjectNode boxes = n.putObject("by_mailbox");
    byMailbox.forEach(boxes::put);
    if (withEntries) {
      var list = n.putArray("entries");
      for (Entry e : entries) {
        ObjectNode en = list.addObject();
        en.put("at", e.at().toString());
        en.put("protocol", e.protocol());
        en.put("operation", e.operation());
        en.put("mailbox", e.mailbox());
        en.put("status", e.status());
      }
    }
    return n;
  }
}
