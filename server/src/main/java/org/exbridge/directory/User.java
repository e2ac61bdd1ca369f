package org.exbridge.directory;

/** A member of a tenant; {@code userId} is the tenant-defined id (the platform's employee id). */
public record User(
    String tenantKey,
    String userId,
    String unionId,
    String name,
    String email,
    boolean superAdmin,
    UserStatus status) {
  public boolean active() {
    return status == UserStatus.ACTIVE;
  }
}
