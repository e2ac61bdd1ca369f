package org.exbridge.sync;

import org.exbridge.testing.Database;

class SyncEndToEndPostgresIT extends SyncEndToEndContract {
  @Override
  Database database() {
    return Database.POSTGRES;
  }
}
