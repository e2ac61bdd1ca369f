package org.exbridge.sync;

import org.exbridge.testing.Database;

class SyncEndToEndH2IT extends SyncEndToEndContract {
  @Override
  Database database() {
    return Database.H2;
  }
}
