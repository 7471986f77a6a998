package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import dev.eventmonitor.embedded.store.RocksCollection;
import dev.eventmonitor.embedded.store.RocksDatabase;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.Channel;
import java.util.List;

/** The RocksDB database with ordered secondary indexes (rebuilt in memory at open). */
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
    return new OrderedIndex<>(indexName, keys, sparse, Long::compare);
  }

  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
      Oplog oplog) {
    Document answer = IndexCommands.handle(this, command, query, databaseResolver, oplog);
    return answer != null ? answer : super.handleCommand(channel, command, query, databaseResolver, oplog);
  }
}
