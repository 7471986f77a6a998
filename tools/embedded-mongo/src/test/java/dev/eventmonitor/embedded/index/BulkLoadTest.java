package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store reopened fills its ordered indexes in bulk (collect, sort once, build) and they share
 * one id to position map per collection: the indexes must come out exactly as documents added one
 * by one give them, stay right under writes after the reopen, and answer queries as before.
 */
class BulkLoadTest {

  static final List<Document> INDEXES = List.of(
      doc("key", doc("status", 1, "priority", -1, "created_at", 1), "name", "claim"),
      doc("key", doc("batch_id", 1, "created_at", 1, "_id", 1), "name", "batch_created"),
      doc("key", doc("lease.expires_at", 1), "name", "lease"),
      doc("key", doc("mixed", -1), "name", "mixed"),
      doc("key", doc("tags", 1), "name", "tags"));

  /** A job with random values: missing and null fields, mixed number types, an occasional array. */
  static Document randomJob(Random random, long i, Instant t0) {
    Document job = doc("_id", "job-" + i, "status", List.of("pending", "completed", "failed").get(random.nextInt(3)),
        "priority", random.nextInt(4), "created_at", t0.plusMillis(random.nextInt(5_000)),
        "batch_id", "batch-" + random.nextInt(40), "payload", "x".repeat(random.nextInt(300)));
    switch (random.nextInt(4)) {
      case 0 -> job.put("lease", doc("expires_at", t0.plusSeconds(random.nextInt(100))));
      case 1 -> job.put("lease", null);
      case 2 -> job.put("lease", doc("worker", "w"));
      default -> { }
    }
    switch (random.nextInt(6)) {
      case 0 -> job.put("mixed", random.nextInt(10));
      case 1 -> job.put("mixed", (long) random.nextInt(10));
      case 2 -> job.put("mixed", random.nextInt(10) + 0.5);
      case 3 -> job.put("mixed", "s" + random.nextInt(10));
      case 4 -> job.put("mixed", null);
      default -> { }
    }
    if (random.nextInt(50) == 0) {
      job.put("tags", List.of("a", "b"));
    } else if (random.nextBoolean()) {
      job.put("tags", "t" + random.nextInt(5));
    }
    return job;
  }

  static void createIndexes(MongoDatabase db) {
    db.handleCommand(new EmbeddedChannel(), "createIndexes", doc("createIndexes", "jobs", "indexes", INDEXES), null,
        NoopOplog.get());
  }

  static void set(IndexedRocksCollection jobs, Object id, Document fields) {
    jobs.updateDocuments(doc("_id", id), doc("$set", fields), ArrayFilters.empty(), false, false, NoopOplog.get());
  }

  private static List<Object> ids(IndexedRocksCollection jobs, Document filter, Document sort, int limit) {
    List<Object> out = new ArrayList<>();
    jobs.handleQuery(new QueryParameters(doc("query", filter, "orderby", sort), 0, limit))
        .forEach(d -> out.add(d.get("_id")));
    return out;
  }

  private static List<List<Object>> queries(IndexedRocksCollection jobs) {
    return List.of(
        ids(jobs, doc("status", "pending"), doc("priority", -1, "created_at", 1), 25),
        ids(jobs, doc("batch_id", "batch-7"), doc("created_at", 1, "_id", 1), 51),
        ids(jobs, doc("lease.expires_at", doc("$lt", Instant.parse("2026-01-01T00:00:50Z"))), doc("lease.expires_at", 1), 0),
        ids(jobs, doc("mixed", doc("$gte", 3)), doc("mixed", -1), 0));
  }

  /** In-memory indexes are bulk loaded at every open; persisted ones are read from the store. */
  @ParameterizedTest(name = "persisted indexes: {0}")
  @ValueSource(booleans = {false, true})
  void aReopenedStoreHasTheIndexesItsDocumentsGiveAndKeepsThemUnderWrites(boolean persist, @TempDir Path dir)
      throws Exception {
    Random random = new Random(15);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<List<Object>> before;
    try (var store = Open.of(dir, persist)) {
      createIndexes(store.db);
      IndexedRocksCollection jobs = store.jobs();
      for (long i = 0; i < 3_000; i++) {
        jobs.addDocument(randomJob(random, i, t0));
      }
      for (int i = 0; i < 500; i++) {
        set(jobs, "job-" + random.nextInt(3_000), doc("status", "completed", "mixed", random.nextInt(5) + 0.25,
            "tags", random.nextInt(40) == 0 ? List.of("x") : "t9"));
      }
      jobs.deleteDocuments(doc("batch_id", "batch-3"), 0, NoopOplog.get());
      assertEquals(5, IndexAgreement.assertIndexesAgree(jobs));
      before = queries(jobs);
    }
    try (var store = Open.of(dir, persist)) {
      IndexedRocksCollection jobs = store.jobs();
      assertEquals(persist, jobs.getIndexes().stream().anyMatch(PersistedOrderedIndex.class::isInstance));
      assertEquals(5, IndexAgreement.assertIndexesAgree(jobs));
      assertEquals(before, queries(jobs));
      assertTrue(before.get(0).size() == 25 && before.get(1).size() > 20, "the queries found documents: " + before);
      // writes after a bulk load: removal and update find their entries through the shared positions
      for (int i = 0; i < 300; i++) {
        String id = "job-" + random.nextInt(3_000);
        switch (i % 3) {
          case 0 -> jobs.deleteDocuments(doc("_id", id), 1, NoopOplog.get());
          case 1 -> set(jobs, id, doc("priority", random.nextInt(9), "lease", doc("expires_at", t0.plusSeconds(i))));
          default -> jobs.addDocument(randomJob(random, 10_000 + i, t0));
        }
      }
      jobs.deleteDocuments(doc("tags", doc("$type", "array")), 0, NoopOplog.get());
      assertEquals(5, IndexAgreement.assertIndexesAgree(jobs));
      assertTrue(!((OrderedIndex<?>) jobs.getIndexes().stream().filter(x -> x.getName().equals("tags")).findFirst()
          .orElseThrow()).isMultikey(), "the last array is gone");
    }
  }

  /** One open store and its database "test". */
  static final class Open implements AutoCloseable {
    final IndexedRocksBackend backend;
    final MongoDatabase db;

    Open(Path dir) throws Exception {
      this(RocksStore.open(dir));
    }

    static Open of(Path dir, boolean persistIndexes) throws Exception {
      RocksStore store = RocksStore.open(dir);
      store.setPersistIndexes(persistIndexes);
      return new Open(store);
    }

    Open(RocksStore store) {
      backend = new IndexedRocksBackend(store);
      db = backend.resolveDatabase("test");
    }

    IndexedRocksCollection jobs() {
      return (IndexedRocksCollection) db.resolveCollection("jobs", true);
    }

    @Override
    public void close() {
      backend.close();
    }
  }
}
