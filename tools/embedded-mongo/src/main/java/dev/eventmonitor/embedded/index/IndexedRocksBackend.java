package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoDatabase;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;

/** The RocksDB backend whose databases keep ordered secondary indexes. */
public final class IndexedRocksBackend extends RocksBackend {

  public IndexedRocksBackend(RocksStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase createDatabase(String databaseName) {
    return new IndexedRocksDatabase(databaseName, store(), getCursorRegistry());
  }
}
