package org.exbridge.binding;

/** A binding request that the rules refuse; {@link Reason} says which rule. */
public final class BindingRefused extends RuntimeException {
  public enum Reason {
    INVALID_PARAMETERS,
    USER_NOT_IN_TENANT,
    BINDING_ID_INVALID,
    BINDING_NOT_FOUND,
    ADMIN_ACCOUNT_OF_OTHER_TENANT,
    ADMIN_ACCOUNT_FAILED,
    ADMIN_ACCOUNT_NOT_FOUND
  }

  private final Reason reason;

  BindingRefused(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
