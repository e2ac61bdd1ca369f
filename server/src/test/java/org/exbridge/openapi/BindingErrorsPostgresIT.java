package org.exbridge.openapi;

import org.exbridge.testing.Database;

class BindingErrorsPostgresIT extends BindingErrorsContract {
  @Override
  Database database() {
    return Database.POSTGRES;
  }
}
