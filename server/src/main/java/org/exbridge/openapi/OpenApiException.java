package org.exbridge.openapi;

/** A failure that the open platform edge turns into a {@code {code,msg}} body. */
public final class OpenApiException extends RuntimeException {
  private final ErrorCode error;
  private final long retryAfterSeconds;
  private final String detail;

  public OpenApiException(ErrorCode error, String message) {
    this(error, message, 0);
  }

  public OpenApiException(ErrorCode error, String message, long retryAfterSeconds) {
    this(error, message, retryAfterSeconds, message);
  }

  private OpenApiException(ErrorCode error, String message, long retryAfterSeconds, String detail) {
    super(message, null, false, false);
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
    this.detail = detail;
  }

  public static OpenApiException of(ErrorCode error) {
    return new OpenApiException(error, error.message());
  }

  /** An invalid-parameters error whose message names what is wrong. */
  public static OpenApiException invalid(String detail) {
    return new OpenApiException(
        ErrorCode.INVALID_PARAMETERS,
        ErrorCode.INVALID_PARAMETERS.message() + ": " + detail,
        0,
        detail);
  }

  /**
   * What happened, without the platform's code wording: the operator API's problem details carry
   * this, since their HTTP status already says the kind.
   */
  public String detail() {
    return detail;
  }

  public ErrorCode error() {
    return error;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
