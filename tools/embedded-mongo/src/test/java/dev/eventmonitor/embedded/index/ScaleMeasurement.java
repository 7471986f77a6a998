package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints claim and job-page p50 at 1,000 and 100,000 jobs for mongo-java-server's plain in-memory
 * collection (every non-unique index an EmptyIndex: "before") and ours ("after"), in process (no
 * wire, no driver), and the 100k / 1k ratios. A measurement, not a test:
 *
 * <pre>
 * mvn -q -f tools/embedded-mongo/pom.xml package
 * java -Xmx4g -cp tools/embedded-mongo/target/embedded-mongo.jar:tools/embedded-mongo/target/test-classes \
 *   dev.eventmonitor.embedded.index.ScaleMeasurement
 * </pre>
 *
 * Jobs as in issue 15: batches of 100, a 2 KB markdown result, the last 2 % of batches pending
 * (at least two batches).
 */
public final class ScaleMeasurement {

  private static final int ROUNDS = 101;
  private static final String MARKDOWN = "x".repeat(2048);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private ScaleMeasurement() {}

  public static void main(String[] args) {
    int[] sizes = {1_000, 100_000};
    double[][] results = new double[4][2]; // [before claim, before page, after claim, after page][size]
    // one discarded pass of each at 1,000 jobs: the JIT compiles both paths before anything is timed
    measure(1_000, false);
    measure(1_000, true);
    for (int s = 0; s < sizes.length; s++) {
      for (boolean indexed : new boolean[] {false, true}) {
        double[] p50 = measure(sizes[s], indexed);
        results[indexed ? 2 : 0][s] = p50[0];
        results[indexed ? 3 : 1][s] = p50[1];
        System.gc();
      }
    }
    String[] names = {"before: claim", "before: job page", "after: claim", "after: job page"};
    System.out.println("| collection: query | p50 at 1,000 jobs | p50 at 100,000 jobs | ratio 100k / 1k |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (int i = 0; i < names.length; i++) {
      System.out.printf("| %s | %.3f ms | %.3f ms | %.1fx |%n", names[i], results[i][0], results[i][1],
          results[i][1] / results[i][0]);
    }
  }

  private static double[] measure(int jobs, boolean indexed) {
    IndexedMemoryDatabase database = new IndexedMemoryDatabase("measure", new CursorRegistry());
    MongoCollection<Integer> c = indexed
        ? new IndexedMemoryCollection(database, "jobs", CollectionOptions.withDefaults(), new CursorRegistry())
        : new MemoryCollection(database, "jobs", CollectionOptions.withDefaults(), new CursorRegistry());
    c.addIndex(new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)), false));
    if (indexed) {
      c.addIndex(new OrderedIndex<>("claim", List.of(new IndexKey("status", true), new IndexKey("priority", false),
          new IndexKey("created_at", true)), false, Integer::compare));
      c.addIndex(new OrderedIndex<>("page", List.of(new IndexKey("batch_id", true), new IndexKey("created_at", true),
          new IndexKey("_id", true)), false, Integer::compare));
    }
    int batches = jobs / 100;
    int pendingFrom = batches - Math.max(2, batches / 50); // at least ROUNDS pending jobs
    for (int i = 0; i < jobs; i++) {
      int batch = i / 100;
      boolean pending = batch >= pendingFrom;
      Document job = new Document("_id", new ObjectId());
      job.put("job_id", "job-" + i);
      job.put("batch_id", "batch-" + batch);
      job.put("status", pending ? "pending" : "completed");
      job.put("priority", 0);
      job.put("created_at", T0.plusMillis(i));
      job.put("parameters", new Document("event", "conference").append("session", "session " + i));
      if (!pending) {
        job.put("results", new Document("markdown", MARKDOWN));
      }
      c.addDocument(job);
    }
    Document claim = new Document("query", new Document("status", "pending")
        .append("batch_active", new Document("$ne", false)).append("archived", new Document("$ne", true)))
        .append("sort", new Document("priority", -1).append("created_at", 1))
        .append("update", new Document("$set", new Document("status", "processing")))
        .append("new", true);
    Document page = new Document("query", new Document("batch_id", "batch-" + (batches / 2)))
        .append("orderby", new Document("created_at", 1).append("_id", 1));
    double[] claimMs = new double[ROUNDS];
    double[] pageMs = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long t = System.nanoTime();
      if (c.findAndModify(claim).get("value") == null) {
        throw new IllegalStateException("no pending job left");
      }
      claimMs[r] = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      if (run(c, page) != 51 && jobs >= 100) {
        // a batch has 100 jobs: the page is always full
        throw new IllegalStateException("short page");
      }
      pageMs[r] = (System.nanoTime() - t) / 1e6;
    }
    return new double[] {median(claimMs), median(pageMs)};
  }

  private static int run(MongoCollection<Integer> c, Document page) {
    List<Document> out = new ArrayList<>();
    c.handleQuery(new QueryParameters(page, 0, 51)).forEach(out::add);
    return out.size();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
