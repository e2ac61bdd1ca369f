package org.exbridge.binding;

import java.util.Locale;
import java.util.Optional;

/** How far the copy of a bound mailbox has got, in the platform's words. */
public enum BindingStatus {
  DOING,
  CAL_DONE,
  TIMESPAN_DONE,
  DONE,
  ERR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BindingStatus> parse(String value) {
    for (BindingStatus s : values()) {
      if (s.wire().equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
