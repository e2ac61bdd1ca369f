package org.exbridge.openapi;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Request log ids in the platform's shape: a UTC timestamp followed by random hex. */
public final class LogIds {
  public static final String HEADER = "X-Tt-Logid";
  public static final String ATTRIBUTE = LogIds.class.getName();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private LogIds() {}

  public static String next() {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC))
        + HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
