package org.exbridge.simulator;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * EWS SOAP at {@code /EWS/Exchange.asmx}: the operations a calendar sync uses, with Exchange's
 * errors.
 */
final class EwsService {
  static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";
  static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
  static final int FIND_COUNT_LIMIT = 1000;
  static final int MAX_SYNC_CHANGES = 512;

  /**
   * An answer: a whole body, or (GetStreamingEvents) a stream the HTTP layer keeps open, with extra
   * headers.
   */
  record Reply(
      int status,
      String body,
      String wwwAuthenticate,
      Streamer stream,
      java.util.Map<String, String> headers) {
    Reply(int status, String body, String wwwAuthenticate) {
      this(status, body, wwwAuthenticate, null, java.util.Map.of());
    }

    Reply(int status, String body, String wwwAuthenticate, Streamer stream) {
      this(status, body, wwwAuthenticate, stream, java.util.Map.of());
    }
  }

  /** Writes a streaming answer's body until it ends. */
  interface Streamer {
    void stream(java.io.OutputStream body) throws java.io.IOException;
  }

  private final Simulator sim;

  EwsService(Simulator sim) {
    this.sim = sim;
  }

  /** Both schemes IIS offers for EWS, one WWW-Authenticate header each. */
  static final String CHALLENGES = "NTLM\nBasic realm=\"exchange.test\"";

  /**
   * Serves one request; {@code connection} names the TCP connection, which NTLM authenticates as a
   * whole.
   */
  Reply handle(String authorization, String connection, byte[] body) {
    return handle(authorization, connection, body, false);
  }

  /** As above; {@code preferAffinity} is the X-PreferServerAffinity header. */
  Reply handle(String authorization, String connection, byte[] body, boolean preferAffinity) {
    Document request;
    try {
      request = parse(body);
    } catch (Exception e) {
      return new Reply(400, "", null);
    }
    Element soapBody = child(request.getDocumentElement(), SOAP, "Body");
    Element operation = soapBody == null ? null : firstElement(soapBody);
    String op = operation == null ? "Unknown" : operation.getLocalName();
    String mailbox = impersonated(request);
    if (mailbox == null) {
      mailbox = explicitMailbox(operation);
    }
    boolean allowed;
    if (authorization != null && authorization.regionMatches(true, 0, "NTLM ", 0, 5)) {
      Ntlm.Outcome outcome =
          sim.credentials().ntlm().handle(connection, authorization.substring(5));
      if (outcome instanceof Ntlm.Outcome.Challenge challenge) {
        sim.log().record("ews", "ntlm", mailbox, 401);
        return new Reply(401, "", challenge.header());
      }
      allowed = outcome instanceof Ntlm.Outcome.Allowed;
    } else if (authorization == null) {
      allowed = sim.credentials().ntlm().isAuthenticated(connection);
    } else {
      allowed = sim.credentials().ewsAllows(authorization);
    }
    if (!allowed) {
      sim.log().record("ews", op, mailbox, 401);
      return new Reply(401, "", CHALLENGES);
    }
    boolean lose = false;
    for (Faults.Rule fault : sim.faults().fire(mailbox, "ews", op)) {
      if (fault.kind == Faults.Kind.LOST_RESPONSE) {
        lose = true;
        continue;
      }
      Reply injected = inject(fault, op);
      if (injected != null) {
        sim.log().record("ews", op, mailbox, injected.status());
        return injected;
      }
    }
    Reply reply;
    String account = account(authorization);
    if (op.equals("GetStreamingEvents")) {
      reply = sim.push().getStreamingEvents(operation, account);
    } else if (op.equals("Unsubscribe")) {
      reply = ok(sim.push().unsubscribe(operation));
    } else {
      reply = dispatch(op, operation, mailbox, account);
      if (op.equals("Subscribe") && preferAffinity && reply.status() == 200) {
        // Exchange names the backend that holds the subscription; clients send it back.
        reply =
            new Reply(
                200,
                reply.body(),
                null,
                null,
                java.util.Map.of(
                    "X-BackEndOverrideCookie", "sim-backend-1~" + Math.abs(mailbox.hashCode())));
      }
    }
    if (lose) {
      // Done, but the answer never reaches the client: a proxy in between timed out.
      sim.log().record("ews", op, mailbox, 504);
      return new Reply(504, "", null);
    }
    sim.log().record("ews", op, mailbox, reply.status());
    return reply;
  }

