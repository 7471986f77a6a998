package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The part of an indexed collection shared by every backend: route a query to the index walk or to
 * mongo-java-server's scan, and count the documents each examined (every call of the collection's
 * matcher; per thread, as collection methods may run on several connections at once).
 *
 * <p>A storage's collection (any position type) plugs in by implementing
 * {@link IndexedQueries.Access} and {@link IndexedCollection} and overriding two methods, as
 * {@link IndexedMemoryCollection} does: {@code queryDocuments} calls {@link #query} and
 * {@code documentMatchesQuery} calls {@link #matches}; its database returns an
 * {@link OrderedIndex} from {@code openOrCreateSecondaryIndex} and lets
 * {@link IndexCommands#handle} answer first in {@code handleCommand}.
 */
public final class QueryCounter {

  /** The filter of the last pass over an already matched page: matches all, counts nothing. */
  public static final Document PASS = new Document();

  private final ThreadLocal<long[]> examined = ThreadLocal.withInitial(() -> new long[1]);
  private final QueryStats stats = new QueryStats();

  public QueryStats stats() {
    return stats;
  }

  public boolean matches(Document document, Document query, BiPredicate<Document, Document> matcher) {
    if (query == PASS) {
      return true;
    }
    examined.get()[0]++;
    return matcher.test(document, query);
  }

  public <P> QueryResult query(IndexedQueries.Access<P> access, Document query, Document orderBy, int skip, int limit,
      Supplier<QueryResult> scan, Function<List<Document>, QueryResult> answer) {
    long[] counter = examined.get();
    long before = counter[0];
    IndexedQueries.Result result = IndexedQueries.run(access, query, orderBy, skip, limit);
    if (result == null) {
      QueryResult scanned = scan.get();
      stats.record(null, counter[0] - before, -1);
      return scanned;
    }
    stats.record(result.index(), counter[0] - before, result.documents().size());
    return answer.apply(result.documents());
  }
}
