package org.exbridge.exchange;

import java.time.Instant;

/**
 * Graph change notifications through one admin account: a subscription per mailbox on its events,
 * delivered by Microsoft to a URL of this server.
 */
public interface ChangeSubscriptions {
  /** A subscription as Graph confirmed it. */
  record Subscription(String id, Instant expires) {}

  /**
   * Subscribes to created, updated and deleted events of {@code mailbox}. Graph validates both URLs
   * before it answers.
   */
  Subscription create(
      String mailbox,
      String notificationUrl,
      String lifecycleUrl,
      String clientState,
      Instant expires);

  /** Moves a subscription's expiry; {@link ExchangeException.Kind#ITEM_GONE} when it is gone. */
  Subscription renew(String mailbox, String subscriptionId, Instant expires);

  /** Ends a subscription; one that is already gone is no failure. */
  void delete(String mailbox, String subscriptionId);
}
