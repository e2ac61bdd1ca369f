package org.exbridge.admin;

import org.exbridge.testing.Database;

class OperatorApiCompletePostgresIT extends OperatorApiCompleteContract {
  @Override
  Database database() {
    return Database.POSTGRES;
  }
}
