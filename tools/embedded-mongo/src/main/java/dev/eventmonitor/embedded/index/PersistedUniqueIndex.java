package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.store.IndexSpace;
import dev.eventmonitor.embedded.store.PersistedIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.rocksdb.WriteBatch;

/**
 * A unique index ({@code _id} included) whose entries live in the RocksDB store: the key is the
 * {@link KeyEncoding} of the (normalised) key values, the value the document's position, so a
 * lookup is one point read and nothing is rebuilt when the store opens. Key values without a byte
 * encoding (an embedded document, a long beyond 2^53, NaN, ...) are kept aside: stored under the
 * document's position with their values as BSON, and held in memory (read once at open), which is
 * where equality for them is decided, as in mongo-java-server's own map.
 *
 * <p>Writes go into the collection's operation batch; the uniqueness check reads the committed
 * store, which is right because the collection runs one write at a time and commits it before the
 * next.
 */
public final class PersistedUniqueIndex extends AbstractUniqueIndex<Long> implements PersistedIndex {

  private static final int BUILD_BATCH = 10_000;

  private final IndexSpace space;
  private Supplier<WriteBatch> operations;
  private WriteBatch build;
  private int buildOps;
  /** The keys in {@link #build} (not readable from the store until it is written). */
  private final java.util.Set<ByteBuffer> building = new java.util.HashSet<>();
  /** The aside key values, by value: their store key and position. */
  private final Map<KeyValue, Aside> aside = new ConcurrentHashMap<>();
  private long asideSequence;

  private record Aside(byte[] key, long position) {}

  public PersistedUniqueIndex(String name, List<IndexKey> keys, boolean sparse, IndexSpace space) {
    super(name, keys, sparse);
    this.space = space;
    if (space.isBuilt()) {
      for (byte[][] entry : space.asideEntries()) {
        Document stored = dev.eventmonitor.embedded.store.RocksStore.decodeBson(entry[1]);
        @SuppressWarnings("unchecked")
        List<Object> values = (List<Object>) stored.get("k");
        aside.put(new KeyValue(values), new Aside(entry[0], ((Number) stored.get("p")).longValue()));
        asideSequence = Math.max(asideSequence, ByteBuffer.wrap(entry[0], entry[0].length - 8, 8).getLong() + 1);
      }
    }
  }

  /** What the catalog compares to decide whether a stored index still fits its declaration. */
  public static String spec(List<IndexKey> keys, boolean sparse) {
    return "unique-v1 " + (sparse ? "sparse " : "") + keys.stream()
        .map(k -> k.getKey() + ":" + (k.isAscending() ? 1 : -1)).collect(Collectors.joining(","));
  }

  @Override
  public void attach(Supplier<WriteBatch> operationBatch) {
    this.operations = operationBatch;
  }

  @Override
  public boolean isBuilt() {
    return space.isBuilt();
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

  /** The store key of encodable key values, else null. */
  private byte[] keyOf(KeyValue keyValue) {
    KeyEncoding.Bytes out = new KeyEncoding.Bytes(32);
    for (Object value : keyValue) {
      if (!KeyEncoding.append(out, value, true)) {
        return null;
      }
    }
    return space.uniqueKey(out.toArray());
  }

  @Override
  protected Long getPosition(KeyValue keyValue) {
    byte[] key = keyOf(keyValue);
    if (key == null) {
      Aside a = aside.get(keyValue);
      return a == null ? null : a.position();
    }
    byte[] value = space.get(key);
    return value == null ? null : ByteBuffer.wrap(value).getLong();
  }

  @Override
  protected boolean putKeyPosition(KeyValue keyValue, Long position) {
    byte[] key = keyOf(keyValue);
    if (key == null) {
      if (aside.containsKey(keyValue)) {
        return false;
      }
      byte[] asideKey = space.asideKey(position, asideSequence++);
      Document stored = new Document("k", new ArrayList<>(keyValue.stream().toList())).append("p", position);
      space.put(batch(), asideKey, dev.eventmonitor.embedded.store.RocksStore.encodeBson(stored));
      aside.put(keyValue, new Aside(asideKey, position));
    } else {
      // a build does not see its own unwritten batch: the keys of that batch are checked here
      if (space.get(key) != null || (build != null && !building.add(ByteBuffer.wrap(key)))) {
        return false;
      }
      space.put(batch(), key, ByteBuffer.allocate(8).putLong(position).array());
    }
    if (build != null && ++buildOps >= BUILD_BATCH) {
      space.writeBuild(build);
      build.close();
      build = new WriteBatch();
      building.clear();
      buildOps = 0;
    }
    return true;
  }

  @Override
  protected Long removeDocument(KeyValue keyValue) {
    byte[] key = keyOf(keyValue);
    if (key == null) {
      Aside a = aside.remove(keyValue);
      if (a == null) {
        return null;
      }
      space.delete(batch(), a.key());
      return a.position();
    }
    byte[] value = space.get(key);
    if (value == null) {
      return null;
    }
    space.delete(batch(), key);
    return ByteBuffer.wrap(value).getLong();
  }

  /** Regular expressions on the key need every key: the collection scans instead. */
  @Override
  public synchronized boolean canHandle(Document query) {
    for (Object value : query.values()) {
      if (BsonRegularExpression.isRegularExpression(value) || value instanceof java.util.regex.Pattern
          || (value instanceof Document d && d.containsKey("$regex"))) {
        return false;
      }
    }
    return super.canHandle(query);
  }

  @Override
  protected Iterable<Map.Entry<KeyValue, Long>> getIterable() {
    throw new UnsupportedOperationException("a persisted unique index is not iterated (see canHandle)");
  }

  @Override
  public long getCount() {
    return space.entries() + space.aside();
  }

  @Override
  public boolean isEmpty() {
    return getCount() == 0;
  }

  @Override
  public long getDataSize() {
    return getCount();
  }

  @Override
  public void startBulkLoad() {
    space.startBuild();
    aside.clear();
    build = new WriteBatch();
    buildOps = 0;
  }

  @Override
  public void finishBulkLoad() {
    space.writeBuild(build);
    build.close();
    build = null;
    building.clear();
    space.finishBuild();
  }

  @Override
  public void drop() {
    space.drop();
    aside.clear();
  }
}
