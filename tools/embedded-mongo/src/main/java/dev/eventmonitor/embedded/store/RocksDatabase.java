package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.ArrayList;
import java.util.List;

/** A database of the {@link RocksStore}; its collections are {@link RocksCollection}s. */
public class RocksDatabase extends AbstractSynchronizedMongoDatabase<Long> {

  private final RocksStore store;
  /** Collections opened while this database opens; their indexes are filled afterwards. */
  private List<RocksCollection> opening = new ArrayList<>();

  public RocksDatabase(String databaseName, RocksStore store, CursorRegistry cursorRegistry) {
    super(databaseName, cursorRegistry);
    this.store = store;
    initializeNamespacesAndIndexes();
    List<RocksCollection> opened = opening;
    opening = null;
    for (RocksCollection collection : opened) {
      collection.finishOpen();
    }
  }

  @Override
  protected synchronized MongoCollection<Long> openOrCreateCollection(String collectionName, CollectionOptions options) {
    long id = store.openOrCreateCollection(getFullCollectionNamespace(collectionName));
    RocksCollection collection = newCollection(collectionName, options, store, id);
    if (opening != null) {
      opening.add(collection);
    } else {
      collection.finishOpen();
    }
    return collection;
  }

  /**
   * Creates the collection object; a subclass returns its own {@link RocksCollection} subtype
   * (e.g. one that answers queries through ordered secondary indexes, which it then creates in
   * {@code openOrCreateSecondaryIndex}: they are filled at open like the unique indexes).
   */
  protected RocksCollection newCollection(String collectionName, CollectionOptions options, RocksStore store, long id) {
    return new RocksCollection(this, collectionName, options, cursorRegistry, store, id);
  }

  /** The store under this database (for a subclass's persisted indexes). */
  protected RocksStore store() {
    return store;
  }

  /** The store id of a collection of this database (created when missing). */
  protected long collectionId(String collectionName) {
    return store.openOrCreateCollection(getFullCollectionNamespace(collectionName));
  }

  @Override
  protected Index<Long> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new InMemoryUniqueIndex<>(indexName, keys, sparse);
  }

  @Override
  public void dropCollection(String collectionName, Oplog oplog) {
    MongoCollection<Long> collection = resolveCollection(collectionName, true);
    super.dropCollection(collectionName, oplog);
    store.dropCollection(collection.getFullName(), ((RocksCollection) collection).collectionId());
  }

  @Override
  public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
    String oldFullName = collection.getFullName();
    super.moveCollection(oldDatabase, collection, newCollectionName);
    store.renameCollection(oldFullName, getFullCollectionNamespace(newCollectionName),
        ((RocksCollection) collection).collectionId());
  }

  @Override
  protected long getStorageSize() {
    return store.diskSize();
  }

  @Override
  protected long getFileSize() {
    return store.diskSize();
  }
}
