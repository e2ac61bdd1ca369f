package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.exbridge.testing.MutableClock;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00.250Z"));
  private final RateLimits limits =
      new RateLimits(new LocalRateCounter(), clock, new RateLimits.Settings(2, 3, 4));

  @Test
  void aMethodIsRefusedPastItsPerSecondLimitUntilTheNextSecond() {
    limits.admit("app", "get");
    limits.admit("app", "get");
    assertThatThrownBy(() -> limits.admit("app", "get"))
        .isInstanceOfSatisfying(
            OpenApiException.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.METHOD_RATE_LIMITED);
              assertThat(e.retryAfterSeconds()).isEqualTo(1);
            });
    clock.advance(Duration.ofSeconds(1));
    limits.admit("app", "get");
  }

  @Test
  void theAppLimitCountsAllMethods() {
    limits.admit("app", "a");
    limits.admit("app", "a");
    limits.admit("app", "b");
    limits.admit("app", "b");
    assertThatThrownBy(() -> limits.admit("app", "c"))
        .isInstanceOfSatisfying(
            OpenApiException.class,
            e -> assertThat(e.error()).isEqualTo(ErrorCode.APP_RATE_LIMITED));
  }

  @Test
  void appsDoNotShareLimits() {
    limits.admit("one", "get");
    limits.admit("one", "get");
    limits.admit("two", "get");
  }

  @Test
  void thePerMinuteLimitSaysHowLongToWait() {
    limits.admit("app", "get");
    limits.admit("app", "get");
    clock.advance(Duration.ofSeconds(1));
    limits.admit("app", "get");
    assertThatThrownBy(() -> limits.admit("app", "get"))
        .isInstanceOfSatisfying(
            OpenApiException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(59));
  }
}
