package dev.eventmonitor.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.CollectionBackedOplog;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mongo-java-server's oplog (behind change streams), kept to its newest {@code cap} entries.
 *
 * <p>mongo-java-server's own oplog is an in-memory collection that is never trimmed, and every
 * inserted document is copied into it whole: a server that stores 1,000,000 jobs also holds
 * 1,000,000 copies of them in its heap, even with the data on disk. MongoDB caps its oplog too
 * (by size). Entries older than the newest {@code cap} are removed in steps of {@code cap / 10},
 * so each write costs a constant share of one scan. A change stream resumed from a removed
 * position continues with the oldest entry kept (MongoDB would report the history as lost); the
 * app itself polls on this server (libs/domain change-feed.ts), so only tests use change streams.
 */
public final class CappedOplog extends CollectionBackedOplog {

  static final String OPLOG_COLLECTION = "oplog.rs";
  /** Entries kept: ~25 MB of the bench's 2.5 KB jobs, minutes of history at a busy rate. */
  public static final int DEFAULT_CAP = 10_000;

  private final MongoCollection<Document> collection;
  private final int cap;
  private final int step;
  private final AtomicLong writesSinceTrim = new AtomicLong();
  private final AtomicBoolean trimming = new AtomicBoolean();

  private CappedOplog(MongoBackend backend, MongoCollection<Document> collection, CursorRegistry cursorRegistry,
      int cap) {
    super(backend, collection, cursorRegistry);
    this.collection = collection;
    this.cap = cap;
    this.step = Math.max(1, cap / 10);
  }

  @SuppressWarnings("unchecked")
  public static CappedOplog create(MongoBackend backend, CursorRegistry cursorRegistry, int cap) {
    MongoDatabase local = backend.resolveDatabase("local");
    MongoCollection<Document> collection = (MongoCollection<Document>) local.resolveCollection(OPLOG_COLLECTION, false);
    if (collection == null) {
      collection = (MongoCollection<Document>) local.createCollectionOrThrowIfExists(OPLOG_COLLECTION);
    }
    return new CappedOplog(backend, collection, cursorRegistry, cap);
  }

  @Override
  public void handleInsert(String namespace, List<Document> documents) {
    super.handleInsert(namespace, documents);
    wrote(documents.size());
  }

  @Override
  public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
    super.handleUpdate(namespace, selector, query, modifiedIds);
    wrote(modifiedIds.size());
  }

  @Override
  public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
    super.handleDelete(namespace, query, deletedIds);
    wrote(deletedIds.size());
  }

  @Override
  public void handleDropCollection(String namespace) {
    super.handleDropCollection(namespace);
    wrote(1);
  }

  private void wrote(int entries) {
    if (writesSinceTrim.addAndGet(entries) < step || !trimming.compareAndSet(false, true)) {
      return;
    }
    try {
      writesSinceTrim.set(0);
      trim();
    } finally {
      trimming.set(false);
    }
  }

  /** Removes every entry older than the newest {@code cap}. */
  void trim() {
    int excess = collection.count() - cap;
    if (excess <= 0) {
      return;
    }
    // The in-memory collection reuses freed slots, so its natural order is not time order: sort.
    BsonTimestamp last = collection.queryAllAsStream()
        .map(entry -> (BsonTimestamp) entry.get("ts"))
        .sorted()
        .skip(excess - 1L)
        .findFirst()
        .orElse(null);
    if (last != null) {
      collection.deleteDocuments(new Document("ts", new Document("$lte", last)), 0);
    }
  }

  int size() {
    return collection.count();
  }
}
