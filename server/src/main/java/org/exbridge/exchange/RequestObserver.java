package org.exbridge.exchange;

import java.util.Locale;

/** Told of every request made to Exchange and how it ended, for the operators' metrics. */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NONE = (protocol, outcome) -> {};

  /**
   * One request finished: {@code outcome} is "ok" or the kind of fault, as {@link #outcome} names
   * it.
   */
  void request(String protocol, String outcome);

  static String outcome(ExchangeException e) {
    return e.kind().name().toLowerCase(Locale.ROOT);
  }
}
