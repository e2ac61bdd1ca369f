package org.exbridge.binding;

import java.util.Locale;
import java.util.regex.Pattern;

/** The e-mail address rules for admin and Exchange accounts. */
public final class EmailAddress {
  public static final int MAX_LENGTH = 500;
  private static final Pattern SHAPE = Pattern.compile("[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+");

  private EmailAddress() {}

  public static boolean isValid(String value) {
    return value != null
        && !value.isEmpty()
        && value.length() <= MAX_LENGTH
        && value.chars().noneMatch(Character::isISOControl)
        && SHAPE.matcher(value).matches();
  }

  /** Addresses compare without regard to case, so they are kept lower-case. */
  public static String normalise(String value) {
    return value.toLowerCase(Locale.ROOT);
  }
}
