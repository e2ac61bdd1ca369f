package org.exbridge.push;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.exbridge.exchange.ExchangeConnection;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.StreamingNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EWS streaming notifications for every EWS admin account this instance holds the lease of: each
 * bound mailbox (in its incremental rounds) gets a subscription on its calendar folders; the
 * subscriptions are grouped onto at most {@code connections} {@code GetStreamingEvents} connections
 * of at most 200 each, reopened at their timeout. A connection that breaks, or subscriptions
 * Exchange reports lost, are subscribed again and their mailboxes read at once.
 */
public final class EwsPush extends PushKeeper {
  private static final Logger log = LoggerFactory.getLogger(EwsPush.class);
  static final String PROTOCOL = "ews";

  private final Map<String, AccountGroup> groups = new ConcurrentHashMap<>();

  EwsPush(Parts parts) {
    super(parts, "ews-push");
  }

  static String channel(String adminAccount) {
    return "ews:" + adminAccount;
  }

  /** Brings the groups in line with the bindings and the leases. */
  @Override
  void tick() {
    try {
      Map<String, List<PushStore.Wanted>> wanted =
          store.wanted("EWS").stream()
              .collect(
                  Collectors.groupingBy(
                      PushStore.Wanted::adminAccount, LinkedHashMap::new, Collectors.toList()));
      Set<Long> wantedIds = new HashSet<>();
      wanted.values().forEach(list -> list.forEach(w -> wantedIds.add(w.bindingId())));
      Set<String> names = new HashSet<>(wanted.keySet());
      names.addAll(groups.keySet());
      for (String account : names) {
        List<PushStore.Wanted> mine = wanted.getOrDefault(account, List.of());
        AccountGroup group = groups.get(account);
        if (mine.isEmpty()) {
          if (group != null) {
            groups.remove(account);
            group.stop(true);
            store.release(channel(account), owner);
          }
          continue;
        }
        if (!store.lease(channel(account), owner, settings.lease())) {
          if (group != null) {
            // Another instance holds it now; its subscriptions are its own.
            groups.remove(account);
            group.stop(false);
          }
          continue;
        }
        if (group == null) {
          group = new AccountGroup(account);
          groups.put(account, group);
        }
        group.reconcile(mine);
        group.report();
      }
      // Rows of bindings that are gone or no longer in their rounds.
      for (PushStore.Row row : store.rows(PROTOCOL)) {
        if (!wantedIds.contains(row.bindingId()) && !groups.containsKey(row.adminAccount())) {
          store.delete(row.bindingId());
        }
      }
    } catch (RuntimeException | AssertionError | LinkageError e) {
      log.warn("EWS push upkeep failed; trying again", e);
    }
  }

  /** The streaming side of one admin account: its connections and their members. */
  final class AccountGroup {
    final String account;
    final List<Connection> connections = new ArrayList<>();
    final AtomicLong reconnects = new AtomicLong();
    volatile String lastError;

    AccountGroup(String account) {
      this.account = account;
    }

    synchronized void reconcile(List<PushStore.Wanted> wanted) {
      StreamingNotifications streaming = streaming();
      if (streaming == null) {
        for (PushStore.Wanted w : wanted) {
          store.notActive(
              w.bindingId(),
              PROTOCOL,
              account,
              w.mailbox(),
              PushStore.UNAVAILABLE,
              "this admin account's EWS connection cannot stream notifications (NTLM); polled every"
                  + " round");
        }
        return;
      }
      Map<Long, PushStore.Wanted> byId = new LinkedHashMap<>();
      wanted.forEach(w -> byId.put(w.bindingId(), w));
      Set<Long> placed = new HashSet<>();
      for (Connection c : connections) {
        for (Long id : c.memberIds()) {
          if (!byId.containsKey(id)) {
            c.remove(id);
            store.delete(id);
          } else {
            placed.add(id);
          }
        }
      }
      for (PushStore.Wanted w : byId.values()) {
        if (placed.contains(w.bindingId())) {
          continue;
        }
        Connection target = null;
        for (Connection c : connections) {
          if (c.size() < settings.perConnection()) {
            target = c;
            break;
          }
        }
        if (target == null && connections.size() < settings.connectionsPerAccount()) {
          target = new Connection(this, connections.size());
          connections.add(target);
          target.start();
        }
        if (target == null) {
          store.notActive(
              w.bindingId(),
              PROTOCOL,
              account,
              w.mailbox(),
              PushStore.UNAVAILABLE,
              "over this admin account's streaming capacity ("
                  + settings.connectionsPerAccount()
                  + " connections of "
                  + settings.perConnection()
                  + "; exbridge.push.ews.connections-per-account); polled every round");
          continue;
        }
        target.add(w);
      }
      connections.forEach(Connection::applyChanges);
    }

