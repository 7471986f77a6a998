package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * The twin over RocksDB: a store with persisted ordered indexes against one without them (the same
 * natural order), both closed and reopened every 500 rounds, so the indexes read after a reopen
 * are the persisted ones, not rebuilt.
 */
final class RocksTwin implements Twin, AutoCloseable {
  private final Path dir;
  private IndexedRocksBackend indexedBackend;
  private RocksBackend plainBackend;
  int reopens;

  /** `indexes`: the createIndexes specs (`{key, name}`) both stores get. */
  RocksTwin(Path dir, List<Document> indexes) throws Exception {
    this.dir = dir;
    open();
    Document command = new Document("createIndexes", "jobs").append("indexes", indexes);
    indexedBackend.resolveDatabase("test").handleCommand(new EmbeddedChannel(), "createIndexes", command, null, NoopOplog.get());
    plainBackend.resolveDatabase("test").handleCommand(new EmbeddedChannel(), "createIndexes", command, null, NoopOplog.get());
  }

  private void open() throws Exception {
    indexedBackend = new IndexedRocksBackend(RocksStore.open(dir.resolve("indexed")));
    plainBackend = new RocksBackend(RocksStore.open(dir.resolve("plain")));
  }

  @Override
  public MongoCollection<?> indexed() {
    return indexedBackend.resolveDatabase("test").resolveCollection("jobs", true);
  }

  @Override
  public MongoCollection<?> plain() {
    return plainBackend.resolveDatabase("test").resolveCollection("jobs", true);
  }

  @Override
  public void checkpoint(int round) {
    if (round % 500 == 0) {
      close();
      try {
        open();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      reopens++;
    }
  }

  @Override
  public void close() {
    indexedBackend.close();
    plainBackend.close();
  }
}
