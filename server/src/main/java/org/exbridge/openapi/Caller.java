package org.exbridge.openapi;

import org.exbridge.directory.App;
import org.exbridge.directory.User;

/** Who is calling: the app the token was issued to and the user it acts for. */
public record Caller(App app, User user) {
  public String tenantKey() {
    return user.tenantKey();
  }
}
