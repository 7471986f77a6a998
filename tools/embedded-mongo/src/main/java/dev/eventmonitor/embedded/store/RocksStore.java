package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The on-disk store under {@link RocksBackend}: one RocksDB database in a directory.
 *
 * <p>Key layout (all integers big-endian, so keys sort by collection, then position):
 *
 * <ul>
 *   <li>{@code 0x00 name} - store metadata (format version, next collection id, migration source);
 *   <li>{@code 0x01 "db.collection"} - catalog: full collection name to its 8-byte collection id;
 *   <li>{@code 0x02 id position} - one document, BSON encoded, under its 8-byte position;
 *   <li>{@code 0x03 id indexId ...} - the entries of a persisted index ({@link IndexSpace});
 *   <li>{@code 0x04 id indexName} - index catalog: a persisted index's id, state and counts;
 *   <li>{@code 0x05 id} - the collection's document count and BSON size (with persisted indexes).
 * </ul>
 *
 * <p>Durability: every write goes through RocksDB's write-ahead log, which hands each write to the
 * operating system before the write returns (no fsync per write). A SIGKILL or crash of the JVM
 * therefore loses no acknowledged write; the WAL is also fsynced every {@link #WAL_SYNC_MS} ms, so
 * an OS crash or power loss loses at most about that window. Recovery after a crash replays the WAL
 * up to the last complete record (point-in-time recovery), so a torn tail is dropped, never applied
 * half. A document and its catalog entry are always written by one atomic put or batch.
 */
public final class RocksStore implements AutoCloseable {

  static final int FORMAT_VERSION = 1;
  /**
   * A store that holds persisted indexes. A launcher that knows only format 1 refuses it (it would
   * write documents without their index entries); this one accepts both.
   */
  static final int FORMAT_WITH_INDEXES = 2;
  /** Background fsync of the write-ahead log; bounds what an OS crash / power loss can lose. */
  public static final long WAL_SYNC_MS = 1000;

  private static final byte META = 0x00;
  private static final byte CATALOG = 0x01;
  private static final byte DOC = 0x02;
  static final byte INDEX = 0x03;
  static final byte INDEX_CATALOG = 0x04;
  static final byte STATS = 0x05;
  private static final byte[] META_NEXT_INDEX_ID = metaKey("nextIndexId");
  private static final byte[] META_FORMAT = metaKey("format");
  private static final byte[] META_NEXT_COLLECTION_ID = metaKey("nextCollectionId");
  static final byte[] META_MIGRATED_FROM = metaKey("migratedFrom");

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final RocksDB db;
  private final Options options;
  private final LRUCache cache;
  private final WriteOptions writeOptions = new WriteOptions();
  private final ScheduledExecutorService walSync;
  private long nextCollectionId;
  private long nextIndexId;
  private int format;
  /** Whether ordered indexes are kept in the store (else rebuilt in memory at every open). */
  private volatile boolean persistIndexes = Boolean.parseBoolean(
      System.getProperty("eventmonitor.persistIndexes", "true"));
  private volatile boolean closed;

  private RocksStore(Path directory, RocksDB db, Options options, LRUCache cache) throws RocksDBException {
    this.directory = directory;
    this.db = db;
    this.options = options;
    this.cache = cache;
    byte[] format = db.get(META_FORMAT);
    if (format == null) {
      db.put(META_FORMAT, Integer.toString(FORMAT_VERSION).getBytes(StandardCharsets.UTF_8));
      this.format = FORMAT_VERSION;
    } else {
      this.format = Integer.parseInt(new String(format, StandardCharsets.UTF_8));
      if (this.format != FORMAT_VERSION && this.format != FORMAT_WITH_INDEXES) {
        throw new RocksDBException("unknown store format " + new String(format, StandardCharsets.UTF_8));
      }
    }
    byte[] next = db.get(META_NEXT_COLLECTION_ID);
    this.nextCollectionId = next == null ? 1 : ByteBuffer.wrap(next).getLong();
    byte[] nextIndex = db.get(META_NEXT_INDEX_ID);
    this.nextIndexId = nextIndex == null ? 1 : ByteBuffer.wrap(nextIndex).getLong();
    this.walSync = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "embedded-mongo-wal-sync");
      t.setDaemon(true);
      return t;
    });
    walSync.scheduleWithFixedDelay(this::syncWalQuietly, WAL_SYNC_MS, WAL_SYNC_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the store in {@code directory}, creating it only when the directory does not exist or
   * is empty. Anything else that cannot be opened is reported, never replaced by an empty store.
   */
  public static RocksStore open(Path directory) throws StoreOpenException {
    boolean create;
    try {
      create = !Files.exists(directory) || isEmptyDirectory(directory);
      if (!create && !Files.isDirectory(directory)) {
        throw new StoreOpenException(StoreErrors.describe(directory, "is not a directory", null), null);
      }
      if (!create && !Files.exists(directory.resolve("CURRENT"))) {
        throw new StoreOpenException(StoreErrors.describe(directory,
            "is not an embedded-mongo data store (no CURRENT file)", null), null);
      }
      if (create) {
        Files.createDirectories(directory);
      }
    } catch (java.io.IOException | SecurityException e) {
      throw new StoreOpenException(StoreErrors.describe(directory, e.toString(), e), e);
    }
    LRUCache cache = new LRUCache(64L << 20);
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setBlockSize(16 * 1024);
    Options options = new Options()
        .setCreateIfMissing(create)
        .setErrorIfExists(false)
        .setParanoidChecks(true)
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setTableFormatConfig(table)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2)
        .setMaxLogFileSize(1 << 20)
        .setMaxManifestFileSize(8L << 20)
        .setMaxBackgroundJobs(2);
    try {
      RocksDB db = RocksDB.open(options, directory.toString());
      try {
        // The open reads no documents (the indexes are persisted), so it would not meet a damaged
        // block: check every block's checksum now (reads the files once, decodes nothing), so a
        // damaged store stops start-up instead of failing the queries that reach the damage.
        db.verifyChecksum();
        return new RocksStore(directory, db, options, cache);
      } catch (RocksDBException | RuntimeException e) {
        db.close();
        throw e;
      }
    } catch (RocksDBException | RuntimeException e) {
      options.close();
      cache.close();
      throw new StoreOpenException(StoreErrors.describe(directory, e.getMessage(), e), e);
    }
  }

  private static boolean isEmptyDirectory(Path directory) throws java.io.IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (var entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  public Path directory() {
    return directory;
  }

  // ---- catalog ------------------------------------------------------------------------------

  /** Full collection names ("db.collection") with their ids, in name order. */
  public synchronized Map<String, Long> listCollections() {
    Map<String, Long> result = new LinkedHashMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {CATALOG}); it.isValid() && it.key()[0] == CATALOG; it.next()) {
        byte[] key = it.key();
        String name = new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
        result.put(name, ByteBuffer.wrap(it.value()).getLong());
      }
      check(it);
    }
    return result;
  }

  /** The id of {@code fullName}, created (and persisted) when missing. */
  public synchronized long openOrCreateCollection(String fullName) {
    byte[] key = catalogKey(fullName);
    try {
      byte[] existing = db.get(key);
      if (existing != null) {
        return ByteBuffer.wrap(existing).getLong();
      }
      long id = nextCollectionId++;
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(key, longBytes(id));
        batch.put(META_NEXT_COLLECTION_ID, longBytes(nextCollectionId));
        db.write(writeOptions, batch);
      }
      return id;
    } catch (RocksDBException e) {
      throw new StoreException("cannot create collection " + fullName, e);
    }
  }

  public synchronized void renameCollection(String oldFullName, String newFullName, long id) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(catalogKey(oldFullName));
      batch.put(catalogKey(newFullName), longBytes(id));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot rename collection " + oldFullName, e);
    }
  }

  /**
   * Removes the catalog entry, every document and every persisted index entry of the collection in
   * one atomic batch.
   */
  public synchronized void dropCollection(String fullName, long id) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(catalogKey(fullName));
      batch.deleteRange(docKey(id, 0), docKey(id + 1, 0));
      batch.deleteRange(prefixed(INDEX, id), prefixed(INDEX, id + 1));
      batch.deleteRange(prefixed(INDEX_CATALOG, id), prefixed(INDEX_CATALOG, id + 1));
      batch.delete(prefixed(STATS, id));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot drop collection " + fullName, e);
    }
  }

  // ---- documents ----------------------------------------------------------------------------

  /** Highest position stored in the collection, 0 when it is empty. */
  public long lastPosition(long collectionId) {
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(docKey(collectionId, Long.MAX_VALUE));
      if (it.isValid()) {
        byte[] key = it.key();
        if (key.length == 17 && key[0] == DOC && ByteBuffer.wrap(key, 1, 8).getLong() == collectionId) {
          return ByteBuffer.wrap(key, 9, 8).getLong();
        }
      }
      check(it);
      return 0;
    }
  }

  public void put(long collectionId, long position, Document document) {
    try {
      db.put(writeOptions, docKey(collectionId, position), encode(document));
    } catch (RocksDBException e) {
      throw new StoreException("cannot write document " + position, e);
    }
  }

  public void delete(long collectionId, long position) {
    try {
      db.delete(writeOptions, docKey(collectionId, position));
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete document " + position, e);
    }
  }

  public Document get(long collectionId, long position) {
    try {
      byte[] value = db.get(docKey(collectionId, position));
      return value == null ? null : decode(value);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read document " + position, e);
    }
  }

  /** One stored document: its position, BSON size and (decoded on demand) content. */
  public record Entry(long position, byte[] bson) {
    public Document document() {
      return decode(bson);
    }

    /** Only the named top-level fields (see {@link RocksStore#decodeFields}). */
    public Document fields(Set<String> names) {
      return decodeFields(bson, names);
    }
  }

  /**
   * Up to {@code max} documents of the collection with a position greater than {@code after}, in
   * position order. Reading in bounded batches keeps no native iterator open between calls, so a
   * query stream that is abandoned half way leaks nothing.
   */
  public List<Entry> scan(long collectionId, long after, int max) {
    List<Entry> entries = new ArrayList<>(Math.min(max, 1024));
    if (after == Long.MAX_VALUE) {
      return entries;
    }
    try (Slice upper = new Slice(docKey(collectionId + 1, 0));
         ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(read)) {
      for (it.seek(docKey(collectionId, after + 1)); it.isValid() && entries.size() < max; it.next()) {
        byte[] key = it.key();
        entries.add(new Entry(ByteBuffer.wrap(key, 9, 8).getLong(), it.value()));
      }
      check(it);
    }
    return entries;
  }

  /** What {@link #forEachStored} hands over: one document's position and its BSON bytes. */
  @FunctionalInterface
  public interface StoredVisitor {
    /** {@code bson[0..length)} is only valid during the call (the buffer is reused). */
    void visit(long position, byte[] bson, int length);
  }

  /**
   * Every document of the collection in position order, through one iterator that copies each
   * value into one reused buffer (no allocation per document) and does not fill the block cache:
   * the pass that fills the indexes when a store opens reads gigabytes once.
   */
  public void forEachStored(long collectionId, StoredVisitor visitor) {
    byte[] key = new byte[17];
    byte[] value = new byte[64 * 1024];
    try (Slice upper = new Slice(docKey(collectionId + 1, 0));
         ReadOptions read = new ReadOptions().setIterateUpperBound(upper).setFillCache(false)
             .setReadaheadSize(4L << 20);
         RocksIterator it = db.newIterator(read)) {
      for (it.seek(docKey(collectionId, 0)); it.isValid(); it.next()) {
        it.key(key);
        int length = it.value(value);
        if (length > value.length) {
          value = new byte[Math.max(length, value.length * 2)];
          length = it.value(value);
        }
        visitor.visit(ByteBuffer.wrap(key, 9, 8).getLong(), value, length);
      }
      check(it);
    }
  }

  /** Writes many documents of one collection atomically (used by the migration). */
  public void putAll(long collectionId, List<Map.Entry<Long, Document>> documents) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<Long, Document> entry : documents) {
        batch.put(docKey(collectionId, entry.getKey()), encode(entry.getValue()));
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write documents", e);
    }
  }

  // ---- persisted indexes and batches -------------------------------------------------------

  public boolean persistIndexes() {
    return persistIndexes;
  }

  /** Chooses persisted or in-memory indexes; call before a backend opens the store. */
  public void setPersistIndexes(boolean persist) {
    this.persistIndexes = persist;
  }

  /** Records that the store holds persisted indexes (format 2), before the first one is written. */
  synchronized void markIndexesPersisted() {
    if (format != FORMAT_WITH_INDEXES) {
      putMeta(META_FORMAT, Integer.toString(FORMAT_WITH_INDEXES).getBytes(StandardCharsets.UTF_8));
      format = FORMAT_WITH_INDEXES;
    }
  }

  /**
   * Deletes every persisted index, its catalog entry and the collection statistics (format 1 again):
   * a store opened with
   * in-memory indexes would write documents without their entries, so a later open with persisted
   * indexes must build them from the documents.
   */
  public synchronized void forgetPersistedIndexes() {
    if (format == FORMAT_VERSION && !anyKey(new byte[] {INDEX}, new byte[] {STATS + 1})) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.deleteRange(new byte[] {INDEX}, new byte[] {STATS + 1});
      batch.put(META_FORMAT, Integer.toString(FORMAT_VERSION).getBytes(StandardCharsets.UTF_8));
      db.write(writeOptions, batch);
      format = FORMAT_VERSION;
    } catch (RocksDBException e) {
      throw new StoreException("cannot remove the persisted indexes", e);
    }
  }

  /** A fresh index id (persisted at once, never reused). */
  synchronized long newIndexId() {
    long id = nextIndexId++;
    putMeta(META_NEXT_INDEX_ID, longBytes(nextIndexId));
    return id;
  }

  /** Writes a batch atomically (one WAL record), as every single write is. */
  void write(WriteBatch batch) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write to the store", e);
    }
  }

  byte[] getRaw(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read the store", e);
    }
  }

  /** Deletes every key in [from, to) atomically. */
  void deleteRange(byte[] from, byte[] to) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.deleteRange(from, to);
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete from the store", e);
    }
  }

  /** True when some key lies in [from, to). */
  boolean anyKey(byte[] from, byte[] to) {
    try (Slice upper = new Slice(to);
         ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(read)) {
      it.seek(from);
      boolean found = it.isValid();
      check(it);
      return found;
    }
  }

  /**
   * Up to {@code max} keys in [from, to), in ascending order or (reverse) descending, read with a
   * fresh iterator that is closed before returning (see {@link #scan}).
   */
  List<byte[]> keys(byte[] from, byte[] to, boolean reverse, int max) {
    List<byte[]> keys = new ArrayList<>(Math.min(max, 256));
    try (Slice lower = new Slice(from);
         Slice upper = new Slice(to);
         ReadOptions read = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(read)) {
      if (reverse) {
        for (it.seekToLast(); it.isValid() && keys.size() < max; it.prev()) {
          keys.add(it.key());
        }
      } else {
        for (it.seek(from); it.isValid() && keys.size() < max; it.next()) {
          keys.add(it.key());
        }
      }
      check(it);
    }
    return keys;
  }

  /** Every key and value in [from, to), in order (for small ranges). */
  List<byte[][]> entries(byte[] from, byte[] to) {
    List<byte[][]> out = new ArrayList<>();
    try (Slice upper = new Slice(to);
         ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(read)) {
      for (it.seek(from); it.isValid(); it.next()) {
        out.add(new byte[][] {it.key(), it.value()});
      }
      check(it);
    }
    return out;
  }

  /**
   * The document count and BSON size of a collection as its last write left them, or null when
   * they are not kept (a store written with in-memory indexes): then the open pass counts.
   */
  long[] collectionStats(long collectionId) {
    byte[] value = getRaw(prefixed(STATS, collectionId));
    if (value == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    return new long[] {b.getLong(), b.getLong()};
  }

  void putCollectionStats(WriteBatch batch, long collectionId, long count, long size) {
    try {
      batch.put(prefixed(STATS, collectionId), ByteBuffer.allocate(16).putLong(count).putLong(size).array());
    } catch (RocksDBException e) {
      throw new StoreException("cannot write collection statistics", e);
    }
  }

  /** BSON bytes of a document (mongo-java-server's codec). */
  public static byte[] encodeBson(Document document) {
    return encode(document);
  }

  public static Document decodeBson(byte[] bson) {
    return decode(bson);
  }

  static byte[] docKeyOf(long collectionId, long position) {
    return docKey(collectionId, position);
  }

  /** {@code type id} as a 9-byte key prefix. */
  static byte[] prefixed(byte type, long id) {
    return ByteBuffer.allocate(9).put(type).putLong(id).array();
  }

  byte[] getMeta(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read store metadata", e);
    }
  }

  void putMeta(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write store metadata", e);
    }
  }

  /** Rewrites the whole key range (drops deleted and overwritten versions) and waits for it. */
  public void compact() {
    try {
      db.compactRange();
    } catch (RocksDBException e) {
      throw new StoreException("compaction failed", e);
    }
  }

  /** Bytes of all files of the store directory (SST, WAL, manifest). */
  public long diskSize() {
    try (var files = Files.list(directory)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private void syncWalQuietly() {
    if (closed) {
      return;
    }
    try {
      synchronized (this) {
        if (!closed) {
          db.syncWal();
        }
      }
    } catch (RocksDBException e) {
      // the next write reports a real I/O problem; a failed background sync changes nothing else
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    walSync.shutdownNow();
    try {
      db.syncWal();
      db.closeE();
    } catch (RocksDBException e) {
      throw new StoreException("cannot close the store cleanly", e);
    } finally {
      writeOptions.close();
      options.close();
      cache.close();
    }
  }

  // ---- encoding -----------------------------------------------------------------------------

  static byte[] encode(Document document) {
    ByteBuf buffer = Unpooled.buffer(512);
    try {
      BsonEncoder.encodeDocument(document, buffer);
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      return bytes;
    } finally {
      buffer.release();
    }
  }

  static Document decode(byte[] bson) {
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
  }

  /**
   * Decodes only the top-level fields named in {@code fields} (in stored order), skipping the
   * others by their length: rebuilding indexes at open needs a few key fields, not the 2 KB of
   * markdown of a job. Falls back to a full decode for a type it does not know.
   */
  static Document decodeFields(byte[] bson, Set<String> fields) {
    return decodeFields(bson, bson.length, fields);
  }

  /** {@link #decodeFields(byte[], Set)} of {@code bson[0..length)}. */
  public static Document decodeFields(byte[] bson, int length, Set<String> fields) {
    ByteBuf buffer = Unpooled.wrappedBuffer(bson, 0, length);
    int end = buffer.readIntLE() - 1; // index of the terminating 0
    Document document = new Document();
    while (buffer.readerIndex() < end) {
      byte type = buffer.readByte();
      String name = BsonDecoder.decodeCString(buffer);
      if (fields.contains(name)) {
        document.put(name, BsonDecoder.decodeValue(type, buffer));
      } else if (!skipValue(type, buffer)) {
        return decode(java.util.Arrays.copyOf(bson, length));
      }
    }
    return document;
  }

  private static boolean skipValue(byte type, ByteBuf buffer) {
    switch (type) {
      case 0x01, 0x09, 0x11, 0x12 -> buffer.skipBytes(8); // double, date, timestamp, int64
      case 0x02, 0x0D, 0x0E -> buffer.skipBytes(buffer.readIntLE()); // string, code, symbol
      case 0x03, 0x04, 0x0F -> buffer.skipBytes(buffer.getIntLE(buffer.readerIndex())); // doc, array, code w/ scope
      case 0x05 -> buffer.skipBytes(buffer.readIntLE() + 1); // binary: length, subtype, bytes
      case 0x06, 0x0A, (byte) 0xFF, 0x7F -> { } // undefined, null, min key, max key
      case 0x07 -> buffer.skipBytes(12); // ObjectId
      case 0x08 -> buffer.skipBytes(1);
      case 0x10 -> buffer.skipBytes(4);
      case 0x13 -> buffer.skipBytes(16);
      case 0x0B -> { // regex: two C strings
        BsonDecoder.decodeCString(buffer);
        BsonDecoder.decodeCString(buffer);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static byte[] metaKey(String name) {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[text.length + 1];
    key[0] = META;
    System.arraycopy(text, 0, key, 1, text.length);
    return key;
  }

  private static byte[] catalogKey(String fullName) {
    byte[] text = fullName.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[text.length + 1];
    key[0] = CATALOG;
    System.arraycopy(text, 0, key, 1, text.length);
    return key;
  }

  private static byte[] docKey(long collectionId, long position) {
    return ByteBuffer.allocate(17).put(DOC).putLong(collectionId).putLong(position).array();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("cannot read the store", e);
    }
  }
}
