package org.exbridge.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.exbridge.exchange.ChangeSubscriptions;
import org.exbridge.exchange.ExchangeConnection;
import org.exbridge.exchange.ExchangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph change notifications: one subscription per bound mailbox on its events, delivered to {@code
 * exbridge.push.public-url}. One instance at a time (by lease) creates, renews and deletes
 * subscriptions; every instance receives notifications ({@link GraphNotificationController}) and
 * makes the binding's job due in the database. The clientState is random per subscription and only
 * its SHA-256 is stored.
 */
public final class GraphPush extends PushKeeper {
  private static final Logger log = LoggerFactory.getLogger(GraphPush.class);
  static final String PROTOCOL = "graph";
  static final String CHANNEL = "graph";
  static final String NOTIFICATIONS_PATH = "/push/graph/notifications";
  static final String LIFECYCLE_PATH = "/push/graph/lifecycle";

  private final SecureRandom random = new SecureRandom();
  private final Map<Long, Instant> retryAt = new ConcurrentHashMap<>();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore parallel = new Semaphore(16);

  GraphPush(Parts parts) {
    super(parts, "graph-push");
  }

  static String hash(String clientState) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(clientState.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private volatile String announced;

  @Override
  void tick() {
    try {
      String base = settings.graphBase();
      if (!String.valueOf(base).equals(announced)) {
        announced = String.valueOf(base);
        announce(base);
      }
      if (base == null) {
        return;
      }
      if (!store.lease(CHANNEL, owner, settings.lease())) {
        return;
      }
      List<PushStore.Wanted> wanted = store.wanted("GRAPH");
      Map<Long, PushStore.Row> rows =
          store.rows(PROTOCOL).stream()
              .collect(Collectors.toMap(PushStore.Row::bindingId, Function.identity()));
      Instant now = clock.instant();
      Set<Long> wantedIds =
          wanted.stream().map(PushStore.Wanted::bindingId).collect(Collectors.toSet());
      for (PushStore.Row row : rows.values()) {
        if (!wantedIds.contains(row.bindingId()) && inFlight.add(row.bindingId())) {
          submit(row.bindingId(), () -> end(row));
        }
      }
      int active = 0;
      for (PushStore.Wanted w : wanted) {
        PushStore.Row row = rows.get(w.bindingId());
        boolean healthy =
            row != null
                && PushStore.ACTIVE.equals(row.state())
                && row.subscriptionId() != null
                && row.expiresAt() != null
                && row.expiresAt().isAfter(now);
        if (healthy && row.expiresAt().isAfter(now.plus(settings.graphRenewBefore()))) {
          active++;
          continue;
        }
        if (retryAt.getOrDefault(w.bindingId(), Instant.MIN).isAfter(now)
            || !inFlight.add(w.bindingId())) {
          continue;
        }
        submit(w.bindingId(), () -> upkeep(w, healthy ? row : null));
      }
      store.report(CHANNEL, 0, active, 0, null, null);
    } catch (RuntimeException | AssertionError | LinkageError e) {
      log.warn("Graph subscription upkeep failed; trying again", e);
    }
  }

  private void submit(long bindingId, Runnable task) {
    work.execute(
        () -> {
          try {
            parallel.acquire();
          } catch (InterruptedException e) {
            inFlight.remove(bindingId);
            return;
          }
          try {
            task.run();
          } catch (RuntimeException | AssertionError | LinkageError e) {
            log.warn("Graph subscription upkeep of binding {} failed", bindingId, e);
          } finally {
            parallel.release();
            inFlight.remove(bindingId);
          }
        });
  }

  private ChangeSubscriptions subscriptions(String adminAccount) {
    ExchangeConnection connection = accounts.connection(adminAccount).orElse(null);
    return connection == null
        ? null
        : sources.forAccount(adminAccount, connection).changeSubscriptions();
  }

  /** Renews a subscription near its end, or makes a new one. */
  private void upkeep(PushStore.Wanted w, PushStore.Row renewable) {
    ChangeSubscriptions graph = subscriptions(w.adminAccount());
    if (graph == null) {
      return;
    }
    Instant until = clock.instant().plus(settings.graphLifetime());
    try {
      if (renewable != null) {
        try {
          ChangeSubscriptions.Subscription s =
              graph.renew(w.mailbox(), renewable.subscriptionId(), until);
          store.active(
              w.bindingId(),
              PROTOCOL,
              w.adminAccount(),
              w.mailbox(),
              renewable.subscriptionId(),
              renewable.clientStateHash(),
              CHANNEL,
              s.expires() == null ? until : s.expires());
          retryAt.remove(w.bindingId());
          return;
        } catch (ExchangeException e) {
          if (e.kind() != ExchangeException.Kind.ITEM_GONE) {
            throw e;
          }
          // gone at Graph: make a new one
        }
      }
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      String clientState = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      String base = settings.graphBase();
      ChangeSubscriptions.Subscription s =
          graph.create(
              w.mailbox(), base + NOTIFICATIONS_PATH, base + LIFECYCLE_PATH, clientState, until);
      store.active(
          w.bindingId(),
          PROTOCOL,
          w.adminAccount(),
          w.mailbox(),
          s.id(),
          hash(clientState),
          CHANNEL,
          s.expires() == null ? until : s.expires());
      retryAt.remove(w.bindingId());
      // What changed before the subscription was told to nobody: read it.
      signals.catchUp(List.of(w.bindingId()));
    } catch (ExchangeException e) {
      long failures = 1;
      retryAt.put(
          w.bindingId(),
          clock.instant().plus(java.time.Duration.ofSeconds(Math.min(600, 15 * failures))));
      store.notActive(
          w.bindingId(),
          PROTOCOL,
          w.adminAccount(),
          w.mailbox(),
          PushStore.BROKEN,
          "Graph subscription failed: " + e.code() + ": " + e.getMessage());
      signals.catchUp(List.of(w.bindingId()));
      log.warn(
          "Graph subscription for binding {} failed ({}: {}); polling meanwhile",
          w.bindingId(),
          e.code(),
          e.getMessage());
    }
  }

  /** Ends the subscription of a binding that is gone or no longer in its rounds. */
  private void end(PushStore.Row row) {
    if (row.subscriptionId() != null) {
      try {
        ChangeSubscriptions graph = subscriptions(row.adminAccount());
        if (graph != null) {
          graph.delete(row.mailbox(), row.subscriptionId());
        }
      } catch (ExchangeException e) {
        // it ends with its expiry
      }
    }
    store.delete(row.bindingId());
  }

  /** What a lifecycle notification asks for. */
  void lifecycle(PushStore.Row row, String event) {
    switch (event) {
      case "reauthorizationRequired" ->
          store.renewSoon(row.bindingId(), settings.graphRenewBefore());
      case "subscriptionRemoved" -> {
        store.notActive(
            row.bindingId(),
            PROTOCOL,
            row.adminAccount(),
            row.mailbox(),
            PushStore.BROKEN,
            "Graph removed the subscription; making a new one");
        signals.catchUp(List.of(row.bindingId()));
      }
      default -> signals.catchUp(List.of(row.bindingId()));
    }
  }

  private static void announce(String base) {
    if (base == null) {
      log.info(
          "Graph bindings poll: exbridge.push.public-url is not set, so Microsoft cannot deliver"
              + " change notifications to this server");
    } else if (!base.startsWith("https://")
        && !base.startsWith("http://127.0.0.1")
        && !base.startsWith("http://localhost")) {
      log.warn(
          "exbridge.push.public-url {} is not https: Microsoft Graph delivers only to https URLs"
              + " (the simulator accepts http)",
          base);
    } else {
      log.info("Graph change notifications are delivered to {}{}", base, NOTIFICATIONS_PATH);
    }
  }

  @Override
  void release() {
    store.release(CHANNEL, owner);
  }
}
