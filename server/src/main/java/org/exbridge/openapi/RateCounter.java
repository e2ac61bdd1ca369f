package org.exbridge.openapi;

/** Counts hits in fixed time windows. Implementations are safe for concurrent use. */
interface RateCounter {
  /**
   * Adds one hit to {@code bucket} in the window starting at {@code windowStart} (epoch millis) and
   * returns the window's count including this hit.
   */
  int hit(String bucket, long windowStart);

  /** Forgets windows that started before {@code before} (epoch millis). */
  void purge(long before);
}
