package dev.eventmonitor.embedded.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a JVM writing to an indexed store, then reopen: every acknowledged write is there and
 * every ordered index holds exactly what the stored documents give (the indexes are built from the
 * documents at open, so a crash cannot leave them disagreeing; this checks that it stays so).
 */
class IndexedCrashTest {

  private static final int CYCLES = 3;

  @TempDir Path dir;

  @Test
  void afterSigkillTheIndexesAgreeWithTheDocuments() throws Exception {
    Path storeDir = dir.resolve("store");
    Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
    Set<String> inserted = new HashSet<>();
    Set<String> deleted = new HashSet<>();
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
          assertEquals(!deleted.contains(id), stored.contains(id), "cycle " + cycle + ": " + id);
        }
        assertEquals(BulkLoadTest.INDEXES.size(), IndexAgreement.assertIndexesAgree(jobs), "cycle " + cycle);
        assertEquals(List.of(), jobs.getIndexes().stream().filter(i -> i.getCount() > stored.size())
            .map(i -> i.getName()).toList(), "no index holds more entries than there are documents");
        next += 100_000; // fresh ids for the next writer
      }
    }
    assertTrue(inserted.size() > 900, "the writers wrote " + inserted.size() + " documents");
  }
}
