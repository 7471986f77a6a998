package dev.eventmonitor.embedded.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.store.IndexSpace;
import dev.eventmonitor.embedded.store.RocksStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a JVM writing to an indexed store, then reopen: every acknowledged write is there and
 * every ordered index, persisted in the store next to the documents (each write commits a document
 * and its index entries in one batch), holds exactly what the stored documents give. And a kill in
 * the middle of the first build of the persisted indexes of an older store: the next open builds
 * them again.
 */
class IndexedCrashTest {

  private static final int CYCLES = 5;

  @TempDir Path dir;

  @Test
  void afterSigkillTheIndexesAgreeWithTheDocuments() throws Exception {
    Path storeDir = dir.resolve("store");
    Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
    Set<String> inserted = new HashSet<>();
    Set<String> deleted = new HashSet<>();
    Set<String> deleting = new HashSet<>();
    long next = 1;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "-Xmx256m", IndexedCrashWriter.class.getName(), storeDir.toString(),
          Long.toString(next)).start();
      child.getOutputStream().close();
      int killAfter = 300 + random.nextInt(900);
      int writes = 0;
      boolean killed = false;
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("I ")) {
            inserted.add("job-" + line.substring(2));
            writes++;
          } else if (line.startsWith("T ")) {
            deleting.add("job-" + line.substring(2));
          } else if (line.startsWith("D ")) {
            deleted.add("job-" + line.substring(2));
          }
          if (!killed && writes >= killAfter) {
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start().waitFor();
            killed = true;
          }
        }
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "the writer must have been killed, not have failed: "
          + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

      try (var store = new BulkLoadTest.Open(storeDir)) {
        IndexedRocksCollection jobs = store.jobs();
        Set<Object> stored = new HashSet<>();
        for (Document d : jobs.queryAll()) {
          stored.add(d.get("_id"));
        }
        for (String id : inserted) {
          // A delete sent but not acknowledged when the writer was killed may have been applied.
          if (deleting.contains(id) && !deleted.contains(id)) continue;
          assertEquals(!deleted.contains(id), stored.contains(id), "cycle " + cycle + ": " + id);
        }
        assertEquals(BulkLoadTest.INDEXES.size(), IndexAgreement.assertIndexesAgree(jobs), "cycle " + cycle);
        assertEquals(BulkLoadTest.INDEXES.size(), jobs.getIndexes().stream()
            .filter(i -> i instanceof PersistedOrderedIndex p && p.isBuilt()).count(), "persisted indexes");
        // (a multikey index holds one entry per element: IndexAgreement checked its count exactly)
        assertEquals(List.of(), jobs.getIndexes().stream().filter(i -> i.getCount() > stored.size()
            && !(i instanceof OrderedIndex<?> o && o.isMultikey())).map(i -> i.getName()).toList(),
            "no index holds more entries than there are documents");
        next += 100_000; // fresh ids for the next writer
      }
    }
    assertTrue(inserted.size() > 900, "the writers wrote " + inserted.size() + " documents");
  }

  @Test
  void aKillDuringTheFirstBuildOfPersistedIndexesBuildsThemAgain() throws Exception {
    Path storeDir = dir.resolve("older");
    Random random = new Random(151);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    // a store written with in-memory indexes only: nothing persisted, as one from before
    RocksStore older = RocksStore.open(storeDir);
    older.setPersistIndexes(false);
    try (var store = new BulkLoadTest.Open(older)) {
      BulkLoadTest.createIndexes(store.db);
      IndexedRocksCollection jobs = store.jobs();
      for (long i = 0; i < 25_000; i++) {
        jobs.addDocument(BulkLoadTest.randomJob(random, i, t0));
      }
    }
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "-Xmx256m", IndexedCrashWriter.class.getName(), storeDir.toString(),
        "build").start();
    child.getOutputStream().close();
    String first;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      first = lines.readLine();
      if ("BUILDING".equals(first)) {
        new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start().waitFor();
      }
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals("BUILDING", first, () -> "the child stopped inside the build: " + stderr);
    assertEquals(137, child.exitValue());

    // what the kill left: some index is not marked built (its entries are partial)
    try (RocksStore raw = RocksStore.open(storeDir)) {
      long collectionId = raw.listCollections().get("test.jobs");
      long unbuilt = BulkLoadTest.INDEXES.stream().filter(index -> !IndexSpace.open(raw, collectionId,
          (String) index.get("name"), PersistedOrderedIndex.spec(keys((Document) index.get("key")))).isBuilt()).count();
      assertTrue(unbuilt > 0, "an index build was interrupted");
    }
    try (var store = new BulkLoadTest.Open(storeDir)) {
      IndexedRocksCollection jobs = store.jobs();
      assertEquals(25_000, jobs.count());
      assertEquals(BulkLoadTest.INDEXES.size(), IndexAgreement.assertIndexesAgree(jobs));
      assertEquals(BulkLoadTest.INDEXES.size(), jobs.getIndexes().stream()
          .filter(i -> i instanceof PersistedOrderedIndex p && p.isBuilt()).count(), "persisted and built");
    }
  }

  private static List<IndexKey> keys(Document key) {
    return key.entrySet().stream().map(e -> new IndexKey(e.getKey(), ((Number) e.getValue()).intValue() > 0)).toList();
  }
}
