package org.exbridge.simulator;

import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code java -jar exchange-simulator.jar --port P [--host H] [--seed-file F | --mailboxes N
 * --events M --seed S] [--latency-ms L]}
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    int port = 8090;
    String host = "127.0.0.1";
    String seedFile = null;
    int mailboxes = 0;
    int events = 100;
    long seed = 1;
    long latency = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value);
        case "--host" -> host = value;
        case "--seed-file" -> seedFile = value;
        case "--mailboxes" -> mailboxes = Integer.parseInt(value);
        case "--events" -> events = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--latency-ms" -> latency = Long.parseLong(value);
        case "--help", "-h" -> {
          System.out.println(
              "usage: java -jar exchange-simulator.jar --port P [--host H] "
                  + "[--seed-file F | --mailboxes N --events M --seed S] [--latency-ms L]");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
      i++;
    }
    Simulator sim = Simulator.start(host, port, Clock.systemUTC());
    if (seedFile != null) {
      sim.seed(Path.of(seedFile));
    }
    if (mailboxes > 0) {
      sim.generate(mailboxes, events, seed);
    }
    sim.latency(latency);
    System.out.println(
        "exchange simulator on "
            + sim.baseUrl()
            + " with "
            + sim.addresses().size()
            + " mailboxes");
    System.out.println(
        "  EWS:   " + sim.baseUrl() + "/EWS/Exchange.asmx  (admin@exchange.test / secret)");
    System.out.println(
        "  Graph: "
            + sim.baseUrl()
            + "/v1.0  token: "
            + sim.baseUrl()
            + "/exchange.test/oauth2/v2.0/token  (sim-client / sim-secret)");
    System.out.println("  control: " + sim.baseUrl() + "/_sim/mailboxes");
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    Thread.currentThread().join();
  }
}
