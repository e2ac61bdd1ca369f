package org.exbridge.sync;

import org.exbridge.testing.Database;

class CalendarReadApiPostgresIT extends CalendarReadApiContract {
  @Override
  Database database() {
    return Database.POSTGRES;
  }
}
