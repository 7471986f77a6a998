package dev.eventmonitor.embedded.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
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
 * SIGKILL of a JVM that is writing, at a random moment, then reopen: every write it acknowledged
 * is there (the documented loss window for a killed process is nothing) and every document reads.
 */
class CrashTest {

  private static final int CYCLES = 6;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Path storeDir = dir.resolve("store");
    Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
    Set<Long> inserted = new HashSet<>();
    Set<Long> deleted = new HashSet<>();
    // Deletes sent but not acknowledged when the writer was killed: either outcome is correct.
    Set<Long> deleting = new HashSet<>();
    long lastCounter = 0;
    long next = 1;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Process child = StoreTestSupport.startJava(CrashWriter.class.getName(), List.of(storeDir.toString(), Long.toString(next)));
      child.getOutputStream().close();
      // cycle 0 kills it while it opens (as soon as it prints anything); the others after 200-2000 writes
      int killAfter = cycle == 0 ? 0 : 200 + random.nextInt(1800);
      int writes = 0;
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        boolean killed = false;
        while ((line = lines.readLine()) != null) {
          if (line.startsWith("I ")) {
            inserted.add(Long.parseLong(line.substring(2)));
            writes++;
          } else if (line.startsWith("U ")) {
            lastCounter = Long.parseLong(line.substring(2));
          } else if (line.startsWith("T ")) {
            deleting.add(Long.parseLong(line.substring(2)));
          } else if (line.startsWith("D ")) {
            deleted.add(Long.parseLong(line.substring(2)));
          }
          if (!killed && writes >= killAfter && (killAfter > 0 || line.equals("READY"))) {
            // SIGKILL by kill(1): Process.destroyForcibly would also close our end of the pipe,
            // and the lines already in it were acknowledged
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start().waitFor();
            killed = true;
          }
        }
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "the writer must have been killed, not have failed: "
          + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

      try (var closer = new ReopenTest.Closer(StoreTestSupport.open(storeDir))) {
        MongoCollection<Object> jobs = StoreTestSupport.collection(closer.backend().resolveDatabase("em"), "jobs");
        Set<Long> stored = new HashSet<>();
        long max = 0;
        for (Document d : jobs.queryAll()) {
          assertNotNull(d.get("_id"));
          if (d.get("_id") instanceof Long id) {
            assertEquals("job-" + id, d.get("key"));
            stored.add(id);
            max = Math.max(max, id);
          }
        }
        for (long id : inserted) {
          if (!deleted.contains(id) && !deleting.contains(id)) {
            assertTrue(stored.contains(id), "cycle " + cycle + ": acknowledged insert of " + id + " is missing");
          }
        }
        for (long id : deleted) {
          assertTrue(!stored.contains(id), "cycle " + cycle + ": acknowledged delete of " + id + " is undone");
        }
        var counters = jobs.handleQuery(new Document("_id", "counter")).iterator();
        assertTrue(counters.hasNext(), "cycle " + cycle + ": the counter document (acknowledged) is missing");
        Document counter = counters.next();
        assertTrue(((Number) counter.get("v")).longValue() >= lastCounter,
            "cycle " + cycle + ": counter " + counter.get("v") + " < acknowledged " + lastCounter);
        assertEquals(stored.size() + 1, jobs.count());
        next = max + 1;
      }
    }
    assertTrue(inserted.size() > 500, "the writers wrote " + inserted.size() + " documents");
  }
}
