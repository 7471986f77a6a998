package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;

import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Child JVM of {@link IndexedCrashTest}: opens an indexed store (creating the indexes of
 * {@link BulkLoadTest}), then inserts, updates and deletes jobs without end, printing one line
 * per write once it returned: {@code I n}, {@code U n}, {@code D n} for job n. Killed by SIGKILL.
 * With {@code build} instead of n: opens the store and prints {@code BUILDING} once the first
 * entries of a persisted index build are written, then waits to be killed.
 */
public final class IndexedCrashWriter {
  public static void main(String[] args) throws Exception {
    Path storeDir = Path.of(args[0]);
    if (args[1].equals("build")) {
      // open a store whose indexes are not persisted yet; stop (to be killed) inside the build
      PersistedOrderedIndex.afterBuildWrite = () -> {
        System.out.println("BUILDING");
        System.out.flush();
        try {
          Thread.sleep(120_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      new BulkLoadTest.Open(storeDir);
      System.out.println("BUILT");
      return;
    }
    long next = Long.parseLong(args[1]);
    Random random = new Random(next);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    BulkLoadTest.Open store = new BulkLoadTest.Open(storeDir);
    BulkLoadTest.createIndexes(store.db);
    IndexedRocksCollection jobs = store.jobs();
    out.println("READY");
    out.flush();
    for (long n = next; ; n++) {
      jobs.addDocument(BulkLoadTest.randomJob(random, n, t0));
      out.println("I " + n);
      if (n % 3 == 0) {
        BulkLoadTest.set(jobs, "job-" + (n - 1), doc("status", "completed", "priority", (int) (n % 5),
            "lease", doc("expires_at", t0.plusSeconds(n % 97))));
        out.println("U " + (n - 1));
      }
      if (n % 7 == 0) {
        // Announced first (see CrashWriter): an applied but unacknowledged delete is not a loss.
        out.println("T " + (n - 4));
        out.flush();
        jobs.deleteDocuments(doc("_id", "job-" + (n - 4)), 1, NoopOplog.get());
        out.println("D " + (n - 4));
      }
      out.flush();
    }
  }

  private IndexedCrashWriter() {}
}
