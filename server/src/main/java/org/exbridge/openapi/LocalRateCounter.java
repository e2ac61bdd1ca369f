package org.exbridge.openapi;

import java.util.concurrent.ConcurrentHashMap;

/** Counters in this process: right for a single instance (the embedded H2 default). */
final class LocalRateCounter implements RateCounter {
  private record Window(long start, int hits) {}

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  @Override
  public int hit(String bucket, long windowStart) {
    return windows
        .compute(
            bucket,
            (k, w) ->
                w == null || w.start() != windowStart
                    ? new Window(windowStart, 1)
                    : new Window(windowStart, w.hits() + 1))
        .hits();
  }

  @Override
  public void purge(long before) {
    windows.values().removeIf(w -> w.start() < before);
  }
}
