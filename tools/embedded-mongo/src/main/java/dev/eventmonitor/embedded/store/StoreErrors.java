package dev.eventmonitor.embedded.store;

import java.nio.file.Path;
import java.util.Locale;

/** Turns a failure to open a data store into one line: what is wrong, where, what to do. */
public final class StoreErrors {

  private static final java.util.regex.Pattern LOCK = java.util.regex.Pattern.compile("\\block\\b");

  static final String RESTORE_HINT = "restore it from a backup (npm run db:restore with the output of"
      + " npm run db:backup) or move it aside to start with an empty database";

  /** One line for stderr, for a store directory that could not be opened. */
  public static String describe(Path path, String detail, Throwable cause) {
    String text = detail == null ? String.valueOf(cause) : detail;
    String lower = text.toLowerCase(Locale.ROOT);
    // RocksDB's "While lock file: .../LOCK: Resource temporarily unavailable", not "block checksum"
    if (LOCK.matcher(lower).find()) {
      return "data store " + path + " is in use by another embedded-mongo process (" + oneLine(text)
          + "); stop that process (or use another --data-dir) and start again";
    }
    if (lower.contains("permission denied") || lower.contains("accessdenied") || lower.contains("access denied")
        || cause instanceof java.nio.file.AccessDeniedException) {
      return "data store " + path + " cannot be read or written: permission denied (" + oneLine(text)
          + "); give the user running embedded-mongo read and write access to it (chown/chmod) and start again";
    }
    return "data store " + path + " cannot be opened: " + oneLine(text) + "; it is damaged or not an"
        + " embedded-mongo store: " + RESTORE_HINT;
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").trim();
  }

  private StoreErrors() {}
}
