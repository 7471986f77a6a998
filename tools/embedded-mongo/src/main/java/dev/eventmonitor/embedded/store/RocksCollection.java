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
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A collection whose documents live in the {@link RocksStore} under a position ({@code Long},
 * increasing, never reused). Each insert, update or delete of a document is one atomic RocksDB
 * write: the document and the entries of every {@link PersistedIndex} are gathered in one
 * {@link WriteBatch} ({@link #operationBatch()}) and committed together, so a crash cannot leave a
 * document without its index entries or the other way round. The other indexes
 * ({@link Index}{@code <Long>}: the unique indexes of this package and any other index type) are
 * kept in memory and rebuilt at open from one pass over the stored documents, see
 * {@link #finishOpen()}; a persisted index that is already built is not touched by that pass.
 */
public class RocksCollection extends AbstractSynchronizedMongoCollection<Long> {

  /** Documents read from the store per batch when streaming a collection. */
  private static final int SCAN_BATCH = 256;

  private final RocksStore store;
  private final long collectionId;
  private final AtomicLong nextPosition;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong dataSize = new AtomicLong();
  /** False until the open pass counted the stored documents. */
  private boolean countKnown;
  /** Indexes added while the database opens; filled by {@link #finishOpen()} in one pass. */
  private List<Index<Long>> pendingIndexes = new ArrayList<>();
  /** The writes of the operation in progress (document and persisted index entries); null between. */
  private WriteBatch operation;

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
      return;
    }
    if (index instanceof PersistedIndex persisted) {
      persisted.attach(this::operationBatch);
      if (!persisted.isBuilt() && findIndex(index.getName()) == null) {
        // created at run time on a collection that may hold documents: built like at open
        fill(List.of(index));
      }
    }
    super.addIndex(index);
  }

  private Index<Long> findIndex(String name) {
    return getIndexes().stream().filter(i -> i.getName().equals(name)).findFirst().orElse(null);
  }

  /**
   * The batch of the write in progress: a persisted index adds its entries to it, and the document's
   * own write commits it ({@link #addDocument}, {@link #handleUpdate}, {@link #removeDocument(Long)}).
   */
  protected WriteBatch operationBatch() {
    if (operation == null) {
      operation = new WriteBatch();
    }
    return operation;
  }

  private void commitOperation() {
    if (operation != null) {
      try {
        if (store.persistIndexes()) {
          store.putCollectionStats(operation, collectionId, count.get(), dataSize.get());
        }
        store.write(operation);
      } finally {
        operation.close();
        operation = null;
      }
    }
  }

  /** Drops what a failed operation gathered (nothing of it was written). */
  private void discardOperation() {
    if (operation != null) {
      operation.close();
      operation = null;
    }
  }

  @Override
  public synchronized void addDocument(Document document) {
    try {
      super.addDocument(document); // stores the document, then adds it to every index
      commitOperation();
    } finally {
      discardOperation();
    }
  }

  @Override
  public synchronized void removeDocument(Document document) {
    try {
      super.removeDocument(document);
    } finally {
      discardOperation();
    }
  }

  @Override
  public synchronized Document updateDocuments(Document selector, Document updateQuery,
      de.bwaldvogel.mongo.backend.ArrayFilters arrayFilters, boolean isMulti, boolean isUpsert,
      de.bwaldvogel.mongo.oplog.Oplog oplog) {
    try {
      return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
    } finally {
      discardOperation();
    }
  }

  @Override
  public synchronized Document findAndModify(Document query) {
    try {
      return super.findAndModify(query);
    } finally {
      discardOperation();
    }
  }

  /**
   * Reads every stored document once: counts them, sums their BSON size and adds each one to
   * every index declared while the database was opening (a {@link BulkLoadIndex} collects them and
   * is built once at the end). Then registers those indexes. A
   * collection opened later (created at run time) has nothing stored and no pending indexes.
   */
  synchronized void finishOpen() {
    List<Index<Long>> all = pendingIndexes;
    pendingIndexes = null;
    List<Index<Long>> indexes = new ArrayList<>();
    for (Index<Long> index : all) {
      if (index instanceof PersistedIndex persisted) {
        persisted.attach(this::operationBatch);
        if (persisted.isBuilt()) {
          continue; // kept in the store: nothing to rebuild
        }
      }
      indexes.add(index);
    }
    long[] stats = indexes.isEmpty() && store.persistIndexes() ? store.collectionStats(collectionId) : null;
    if (stats != null) {
      // every index is persisted and built, and the last write left the statistics: nothing to read
      count.set(stats[0]);
      dataSize.set(stats[1]);
      countKnown = true;
    } else {
      fill(indexes);
      if (store.persistIndexes()) {
        try (WriteBatch batch = new WriteBatch()) {
          store.putCollectionStats(batch, collectionId, count.get(), dataSize.get());
          store.write(batch);
        }
      }
    }
    for (Index<Long> index : all) {
      super.addIndex(index);
    }
  }

  /**
   * One pass over the stored documents: counts them, sums their sizes (when the collection opens) and
   * adds each one to {@code indexes}; bulk indexes collect and build at the end.
   */
  private void fill(List<Index<Long>> indexes) {
    boolean opening = !countKnown;
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
      if (opening) {
        openedDocument(document, position);
      }
      for (Index<Long> index : indexes) {
        index.add(document, position, this);
      }
    });
    // each bulk index sorts what it collected; independent of each other, so in parallel
    indexes.parallelStream()
        .filter(BulkLoadIndex.class::isInstance)
        .forEach(index -> ((BulkLoadIndex) index).finishBulkLoad());
    if (opening) {
      count.set(totals[0]);
      dataSize.set(totals[1]);
      countKnown = true;
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
    putDocument(position, document);
    count.incrementAndGet();
    return position;
  }

  private void putDocument(long position, Document document) {
    try {
      operationBatch().put(RocksStore.docKeyOf(collectionId, position), RocksStore.encode(document));
    } catch (RocksDBException e) {
      throw new StoreException("cannot write document " + position, e);
    }
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

  /** The last step of removing a document (its indexes removed it before): commits the operation. */
  @Override
  protected void removeDocument(Long position) {
    try {
      operationBatch().delete(RocksStore.docKeyOf(collectionId, position));
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete document " + position, e);
    }
    count.decrementAndGet();
    commitOperation();
  }

  /** The last step of an update (its indexes were updated before): commits the operation. */
  @Override
  protected void handleUpdate(Long position, Document oldDocument, Document newDocument) {
    putDocument(position, newDocument);
    commitOperation();
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
