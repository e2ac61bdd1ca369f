package org.exbridge.exchange.ews;

import java.time.Instant;
import java.util.List;

/**
 * The SOAP requests this client sends, with impersonation, server version and time zone context.
 */
final class EwsRequests {
  static final String SERVER_VERSION = "Exchange2013_SP1";

  private EwsRequests() {}

  static String envelope(String mailbox, String body) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        + "<soap:Envelope xmlns:soap=\""
        + XmlNode.SOAP
        + "\" xmlns:t=\""
        + XmlNode.T
        + "\" xmlns:m=\""
        + XmlNode.M
        + "\">"
        + "<soap:Header><t:RequestServerVersion Version=\""
        + SERVER_VERSION
        + "\"/>"
        + "<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>"
        + escape(mailbox)
        + "</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>"
        + "<t:TimeZoneContext><t:TimeZoneDefinition Id=\"UTC\"/></t:TimeZoneContext>"
        + "</soap:Header><soap:Body>"
        + body
        + "</soap:Body></soap:Envelope>";
  }

  static String getFolder(String... distinguishedIds) {
    StringBuilder ids = new StringBuilder();
    for (String id : distinguishedIds) {
      ids.append("<t:DistinguishedFolderId Id=\"").append(id).append("\"/>");
    }
    return "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
        + ids
        + "</m:FolderIds></m:GetFolder>";
  }

  static String syncFolderHierarchy(String syncState) {
    return "<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
        + "<t:FieldURI FieldURI=\"folder:FolderClass\"/><t:FieldURI FieldURI=\"folder:DisplayName\"/>"
        + "<t:FieldURI FieldURI=\"folder:ParentFolderId\"/><t:FieldURI FieldURI=\"folder:EffectiveRights\"/>"
        + "<t:FieldURI FieldURI=\"folder:TotalCount\"/>"
        + "</t:AdditionalProperties></m:FolderShape>"
        + (syncState == null || syncState.isEmpty()
            ? ""
            : "<m:SyncState>" + escape(syncState) + "</m:SyncState>")
        + "</m:SyncFolderHierarchy>";
  }

  static String calendarView(String folderId, Instant from, Instant to, int maxEntries) {
    return "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
        + "<t:FieldURI FieldURI=\"calendar:CalendarItemType\"/><t:FieldURI FieldURI=\"calendar:UID\"/>"
        + "<t:FieldURI FieldURI=\"calendar:Start\"/></t:AdditionalProperties></m:ItemShape>"
        + "<m:CalendarView MaxEntriesReturned=\""
        + maxEntries
        + "\" StartDate=\""
        + from
        + "\" EndDate=\""
        + to
        + "\"/>"
        + "<m:ParentFolderIds><t:FolderId Id=\""
        + escape(folderId)
        + "\"/></m:ParentFolderIds></m:FindItem>";
  }

  /**
   * GetItem of whole items; {@code masterOf} ids are occurrence ids whose series master is wanted.
   */
  static String getItems(List<String> itemIds, List<String> masterOf) {
    StringBuilder ids = new StringBuilder();
    for (String id : itemIds) {
      ids.append("<t:ItemId Id=\"").append(escape(id)).append("\"/>");
    }
    for (String id : masterOf) {
      ids.append("<t:RecurringMasterItemId OccurrenceId=\"").append(escape(id)).append("\"/>");
    }
    return "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape><t:BodyType>Text</t:BodyType>"
        + "<t:AdditionalProperties><t:FieldURI FieldURI=\"calendar:StartTimeZone\"/>"
        + "<t:FieldURI FieldURI=\"calendar:EndTimeZone\"/><t:FieldURI FieldURI=\"calendar:JoinOnlineMeetingUrl\"/>"
        + "<t:FieldURI FieldURI=\"calendar:ModifiedOccurrences\"/><t:FieldURI FieldURI=\"calendar:DeletedOccurrences\"/>"
        + "</t:AdditionalProperties></m:ItemShape><m:ItemIds>"
        + ids
        + "</m:ItemIds></m:GetItem>";
  }

  static String syncFolderItems(String folderId, String syncState, int maxChanges) {
    return "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
        + "<m:SyncFolderId><t:FolderId Id=\""
        + escape(folderId)
        + "\"/></m:SyncFolderId>"
        + (syncState == null || syncState.isEmpty()
            ? ""
            : "<m:SyncState>" + escape(syncState) + "</m:SyncState>")
        + "<m:MaxChangesReturned>"
        + maxChanges
        + "</m:MaxChangesReturned><m:SyncScope>NormalItems</m:SyncScope>"
        + "</m:SyncFolderItems>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
