package org.exbridge.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The operator API's bearer token. Its value is never logged. */
public final class AdminToken {
  private final byte[] value;

  public AdminToken(String value) {
    this.value = value.getBytes(StandardCharsets.UTF_8);
  }

  boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AdminToken[***]";
  }
}
