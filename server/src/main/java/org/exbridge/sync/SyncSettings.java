package org.exbridge.sync;

import java.time.Duration;

/** How the engine runs; see {@code exbridge.sync.*} in application.yml. */
public record SyncSettings(
    boolean enabled,
    int workers,
    Duration pollInterval,
    Duration lease,
    Duration windowPast,
    Duration windowFuture,
    Duration interval,
    int pagesPerStep,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax) {}
