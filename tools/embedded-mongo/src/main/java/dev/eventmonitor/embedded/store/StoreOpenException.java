package dev.eventmonitor.embedded.store;

/**
 * The data directory cannot be used. The message is one line for the user: what is wrong, which
 * file, and what to do. The launcher prints it and exits non-zero; it never starts with an empty
 * database instead.
 */
public final class StoreOpenException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
