package org.exbridge.simulator;

/** A small XML writer: elements, attributes and escaped text, nothing more. */
final class Xml {
  private final StringBuilder out = new StringBuilder(4096);

  Xml raw(String s) {
    out.append(s);
    return this;
  }

  Xml open(String name, String... attributes) {
    out.append('<').append(name);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ')
            .append(attributes[i])
            .append("=\"")
            .append(escape(attributes[i + 1]))
            .append('"');
      }
    }
    out.append('>');
    return this;
  }

  Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  Xml empty(String name, String... attributes) {
    open(name, attributes);
    out.setLength(out.length() - 1);
    out.append("/>");
    return this;
  }

  Xml text(String name, Object value) {
    if (value == null) {
      return this;
    }
    open(name);
    out.append(escape(String.valueOf(value)));
    return close(name);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\r' -> b.append("&#13;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            continue;
          }
          b.append(c);
        }
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
