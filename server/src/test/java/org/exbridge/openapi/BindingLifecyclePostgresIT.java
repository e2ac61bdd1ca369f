package org.exbridge.openapi;

import org.exbridge.testing.Database;

class BindingLifecyclePostgresIT extends BindingLifecycleContract {
  @Override
  Database database() {
    return Database.POSTGRES;
  }
}
