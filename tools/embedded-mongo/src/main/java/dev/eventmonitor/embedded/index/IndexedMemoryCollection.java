package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Comparator;
import java.util.function.Supplier;

/** mongo-java-server's in-memory collection, answering queries through its ordered indexes. */
public final class IndexedMemoryCollection extends MemoryCollection
    implements IndexedQueries.Access<Integer>, IndexedCollection {

  private final QueryCounter counter = new QueryCounter();
  /** Position by _id, shared by all ordered indexes of this collection. */
  private final IdPositions<Integer> ids = new IdPositions<>(false);

  public IndexedMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
      CursorRegistry cursorRegistry) {
    super(database, collectionName, options, cursorRegistry);
  }

  @Override
  public synchronized void addIndex(Index<Integer> index) {
    if (index instanceof OrderedIndex<Integer> ordered) {
      ordered.bindPositions(ids);
    }
    super.addIndex(index);
  }

  @Override
  protected Integer addDocumentInternal(Document document) {
    Integer position = super.addDocumentInternal(document);
    ids.put(IdPositions.idOf(document), position);
    return position;
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
  public Document documentAt(Integer position) {
    return getDocument(position);
  }

  @Override
  public boolean matches(Document document, Document query) {
    return documentMatchesQuery(document, query);
  }

  @Override
  public Comparator<Integer> positionOrder() {
    return Integer::compare;
  }

  @Override
  public QueryStats queryStats() {
    return counter.stats();
  }
}
