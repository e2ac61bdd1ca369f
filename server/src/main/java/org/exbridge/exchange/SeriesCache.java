package org.exbridge.exchange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Series already completed (master, exceptions, deleted occurrences), so that a series whose
 * occurrences fill many window pages is fetched once, not once per page (EWS: one GetItem of the
 * master and its exceptions; Graph: one master GET and one /instances scan). An entry is served
 * only for the change key it was read with (a master's, or an occurrence's, which Exchange gives
 * the master's): a series that may have changed is read again. Bounded, oldest out first.
 */
public final class SeriesCache {
  private static final int MAX = 20_000;

  private final Map<String, SourceEvent> entries =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SourceEvent> eldest) {
          return size() > MAX;
        }
      };

  private static String key(String mailbox, String masterId) {
    return mailbox + "\n" + masterId;
  }

  /** The completed series if the master is unchanged. */
  public synchronized SourceEvent forMaster(String mailbox, String masterId, String changeKey) {
    SourceEvent e = entries.get(key(mailbox, masterId));
    return e != null && changeKey != null && changeKey.equals(e.changeKey()) ? e : null;
  }

  public synchronized void put(String mailbox, String seriesKey, SourceEvent series) {
    entries.put(key(mailbox, seriesKey), series);
  }
}
