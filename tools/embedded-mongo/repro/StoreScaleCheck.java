// Start-up time and file size of the RocksDB store at scale (issue 15: 1,000,000 jobs of ~2.5 KB
// start in under 30 s; the files at most 3x the documents' BSON size after compaction).
//
//   mvn -q compile && java -cp "target/classes:$(cat target/cp.txt)" repro/StoreScaleCheck.java DIR JOBS
// Fills DIR (must not exist) with JOBS jobs in batches of 100 through the backend, closes it,
// then opens it again as the launcher does and prints the timings and sizes.
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public class StoreScaleCheck {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int jobs = Integer.parseInt(args[1]);
    Random random = new Random(42);
    String[] words = "the session talk about data pipeline keynote panel speaker room schedule abstract results monitoring event python worker conference track workshop hall chair question answer".split(" ");
    long bsonBytes = 0;
    long t0 = System.nanoTime();
    RocksBackend backend = new RocksBackend(RocksStore.open(dir));
    @SuppressWarnings("unchecked")
    MongoCollection<Object> coll = (MongoCollection<Object>) backend.resolveDatabase("event-monitor").createCollectionOrThrowIfExists("jobs");
    for (int inserted = 0; inserted < jobs; inserted += 100) {
      List<Document> batch = new ArrayList<>(100);
      ObjectId batchId = new ObjectId();
      for (int i = 0; i < 100; i++) {
        StringBuilder md = new StringBuilder("# Session ").append(inserted + i).append("\n\n");
        while (md.length() < 2000) {
          md.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? ".\n" : " ");
        }
        Document d = new Document("_id", new ObjectId()).append("batch_id", batchId)
            .append("status", "completed").append("priority", random.nextInt(3))
            .append("created_at", Instant.now()).append("updated_at", Instant.now())
            .append("parameters", new Document("title", "Session " + i).append("room", "Hall " + random.nextInt(20))
                .append("speaker", "Speaker " + random.nextInt(5000)).append("starts_at", Instant.now()))
            .append("result", new Document("markdown", md.toString()));
        batch.add(d);
      }
      coll.insertDocuments(batch, true);
      if ((inserted + 100) % 100_000 == 0) {
        System.out.printf("%,d jobs inserted in %.1f s%n", inserted + 100, (System.nanoTime() - t0) / 1e9);
      }
    }
    bsonBytes = coll.getStats().get("size") instanceof Number n ? n.longValue() : -1;
    long beforeCompact = backend.store().diskSize();
    long tc = System.nanoTime();
    backend.store().compact();
    System.out.printf("compaction %.1f s%n", (System.nanoTime() - tc) / 1e9);
    long afterCompact = backend.store().diskSize();
    backend.close();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu1 = threads.getCurrentThreadCpuTime();
    long t1 = System.nanoTime();
    RocksBackend reopened = new RocksBackend(RocksStore.open(dir));
    int count = reopened.resolveDatabase("event-monitor").resolveCollection("jobs", true).count();
    double open = (System.nanoTime() - t1) / 1e9;
    double openCpu = (threads.getCurrentThreadCpuTime() - cpu1) / 1e9;
    reopened.close();
    System.out.printf("jobs=%,d bson=%,d B files before compaction=%,d B (%.2fx) after=%,d B (%.2fx) reopen=%.1f s (main-thread CPU %.1f s) count=%,d%n",
        jobs, bsonBytes, beforeCompact, beforeCompact / (double) bsonBytes, afterCompact, afterCompact / (double) bsonBytes, open, openCpu, count);
  }
}
