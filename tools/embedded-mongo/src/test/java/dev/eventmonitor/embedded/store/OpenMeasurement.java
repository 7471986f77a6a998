package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.index.IndexedRocksBackend;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a RocksDB data directory with N jobs carrying the app's job indexes, then times reopens
 * with persisted and with in-memory indexes (wall and CPU of this thread, where a rebuild runs;
 * CPU of the process; heap after) and the claim and job page p50 after each. A measurement, not a
 * test:
 *
 * <pre>
 * mvn -q -f tools/embedded-mongo/pom.xml package
 * java -Xmx8g -cp tools/embedded-mongo/target/embedded-mongo.jar:tools/embedded-mongo/target/junit/test-classes \
 *   dev.eventmonitor.embedded.store.OpenMeasurement 1000000 /tmp/open-measure [modes, default
 *   persisted,memory,persisted,persisted]
 * </pre>
 */
public final class OpenMeasurement {

  private static final String MARKDOWN = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(36);

  /** The job indexes of libs/domain/src/lib/models/indexes.ts (non-unique ones and job_id). */
  private static final List<Document> JOB_INDEXES = List.of(
      idx("job_id_1", true, "job_id", 1),
      idx("claim", false, "status", 1, "priority", -1, "created_at", 1),
      idx("claim_type", false, "status", 1, "job_type", 1, "priority", -1, "created_at", 1),
      idx("batch_status", false, "batch_id", 1, "status", 1, "created_at", 1, "_id", 1),
      idx("batch_created", false, "batch_id", 1, "created_at", 1, "_id", 1),
      idx("lease", false, "status", 1, "lease.expires_at", 1),
      idx("status", false, "status", 1),
      idx("batch", false, "batch_id", 1),
      idx("created", false, "created_at", 1),
      idx("user", false, "user_id", 1),
      idx("updated", false, "updated_at", 1, "_id", 1),
      idx("created_id", false, "created_at", 1, "_id", 1),
      idx("status_created", false, "status", 1, "created_at", 1, "_id", 1),
      idx("md", false, "results.markdown_file", 1),
      idx("assets", false, "results.assets", 1),
      idx("files", false, "result_files", 1),
      idx("completed", false, "status", 1, "completed_at", -1));

  private static Document idx(String name, boolean unique, Object... keyValues) {
    Document key = new Document();
    for (int i = 0; i < keyValues.length; i += 2) {
      key.put((String) keyValues[i], keyValues[i + 1]);
    }
    Document index = new Document("key", key).append("name", name);
    if (unique) {
      index.append("unique", true);
    }
    return index;
  }

  /** CPU of every thread of this JVM (RocksDB's own threads, the collector, parallel sorts). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!Files.exists(dir.resolve("CURRENT"))) {
      long started = System.nanoTime();
      IndexedRocksBackend backend = new IndexedRocksBackend(RocksStore.open(dir));
      MongoDatabase db = backend.resolveDatabase("scale");
      db.handleCommand(new EmbeddedChannel(), "createIndexes",
          new Document("createIndexes", "event_jobs").append("indexes", JOB_INDEXES), null,
          de.bwaldvogel.mongo.oplog.NoopOplog.get());
      MongoCollection<?> jobs = db.resolveCollection("event_jobs", true);
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      List<Document> chunk = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String batch = "batch-" + (i / 100);
        boolean pending = i >= n - Math.max(200, n / 50);
        Document job = new Document("_id", new de.bwaldvogel.mongo.bson.ObjectId())
            .append("job_id", "job-" + i).append("batch_id", batch).append("job_type", "transcribe")
            .append("status", pending ? "pending" : "completed").append("priority", i % 3)
            .append("created_at", t0.plusSeconds(i)).append("updated_at", t0.plusSeconds(i + 60))
            .append("user_id", "user-" + (i % 7))
            .append("parameters", new Document("event", "FOSDEM").append("session", "s" + i).append("target_language", "de"))
            .append("access_control", new Document("visibility", "private").append("read_access", List.of()));
        if (!pending) {
          job.append("completed_at", t0.plusSeconds(i + 120))
              .append("results", new Document("markdown_file", "sessions/FOSDEM/de/s" + i + ".md").append("markdown_content", MARKDOWN))
              .append("result_files", List.of("sessions/FOSDEM/de/s" + i + ".md"));
        }
        chunk.add(job);
        if (chunk.size() == 1000) {
          jobs.insertDocuments(chunk, true);
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        jobs.insertDocuments(chunk, true);
      }
      backend.close();
      System.out.printf("filled %d jobs in %.1f s%n", n, (System.nanoTime() - started) / 1e9);
    }
    // in-memory indexes (rebuilt at every open) against persisted ones, on the same store: the
    // memory open forgets the persisted indexes, so the next persisted open builds them once
    String[] modes = args.length > 2 ? args[2].split(",")
        : new String[] {"persisted", "memory", "persisted", "persisted"};
    for (int round = 0; round < modes.length; round++) {
      boolean persist = modes[round].equals("persisted");
      System.gc();
      long cpu = threads.getCurrentThreadCpuTime();
      long processCpu = processCpuNanos();
      long started = System.nanoTime();
      RocksStore store = RocksStore.open(dir);
      store.setPersistIndexes(persist);
      IndexedRocksBackend backend = new IndexedRocksBackend(store);
      MongoCollection<?> jobs = backend.resolveDatabase("scale").resolveCollection("event_jobs", true);
      int count = jobs.count();
      double wall = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      double processCpuSeconds = (processCpuNanos() - processCpu) / 1e9;
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heap = rt.totalMemory() - rt.freeMemory();
      double[] p50 = queries(jobs, n);
      System.out.printf("open %d (%s indexes): %d jobs, wall %.1f s, cpu (this thread) %.1f s, cpu (process) %.1f s, "
          + "heap after %.0f MB, load average %.1f; claim p50 %.2f ms, job page p50 %.2f ms%n",
          round, modes[round], count, wall, cpuSeconds, processCpuSeconds, heap / 1e6,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), p50[0], p50[1]);
      backend.close();
    }
  }

  /** Median of 51 claims (the domain's findAndModify) and 51 first job pages of one batch, in ms. */
  private static double[] queries(MongoCollection<?> jobs, int n) {
    Document claim = new Document("query", new Document("status", "pending"))
        .append("sort", new Document("priority", -1).append("created_at", 1))
        .append("update", new Document("$set", new Document("status", "processing")))
        .append("new", true);
    Document page = new Document("query", new Document("batch_id", "batch-" + (n / 200)))
        .append("orderby", new Document("created_at", 1).append("_id", 1));
    int rounds = 51;
    double[] claims = new double[rounds];
    double[] pages = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t = System.nanoTime();
      if (jobs.findAndModify(claim).get("value") == null) {
        throw new IllegalStateException("no pending job left");
      }
      claims[r] = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      int rows = 0;
      for (Document d : jobs.handleQuery(new de.bwaldvogel.mongo.backend.QueryParameters(page, 0, 51))) {
        rows += d == null ? 0 : 1;
      }
      if (rows != 51) {
        throw new IllegalStateException("short page: " + rows);
      }
      pages[r] = (System.nanoTime() - t) / 1e6;
    }
    java.util.Arrays.sort(claims);
    java.util.Arrays.sort(pages);
    return new double[] {claims[rounds / 2], pages[rounds / 2]};
  }
}
