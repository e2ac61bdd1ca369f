package org.exbridge.exchange;

/** The words for an event whose time zone is not known: it is shown in UTC, visibly. */
public final class ZoneWarning {
  private ZoneWarning() {}

  public static String of(String zoneName) {
    String name = zoneName.length() > 100 ? zoneName.substring(0, 100) + "…" : zoneName;
    return "time zone '"
        + name
        + "' is not a known Windows or IANA zone; the event is shown in UTC";
  }
}
