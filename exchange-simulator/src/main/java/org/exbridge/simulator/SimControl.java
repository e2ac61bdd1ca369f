package org.exbridge.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control API under {@code /_sim/}: read the truth, change events while the simulator runs, set
 * faults and latency, and count requests. Tests, the demo and the benchmarks use it.
 */
final class SimControl {
  private static final Pattern EVENTS = Pattern.compile("^/_sim/mailboxes/([^/]+)/events$");
  private static final Pattern EVENT = Pattern.compile("^/_sim/mailboxes/([^/]+)/events/([^/]+)$");
  private static final Pattern MESSAGES = Pattern.compile("^/_sim/mailboxes/([^/]+)/messages$");

  record Reply(int status, String body) {}

  private final Simulator sim;

  SimControl(Simulator sim) {
    this.sim = sim;
  }

  Reply handle(String method, String path, String rawQuery, byte[] body) {
    try {
      return route(
          method,
          path,
          rawQuery,
          body.length == 0
              ? null
              : SimJson.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException
        | IllegalStateException
        | NullPointerException
        | java.time.DateTimeException e) {
      return problem(400, e.getMessage());
    } catch (tools.jackson.core.JacksonException e) {
      return problem(400, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private Reply route(String method, String path, String rawQuery, JsonNode body) {
    Map<String, String> query = GraphService.query(rawQuery);
    if (path.equals("/_sim/push") || path.startsWith("/_sim/push/")) {
      Reply pushed = sim.push().control(method, path, body);
      return pushed != null
          ? pushed
          : problem(404, "no such control endpoint: " + method + " " + path);
    }
    switch (method + " " + path) {
      case "GET /_sim/mailboxes" -> {
        return ok(mailboxes());
      }
      case "POST /_sim/mailboxes" -> {
        seed(
            SimJson.JSON
                .createObjectNode()
                .set("mailboxes", SimJson.JSON.createArrayNode().add(body)));
        return new Reply(201, body.toString());
      }
      case "POST /_sim/seed" -> {
        seed(body);
        return ok(mailboxes());
      }
      case "GET /_sim/faults" -> {
        return ok(sim.faults().json());
      }
      case "POST /_sim/faults" -> {
        return new Reply(201, sim.faults().add(body).json().toString());
      }
      case "DELETE /_sim/faults" -> {
        sim.faults().clear();
        return ok(SimJson.JSON.createObjectNode());
      }
      case "PUT /_sim/latency" -> {
        sim.faults().setBaseLatency(body.path("ms").asLong(0));
        return ok(SimJson.JSON.createObjectNode().put("ms", sim.faults().baseLatency()));
      }
      case "GET /_sim/requests" -> {
        return ok(sim.log().json("true".equals(query.get("entries"))));
      }
      case "POST /_sim/churn" -> {
        long seconds = body.path("period_seconds").asLong(60);
        if (seconds < 1) {
          return problem(400, "period_seconds must be at least 1");
        }
        return ok(sim.churn(java.time.Duration.ofSeconds(seconds)).json());
      }
      case "GET /_sim/churn" -> {
        Churn churn = sim.churn();
        return ok(
            churn == null ? SimJson.JSON.createObjectNode().put("running", false) : churn.json());
      }
      case "DELETE /_sim/churn" -> {
        sim.stopChurn();
        return ok(SimJson.JSON.createObjectNode().put("running", false));
      }
      case "DELETE /_sim/requests" -> {
        sim.log().clear();
        return ok(SimJson.JSON.createObjectNode());
      }
      default -> {
        // below
      }
    }
    Matcher m = MESSAGES.matcher(path);
    if (m.matches()) {
      SimMailbox mailbox = sim.mailbox(Simulator.decode(m.group(1)));
      if (mailbox == null) {
        return problem(404, "no such mailbox");
      }
      return mailbox.write(
          () -> {
            if (method.equals("DELETE")) {
              mailbox.messages.clear();
              return ok(SimJson.JSON.createObjectNode());
            }
            if (!method.equals("GET")) {
              return problem(405, "GET or DELETE");
            }
            ArrayNode out = SimJson.JSON.createArrayNode();
            for (SimMailbox.Message msg : mailbox.messages) {
              ObjectNode n = out.addObject();
              n.put("at", msg.at().toString());
              n.put("via", msg.via());
              n.put("kind", msg.kind());
              n.put("event", Ids.graph(Ids.Kind.ITEM, mailbox.address, msg.event()));
              n.put("subject", msg.subject());
              ArrayNode to = n.putArray("to");
              msg.to().forEach(to::add);
            }
            return ok(out);
          });
    }
    m = EVENTS.matcher(path);
    if (m.matches()) {
      SimMailbox mailbox = sim.mailbox(Simulator.decode(m.group(1)));
      if (mailbox == null) {
        return problem(404, "no such mailbox");
      }
      return mailbox.write(
          () -> {
            if (method.equals("GET")) {
              ArrayNode out = SimJson.JSON.createArrayNode();
              for (SimMailbox.SimCalendar c : mailbox.calendars) {
                c.events.values().forEach(e -> out.add(SimJson.event(mailbox, c, e)));
              }
              return ok(out);
            }
            if (method.equals("POST")) {
              SimMailbox.SimCalendar calendar =
                  body.hasNonNull("calendar")
                      ? byName(mailbox, body.get("calendar").asString())
                      : mailbox.defaultCalendar();
              if (calendar == null) {
                return problem(404, "no such calendar");
              }
              SimEvent e = new SimEvent(mailbox.nextNumber());
              SimJson.read(body, e);
              numberOverrides(mailbox, e);
              mailbox.put(calendar, e, sim.clock());
              return new Reply(201, SimJson.event(mailbox, calendar, e).toString());
            }
            return problem(405, "GET or POST");
          });
    }
    m = EVENT.matcher(path);
    if (m.matches()) {
      SimMailbox mailbox = sim.mailbox(Simulator.decode(m.group(1)));
      Ids.Parsed id = Ids.parse(Simulator.decode(m.group(2)));
      if (mailbox == null || id == null || id.kind() != Ids.Kind.ITEM) {
        return problem(404, "no such mailbox or event");
      }
      return mailbox.write(
          () -> {
            SimEvent existing = mailbox.event(id.number());
            if (existing == null) {
              return problem(404, "no such event");
            }
            SimMailbox.SimCalendar calendar = mailbox.calendarOf(id.number());
            switch (method) {
              case "GET" -> {
                return ok(SimJson.event(mailbox, calendar, existing));
              }
              case "PUT", "PATCH" -> {
                SimEvent changed = existing.copyAs(existing.number);
                SimJson.read(body, changed);
                numberOverrides(mailbox, changed);
                mailbox.put(calendar, changed, sim.clock());
                return ok(SimJson.event(mailbox, calendar, changed));
              }
              case "DELETE" -> {
                mailbox.delete(id.number());
                return ok(SimJson.JSON.createObjectNode());
              }
              default -> {
                return problem(405, "GET, PUT, PATCH or DELETE");
              }
            }
          });
    }
    return problem(404, "no such control endpoint: " + method + " " + path);
  }

  /** Adds the mailboxes of a seed document. */
  void seed(JsonNode root) {
    for (JsonNode mb : root.path("mailboxes")) {
      String address = mb.path("address").asString().toLowerCase(Locale.ROOT);
      if (!address.contains("@")) {
        throw new IllegalArgumentException("a mailbox needs an address");
      }
      SimMailbox mailbox = new SimMailbox(address, mb.path("name").asString(address));
      JsonNode calendars = mb.path("calendars");
      if (calendars.isEmpty()) {
        mailbox.calendars.add(
            new SimMailbox.SimCalendar(mailbox.nextNumber(), "Calendar", "#1e88e5", true, true));
      }
      boolean first = true;
      for (JsonNode c : calendars) {
        SimMailbox.SimCalendar calendar =
            new SimMailbox.SimCalendar(
                mailbox.nextNumber(),
                c.path("name").asString("Calendar"),
                c.path("color").asString("#1e88e5"),
                c.path("default").asBoolean(first),
                c.path("can_edit").asBoolean(true));
        first = false;
        mailbox.calendars.add(calendar);
        for (JsonNode en : c.path("events")) {
          SimEvent e = new SimEvent(mailbox.nextNumber());
          SimJson.read(en, e);
          numberOverrides(mailbox, e);
          mailbox.put(calendar, e, sim.clock());
        }
      }
      sim.add(mailbox);
    }
  }

  static void numberOverrides(SimMailbox mailbox, SimEvent e) {
    e.exceptions
        .values()
        .forEach(
            o -> {
              if (o.number == 0) {
                o.number = mailbox.nextNumber();
              }
            });
  }

  private static SimMailbox.SimCalendar byName(SimMailbox mailbox, String name) {
    return mailbox.calendars.stream()
        .filter(c -> c.name.equalsIgnoreCase(name))
        .findFirst()
        .orElse(null);
  }

  private ArrayNode mailboxes() {
    ArrayNode out = SimJson.JSON.createArrayNode();
    sim.mailboxes().values().stream()
        .sorted((a, b) -> a.address.compareTo(b.address))
        .forEach(
            mailbox -> {
              mailbox.read(
                  () -> {
                    ObjectNode n = out.addObject();
                    n.put("address", mailbox.address);
                    n.put("name", mailbox.displayName);
                    ArrayNode cals = n.putArray("calendars");
                    int events = 0;
                    for (SimMailbox.SimCalendar c : mailbox.calendars) {
                      ObjectNode cn = cals.addObject();
                      cn.put("id", Ids.graph(Ids.Kind.FOLDER, mailbox.address, c.number));
                      cn.put("ews_id", Ids.ews(Ids.Kind.FOLDER, mailbox.address, c.number));
                      cn.put("name", c.name);
                      cn.put("color", c.color);
                      cn.put("default", c.isDefault);
                      cn.put("can_edit", c.canEdit);
                      cn.put("events", c.events.size());
                      events += c.events.size();
                    }
                    n.put("events", events);
                    return n;
                  });
            });
    return out;
  }

  private static Reply ok(JsonNode body) {
    return new Reply(200, body.toString());
  }

  private static Reply problem(int status, String detail) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("status", status);
    n.put("detail", detail == null ? "bad request" : detail);
    return new Reply(status, n.toString());
  }
}
