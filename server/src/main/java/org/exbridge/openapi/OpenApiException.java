package org.exbridge.openapi;

/** A failure that the open platform edge turns into a {@code {code,msg}} body. */
public final class OpenApiException extends RuntimeException {
  private final ErrorCode error;
  private final long retryAfterSeconds;

  public OpenApiException(ErrorCode error, String message) {
    this(error, message, 0);
  }

  public OpenApiException(ErrorCode error, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static OpenApiException of(ErrorCode error) {
    return new OpenApiException(error, error.message());
  }

  /** An invalid-parameters error whose message names what is wrong. */
  public static OpenApiException invalid(String detail) {
    return new OpenApiException(
        ErrorCode.INVALID_PARAMETERS, ErrorCode.INVALID_PARAMETERS.message() + ": " + detail);
  }

  public ErrorCode error() {
    return error;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
