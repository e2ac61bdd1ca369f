package org.exbridge.directory;

/** The platform's access token types, each with the prefix its tokens carry. */
public enum TokenKind {
  USER("u-"),
  TENANT("t-"),
  APP("a-");

  private final String prefix;

  TokenKind(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }
}
