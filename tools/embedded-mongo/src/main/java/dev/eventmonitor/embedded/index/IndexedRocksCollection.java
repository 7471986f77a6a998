package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.store.RocksCollection;
import dev.eventmonitor.embedded.store.RocksStore;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * The RocksDB collection answering queries through its ordered indexes. A position is the
 * document's store position (a {@code Long}, increasing): natural order is insertion order, as in
 * the in-memory collection. The indexes are persisted in the store next to the documents
 * ({@link PersistedOrderedIndex}, {@link PersistedUniqueIndex}), or, with persisted indexes switched
 * off, live in memory and are filled at open from one pass over the stored documents that decodes
 * only the indexed fields ({@link RocksCollection}).
 */
public final class IndexedRocksCollection extends RocksCollection
    implements IndexedQueries.Access<Long>, IndexedCollection {

  private final QueryCounter counter = new QueryCounter();
  /**
   * Position by _id, shared by all ordered indexes of this collection: kept in memory (filled at
   * open) with in-memory indexes, looked up in the persisted _id index otherwise.
   */
  private final IdPositions<Long> ids;

  public IndexedRocksCollection(MongoDatabase database, String collectionName, CollectionOptions options,
      CursorRegistry cursorRegistry, RocksStore store, long collectionId) {
    super(database, collectionName, options, cursorRegistry, store, collectionId);
    this.ids = store.persistIndexes() ? new IdPositions<>(this::positionOfId) : new IdPositions<>(false);
  }

  private Long positionOfId(Object id) {
    for (Index<Long> index : getIndexes()) {
      if (index.isUnique() && index.getKeys().size() == 1 && index.getKeys().get(0).getKey().equals("_id")) {
        return index.getPosition(new Document("_id", id instanceof Missing ? null : id));
      }
    }
    return null;
  }

  @Override
  public synchronized void addIndex(Index<Long> index) {
    if (index instanceof OrderedIndex<Long> ordered) {
      ordered.bindPositions(ids);
    }
    super.addIndex(index);
  }

  @Override
  protected Long addDocumentInternal(Document document) {
    Long position = super.addDocumentInternal(document);
    ids.put(IdPositions.idOf(document), position);
    return position;
  }

  @Override
  protected void openedDocument(Document fields, long position) {
    ids.put(IdPositions.idOf(fields), position);
  }

  /** Every index has removed the document (they read its position from the shared map): forget it. */
  @Override
  public synchronized void removeDocument(Document document) {
    super.removeDocument(document);
    ids.forget(IdPositions.idOf(document));
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
      int batchSize, Document fieldSelector) {
    Supplier<QueryResult> scan =
        () -> super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    return counter.query(this, query, orderBy, numberToSkip, limit, scan,
        page -> matchDocumentsFromStream(page.stream(), QueryCounter.PASS, null, 0, 0, batchSize, fieldSelector));
  }

  @Override
  protected boolean documentMatchesQuery(Document document, Document query) {
    return counter.matches(document, query, super::documentMatchesQuery);
  }

  @Override
  public Document documentAt(Long position) {
    return getDocument(position);
  }

  @Override
  public boolean matches(Document document, Document query) {
    return documentMatchesQuery(document, query);
  }

  @Override
  public Comparator<Long> positionOrder() {
    return Long::compare;
  }

  @Override
  public QueryStats queryStats() {
    return counter.stats();
  }
}
