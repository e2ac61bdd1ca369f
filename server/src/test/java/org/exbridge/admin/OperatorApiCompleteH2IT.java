package org.exbridge.admin;

import org.exbridge.testing.Database;

class OperatorApiCompleteH2IT extends OperatorApiCompleteContract {
  @Override
  Database database() {
    return Database.H2;
  }
}
