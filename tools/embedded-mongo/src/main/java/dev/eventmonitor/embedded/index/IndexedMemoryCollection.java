package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Comparator;
import java.util.function.Supplier;

/** mongo-java-server's in-memory collection, answering queries through its ordered indexes. */
public final class IndexedMemoryCollection extends MemoryCollection
    implements IndexedQueries.Access<Integer>, IndexedCollection {

  private final QueryCounter counter = new QueryCounter();

  public IndexedMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
      CursorRegistry cursorRegistry) {
    super(database, collectionName, options, cursorRegistry);
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