  private Reply inject(Faults.Rule fault, String op) {
    switch (fault.kind) {
      case LATENCY -> {
        Simulator.pause(fault.latencyMillis);
        return null;
      }
      case THROTTLE -> {
        if (op.startsWith("Sync")) {
          return new Reply(
              200,
              envelope(
                  responseError(
                      op,
                      "ErrorServerBusy",
                      "The server cannot service this request right now. Try again later.",
                      fault.backoffMillis)),
              null);
        }
        return new Reply(
            500,
            fault(
                "ErrorServerBusy",
                "The server cannot service this request right now. Try again later.",
                "<t:Value Name=\"BackOffMilliseconds\">" + fault.backoffMillis + "</t:Value>"),
            null);
      }
      case HTTP_500 -> {
        return new Reply(
            500,
            fault(
                "ErrorInternalServerError",
                "An internal server error occurred. The operation failed.",
                null),
            null);
      }
      case HTTP_503 -> {
        return new Reply(503, "", null);
      }
      case BAD_CREDENTIALS -> {
        return new Reply(401, "", CHALLENGES);
      }
      case IMPERSONATION_DENIED -> {
        return new Reply(
            500,
            fault(
                "ErrorImpersonateUserDenied",
                "The account does not have permission to impersonate the requested user.",
                null),
            null);
      }
      case NO_MAILBOX -> {
        return new Reply(
            500,
            fault(
                "ErrorNonExistentMailbox",
                "The SMTP address has no mailbox associated with it.",
                null),
            null);
      }
      case INVALID_SYNC_STATE -> {
        if (op.equals("SyncFolderItems") || op.equals("SyncFolderHierarchy")) {
          return new Reply(
              200,
              envelope(
                  responseError(
                      op,
                      "ErrorInvalidSyncStateData",
                      "Synchronization state data is corrupt or otherwise invalid.",
                      -1)),
              null);
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Whom the caller authenticated as: the Basic user, or the one account NTLM and tokens stand for.
   */
  private static String account(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "app";
    }
    String[] basic = Credentials.basic(authorization);
    return basic != null ? basic[0].toLowerCase(Locale.ROOT) : Credentials.EWS_USER;
  }

  private Reply dispatch(String op, Element operation, String address, String account) {
    SimMailbox mailbox = address == null ? null : sim.mailbox(address);
    if (mailbox == null) {
      return new Reply(
          500,
          fault(
              "ErrorNonExistentMailbox",
              "The SMTP address has no mailbox associated with it.",
              null),
          null);
    }
    try {
      if (WRITES.contains(op)) {
        return mailbox.write(() -> operation(op, operation, mailbox, account));
      }
      return mailbox.read(() -> operation(op, operation, mailbox, account));
    } catch (RuntimeException e) {
      // Like Exchange: a fault in words, never a dropped connection.
      java.util.logging.Logger.getLogger(EwsService.class.getName())
          .log(java.util.logging.Level.WARNING, "EWS " + op + " failed", e);
      return new Reply(
          500,
          fault("ErrorInternalServerError", "An internal server error occurred: " + e, null),
          null);
    }
  }

  private static final java.util.Set<String> WRITES =
      java.util.Set.of("CreateItem", "UpdateItem", "DeleteItem");

  private Reply operation(String op, Element operation, SimMailbox mailbox, String account) {
    return switch (op) {
      case "CreateItem" -> ok(EwsWrites.createItem(mailbox, operation, sim.clock()));
      case "UpdateItem" -> ok(EwsWrites.updateItem(mailbox, operation, sim.clock()));
      case "DeleteItem" -> ok(EwsWrites.deleteItem(mailbox, operation, sim.clock()));
      case "GetFolder" -> ok(EwsOperations.getFolder(mailbox, operation));
      case "SyncFolderHierarchy" -> ok(EwsOperations.syncFolderHierarchy(mailbox, operation));
      case "FindItem" -> ok(EwsOperations.findItem(mailbox, operation));
      case "GetItem" -> ok(EwsOperations.getItem(mailbox, operation));
      case "SyncFolderItems" -> ok(EwsOperations.syncFolderItems(mailbox, operation));
      case "Subscribe" -> ok(sim.push().subscribe(operation, mailbox, account));
      default ->
          new Reply(
              500,
              fault(
                  "ErrorInvalidRequest",
                  "The request is invalid: " + op + " is not served here.",
                  null),
              null);
    };
  }

  private static Reply ok(String bodyContent) {
    return new Reply(200, envelope(bodyContent), null);
  }

  static String envelope(String bodyContent) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        + "<s:Envelope xmlns:s=\""
        + SOAP
        + "\"><s:Header>"
        + "<h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"2\" MajorBuildNumber=\"1544\" MinorBuildNumber=\"4\""
        + " Version=\"V2017_07_11\" xmlns:h=\""
        + T
        + "\" xmlns=\""
        + T
        + "\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>"
        + "</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">"
        + bodyContent
        + "</s:Body></s:Envelope>";
  }

  /**
   * A whole-response error in the body (HTTP 200), as Exchange Online returns throttling on Sync
   * calls.
   */
  static String responseError(String op, String code, String text, long backoffMillis) {
    Xml x = new Xml();
    x.open("m:" + op + "Response", "xmlns:m", M, "xmlns:t", T).open("m:ResponseMessages");
    x.open("m:" + op + "ResponseMessage", "ResponseClass", "Error");
    x.text("m:MessageText", text).text("m:ResponseCode", code).text("m:DescriptiveLinkKey", 0);
    if (backoffMillis >= 0) {
      x.open("m:MessageXml")
          .open("t:Value", "Name", "BackOffMilliseconds")
          .raw(Long.toString(backoffMillis))
          .close("t:Value")
          .close("m:MessageXml");
    }
    x.empty("m:SyncState");
    x.text(
        op.equals("SyncFolderItems") ? "m:IncludesLastItemInRange" : "m:IncludesLastFolderInRange",
        true);
    x.close("m:" + op + "ResponseMessage")
        .close("m:ResponseMessages")
        .close("m:" + op + "Response");
    return x.toString();
  }

  static String fault(String code, String text, String messageXml) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\""
        + SOAP
        + "\"><s:Body><s:Fault>"
        + "<faultcode xmlns:a=\""
        + T
        + "\">a:"
        + code
        + "</faultcode>"
        + "<faultstring xml:lang=\"en-US\">"
        + Xml.escape(text)
        + "</faultstring><detail>"
        + "<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">"
        + code
        + "</e:ResponseCode>"
        + "<e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">"
        + Xml.escape(text)
        + "</e:Message>"
        + (messageXml == null
            ? ""
            : "<t:MessageXml xmlns:t=\"" + T + "\">" + messageXml + "</t:MessageXml>")
        + "</detail></s:Fault></s:Body></s:Envelope>";
  }

  // --- request reading -------------------------------------------------------------------------

  static Document parse(byte[] body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setExpandEntityReferences(false);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(null);
    return b.parse(new ByteArrayInputStream(body));
  }

  private static String impersonated(Document request) {
    Element header = child(request.getDocumentElement(), SOAP, "Header");
    Element impersonation = header == null ? null : child(header, T, "ExchangeImpersonation");
    Element sid = impersonation == null ? null : child(impersonation, T, "ConnectingSID");
    if (sid == null) {
      return null;
    }
    for (String name : List.of("SmtpAddress", "PrimarySmtpAddress", "PrincipalName")) {
      Element e = child(sid, T, name);
      if (e != null) {
        return e.getTextContent().trim().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private static String explicitMailbox(Element operation) {
    if (operation == null) {
      return null;
    }
    var list = operation.getElementsByTagNameNS(T, "EmailAddress");
    return list.getLength() == 0
        ? null
        : list.item(0).getTextContent().trim().toLowerCase(Locale.ROOT);
  }

  static Element child(Element parent, String ns, String local) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && local.equals(e.getLocalName())
          && ns.equals(e.getNamespaceURI())) {
        return e;
      }
    }
    return null;
  }

  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  static Element firstElement(Element parent) {
    List<Element> all = children(parent);
    return all.isEmpty() ? null : all.get(0);
  }

  static Element descendant(Element parent, String ns, String local) {
    var list = parent.getElementsByTagNameNS(ns, local);
    return list.getLength() == 0 ? null : (Element) list.item(0);
  }

  static Instant instant(String text) {
    return OffsetDateTime.parse(text.trim()).toInstant();
  }

  static String syncState(long calendarNumber, long version) {
    return Base64.getEncoder()
        .encodeToString(("SS|" + calendarNumber + "|" + version).getBytes(StandardCharsets.UTF_8));
  }

  /** The version a sync state stands at, or -1 when it is not one of this calendar's. */
  static long syncVersion(String state, long calendarNumber) {
    try {
      String[] p =
          new String(Base64.getDecoder().decode(state.trim()), StandardCharsets.UTF_8).split("\\|");
      if (p.length == 3 && p[0].equals("SS") && Long.parseLong(p[1]) == calendarNumber) {
        return Long.parseLong(p[2]);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    return -1;
  }

  static LocalDateTime local(SimEvent e, Instant instant) {
    return LocalDateTime.ofInstant(instant, e.zone);
  }

  static Comparator<EwsItems.Target> byStart() {
    return Comparator.comparing((EwsItems.Target t) -> t.event().instant(t.start()));
  }

  static Duration between(Instant a, Instant b) {
    return Duration.between(a, b);
  }

  static ZoneOffset utc() {
    return ZoneOffset.UTC;
  }
}
