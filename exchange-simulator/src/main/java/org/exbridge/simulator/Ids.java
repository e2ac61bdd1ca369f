package org.exbridge.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Item and folder ids. EWS ids are standard base64 and Graph ids the URL-safe form, as on real
 * servers, both of one opaque text that names the mailbox and the object's number.
 */
final class Ids {
  private Ids() {}

  enum Kind {
    FOLDER("F"),
    ITEM("I"),
    OCCURRENCE("O");

    final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  /**
   * What an id names: a folder or item number, or an occurrence of item {@code number} at {@code
   * occurrenceKey}.
   */
  record Parsed(Kind kind, String mailbox, long number, String occurrenceKey) {}

  static String ews(Kind kind, String mailbox, long number) {
    return Base64.getEncoder().encodeToString(text(kind, mailbox, number, null));
  }

  static String graph(Kind kind, String mailbox, long number) {
    return Base64.getUrlEncoder().encodeToString(text(kind, mailbox, number, null));
  }

  static String ewsOccurrence(String mailbox, long number, String occurrenceKey) {
    return Base64.getEncoder()
        .encodeToString(text(Kind.OCCURRENCE, mailbox, number, occurrenceKey));
  }

  static String graphOccurrence(String mailbox, long number, String occurrenceKey) {
    return Base64.getUrlEncoder()
        .encodeToString(text(Kind.OCCURRENCE, mailbox, number, occurrenceKey));
  }

  private static byte[] text(Kind kind, String mailbox, long number, String occurrenceKey) {
    String s =
        "AAMk"
            + kind.tag
            + "|"
            + mailbox
            + "|"
            + number
            + (occurrenceKey == null ? "" : "|" + occurrenceKey);
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses either form; null for anything this simulator did not hand out. */
  static Parsed parse(String id) {
    if (id == null) {
      return null;
    }
    try {
      String decoded =
          new String(
              (id.indexOf('-') >= 0 || id.indexOf('_') >= 0
                      ? Base64.getUrlDecoder()
                      : Base64.getDecoder())
                  .decode(id.trim()),
              StandardCharsets.UTF_8);
      String[] parts = decoded.split("\\|");
      if (parts.length < 3 || !parts[0].startsWith("AAMk")) {
        return null;
      }
      Kind kind =
          switch (parts[0].substring(4)) {
            case "F" -> Kind.FOLDER;
            case "I" -> Kind.ITEM;
            case "O" -> Kind.OCCURRENCE;
            default -> null;
          };
      if (kind == null) {
        return null;
      }
      return new Parsed(
          kind, parts[1], Long.parseLong(parts[2]), parts.length > 3 ? parts[3] : null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
