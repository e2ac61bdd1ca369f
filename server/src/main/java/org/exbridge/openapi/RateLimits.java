package org.exbridge.openapi;

import java.time.Clock;
import java.time.Duration;

/**
 * The platform's request limits: per app and method (per second and per minute, 190004) and per app
 * across methods (per second, 190005). Fixed windows; a refused request says when to retry.
 */
public final class RateLimits {
  private static final long SECOND = 1000;
  private static final long MINUTE = 60_000;

  private final RateCounter counter;
  private final Clock clock;
  private final Settings settings;

  public record Settings(int methodPerSecond, int methodPerMinute, int appPerSecond) {}

  RateLimits(RateCounter counter, Clock clock, Settings settings) {
    this.counter = counter;
    this.clock = clock;
    this.settings = settings;
  }

  /** Counts one call of {@code method} by {@code appId}, or throws when a limit is reached. */
  public void admit(String appId, String method) {
    long now = clock.millis();
    check("app:" + appId, now, SECOND, settings.appPerSecond(), ErrorCode.APP_RATE_LIMITED);
    check(
        "m:" + appId + ":" + method,
        now,
        SECOND,
        settings.methodPerSecond(),
        ErrorCode.METHOD_RATE_LIMITED);
    check(
        "mm:" + appId + ":" + method,
        now,
        MINUTE,
        settings.methodPerMinute(),
        ErrorCode.METHOD_RATE_LIMITED);
  }

  private void check(String bucket, long now, long size, int limit, ErrorCode error) {
    long start = now - Math.floorMod(now, size);
    if (counter.hit(bucket + "/" + size, start) > limit) {
      long retryAfterMillis = start + size - now;
      long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
      throw new OpenApiException(
          error,
          error.message()
              + ": at most "
              + limit
              + " per "
              + describe(size)
              + ", retry after "
              + seconds
              + " s",
          seconds);
    }
  }

  private static String describe(long size) {
    return size == SECOND ? "second" : "minute";
  }

  /** Drops windows older than two minutes. */
  void purge() {
    counter.purge(clock.millis() - Duration.ofMinutes(2).toMillis());
  }
}
