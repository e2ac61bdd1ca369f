package org.exbridge.directory;

import java.util.Locale;
import java.util.Optional;

public enum UserStatus {
  ACTIVE,
  DISMISSED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<UserStatus> parse(String value) {
    for (UserStatus s : values()) {
      if (s.wire().equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
