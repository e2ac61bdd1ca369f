package org.exbridge.directory;

import java.util.Optional;

/** The three ids a user has on the platform; {@code open_id} differs per app. */
public enum UserIdType {
  OPEN_ID("open_id"),
  UNION_ID("union_id"),
  USER_ID("user_id");

  private final String wire;

  UserIdType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The type named by a {@code user_id_type} parameter; absent means open_id. */
  public static Optional<UserIdType> parse(String value) {
    if (value == null) {
      return Optional.of(OPEN_ID);
    }
    for (UserIdType t : values()) {
      if (t.wire.equals(value)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
