package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.store.IndexSpace;
import dev.eventmonitor.embedded.store.PersistedIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.rocksdb.WriteBatch;

/**
 * An {@link OrderedIndex} whose entries live in the RocksDB store ({@link IndexSpace}): one key per
 * document (one per distinct array element for a multikey document, as in memory),
 * {@link KeyEncoding}'s bytes of its key values followed by its position, so the store's byte order
 * is the index order and a range is an iterator seek. Entries are written into the collection's
 * operation batch, committed with the document, and so is the count of multikey documents. A
 * document whose key has no byte encoding (an embedded document, a long beyond 2^53, an array the
 * in-memory index keeps aside, ...) is kept aside under its position, and while one is, the index
 * serves no query, as the in-memory index does.
 */
public final class PersistedOrderedIndex extends OrderedIndex<Long> implements PersistedIndex {

  /** Keys read per iterator; the first read is small (a claim wants one document). */
  private static final int FIRST_WINDOW = 16;
  private static final int MAX_WINDOW = 1024;
  /** Entries per write while the index is built from the documents. */
  private static final int BUILD_BATCH = 10_000;

  private final IndexSpace space;
  private Supplier<WriteBatch> operations;
  /** The batch of a build in progress; null otherwise. */
  private WriteBatch build;
  private int buildOps;

  public PersistedOrderedIndex(String name, List<IndexKey> keys, boolean sparse, IndexSpace space) {
    super(name, keys, sparse, Long::compare);
    this.space = space;
  }

  /** What the catalog compares to decide whether a stored index still fits its declaration. */
  public static String spec(List<IndexKey> keys) {
    // v2: a single field holding an array has one entry per element (v1 kept such documents aside);
    // the change of specification makes a store of either version build the other's index again
    return (keys.size() == 1 ? "ordered-v2 " : "ordered-v1 ") + keys.stream().map(k -> k.getKey() + ":" + (k.isAscending() ? 1 : -1))
        .collect(Collectors.joining(","));
  }

  @Override
  public void attach(Supplier<WriteBatch> operationBatch) {
    this.operations = operationBatch;
  }

  @Override
  public boolean isBuilt() {
    return space.isBuilt();
  }

  /**
   * The keys of a document in the store: its entry keys ({@code array}: one per distinct element of
   * an array), or its one aside key when the index keeps it aside or a key value has no byte
   * encoding.
   */
  private record Stored(List<byte[]> keys, boolean array) {}

  private Stored keysOf(Document document, long position) {
    Keys keys = keysOf(document);
    if (keys != null) {
      List<byte[]> out = new ArrayList<>(keys.keys().size());
      for (Object[] values : keys.keys()) {
        byte[] key = entryKeyOf(values, position);
        if (key == null) {
          out = null;
          break;
        }
        out.add(key);
      }
      if (out != null) {
        return new Stored(out, keys.array());
      }
    }
    return new Stored(List.of(space.asideKey(position)), false);
  }

  private byte[] entryKeyOf(Object[] values, long position) {
    KeyEncoding.Bytes out = new KeyEncoding.Bytes(64);
    for (int i = 0; i < values.length; i++) {
      if (!KeyEncoding.append(out, values[i], isAscending(i))) {
        return null;
      }
    }
    return space.entryKey(out.toArray(), position);
  }

  private WriteBatch batch() {
    if (build != null) {
      return build;
    }
    if (operations == null) {
      throw new IllegalStateException("index " + getName() + " is not attached to its collection");
    }
    return operations.get();
  }

  @Override
  public void add(Document document, Long position, MongoCollection<Long> collection) {
    Stored stored = keysOf(document, position);
    WriteBatch batch = batch();
    for (byte[] key : stored.keys()) {
      space.put(batch, key);
    }
    if (stored.array()) {
      space.countArrays(batch, 1);
    }
    if (ids.ownedByIndex) {
      ids.put(IdPositions.idOf(document), position);
    }
    if (build != null && ++buildOps >= BUILD_BATCH) {
      flushBuild();
    }
  }

