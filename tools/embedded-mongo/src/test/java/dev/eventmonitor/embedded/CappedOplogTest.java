package dev.eventmonitor.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.index.IndexedMemoryBackend;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The oplog keeps its newest entries only, whatever the number of writes. */
class CappedOplogTest {

  @SuppressWarnings("unchecked")
  private static List<BsonTimestamp> timestamps(IndexedMemoryBackend backend) {
    MongoCollection<Document> oplog = (MongoCollection<Document>) backend.resolveDatabase("local")
        .resolveCollection(CappedOplog.OPLOG_COLLECTION, true);
    return oplog.queryAllAsStream().map(d -> (BsonTimestamp) d.get("ts")).sorted().collect(Collectors.toList());
  }

  @Test
  void keepsTheNewestEntriesOnlyAndEveryOneOfThem() {
    IndexedMemoryBackend backend = new IndexedMemoryBackend();
    CappedOplog oplog = CappedOplog.create(backend, new de.bwaldvogel.mongo.backend.CursorRegistry(), 1_000);
    for (int i = 0; i < 25_000; i++) {
      oplog.handleInsert("db.jobs", List.of(new Document("_id", i).append("pad", "x".repeat(100))));
      if (i % 7 == 0) {
        oplog.handleUpdate("db.jobs", new Document("_id", i), new Document(), List.of(i));
      }
    }
    List<BsonTimestamp> kept = timestamps(backend);
    // Between cap and cap + one trim step (cap / 10); without the cap it holds all 28,572 entries.
    assertTrue(kept.size() >= 1_000 && kept.size() <= 1_100, "kept " + kept.size());
    // The newest entries, none missing in between: the kept timestamps are the last ones written.
    oplog.handleInsert("db.jobs", List.of(new Document("_id", "last")));
    List<BsonTimestamp> after = timestamps(backend);
    assertEquals(after.get(after.size() - 2), kept.get(kept.size() - 1));
    backend.close();
  }

  @Test
  void theLaunchersBackendsUseIt() {
    IndexedMemoryBackend backend = new IndexedMemoryBackend();
    backend.enableOplog();
    MongoCollection<?> jobs = backend.resolveDatabase("db").createCollectionOrThrowIfExists("jobs");
    for (int i = 0; i < CappedOplog.DEFAULT_CAP + CappedOplog.DEFAULT_CAP / 5; i++) {
      backend.handleCommand(new EmbeddedChannel(), "db", "insert",
          new Document("insert", "jobs").append("documents", List.of(new Document("_id", i))));
    }
    assertTrue(jobs.count() > CappedOplog.DEFAULT_CAP);
    int size = timestamps(backend).size();
    assertTrue(size <= CappedOplog.DEFAULT_CAP + CappedOplog.DEFAULT_CAP / 10, "oplog holds " + size);
    backend.close();
  }
}
