package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ordered index over the RocksDB store, rebuilt from the stored documents when it is reopened. */
class IndexedRocksTest {

  private static List<Document> claim(MongoCollection<?> jobs, int limit) {
    Document selector = doc("query", doc("status", "pending"), "orderby", doc("priority", -1, "created_at", 1));
    List<Document> out = new ArrayList<>();
    jobs.handleQuery(new QueryParameters(selector, 0, limit)).forEach(out::add);
    return out;
  }

  private static List<Object> ids(List<Document> documents) {
    return documents.stream().map(d -> d.get("_id")).toList();
  }

  @Test
  void theIndexServesTheClaimAndIsRebuiltWhenTheStoreIsReopened(@TempDir Path dir) throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    IndexedRocksBackend backend = new IndexedRocksBackend(RocksStore.open(dir));
    MongoDatabase db = backend.resolveDatabase("test");
    db.handleCommand(new EmbeddedChannel(), "createIndexes", doc("createIndexes", "jobs", "indexes",
        List.of(doc("key", doc("status", 1, "priority", -1, "created_at", 1), "name", "claim"))),
        null, NoopOplog.get());
    MongoCollection<?> jobs = db.resolveCollection("jobs", true);
    for (int i = 0; i < 2_000; i++) {
      jobs.addDocument(doc("_id", "job-" + i, "status", i % 100 == 0 ? "pending" : "completed",
          "priority", i % 3, "created_at", t0.plusSeconds(i), "payload", "x".repeat(100)));
    }
    // an update moves a document in the index; the store keeps the new version
    jobs.updateDocuments(doc("_id", "job-300"), doc("$set", doc("priority", 5)), ArrayFilters.empty(), false, false,
        NoopOplog.get());
    List<Document> before = claim(jobs, 5);
    assertEquals(List.of("job-300", "job-200", "job-500", "job-800", "job-1100"), ids(before));
    QueryStats.Last last = ((IndexedCollection) jobs).queryStats().last();
    assertEquals("claim", last.index());
    assertTrue(last.examined() <= 6, "examined " + last);
    backend.close();

    IndexedRocksBackend reopened = new IndexedRocksBackend(RocksStore.open(dir));
    try {
      MongoCollection<?> again = reopened.resolveDatabase("test").resolveCollection("jobs", true);
      assertEquals(before, claim(again, 5));
      last = ((IndexedCollection) again).queryStats().last();
      assertEquals("claim", last.index());
      assertTrue(last.examined() <= 6, "examined after reopen " + last);
      // the rebuilt index holds every document once, and a query it cannot serve still scans correctly
      assertEquals(2_000, again.count());
      List<Document> completed = new ArrayList<>();
      again.handleQuery(new QueryParameters(doc("query", doc("payload", "x".repeat(100), "priority", 5)), 0, 0))
          .forEach(completed::add);
      assertEquals(List.of("job-300"), ids(completed));
    } finally {
      reopened.close();
    }
  }
}
