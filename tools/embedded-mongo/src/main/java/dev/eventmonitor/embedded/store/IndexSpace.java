package dev.eventmonitor.embedded.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.WriteBatch;

/**
 * The key range of one persisted index of one collection in the {@link RocksStore}, and its entry
 * in the index catalog.
 *
 * <p>Keys: {@code 0x03 collectionId indexId 0x01 <encoded key> position} for an entry (the index's
 * order is the byte order of these keys) and {@code 0x03 collectionId indexId 0x02 position} for a
 * document the index keeps aside (one whose key has no byte encoding, e.g. an array of
 * documents), and {@code 0x03 collectionId indexId 0x00} for the number of documents an ordered
 * index holds once per array element (a multikey index; absent: none). The catalog
 * entry {@code 0x04 collectionId indexName} holds the index id, whether the index is built, its
 * counts and its key specification: an index whose specification changed, or whose build did not
 * finish (a crash while a store opened), is built again from the documents.
 *
 * <p>Every write of an entry goes into the {@link WriteBatch} of the collection's operation, so a
 * document and its index entries are committed in one atomic write.
 */
public final class IndexSpace {

  private static final byte ENTRY = 0x01;
  private static final byte ASIDE = 0x02;
  private static final byte ARRAYS = 0x00;
  private static final byte[] EMPTY = new byte[0];

  private final RocksStore store;
  private final byte[] catalogKey;
  private final String spec;
  private long indexId;
  private boolean built;
  private long entries;
  private long aside;
  private long arrays;
  private byte[] arraysKey;
  private byte[] entryPrefix;
  private byte[] asidePrefix;

  private IndexSpace(RocksStore store, byte[] catalogKey, String spec) {
    this.store = store;
    this.catalogKey = catalogKey;
    this.spec = spec;
  }