    StreamingNotifications streaming() {
      ExchangeConnection connection = accounts.connection(account).orElse(null);
      return connection == null ? null : sources.forAccount(account, connection).streaming();
    }

    void report() {
      int open = 0;
      int subscribed = 0;
      Instant since = null;
      for (Connection c : connections) {
        if (c.openSince != null) {
          open++;
          since = since == null || c.openSince.isBefore(since) ? c.openSince : since;
        }
        subscribed += c.subscribedCount();
      }
      store.report(channel(account), open, subscribed, reconnects.get(), since, lastError);
    }

    synchronized void stop(boolean unsubscribe) {
      for (Connection c : connections) {
        c.stop(unsubscribe);
      }
      connections.clear();
    }
  }

  /** One member of a connection: a bound mailbox and its subscription, when it has one. */
  private static final class Member {
    final long bindingId;
    final String mailbox;
    volatile String subscriptionId;
    volatile Instant retryAt = Instant.MIN;

    Member(long bindingId, String mailbox) {
      this.bindingId = bindingId;
      this.mailbox = mailbox;
    }
  }

  /** One GetStreamingEvents connection, kept open by its own thread. */
  final class Connection implements StreamingNotifications.Listener {
    private final AccountGroup group;
    private final int index;
    private final Map<Long, Member> members = new ConcurrentHashMap<>();
    private final Map<String, Member> bySubscription = new ConcurrentHashMap<>();
    private final List<Member> leaving = new ArrayList<>();

    /**
     * Counts changes of what the connection should carry (members added or removed, subscriptions
     * lost); a connection opened at an older count is reopened, and its end is no drop.
     */
    private final java.util.concurrent.atomic.AtomicLong changes =
        new java.util.concurrent.atomic.AtomicLong();

    /** The count the connection now open was opened at. */
    private volatile long openedAt;

    private volatile boolean stopped;
    private volatile boolean unsubscribeOnStop;
    private volatile Closeable current;
    private volatile Instant openSince;
    private volatile long lastAlive = System.nanoTime();

    /** Newly subscribed mailboxes, read once the connection carrying them is open. */
    private final Set<Long> catchUp = ConcurrentHashMap.newKeySet();

    private StreamingNotifications.Affinity affinity;
    private Thread thread;

    Connection(AccountGroup group, int index) {
      this.group = group;
      this.index = index;
    }

    Set<Long> memberIds() {
      return Set.copyOf(members.keySet());
    }

    int size() {
      return members.size();
    }

    int subscribedCount() {
      return (int) members.values().stream().filter(m -> m.subscriptionId != null).count();
    }

    void add(PushStore.Wanted w) {
      members.put(w.bindingId(), new Member(w.bindingId(), w.mailbox()));
      changes.incrementAndGet();
    }

    void remove(long bindingId) {
      Member m = members.remove(bindingId);
      if (m != null) {
        synchronized (leaving) {
          leaving.add(m);
        }
        changes.incrementAndGet();
      }
    }

    /** Membership changed: reopen the connection so that it carries exactly the members. */
    void applyChanges() {
      if (changes.get() != openedAt) {
        closeCurrent();
      }
    }

    void start() {
      thread = Thread.ofVirtual().name("ews-push-" + group.account + "-" + index).start(this::run);
    }

    void stop(boolean unsubscribe) {
      unsubscribeOnStop = unsubscribe;
      stopped = true;
      closeCurrent();
    }

