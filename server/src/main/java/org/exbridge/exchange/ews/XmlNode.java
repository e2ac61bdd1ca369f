package org.exbridge.exchange.ews;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A small read-only XML tree, built with StAX and navigated by namespace URI and local name, never
 * by prefix: servers write {@code s:}, {@code soap:}, default namespaces, all meaning the same.
 */
final class XmlNode {
  static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";
  static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
  static final String E = "http://schemas.microsoft.com/exchange/services/2006/errors";

  private static final XMLInputFactory FACTORY = factory();

  /** Deeper than any EWS answer; a hostile document nested further is refused, not recursed. */
  static final int MAX_DEPTH = 256;

  final String ns;
  final String name;
  final Map<String, String> attributes;
  final List<XmlNode> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  private XmlNode(String ns, String name, Map<String, String> attributes) {
    this.ns = ns == null ? "" : ns;
    this.name = name;
    this.attributes = attributes;
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  /** The document element, or an exception when the bytes are not XML. */
  static XmlNode parse(InputStream in) throws XMLStreamException {
    XMLStreamReader r = FACTORY.createXMLStreamReader(in);
    try {
      List<XmlNode> stack = new ArrayList<>();
      XmlNode root = null;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          Map<String, String> attrs = new HashMap<>();
          for (int i = 0; i < r.getAttributeCount(); i++) {
            attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
          }
          if (stack.size() >= MAX_DEPTH) {
            throw new XMLStreamException("elements nested deeper than " + MAX_DEPTH);
          }
          XmlNode node = new XmlNode(r.getNamespaceURI(), r.getLocalName(), attrs);
          if (stack.isEmpty()) {
            root = node;
          } else {
            stack.get(stack.size() - 1).children.add(node);
          }
          stack.add(node);
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          stack.remove(stack.size() - 1);
        } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
            && !stack.isEmpty()) {
          stack.get(stack.size() - 1).text.append(r.getText());
        }
      }
      if (root == null) {
        throw new XMLStreamException("no document element");
      }
      return root;
    } finally {
      r.close();
    }
  }

  XmlNode child(String ns, String local) {
    for (XmlNode c : children) {
      if (c.name.equals(local) && c.ns.equals(ns)) {
        return c;
      }
    }
    return null;
  }

  List<XmlNode> all(String ns, String local) {
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode c : children) {
      if (c.name.equals(local) && c.ns.equals(ns)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The first element with this name anywhere below. */
  XmlNode find(String ns, String local) {
    for (XmlNode c : children) {
      if (c.name.equals(local) && c.ns.equals(ns)) {
        return c;
      }
      XmlNode deeper = c.find(ns, local);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }

  String text() {
    return text.toString();
  }

  /** The trimmed text of a child, or null. */
  String childText(String ns, String local) {
    XmlNode c = child(ns, local);
    return c == null ? null : c.text().trim();
  }

  String attr(String name) {
    return attributes.get(name);
  }
}
