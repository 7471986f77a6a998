package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import dev.eventmonitor.embedded.store.IndexSpace;
import dev.eventmonitor.embedded.store.RocksCollection;
import dev.eventmonitor.embedded.store.RocksDatabase;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.Channel;
import java.util.List;

/**
 * The RocksDB database with ordered secondary indexes: persisted in the store
 * ({@link PersistedOrderedIndex}) when the store says so, else kept in memory and rebuilt at open.
 */
public final class IndexedRocksDatabase extends RocksDatabase {

  public IndexedRocksDatabase(String databaseName, RocksStore store, CursorRegistry cursorRegistry) {
    super(databaseName, store, cursorRegistry);
  }

  @Override
  protected RocksCollection newCollection(String collectionName, CollectionOptions options, RocksStore store, long id) {
    return new IndexedRocksCollection(this, collectionName, options, cursorRegistry, store, id);
  }

  @Override
  protected Index<Long> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
      boolean sparse) {
    RocksStore store = store();
    if (store.persistIndexes() && !hasIndex(collectionName, indexName)) {
      IndexSpace space = IndexSpace.open(store, collectionId(collectionName), indexName, PersistedOrderedIndex.spec(keys));
      return new PersistedOrderedIndex(indexName, keys, sparse, space);
    }
    return new OrderedIndex<>(indexName, keys, sparse, Long::compare);
  }

  /**
   * True when the collection already has an index of that name: a second declaration is only
   * compared with it (and dropped, or refused when its keys differ), so it must not touch the
   * stored one; it gets an in-memory object.
   */
  private boolean hasIndex(String collectionName, String indexName) {
    MongoCollection<Long> collection = resolveCollection(collectionName, false);
    return collection != null && collection.getIndexes().stream().anyMatch(i -> i.getName().equals(indexName));
  }

  @Override
  protected Index<Long> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
      boolean sparse) {
    RocksStore store = store();
    if (store.persistIndexes() && !hasIndex(collectionName, indexName)) {
      IndexSpace space = IndexSpace.open(store, collectionId(collectionName), indexName,
          PersistedUniqueIndex.spec(keys, sparse));
      return new PersistedUniqueIndex(indexName, keys, sparse, space);
    }
    return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
  }

  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
      Oplog oplog) {
    Document answer = IndexCommands.handle(this, command, query, databaseResolver, oplog);
    return answer != null ? answer : super.handleCommand(channel, command, query, databaseResolver, oplog);
  }
}
