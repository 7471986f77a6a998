package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.bson.Document;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a collection's queries ran: the last one (which index, documents examined, returned) and
 * totals. Read through the {@code eventMonitorIndexStats} command, e.g.
 * {@code db.command({eventMonitorIndexStats: "jobs"})}.
 */
public final class QueryStats {

  /** The last query: {@code index} is the ordered index walked, or null for a scan / unique key. */
  public record Last(String index, long examined, long returned) {}

  private final AtomicReference<Last> last = new AtomicReference<>();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong indexedQueries = new AtomicLong();
  private final AtomicLong examined = new AtomicLong();

  void record(String index, long examinedDocuments, long returned) {
    last.set(new Last(index, examinedDocuments, returned));
    queries.incrementAndGet();
    if (index != null) {
      indexedQueries.incrementAndGet();
    }
    examined.addAndGet(examinedDocuments);
  }

  public Last last() {
    return last.get();
  }

  public long examinedTotal() {
    return examined.get();
  }

  public long queries() {
    return queries.get();
  }

  public long indexedQueries() {
    return indexedQueries.get();
  }

  Document toDocument() {
    Document doc = new Document();
    Last l = last.get();
    if (l != null) {
      Document lastDoc = new Document();
      lastDoc.put("index", l.index());
      lastDoc.put("examined", l.examined());
      lastDoc.put("returned", l.returned());
      doc.put("last", lastDoc);
    }
    doc.put("queries", queries.get());
    doc.put("indexedQueries", indexedQueries.get());
    doc.put("examined", examined.get());
    return doc;
  }
}
