package org.exbridge.sync;

import org.exbridge.testing.Database;

class CalendarReadApiH2IT extends CalendarReadApiContract {
  @Override
  Database database() {
    return Database.H2;
  }
}
