package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A collection whose documents live in the {@link RocksStore} under a position ({@code Long},
 * increasing, never reused). Each insert, update or delete of a document is one atomic RocksDB
 * write. Indexes ({@link Index}{@code <Long>}: the unique indexes of this package and any other
 * index type) are kept in memory and rebuilt at open from one pass over the stored documents, see
 * {@link #finishOpen()}.
 */
public class RocksCollection extends AbstractSynchronizedMongoCollection<Long> {

  /** Documents read from the store per batch when streaming a collection. */
  private static final int SCAN_BATCH = 256;

  private final RocksStore store;
  private final long collectionId;
  private final AtomicLong nextPosition;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong dataSize = new AtomicLong();
  /** Indexes added while the database opens; filled by {@link #finishOpen()} in one pass. */
  private List<Index<Long>> pendingIndexes = new ArrayList<>();

  protected RocksCollection(MongoDatabase database, String collectionName, CollectionOptions options,
      CursorRegistry cursorRegistry, RocksStore store, long collectionId) {
    super(database, collectionName, options, cursorRegistry);
    this.store = store;
    this.collectionId = collectionId;
    this.nextPosition = new AtomicLong(store.lastPosition(collectionId) + 1);
  }

  long collectionId() {
    return collectionId;
  }

  @Override
  public synchronized void addIndex(Index<Long> index) {
    if (pendingIndexes != null) {
      pendingIndexes.add(index);
    } else {
      super.addIndex(index);
    }
  }

  /**
   * Reads every stored document once: counts them, sums their BSON size and adds each one to
   * every index declared while the database was opening (a {@link BulkLoadIndex} collects them and
   * is built once at the end). Then registers those indexes. A
   * collection opened later (created at run time) has nothing stored and no pending indexes.
   */
  synchronized void finishOpen() {
    List<Index<Long>> indexes = pendingIndexes;
    pendingIndexes = null;
    // the top-level fields the indexes read; nothing else of the documents is decoded here
    Set<String> fields = new HashSet<>();
    fields.add("_id");
    for (Index<Long> index : indexes) {
      for (IndexKey key : index.getKeys()) {
        fields.add(key.getKey().split("\\.", 2)[0]);
      }
    }
    for (Index<Long> index : indexes) {
      if (index instanceof BulkLoadIndex bulk) {
        bulk.startBulkLoad();
      }
    }
    long[] totals = new long[2]; // documents, bytes
    store.forEachStored(collectionId, (position, bson, length) -> {
      totals[0]++;
      totals[1] += length;
      Document document = RocksStore.decodeFields(bson, length, fields);
      openedDocument(document, position);
      for (Index<Long> index : indexes) {
        index.add(document, position, this);
      }
    });
    long n = totals[0];
    long bytes = totals[1];
    // each bulk index sorts what it collected; independent of each other, so in parallel
    indexes.parallelStream()
        .filter(BulkLoadIndex.class::isInstance)
        .forEach(index -> ((BulkLoadIndex) index).finishBulkLoad());
    count.set(n);
    dataSize.set(bytes);
    for (Index<Long> index : indexes) {
      super.addIndex(index);
    }
  }

  /**
   * Called once per stored document while the collection opens (before its indexes see it), with
   * the top-level fields the indexes read; a subclass keeps what it derives from the documents.
   */
  protected void openedDocument(Document fields, long position) {
    // nothing here
  }

  /**
   * Calls {@code consumer} with every stored document and its position, in position order, reading
   * the store in batches. For code that builds an in-memory structure from the stored documents.
   */
  public void forEachDocument(BiConsumer<Document, Long> consumer) {
    streamAllDocumentsWithPosition().forEach(d -> consumer.accept(d.getDocument(), d.getPosition()));
  }

  @Override
  protected void updateDataSize(int sizeDelta) {
    dataSize.addAndGet(sizeDelta);
  }

  @Override
  protected int getDataSize() {
    return (int) Math.min(Integer.MAX_VALUE, dataSize.get());
  }

  @Override
  protected Long addDocumentInternal(Document document) {
    long position = nextPosition.getAndIncrement();
    store.put(collectionId, position, document);
    count.incrementAndGet();
    return position;
  }

  @Override
  public synchronized int count() {
    if (pendingIndexes != null) {
      return (int) streamAllDocumentsWithPosition().count();
    }
    return (int) Math.min(Integer.MAX_VALUE, count.get());
  }

  @Override
  public synchronized boolean isEmpty() {
    if (pendingIndexes != null) {
      // still opening (the database asks before finishOpen has counted): any stored key?
      return store.lastPosition(collectionId) == 0;
    }
    return count.get() == 0;
  }

  @Override
  protected Document getDocument(Long position) {
    return store.get(collectionId, position);
  }

  @Override
  protected void removeDocument(Long position) {
    store.delete(collectionId, position);
    count.decrementAndGet();
  }

  @Override
  protected void handleUpdate(Long position, Document oldDocument, Document newDocument) {
    store.put(collectionId, position, newDocument);
  }

  @Override
  protected Stream<DocumentWithPosition<Long>> streamAllDocumentsWithPosition() {
    Iterator<DocumentWithPosition<Long>> iterator = new Iterator<>() {
      private List<RocksStore.Entry> batch = List.of();
      private int index;
      private long after;
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        if (index < batch.size()) {
          return true;
        }
        if (exhausted) {
          return false;
        }
        batch = store.scan(collectionId, after, SCAN_BATCH);
        index = 0;
        exhausted = batch.size() < SCAN_BATCH;
        return !batch.isEmpty();
      }

      @Override
      public DocumentWithPosition<Long> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        RocksStore.Entry entry = batch.get(index++);
        after = entry.position();
        return new DocumentWithPosition<>(entry.document(), entry.position());
      }
    };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
      int batchSize, Document fieldSelector) {
    Stream<DocumentWithPosition<Long>> all = streamAllDocumentsWithPosition();
    if (isNaturalDescending(orderBy)) {
      List<DocumentWithPosition<Long>> list = new ArrayList<>(all.toList());
      java.util.Collections.reverse(list);
      all = list.stream();
    }
    return matchDocumentsFromStream(all.map(DocumentWithPosition::getDocument), query, orderBy,
        numberToSkip, limit, batchSize, fieldSelector);
  }
}
