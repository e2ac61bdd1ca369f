package org.exbridge.calendar;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New event ids: time-ordered UUIDs (RFC 9562 version 7: milliseconds since the epoch, then 74
 * random bits), with the platform's {@code _0} suffix of a single event or series. Ids made one
 * after another sort together, so the event-id index grows at its end instead of rewriting a page
 * anywhere in it for every row a sync page inserts; the random part keeps them unguessable.
 */
final class EventIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private EventIds() {}

  static String next() {
    return uuid(System.currentTimeMillis()) + "_0";
  }

  static UUID uuid(long epochMillis) {
    long high = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
