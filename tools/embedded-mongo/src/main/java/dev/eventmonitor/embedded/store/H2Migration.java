package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.bson.Document;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * One-time migration of a data file written by the earlier launcher (mongo-java-server's
 * H2Backend, {@code event-monitor.mv}) into a {@link RocksStore}.
 *
 * <p>It reads the H2 file read-only and copies, for every stored collection except the
 * {@code local} database (the oplog, never kept), every document: the user's collections and
 * mongo-java-server's {@code system.namespaces} / {@code system.indexes}, so the index
 * definitions come along and the indexes are rebuilt when the new store opens. It writes into
 * {@code <store>.migrating}, compares the counts, moves that directory to its final name, and only
 * then renames the H2 file to {@code event-monitor.mv.migrated-<UTC time>} (kept, never deleted).
 * A crash at any point leaves the H2 file in place and the migration runs again at the next start.
 */
public final class H2Migration {

  private static final String DATA_PREFIX = "databases.";
  private static final int BATCH = 500;

  /** Result for the log line. */
  public record Result(int collections, long documents, Path movedTo) {}

  private H2Migration() {}

  /** True when {@code h2File} must be migrated into {@code storeDir} before the store opens. */
  public static boolean needed(Path h2File, Path storeDir) {
    return Files.isRegularFile(h2File) && !Files.exists(storeDir.resolve("CURRENT"));
  }

  public static Result migrate(Path h2File, Path storeDir) throws StoreOpenException {
    if (Files.exists(storeDir) && !isEmptyDirectory(storeDir)) {
      // something without a CURRENT file: neither replace it nor ignore the old file
      throw new StoreOpenException("both " + h2File + " (data of an earlier version) and " + storeDir
          + " (not a complete data store) exist; move " + storeDir + " aside and start again to migrate"
          + " the old file, or move the old file aside", null);
    }
    Path temp = storeDir.resolveSibling(storeDir.getFileName() + ".migrating");
    try {
      deleteRecursively(temp);
    } catch (IOException e) {
      throw new StoreOpenException("cannot remove the unfinished migration " + temp + ": " + e
          + "; remove it by hand and start again", e);
    }
    MVStore h2;
    try {
      h2 = new MVStore.Builder().fileName(h2File.toString()).readOnly().open();
    } catch (RuntimeException e) {
      throw new StoreOpenException(h2Problem(h2File, e), e);
    }
    int collections = 0;
    long documents = 0;
    try (RocksStore target = RocksStore.open(temp)) {
      for (String mapName : h2.getMapNames()) {
        if (!mapName.startsWith(DATA_PREFIX)) {
          continue;
        }
        String fullName = mapName.substring(DATA_PREFIX.length());
        if (fullName.startsWith(RocksBackend.LOCAL + ".")) {
          continue;
        }
        MVMap<Object, Document> map = h2.openMap(mapName);
        long id = target.openOrCreateCollection(fullName);
        List<Map.Entry<Long, Document>> batch = new ArrayList<>(BATCH);
        long position = 0;
        for (Document document : map.values()) {
          batch.add(new AbstractMap.SimpleEntry<>(++position, document));
          if (batch.size() == BATCH) {
            target.putAll(id, batch);
            batch.clear();
          }
        }
        target.putAll(id, batch);
        if (position != map.sizeAsLong()) {
          throw new IllegalStateException("read " + position + " of " + map.sizeAsLong() + " documents of " + fullName);
        }
        collections++;
        documents += position;
      }
      target.putMeta(RocksStore.META_MIGRATED_FROM,
          h2File.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      target.compact();
    } catch (StoreOpenException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreOpenException(h2Problem(h2File, e), e);
    } finally {
      try {
        h2.close();
      } catch (RuntimeException ignored) {
        // read-only: nothing to write back
      }
    }
    try {
      if (Files.exists(storeDir)) {
        Files.delete(storeDir); // an empty directory (checked above)
      }
      Files.move(temp, storeDir, StandardCopyOption.ATOMIC_MOVE);
      Path movedTo = h2File.resolveSibling(h2File.getFileName() + ".migrated-"
          + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()));
      Files.move(h2File, movedTo, StandardCopyOption.ATOMIC_MOVE);
      return new Result(collections, documents, movedTo);
    } catch (IOException e) {
      throw new StoreOpenException("cannot finish moving " + h2File + " to " + storeDir + ": " + e
          + "; check the permissions of " + storeDir.getParent() + " and start again", e);
    }
  }

  /**
   * The new store exists and the old H2 file is still there. If the store says it was migrated
   * from that file, the start before was interrupted between the two renames: finish it.
   * Otherwise refuse: one of them would be silently ignored.
   */
  public static Path finishOrRefuse(Path h2File, RocksStore store) throws StoreOpenException {
    byte[] from = store.getMeta(RocksStore.META_MIGRATED_FROM);
    if (from != null && new String(from, StandardCharsets.UTF_8).equals(h2File.getFileName().toString())) {
      Path movedTo = h2File.resolveSibling(h2File.getFileName() + ".migrated");
      try {
        Files.move(h2File, movedTo, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new StoreOpenException("cannot rename the migrated file " + h2File + ": " + e
            + "; move it aside by hand and start again", e);
      }
      return movedTo;
    }
    throw new StoreOpenException("both " + h2File + " (data of an earlier version) and "
        + store.directory() + " exist; the old file was not migrated into this store: move one of"
        + " them aside (without the store the old file is migrated at the next start)", null);
  }

  static String h2Problem(Path h2File, Throwable e) {
    String text = StoreErrors.oneLine(String.valueOf(e.getMessage()));
    if (text.toLowerCase(java.util.Locale.ROOT).contains("locked")) {
      return "data file " + h2File + " (earlier H2 format) is in use by another process (" + text
          + "); stop the older embedded-mongo that uses it and start again";
    }
    return "data file " + h2File + " (earlier H2 format) cannot be read for its one-time migration: "
        + text + "; " + StoreErrors.RESTORE_HINT.replace("move it aside", "move it aside (rename it)");
  }

  private static boolean isEmptyDirectory(Path path) throws StoreOpenException {
    try (var entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new StoreOpenException(StoreErrors.describe(path, e.toString(), e), e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
