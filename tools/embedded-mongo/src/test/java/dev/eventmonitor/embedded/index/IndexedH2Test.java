package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same index over the H2 store (positions are _id values), rebuilt when the file is reopened. */
class IndexedH2Test {

  private static List<Document> claim(MongoCollection<?> jobs, int limit) {
    Document selector = doc("query", doc("status", "pending"), "orderby", doc("priority", -1, "created_at", 1));
    List<Document> out = new ArrayList<>();
    jobs.handleQuery(new QueryParameters(selector, 0, limit)).forEach(out::add);
    return out;
  }

  @Test
  void theIndexServesTheClaimAndIsRebuiltWhenTheFileIsReopened(@TempDir Path dir) {
    String file = dir.resolve("data.mv").toString();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    IndexedH2Backend backend = new IndexedH2Backend(new MVStore.Builder().fileName(file).open());
    MongoDatabase db = backend.resolveDatabase("test");
    db.handleCommand(new EmbeddedChannel(), "createIndexes", doc("createIndexes", "jobs", "indexes",
        List.of(doc("key", doc("status", 1, "priority", -1, "created_at", 1), "name", "claim"))),
        null, NoopOplog.get());
    MongoCollection<?> jobs = db.resolveCollection("jobs", true);
    for (int i = 0; i < 2_000; i++) {
      jobs.addDocument(doc("_id", "job-" + i, "status", i % 100 == 0 ? "pending" : "completed",
          "priority", i % 3, "created_at", t0.plusSeconds(i)));
    }
    List<Document> before = claim(jobs, 5);
    assertEquals(List.of("job-200", "job-500", "job-800", "job-1100", "job-1400"),
        before.stream().map(d -> d.get("_id")).toList());
    QueryStats.Last last = ((IndexedCollection) jobs).queryStats().last();
    assertEquals("claim", last.index());
    assertTrue(last.examined() <= 6, "examined " + last);
    backend.close();

    IndexedH2Backend reopened = new IndexedH2Backend(new MVStore.Builder().fileName(file).open());
    MongoCollection<?> again = reopened.resolveDatabase("test").resolveCollection("jobs", true);
    assertEquals(before, claim(again, 5));
    last = ((IndexedCollection) again).queryStats().last();
    assertEquals("claim", last.index());
    assertTrue(last.examined() <= 6, "examined after reopen " + last);
    reopened.close();
  }
}
