package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

  IdPositions(boolean ownedByIndex) {
    this.ownedByIndex = ownedByIndex;
  }

  static Object idOf(Document document) {
    Object id = document.get("_id");
    return id == null ? Missing.getInstance() : id;
  }

  void put(Object id, P position) {
    positions.put(id, position);
  }

  P get(Object id) {
    return positions.get(id);
  }

  void forget(Object id) {
    positions.remove(id);
  }

  void clear() {
    positions.clear();
  }
}
