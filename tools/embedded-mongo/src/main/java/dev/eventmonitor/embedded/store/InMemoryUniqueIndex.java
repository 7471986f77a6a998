package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unique index (including {@code _id}) held in memory and rebuilt from the stored documents at
 * open. Duplicate keys are refused by {@link AbstractUniqueIndex} with error code 11000.
 *
 * @param <P> the position type of the collection
 */
public final class InMemoryUniqueIndex<P> extends AbstractUniqueIndex<P> {

  private final Map<KeyValue, P> index = new ConcurrentHashMap<>();

  public InMemoryUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
  }

  @Override
  protected P removeDocument(KeyValue keyValue) {
    return index.remove(keyValue);
  }

  @Override
  protected boolean putKeyPosition(KeyValue keyValue, P position) {
    return index.putIfAbsent(keyValue, position) == null;
  }

  @Override
  protected Iterable<Map.Entry<KeyValue, P>> getIterable() {
    return index.entrySet();
  }

  @Override
  protected P getPosition(KeyValue keyValue) {
    return index.get(keyValue);
  }

  @Override
  public long getCount() {
    return index.size();
  }

  @Override
  public boolean isEmpty() {
    return index.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }
}
