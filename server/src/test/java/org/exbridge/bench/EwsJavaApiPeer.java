package org.exbridge.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.FolderChange;
import microsoft.exchange.webservices.data.sync.ItemChange;

/**
 * The peer of the sync benchmark: how a plain ews-java-api 2.0 program reads a whole mailbox's
 * calendars, as an integrator writes it: the calendar folders from SyncFolderHierarchy, then per
 * folder SyncFolderItems pages of 512 ids, each page's items loaded by one batched GetItem of
 * first-class properties. Nothing is stored and no exception is read. Prints one line: items and
 * seconds. Run by {@code bench/sync.sh}.
 *
 * <p>Arguments: simulator base URL, mailbox.
 */
public final class EwsJavaApiPeer {
  private EwsJavaApiPeer() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String mailbox = args[1];
    long started = System.nanoTime();
    int items = 0;
    try (ExchangeService service = new ExchangeService(ExchangeVersion.Exchange2010_SP2)) {
      service.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
      service.setUrl(new URI(base + "/EWS/Exchange.asmx"));
      service.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, mailbox));
      service.getHttpHeaders().put("X-AnchorMailbox", mailbox);
      List<FolderId> calendars = new ArrayList<>();
      ChangeCollection<FolderChange> folders =
          service.syncFolderHierarchy(
              new FolderId(WellKnownFolderName.MsgFolderRoot),
              PropertySet.FirstClassProperties,
              null);
      FolderId deletedItems = null;
      for (FolderChange f : folders) {
        if ("Deleted Items".equals(f.getFolder().getDisplayName())) {
          deletedItems = f.getFolderId();
        }
      }
      for (FolderChange f : folders) {
        // The calendars exbridge reads: none under Deleted Items.
        if ("IPF.Appointment".equals(f.getFolder().getFolderClass())
            && !f.getFolder().getParentFolderId().equals(deletedItems)) {
          calendars.add(f.getFolderId());
        }
      }
      PropertySet firstClass = new PropertySet(BasePropertySet.FirstClassProperties);
      for (FolderId calendar : calendars) {
        String state = null;
        boolean more = true;
        while (more) {
          ChangeCollection<ItemChange> page =
              service.syncFolderItems(
                  calendar, PropertySet.IdOnly, null, 512, SyncFolderItemsScope.NormalItems, state);
          List<Item> loaded = new ArrayList<>();
          for (ItemChange change : page) {
            loaded.add(change.getItem());
          }
          if (!loaded.isEmpty()) {
            service.loadPropertiesForItems(loaded, firstClass);
          }
          items += loaded.size();
          state = page.getSyncState();
          more = page.getMoreChangesAvailable();
        }
      }
      System.out.printf(
          "ews-java-api peer: %d items of %d calendars read in %.2f s%n",
          items, calendars.size(), (System.nanoTime() - started) / 1e9);
    }
  }
}
