package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.oplog.Oplog;
import dev.eventmonitor.embedded.CappedOplog;
import de.bwaldvogel.mongo.MongoDatabase;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;

/** The RocksDB backend whose databases keep ordered secondary indexes. */
public final class IndexedRocksBackend extends RocksBackend {

  public IndexedRocksBackend(RocksStore store) {
    super(store);
  }

  @Override
  protected boolean persistsIndexes() {
    return store().persistIndexes();
  }

  @Override
  protected MongoDatabase createDatabase(String databaseName) {
    return new IndexedRocksDatabase(databaseName, store(), getCursorRegistry());
  }

  /** The oplog kept to its newest entries (mongo-java-server's own grows without bound). */
  @Override
  protected Oplog createOplog() {
    return CappedOplog.create(this, getCursorRegistry(), CappedOplog.DEFAULT_CAP);
  }
}
