package org.exbridge.sync;

import java.time.Duration;

/**
 * How the engine runs; see {@code exbridge.sync.*} in application.yml. {@code pushInterval} is the
 * safety round's interval while the binding's push channel is healthy.
 */
public record SyncSettings(
    boolean enabled,
    int workers,
    Duration pollInterval,
    Duration lease,
    Duration windowPast,
    Duration windowFuture,
    Duration interval,
    Duration pushInterval,
    int pagesPerStep,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax) {}
