package org.exbridge.exchange;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;

/**
 * EWS streaming notifications through one admin account: subscriptions on mailboxes' calendar
 * folders, listened to on long-lived connections that carry many subscriptions each. A notification
 * only says which subscription saw a change; what changed is read by the ordinary round.
 */
public interface StreamingNotifications {
  /**
   * The backend affinity of one group of subscriptions: its anchor mailbox, and the cookie Exchange
   * returned when the first was made, sent with every later call of the group.
   */
  final class Affinity {
    private final String anchorMailbox;
    private volatile String cookie;

    public Affinity(String anchorMailbox) {
      this.anchorMailbox = anchorMailbox;
    }

    public String anchorMailbox() {
      return anchorMailbox;
    }

    public String cookie() {
      return cookie;
    }

    public void cookie(String value) {
      this.cookie = value;
    }
  }

  /** What the connection tells while it is open. */
  interface Listener {
    /** The connection is open: {@code connection} closes it from another thread. */
    void opened(Closeable connection);

    /** Something changed in the mailbox of this subscription. */
    void changed(String subscriptionId);

    /**
     * These subscriptions are no longer served (events missed, expired, unknown): subscribe again
     * and read the mailboxes.
     */
    void lost(List<String> subscriptionIds, String code);

    /** Any data arrived (a heartbeat included). */
    default void alive() {}
  }

  /** How a connection ended. */
  enum Ended {
    /** The server closed it at the timeout asked for: open it again. */
    CLOSED,
    /** It broke (network, server, or closed from here). */
    DROPPED
  }

  /** Subscribes to changes of these folders of {@code mailbox}; answers the subscription id. */
  String subscribe(String mailbox, List<String> folderIds, Affinity affinity);

  /** Ends a subscription; one that is already gone is no failure. */
  void unsubscribe(String mailbox, String subscriptionId, Affinity affinity);

  /**
   * Opens a connection for these subscriptions and tells {@code listener} what comes until it ends.
   */
  Ended listen(
      List<String> subscriptionIds, Affinity affinity, Duration timeout, Listener listener);

  /** The largest number of subscriptions one connection may carry. */
  int MAX_PER_CONNECTION = 200;
}
