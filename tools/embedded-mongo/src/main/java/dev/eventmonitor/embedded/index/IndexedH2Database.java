package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 database with ordered secondary indexes. The ordered indexes live in
 * memory: at open, mongo-java-server re-creates every declared index from its system.indexes
 * collection and fills it from the stored documents (AbstractMongoCollection.addIndex).
 */
public final class IndexedH2Database extends H2Database {

  /** H2Database's map names (package-private there): "databases.<db>.<coll>", "meta.<db>.<coll>". */
  private static final String DATA_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";

  /** The store while the super constructor opens the stored collections (before our field is set). */
  private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

  private final MVStore mvStore;

  static IndexedH2Database open(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
    OPENING.set(mvStore);
    try {
      return new IndexedH2Database(databaseName, mvStore, cursorRegistry);
    } finally {
      OPENING.remove();
    }
  }

  private IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
    super(databaseName, mvStore, cursorRegistry);
    this.mvStore = mvStore;
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
    MVStore store = mvStore != null ? mvStore : OPENING.get();
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> dataMap = store.openMap(DATA_PREFIX + fullName);
    MVMap<String, Object> metaMap = store.openMap(META_PREFIX + fullName);
    return new IndexedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
      boolean sparse) {
    MongoCollection<Object> collection = resolveCollection(collectionName, true);
    return new OrderedIndex<>(indexName, keys, sparse, ((IndexedH2Collection) collection).positionOrder());
  }

  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
      Oplog oplog) {
    Document answer = IndexCommands.handle(this, command, query, databaseResolver, oplog);
    return answer != null ? answer : super.handleCommand(channel, command, query, databaseResolver, oplog);
  }
}
