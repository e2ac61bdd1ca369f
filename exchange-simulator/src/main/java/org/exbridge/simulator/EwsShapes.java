package org.exbridge.simulator;

import static org.exbridge.simulator.EwsService.M;
import static org.exbridge.simulator.EwsService.T;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An ItemShape as Exchange honours it: {@code AllProperties} returns every property, {@code IdOnly}
 * the id and the AdditionalProperties asked for, {@code Default} the calendar item's default set
 * and those. An item is rendered whole and then cut down to what was asked.
 */
final class EwsShapes {
  /** What Exchange's Default shape returns for a calendar item. */
  private static final Set<String> DEFAULT =
      Set.of(
          "ItemId",
          "Subject",
          "HasAttachments",
          "IsAssociated",
          "Start",
          "End",
          "LegacyFreeBusyStatus",
          "Location",
          "CalendarItemType",
          "Organizer");

  private EwsShapes() {}

  /** The shape of a FindItem or GetItem request: null for everything. */
  static Set<String> wanted(Element op) {
    Element shape = EwsService.child(op, M, "ItemShape");
    Element base = shape == null ? null : EwsService.child(shape, T, "BaseShape");
    String baseShape = base == null ? "Default" : base.getTextContent().trim();
    if (baseShape.equals("AllProperties")) {
      return null;
    }
    Set<String> wanted = new HashSet<>();
    wanted.add("ItemId");
    if (baseShape.equals("Default")) {
      wanted.addAll(DEFAULT);
    }
    Element extra = shape == null ? null : EwsService.child(shape, T, "AdditionalProperties");
    if (extra != null) {
      for (Node n = extra.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element f && !f.getAttribute("FieldURI").isEmpty()) {
          String uri = f.getAttribute("FieldURI");
          wanted.add(uri.substring(uri.indexOf(':') + 1));
        }
      }
    }
    return wanted;
  }

  /** The item in the shape asked for. */
  static void item(Xml x, EwsItems.Target t, Set<String> wanted) {
    Xml whole = new Xml();
    EwsItems.full(whole, t);
    if (wanted == null) {
      x.raw(whole.toString());
      return;
    }
    try {
      Document doc =
          EwsService.parse(
              ("<w xmlns:t=\"" + T + "\">" + whole + "</w>").getBytes(StandardCharsets.UTF_8));
      Element item = (Element) doc.getDocumentElement().getFirstChild();
      for (Node n = item.getFirstChild(); n != null; ) {
        Node next = n.getNextSibling();
        if (n instanceof Element e && !wanted.contains(e.getLocalName())) {
          item.removeChild(n);
        }
        n = next;
      }
      Transformer out = TransformerFactory.newInstance().newTransformer();
      out.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter text = new StringWriter();
      out.transform(new DOMSource(item), new StreamResult(text));
      // The namespace declaration the fragment needed for parsing is the envelope's already.
      x.raw(text.toString().replaceFirst(" xmlns:t=\"[^\"]*\"", ""));
    } catch (Exception e) {
      throw new IllegalStateException("cannot shape an item", e);
    }
  }
}
