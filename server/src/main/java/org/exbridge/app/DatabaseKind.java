package org.exbridge.app;

import java.util.Locale;

/** Which database this instance runs on; the few differences between them hang off this. */
public enum DatabaseKind {
  H2,
  POSTGRESQL;

  static DatabaseKind of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("h2")) {
      return H2;
    }
    throw new IllegalStateException(
        "unsupported database: " + productName + " (use H2 or PostgreSQL)");
  }
}
