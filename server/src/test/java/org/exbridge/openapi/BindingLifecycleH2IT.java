package org.exbridge.openapi;

import org.exbridge.testing.Database;

class BindingLifecycleH2IT extends BindingLifecycleContract {
  @Override
  Database database() {
    return Database.H2;
  }
}