  /**
   * The space of index {@code name} of a collection, as the catalog knows it when its key
   * specification is {@code spec}; a new, empty and unbuilt space otherwise (an older space of that
   * name is deleted).
   */
  public static IndexSpace open(RocksStore store, long collectionId, String name, String spec) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = ByteBuffer.allocate(9 + nameBytes.length).put(RocksStore.INDEX_CATALOG).putLong(collectionId)
        .put(nameBytes).array();
    IndexSpace space = new IndexSpace(store, key, spec);
    synchronized (store) {
      byte[] value = store.getRaw(key);
      if (value != null) {
        ByteBuffer v = ByteBuffer.wrap(value);
        long id = v.getLong();
        boolean isBuilt = v.get() == 1;
        long entryCount = v.getLong();
        long asideCount = v.getLong();
        String storedSpec = new String(value, v.position(), v.remaining(), StandardCharsets.UTF_8);
        space.setId(collectionId, id);
        if (storedSpec.equals(spec)) {
          space.built = isBuilt;
          space.entries = entryCount;
          space.aside = asideCount;
          byte[] arrays = store.getRaw(space.arraysKey);
          space.arrays = arrays != null ? ByteBuffer.wrap(arrays).getLong() : 0;
          return space;
        }
        space.clearRange();
      }
      store.markIndexesPersisted();
      space.setId(collectionId, store.newIndexId());
      space.writeCatalog();
    }
    return space;
  }

  private void setId(long collectionId, long id) {
    this.indexId = id;
    ByteBuffer b = ByteBuffer.allocate(18).put(RocksStore.INDEX).putLong(collectionId).putLong(id).put(ENTRY);
    this.entryPrefix = b.array();
    this.asidePrefix = Arrays.copyOf(entryPrefix, entryPrefix.length);
    asidePrefix[17] = ASIDE;
    this.arraysKey = Arrays.copyOf(entryPrefix, entryPrefix.length);
    arraysKey[17] = ARRAYS;
  }

  public boolean isBuilt() {
    return built;
  }

  public long entries() {
    return entries;
  }

  public long aside() {
    return aside;
  }

  /** Documents held once per array element (see the class comment). */
  public long arrays() {
    return arrays;
  }

  /** Adds {@code delta} to the arrays count, written into {@code batch}. */
  public void countArrays(WriteBatch batch, long delta) {
    if (delta == 0) {
      return;
    }
    try {
      arrays += delta;
      batch.put(arraysKey, ByteBuffer.allocate(8).putLong(arrays).array());
    } catch (org.rocksdb.RocksDBException e) {
      throw new StoreException("cannot write an index count", e);
    }
  }

  /** The prefix every entry key starts with (then the encoded key and the position). */
  public byte[] entryPrefix() {
    return entryPrefix.clone();
  }

  public byte[] entryKey(byte[] encodedKey, long position) {
    return ByteBuffer.allocate(entryPrefix.length + encodedKey.length + 8).put(entryPrefix).put(encodedKey)
        .putLong(position).array();
  }

  public byte[] asideKey(long position) {
    return ByteBuffer.allocate(asidePrefix.length + 8).put(asidePrefix).putLong(position).array();
  }

  /** The position an entry or aside key ends with. */
  public static long positionOf(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  /** The key of a unique index's entry: the encoded key values, no position (that is the value). */
  public byte[] uniqueKey(byte[] encodedKey) {
    return ByteBuffer.allocate(entryPrefix.length + encodedKey.length).put(entryPrefix).put(encodedKey).array();
  }

  /** An aside key of a unique index: a document may have several aside key values. */
  public byte[] asideKey(long position, long sequence) {
    return ByteBuffer.allocate(asidePrefix.length + 16).put(asidePrefix).putLong(position).putLong(sequence).array();
  }

  /** The committed value of a key of this space, or null. */
  public byte[] get(byte[] key) {
    return store.getRaw(key);
  }

  /** Every aside key and its value, as {key, value} pairs. */
  public List<byte[][]> asideEntries() {
    byte[] to = asidePrefix.clone();
    to[17]++;
    return store.entries(asidePrefix, to);
  }

  /** Adds an entry (or aside key) and the new counts to {@code batch}. */
  public void put(WriteBatch batch, byte[] key) {
    put(batch, key, EMPTY);
  }

  /** Adds an entry (or aside key) with a value and the new counts to {@code batch}. */
  public void put(WriteBatch batch, byte[] key, byte[] value) {
    try {
      batch.put(key, value);
      count(key, 1);
      if (built) {
        batch.put(catalogKey, catalogValue());
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw new StoreException("cannot write an index entry", e);
    }
  }

  /** Removes an entry (or aside key) the index holds and writes the new counts to {@code batch}. */
  public void delete(WriteBatch batch, byte[] key) {
    try {
      batch.delete(key);
      count(key, -1);
      if (built) {
        batch.put(catalogKey, catalogValue());
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw new StoreException("cannot delete an index entry", e);
    }
  }

  private void count(byte[] key, int delta) {
    if (key[17] == ASIDE) {
      aside += delta;
    } else {
      entries += delta;
    }
  }

  /** Up to {@code max} entry keys in [from, to), ascending or descending. */
  public List<byte[]> keys(byte[] from, byte[] to, boolean reverse, int max) {
    return store.keys(from, to, reverse, max);
  }

  /** Empties the space and marks it unbuilt (committed before any entry of a build is written). */
  public void startBuild() {
    synchronized (store) {
      clearRange();
      built = false;
      entries = 0;
      aside = 0;
      arrays = 0;
      writeCatalog();
    }
  }

  /** Writes a batch of a build. */
  public void writeBuild(WriteBatch batch) {
    store.write(batch);
  }

  /**
   * Marks the space built, after every entry of the build was written: RocksDB keeps writes in
   * order across a crash, so the marker never survives without the entries before it.
   */
  public void finishBuild() {
    built = true;
    writeCatalog();
  }

  /** Deletes the entries and the catalog entry (dropping the index). */
  public void drop() {
    synchronized (store) {
      clearRange();
      try (WriteBatch batch = new WriteBatch()) {
        batch.delete(catalogKey);
        store.write(batch);
      } catch (org.rocksdb.RocksDBException e) {
        throw new StoreException("cannot drop an index", e);
      }
      entries = 0;
      aside = 0;
      arrays = 0;
      built = false;
    }
  }

  private void clearRange() {
    byte[] from = Arrays.copyOf(entryPrefix, 17);
    byte[] to = ByteBuffer.allocate(17).put(from, 0, 9).putLong(indexId + 1).array();
    store.deleteRange(from, to);
  }

  private void writeCatalog() {
    store.putMeta(catalogKey, catalogValue());
  }

  private byte[] catalogValue() {
    byte[] specBytes = spec.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(25 + specBytes.length).putLong(indexId).put((byte) (built ? 1 : 0)).putLong(entries)
        .putLong(aside).put(specBytes).array();
  }
}
