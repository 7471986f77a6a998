package dev.eventmonitor.embedded.store;

/** A read or write of the store failed (I/O error, corruption found while reading). */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause);
  }
}
