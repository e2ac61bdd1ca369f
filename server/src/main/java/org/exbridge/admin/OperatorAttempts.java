package org.exbridge.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed operator-token attempts per client address in a sliding minute: past the limit the address
 * is refused (429) until the minute that holds its failures has passed.
 */
final class OperatorAttempts {
  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_TRACKED = 100_000;

  private record Failures(Instant windowStart, int count) {}

  private final ConcurrentHashMap<String, Failures> byAddress = new ConcurrentHashMap<>();
  private final int limit;
  private final Clock clock;

  OperatorAttempts(int limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** Counts a failure and returns how many this address has in the current window. */
  int fail(String address) {
    Instant now = clock.instant();
    if (byAddress.size() > MAX_TRACKED) {
      byAddress.values().removeIf(f -> expired(f, now));
    }
    return byAddress
        .compute(
            address,
            (k, f) ->
                f == null || expired(f, now)
                    ? new Failures(now, 1)
                    : new Failures(f.windowStart(), f.count() + 1))
        .count();
  }

  /** Seconds until the address may try again, or 0 when it may now. */
  long blockedForSeconds(String address) {
    Failures f = byAddress.get(address);
    Instant now = clock.instant();
    if (f == null || f.count() < limit || expired(f, now)) {
      return 0;
    }
    return Math.max(1, Duration.between(now, f.windowStart().plus(WINDOW)).toSeconds());
  }

  private static boolean expired(Failures f, Instant now) {
    return !now.isBefore(f.windowStart().plus(WINDOW));
  }
}