  @Override
  public Long remove(Document document) {
    Object id = IdPositions.idOf(document);
    Long position = ids.get(id);
    if (position == null) {
      return null;
    }
    // the document as stored gives the keys it was added under
    Stored stored = keysOf(document, position);
    WriteBatch batch = batch();
    for (byte[] key : stored.keys()) {
      space.delete(batch, key);
    }
    if (stored.array()) {
      space.countArrays(batch, -1);
    }
    if (ids.ownedByIndex) {
      ids.forget(id);
    }
    return position;
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, Long position,
      MongoCollection<Long> collection) {
    if (sameKeys(oldDocument, newDocument)) {
      return;
    }
    Stored before = keysOf(oldDocument, position);
    Stored after = keysOf(newDocument, position);
    // only the keys that changed: same bytes, same place in the order (1 and 1.0 included)
    TreeSet<byte[]> old = new TreeSet<>(Arrays::compareUnsigned);
    old.addAll(before.keys());
    TreeSet<byte[]> now = new TreeSet<>(Arrays::compareUnsigned);
    now.addAll(after.keys());
    WriteBatch batch = null;
    for (byte[] key : old) {
      if (!now.contains(key)) {
        batch = batch == null ? batch() : batch;
        space.delete(batch, key);
      }
    }
    for (byte[] key : now) {
      if (!old.contains(key)) {
        batch = batch == null ? batch() : batch;
        space.put(batch, key);
      }
    }
    int arrays = (after.array() ? 1 : 0) - (before.array() ? 1 : 0);
    if (arrays != 0) {
      space.countArrays(batch == null ? batch() : batch, arrays);
    }
  }

  @Override
  public long getCount() {
    return space.entries() + space.aside();
  }

  @Override
  public boolean isMultikey() {
    return space.aside() > 0 || space.arrays() > 0;
  }

  @Override
  public boolean servesQueries() {
    return space.aside() == 0;
  }

  @Override
  public void drop() {
    space.drop();
    if (ids.ownedByIndex) {
      ids.clear();
    }
  }

  @Override
  public void startBulkLoad() {
    space.startBuild();
    build = new WriteBatch();
    buildOps = 0;
  }

  /** Called after each write of a build (IndexedCrashTest stops a build half way with it). */
  static volatile Runnable afterBuildWrite;

  private void flushBuild() {
    space.writeBuild(build);
    build.close();
    build = new WriteBatch();
    buildOps = 0;
    Runnable hook = afterBuildWrite;
    if (hook != null) {
      hook.run();
    }
  }

  @Override
  public void finishBulkLoad() {
    flushBuild();
    build.close();
    build = null;
    space.finishBuild();
  }

  @Override
  boolean acceptsBound(Object value) {
    // a date bound finer than a millisecond falls between the stored (millisecond) keys
    return value == KeyOrder.LOW || value == KeyOrder.HIGH || value instanceof KeyOrder.TypeEdge
        || (KeyEncoding.encodable(value) && !(value instanceof java.time.Instant t && t.getNano() % 1_000_000 != 0));
  }

  @Override
  Iterator<Long> scan(Object[] low, int lowSide, Object[] high, int highSide, boolean reverse) {
    byte[] from = bound(low, lowSide);
    byte[] to = bound(high, highSide);
    if (KeyEncoding.compare(from, to) >= 0) {
      return Collections.emptyIterator();
    }
    return new Window(from, to, reverse);
  }

  /** The key a probe stands for: entries at or after it are after the probe. */
  private byte[] bound(Object[] values, int side) {
    KeyEncoding.Bytes out = new KeyEncoding.Bytes(64);
    for (byte b : space.entryPrefix()) {
      out.add(b);
    }
    boolean exact = true; // an empty probe (no field fixed) is the prefix itself: its side applies
    for (int i = 0; i < values.length; i++) {
      Boolean kind = KeyEncoding.appendProbe(out, values[i], isAscending(i));
      if (kind == null) {
        throw new IllegalStateException("index " + getName() + " cannot seek to " + values[i]);
      }
      exact = kind;
    }
    byte[] key = out.toArray();
    // a probe after the entries that share its values: past every key with this prefix
    return exact && side > 0 ? KeyEncoding.successor(key) : key;
  }

  /**
   * The positions of the keys in [from, to), read in windows with a fresh iterator each, so a walk
   * that stops early (sort + limit) holds nothing open.
   */
  private final class Window implements Iterator<Long> {
    private byte[] from;
    private byte[] to;
    private final boolean reverse;
    private List<byte[]> keys = List.of();
    private int at;
    private int size = FIRST_WINDOW;
    private boolean done;

    Window(byte[] from, byte[] to, boolean reverse) {
      this.from = from;
      this.to = to;
      this.reverse = reverse;
    }

    @Override
    public boolean hasNext() {
      if (at < keys.size()) {
        return true;
      }
      if (done) {
        return false;
      }
      keys = space.keys(from, to, reverse, size);
      at = 0;
      done = keys.size() < size;
      size = Math.min(size * 4, MAX_WINDOW);
      if (!keys.isEmpty()) {
        byte[] last = keys.get(keys.size() - 1);
        if (reverse) {
          to = last;
        } else {
          from = Arrays.copyOf(last, last.length + 1); // the smallest key after it
        }
      }
      return !keys.isEmpty();
    }

    @Override
    public Long next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return IndexSpace.positionOf(keys.get(at++));
    }
  }
}
