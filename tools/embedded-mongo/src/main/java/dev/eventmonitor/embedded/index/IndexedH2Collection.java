package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Comparator;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;

/**
 * mongo-java-server's H2 (MVStore) collection, answering queries through its ordered indexes. A
 * position is the document's _id (the MVMap key); natural order is the map's key order.
 */
public final class IndexedH2Collection extends H2Collection
    implements IndexedQueries.Access<Object>, IndexedCollection {

  private final QueryCounter counter = new QueryCounter();
  private final Comparator<Object> positionOrder;

  public IndexedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
      MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    this.positionOrder = dataMap.getKeyType()::compare;
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
  public Document documentAt(Object position) {
    return getDocument(position);
  }

  @Override
  public boolean matches(Document document, Document query) {
    return documentMatchesQuery(document, query);
  }

  @Override
  public Comparator<Object> positionOrder() {
    return positionOrder;
  }

  @Override
  public QueryStats queryStats() {
    return counter.stats();
  }
}