    private void closeCurrent() {
      Closeable c = current;
      if (c != null) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          // it is going away either way
        }
      }
    }

    /** Closes a connection that sent nothing, not even a heartbeat, for too long. */
    void watchdog() {
      long silentNanos = System.nanoTime() - lastAlive;
      if (current != null
          && silentNanos > settings.connectionTimeout().plus(Duration.ofMinutes(2)).toNanos()) {
        log.warn(
            "EWS streaming connection {} of {} was silent for {} s; reconnecting",
            index,
            group.account,
            TimeUnit.NANOSECONDS.toSeconds(silentNanos));
        closeCurrent();
      }
    }

    private void run() {
      long failures = 0;
      while (!stopped && running) {
        try {
          // Read before the members are: a change after this reopens the connection.
          long at = changes.get();
          StreamingNotifications streaming = group.streaming();
          if (streaming == null) {
            pause(Duration.ofSeconds(5));
            continue;
          }
          unsubscribeLeaving(streaming);
          subscribeMissing(streaming);
          List<String> ids = new ArrayList<>();
          List<Long> subscribed = new ArrayList<>();
          for (Member m : members.values()) {
            if (m.subscriptionId != null) {
              ids.add(m.subscriptionId);
              subscribed.add(m.bindingId);
            }
          }
          if (ids.isEmpty()) {
            pause(Duration.ofSeconds(2));
            continue;
          }
          openedAt = at;
          StreamingNotifications.Ended ended =
              streaming.listen(ids, affinity, settings.connectionTimeout(), this);
          current = null;
          openSince = null;
          if (stopped || !running) {
            break;
          }
          // Closed from here because what it carries changed: no drop.
          if (ended == StreamingNotifications.Ended.DROPPED && changes.get() == at) {
            broke("the streaming connection dropped", subscribed);
          } else {
            failures = 0;
          }
        } catch (ExchangeException e) {
          current = null;
          openSince = null;
          failures++;
          group.lastError = e.code() + ": " + e.getMessage();
          List<Long> all = new ArrayList<>(members.keySet());
          store.broken(all, "streaming failed: " + group.lastError);
          if (failures == 1) {
            // Back to ordinary polling until the connection is back.
            signals.catchUp(all);
          }
          Duration wait = backoff(failures, e.retryAfter());
          log.warn(
              "EWS streaming for {} failed ({}); trying again in {} ms",
              group.account,
              group.lastError,
              wait.toMillis());
          pause(wait);
        } catch (RuntimeException | AssertionError | LinkageError e) {
          current = null;
          openSince = null;
          failures++;
          log.warn("EWS streaming for {} failed; trying again", group.account, e);
          pause(backoff(failures, null));
        }
      }
      if (unsubscribeOnStop) {
        StreamingNotifications streaming = null;
        try {
          streaming = group.streaming();
        } catch (RuntimeException | AssertionError | LinkageError e) {
          // the account is gone: its subscriptions end with their timeout
        }
        for (Member m : members.values()) {
          if (streaming != null && m.subscriptionId != null && affinity != null) {
            try {
              streaming.unsubscribe(m.mailbox, m.subscriptionId, affinity);
            } catch (RuntimeException | AssertionError | LinkageError e) {
              // they end with their timeout at Exchange
            }
          }
          store.delete(m.bindingId);
        }
      }
    }

    /** The connection dropped: subscribe every member again, and read them once it is back. */
    private void broke(String why, List<Long> subscribed) {
      group.reconnects.incrementAndGet();
      group.lastError = why;
      for (Member m : members.values()) {
        if (m.subscriptionId != null) {
          bySubscription.remove(m.subscriptionId);
        }
        m.subscriptionId = null;
      }
      affinity = null;
      store.broken(subscribed, why);
      // Read them now (and again once subscribed anew): polling is back to its interval meanwhile.
      signals.catchUp(subscribed);
      log.info("EWS streaming connection {} of {}: {}; resubscribing", index, group.account, why);
    }

    private void unsubscribeLeaving(StreamingNotifications streaming) {
      List<Member> gone;
      synchronized (leaving) {
        gone = List.copyOf(leaving);
        leaving.clear();
      }
      for (Member m : gone) {
        if (m.subscriptionId != null) {
          bySubscription.remove(m.subscriptionId);
          if (affinity != null) {
            try {
              streaming.unsubscribe(m.mailbox, m.subscriptionId, affinity);
            } catch (ExchangeException e) {
              // it ends with its timeout at Exchange
            }
          }
        }
      }
    }

    private void subscribeMissing(StreamingNotifications streaming) {
      Instant now = clock.instant();
      for (Member m : members.values()) {
        if (m.subscriptionId != null || m.retryAt.isAfter(now) || stopped) {
          continue;
        }
        if (affinity == null) {
          affinity = new StreamingNotifications.Affinity(m.mailbox);
        }
        try {
          List<String> folders = store.calendarFolders(m.bindingId);
          if (folders.isEmpty()) {
            m.retryAt = now.plus(Duration.ofMinutes(1));
            continue;
          }
          String id = streaming.subscribe(m.mailbox, folders, affinity);
          m.subscriptionId = id;
          bySubscription.put(id, m);
          store.active(
              m.bindingId,
              PROTOCOL,
              group.account,
              m.mailbox,
              id,
              null,
              channel(group.account),
              null);
          // Not active until the connection carrying it is open.
          store.broken(List.of(m.bindingId), "subscribed; the connection is opening");
          catchUp.add(m.bindingId);
        } catch (ExchangeException e) {
          if (e.kind() == ExchangeException.Kind.PERMANENT
              || e.kind() == ExchangeException.Kind.CALENDAR_GONE
              || e.kind() == ExchangeException.Kind.ITEM_GONE) {
            // This mailbox alone: it polls, and is tried again later.
            m.retryAt = now.plus(Duration.ofMinutes(5));
            store.notActive(
                m.bindingId,
                PROTOCOL,
                group.account,
                m.mailbox,
                PushStore.BROKEN,
                "Subscribe failed: " + e.code() + ": " + e.getMessage());
            continue;
          }
          throw e;
        }
      }
    }

    // --- what the connection tells ---

    @Override
    public void opened(Closeable connection) {
      current = connection;
      openSince = clock.instant();
      lastAlive = System.nanoTime();
      if (stopped || changes.get() != openedAt) {
        closeCurrent();
        return;
      }
      List<Long> subscribed = new ArrayList<>();
      for (Member m : members.values()) {
        if (m.subscriptionId != null) {
          subscribed.add(m.bindingId);
        }
      }
      store.reactivated(subscribed);
      // What changed between their last round and now was told to nobody: read it.
      List<Long> read = new ArrayList<>(catchUp);
      catchUp.removeAll(read);
      signals.catchUp(read);
    }

    @Override
    public void changed(String subscriptionId) {
      Member m = bySubscription.get(subscriptionId);
      if (m != null) {
        signals.changed(m.bindingId, PROTOCOL);
      } else {
        signals.dropped(PROTOCOL, "unknown");
      }
    }

    @Override
    public void lost(List<String> subscriptionIds, String code) {
      List<Long> affected = new ArrayList<>();
      for (Member m : members.values()) {
        if (m.subscriptionId != null
            && (subscriptionIds.isEmpty() || subscriptionIds.contains(m.subscriptionId))) {
          bySubscription.remove(m.subscriptionId);
          m.subscriptionId = null;
          affected.add(m.bindingId);
        }
      }
      log.info(
          "EWS streaming for {}: {} for {} subscriptions; resubscribing and reading those mailboxes",
          group.account,
          code,
          affected.size());
      store.broken(affected, "Exchange reported " + code + "; resubscribing");
      // Read them now; a change made before the new subscription is seen by this round.
      signals.catchUp(affected);
      changes.incrementAndGet();
      closeCurrent();
    }

    @Override
    public void alive() {
      lastAlive = System.nanoTime();
    }
  }

  private Duration backoff(long failures, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long max = 60_000;
    long exp = Math.min(max, 1000L << Math.min(16, failures - 1));
    return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For the operator: the connections this instance holds, by admin account. */
  Map<String, Integer> openConnections() {
    Map<String, Integer> out = new HashMap<>();
    groups.forEach(
        (account, g) ->
            out.put(
                account, (int) g.connections.stream().filter(c -> c.openSince != null).count()));
    return out;
  }

  @Override
  public void start() {
    super.start();
    if (ticker != null) {
      ticker.scheduleWithFixedDelay(
          () -> groups.values().forEach(g -> g.connections.forEach(Connection::watchdog)),
          30,
          30,
          TimeUnit.SECONDS);
    }
  }

  @Override
  void release() {
    for (Map.Entry<String, AccountGroup> e : groups.entrySet()) {
      e.getValue().stop(false);
      store.release(channel(e.getKey()), owner);
    }
    groups.clear();
  }
}
