package org.exbridge.openapi;

import org.exbridge.testing.Database;

class BindingErrorsH2IT extends BindingErrorsContract {
  @Override
  Database database() {
    return Database.H2;
  }
}
