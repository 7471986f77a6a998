// Reproduction of the "Chunk N not found" corruption of issue 15 with mongo-java-server's H2Backend,
// in process (no wire), with the workload of the issue: batches of 100 jobs of ~2.5 KB, and a
// second thread that keeps scanning the collection the way the claim query does.
//
// Run (from tools/embedded-mongo):
//   mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
//   java -cp "$(cat target/cp.txt)" repro/H2ChunkRepro.java FILE JOBS AUTO_COMMIT_MS SCANNERS [OTHER_WRITERS=true|false] [VERSIONS_TO_KEEP]
// Prints one line per 5,000 jobs, then REOPEN ok/FAILED with the count it reads back.
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.mvstore.MVStore;

public class H2ChunkRepro {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int jobs = Integer.parseInt(args[1]);
    int autoCommit = Integer.parseInt(args[2]);
    int scanners = Integer.parseInt(args[3]);
    boolean otherWriters = args.length > 4 && Boolean.parseBoolean(args[4]);
    int versionsToKeep = args.length > 5 ? Integer.parseInt(args[5]) : -1;
    Files.deleteIfExists(file);
    MVStore store = new MVStore.Builder().fileName(file.toString()).open();
    store.setAutoCommitDelay(autoCommit);
    if (versionsToKeep >= 0) store.setVersionsToKeep(versionsToKeep);
    H2Backend backend = new H2Backend(store);
    MongoDatabase db = backend.resolveDatabase("repro");
    @SuppressWarnings("unchecked")
    MongoCollection<Object> jobsColl = (MongoCollection<Object>) db.createCollectionOrThrowIfExists("jobs");
    String result = "x".repeat(2000);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong scans = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < scanners; s++) {
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) {
            for (Document d : jobsColl.handleQuery(new Document("status", "pending"))) { d.size(); }
            scans.incrementAndGet();
          }
        } catch (Throwable e) { failure.compareAndSet(null, new RuntimeException("scanner", e)); stop.set(true); }
      });
      t.start();
      threads.add(t);
    }
    // Writes that do not wait for the jobs collection's lock, as the oplog entries and the other
    // collections' writes of the app's other connections do: they make new MVStore versions
    // while a scan of the jobs collection is running.
    @SuppressWarnings("unchecked")
    MongoCollection<Object> oplog = (MongoCollection<Object>) db.createCollectionOrThrowIfExists("oplog");
    if (otherWriters) {
      Thread t = new Thread(() -> {
        try {
          long i = 0;
          while (!stop.get()) {
            oplog.insertDocuments(List.of(new Document("_id", new ObjectId()).append("i", i++).append("op", "i")), true);
            if (i % 50 == 0) Thread.sleep(1);
          }
        } catch (Throwable e) { failure.compareAndSet(null, new RuntimeException("other writer", e)); stop.set(true); }
      });
      t.start();
      threads.add(t);
    }
    long t0 = System.nanoTime();
    int inserted = 0;
    try {
      while (inserted < jobs && !stop.get()) {
        List<Document> batch = new ArrayList<>();
        ObjectId batchId = new ObjectId();
        for (int i = 0; i < 100; i++) {
          Document d = new Document("_id", new ObjectId());
          d.put("batch_id", batchId);
          d.put("status", inserted + i > jobs * 98 / 100 ? "pending" : "completed");
          d.put("priority", i % 3);
          d.put("created_at", java.time.Instant.now());
          d.put("parameters", new Document("title", "Session " + i).append("room", "A" + i).append("speaker", "Someone"));
          d.put("result", result);
          batch.add(d);
        }
        jobsColl.insertDocuments(batch, true);
        inserted += 100;
        if (inserted % 2000 == 0) {
          System.out.printf("%d jobs %.1fs file=%dMB scans=%d%n", inserted, (System.nanoTime() - t0) / 1e9,
              Files.size(file) >> 20, scans.get());
        }
      }
    } catch (Throwable e) { failure.compareAndSet(null, new RuntimeException("jobs writer", e)); }
    stop.set(true);
    for (Thread t : threads) t.join();
    if (failure.get() != null) {
      System.out.println("FAILED after " + inserted + " jobs in " + (System.nanoTime() - t0) / 1_000_000_000 + " s: " + failure.get());
      Throwable root = failure.get().getCause() != null ? failure.get().getCause() : failure.get();
      StackTraceElement[] frames = root.getStackTrace();
      for (int i = 0; i < Math.min(14, frames.length); i++) System.out.println("    at " + frames[i]);
    }
    try { backend.close(); } catch (Throwable e) { System.out.println("CLOSE FAILED: " + e); }
    try {
      H2Backend reopened = new H2Backend(new MVStore.Builder().fileName(file.toString()).open());
      int n = reopened.resolveDatabase("repro").resolveCollection("jobs", true).count();
      reopened.close();
      System.out.println("REOPEN ok count=" + n + " of " + inserted + " file=" + (Files.size(file) >> 20) + "MB");
    } catch (Throwable e) {
      System.out.println("REOPEN FAILED: " + e);
    }
  }
}
