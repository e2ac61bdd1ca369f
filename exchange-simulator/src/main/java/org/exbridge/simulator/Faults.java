package org.exbridge.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Injected faults. A rule names a mailbox (or any), a protocol (ews, graph or any), an operation
 * (or any) and what goes wrong; it fires on every {@code every}-th matching call, for at most
 * {@code times} firings (unlimited when absent). A rule with {@code longer_than_days} matches only
 * calendar views spanning more than that many days (a service that limits view ranges, as EWS does
 * at two years).
 */
final class Faults {
  enum Kind {
    THROTTLE,
    HTTP_500,
    HTTP_503,
    LATENCY,
    BAD_CREDENTIALS,
    IMPERSONATION_DENIED,
    NO_MAILBOX,
    INVALID_SYNC_STATE,
    /** The write is done, and its answer lost on the way (504 from a proxy). */
    LOST_RESPONSE
  }

  static final class Rule {
    final long id;
    final String mailbox;
    final String protocol;
    final String operation;
    final Kind kind;
    final int every;
    final long backoffMillis;
    final long latencyMillis;
    final long longerThanDays;
    final AtomicLong remaining;
    final AtomicLong calls = new AtomicLong();

    Rule(long id, JsonNode n) {
      this.id = id;
      this.mailbox = n.path("mailbox").asString("*").toLowerCase(Locale.ROOT);
      this.protocol = n.path("protocol").asString("*").toLowerCase(Locale.ROOT);
      this.operation = n.path("operation").asString("*");
      this.kind = Kind.valueOf(n.path("kind").asString("throttle").toUpperCase(Locale.ROOT));
      this.every = Math.max(1, n.path("every").asInt(1));
      this.backoffMillis = n.path("backoff_ms").asLong(2000);
      this.latencyMillis = n.path("latency_ms").asLong(0);
      this.longerThanDays = n.path("longer_than_days").asLong(0);
      this.remaining = new AtomicLong(n.hasNonNull("times") ? n.get("times").asLong() : -1);
    }

    boolean matches(String mailbox, String protocol, String operation, long rangeDays) {
      return (longerThanDays <= 0 || rangeDays > longerThanDays)
          && (this.mailbox.equals("*") || this.mailbox.equals(mailbox))
          && (this.protocol.equals("*") || this.protocol.equals(protocol))
          && (this.operation.equals("*") || this.operation.equalsIgnoreCase(operation));
    }

    ObjectNode json() {
      ObjectNode n = SimJson.JSON.createObjectNode();
      n.put("id", id);
      n.put("mailbox", mailbox);
      n.put("protocol", protocol);
      n.put("operation", operation);
      n.put("kind", kind.name().toLowerCase(Locale.ROOT));
      n.put("every", every);
      n.put("backoff_ms", backoffMillis);
      n.put("latency_ms", latencyMillis);
      if (longerThanDays > 0) {
        n.put("longer_than_days", longerThanDays);
      }
      n.put("remaining", remaining.get());
      return n;
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile long latencyMillis;

  synchronized Rule add(JsonNode n) {
    Rule rule = new Rule(ids.incrementAndGet(), n);
    rules.add(rule);
    return rule;
  }

  synchronized void clear() {
    rules.clear();
  }

  /** Latency added to every request, on top of latency rules. */
  void setBaseLatency(long millis) {
    this.latencyMillis = millis;
  }

  long baseLatency() {
    return latencyMillis;
  }

  synchronized ArrayNode json() {
    ArrayNode a = SimJson.JSON.createArrayNode();
    rules.forEach(r -> a.add(r.json()));
    return a;
  }

  /** The rules that fire for this call (latency rules included), counting the call against each. */
  List<Rule> fire(String mailbox, String protocol, String operation) {
    return fire(mailbox, protocol, operation, -1);
  }

  /** As above, for a calendar view spanning {@code rangeDays} days (-1: not a view). */
  synchronized List<Rule> fire(String mailbox, String protocol, String operation, long rangeDays) {
    List<Rule> fired = new ArrayList<>();
    for (Rule r : rules) {
      if (!r.matches(
          mailbox == null ? "" : mailbox.toLowerCase(Locale.ROOT),
          protocol,
          operation,
          rangeDays)) {
        continue;
      }
      if (r.calls.incrementAndGet() % r.every != 0) {
        continue;
      }
      if (r.remaining.get() == 0) {
        continue;
      }
      if (r.remaining.get() > 0) {
        r.remaining.decrementAndGet();
      }
      fired.add(r);
    }
    return fired;
  }
}
