package org.exbridge.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Calendar views already expanded, by a key naming the query and the mailbox version (the latest
 * few): a client paging a long view must not make every page expand every series again.
 */
final class Expanded<V> {
  private static final int KEPT = 16;

  private final Map<String, V> latest =
      new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
          return size() > KEPT;
        }
      };

  /** The view under {@code key}, expanded now if it is not kept (outside the lock). */
  V get(String key, Supplier<V> expand) {
    synchronized (latest) {
      V found = latest.get(key);
      if (found != null) {
        return found;
      }
    }
    V made = expand.get();
    synchronized (latest) {
      latest.put(key, made);
    }
    return made;
  }
}
