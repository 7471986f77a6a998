package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The position of each document of one collection by {@code _id}, shared by all the collection's
 * {@link OrderedIndex}es: an index is asked to remove a document by its content, and needs its
 * position to find the entry. One map per collection instead of one per index (17 maps of a
 * million entries were most of a store's start-up and a good part of its heap).
 *
 * <p>The collection keeps it: it puts every document it stores (also those it finds when a store
 * opens) and forgets an id once every index has removed the document. An index that is not bound
 * to a collection owns a private instance and keeps it itself.
 */
final class IdPositions<P> {

  private final Map<Object, P> positions = new ConcurrentHashMap<>();
  /** True for a private instance: the index itself forgets removed documents. */
  final boolean ownedByIndex;
  /** When set, positions are looked up (in a persisted _id index) instead of kept here. */
  private final Function<Object, P> lookup;

  IdPositions(boolean ownedByIndex) {
    this.ownedByIndex = ownedByIndex;
    this.lookup = null;
  }

  /**
   * Positions answered by {@code lookup} (the collection's persisted {@code _id} index): nothing is
   * kept in memory, so nothing has to be filled when a store opens.
   */
  IdPositions(Function<Object, P> lookup) {
    this.ownedByIndex = false;
    this.lookup = lookup;
  }

  static Object idOf(Document document) {
    Object id = document.get("_id");
    return id == null ? Missing.getInstance() : id;
  }

  void put(Object id, P position) {
    if (lookup == null) {
      positions.put(id, position);
    }
  }

  P get(Object id) {
    return lookup != null ? lookup.apply(id) : positions.get(id);
  }

  void forget(Object id) {
    positions.remove(id);
  }

  void clear() {
    positions.clear();
  }
}
