package org.exbridge.exchange;

/**
 * An item that Exchange sent but that could not be read, or could be read only in part: the rest of
 * the page goes on without it, and the operator is told which and why.
 *
 * @param itemId the Exchange item id, or what stood in its place when the item had none
 * @param summary the item's subject when it could be read, else null
 * @param reason what went wrong, in words for the operator (no stack trace, no SQL)
 */
public record SourceProblem(String itemId, String summary, String reason) {
  /** A problem for an item that failed to read with {@code failure}. */
  public static SourceProblem unreadable(String itemId, RuntimeException failure) {
    String what = failure.getMessage() == null ? "" : ": " + failure.getMessage();
    if (what.length() > 300) {
      what = what.substring(0, 300) + "…";
    }
    return new SourceProblem(
        itemId == null || itemId.isBlank() ? "(no item id)" : itemId,
        null,
        "Exchange sent an item that cannot be read ("
            + failure.getClass().getSimpleName()
            + what
            + "); it was skipped");
  }
}
