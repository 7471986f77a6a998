package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A non-unique, ordered (compound) secondary index over any position type {@code P}.
 *
 * <p>Entries are (key values, position), ordered by the key values with mongo-java-server's own
 * ValueComparator per field (in the field's direction) and then by position in the collection's
 * natural order, so equal keys come out in the order a full scan would see them. A document whose
 * key holds an array ("multikey") is tracked but not put in the tree; while any such document is
 * in the collection the index declines every query (the collection scans instead), because a
 * multikey index cannot give a sort order and its bounds need MongoDB's array semantics.
 *
 * <p>The index never answers {@link #canHandle}: the collection asks {@link IndexPlanner} instead,
 * which also uses the order (sort + limit stops early).
 */
public final class OrderedIndex<P> extends Index<P> {

  /** One entry, or a probe (position null) that sorts before/after all entries sharing its prefix. */
  static final class Entry<P> {
    final Object[] values;
    final P position;
    /** For probes: -1 before, +1 after the entries that share its values. 0 for real entries. */
    final int side;

    Entry(Object[] values, P position, int side) {
      this.values = values;
      this.position = position;
      this.side = side;
    }
  }

  private final boolean[] ascending;
  private final List<String> fields;
  private final Comparator<P> positionOrder;
  private final NavigableSet<Entry<P>> tree;
  /** The entry of each document, by _id (the index needs it to remove a document by content). */
  private final Map<Object, Entry<P>> byId = new ConcurrentHashMap<>();
  /** Documents with an array in an indexed field, by _id. */
  private final Map<Object, P> multikey = new ConcurrentHashMap<>();

  public OrderedIndex(String name, List<IndexKey> keys, boolean sparse, Comparator<P> positionOrder) {
    super(name, keys, sparse);
    this.fields = keys.stream().map(IndexKey::getKey).toList();
    this.ascending = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      ascending[i] = keys.get(i).isAscending();
    }
    this.positionOrder = positionOrder;
    this.tree = new ConcurrentSkipListSet<>(this::compare);
  }

  List<String> fields() {
    return fields;
  }

  boolean isAscending(int field) {
    return ascending[field];
  }

  /** True while some document has an array in an indexed field: the index serves no query then. */
  public boolean isMultikey() {
    return !multikey.isEmpty();
  }

  int compare(Entry<P> a, Entry<P> b) {
    int n = Math.min(a.values.length, b.values.length);
    for (int i = 0; i < n; i++) {
      int c = KeyOrder.compareField(a.values[i], b.values[i], ascending[i]);
      if (c != 0) {
        return c;
      }
    }
    if (a.values.length != b.values.length || a.side != 0 || b.side != 0) {
      if (a.values.length < b.values.length) {
        return a.side;
      }
      if (b.values.length < a.values.length) {
        return -b.side;
      }
      return Integer.compare(a.side, b.side);
    }
    return positionOrder.compare(a.position, b.position);
  }

  private static Object idOf(Document document) {
    Object id = document.get("_id");
    return id == null ? Missing.getInstance() : id;
  }

  private Object[] keyValues(Document document) {
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Utils.getSubdocumentValueCollectionAware(document, fields.get(i));
    }
    return values;
  }

  private static boolean hasArray(Object[] values) {
    for (Object v : values) {
      if (v instanceof Collection) {
        return true;
      }
    }
    return false;
  }

  /** Positions of the entries between two probes, in index order or reversed. */
  Iterator<P> scan(Object[] low, int lowSide, Object[] high, int highSide, boolean reverse) {
    Entry<P> from = new Entry<>(low, null, lowSide);
    Entry<P> to = new Entry<>(high, null, highSide);
    if (compare(from, to) > 0) {
      return java.util.Collections.emptyIterator();
    }
    NavigableSet<Entry<P>> range = tree.subSet(from, false, to, false);
    Iterator<Entry<P>> it = reverse ? range.descendingIterator() : range.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public P next() {
        return it.next().position;
      }
    };
  }

  @Override
  public P getPosition(Document document) {
    Entry<P> entry = byId.get(idOf(document));
    return entry != null ? entry.position : multikey.get(idOf(document));
  }

  @Override
  public void checkAdd(Document document, MongoCollection<P> collection) {
    // not unique: nothing can conflict
  }

  @Override
  public void add(Document document, P position, MongoCollection<P> collection) {
    Object id = idOf(document);
    Object[] values = keyValues(document);
    if (hasArray(values)) {
      multikey.put(id, position);
      return;
    }
    Entry<P> entry = new Entry<>(values, position, 0);
    tree.add(entry);
    byId.put(id, entry);
  }

  @Override
  public P remove(Document document) {
    Object id = idOf(document);
    Entry<P> entry = byId.remove(id);
    if (entry != null) {
      tree.remove(entry);
      return entry.position;
    }
    return multikey.remove(id);
  }

  @Override
  public boolean canHandle(Document query) {
    return false;
  }

  @Override
  public Iterable<P> getPositions(Document query) {
    throw new UnsupportedOperationException("OrderedIndex is used through IndexPlanner");
  }

  @Override
  public long getCount() {
    return byId.size() + multikey.size();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
    // not unique: nothing can conflict
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
    Object[] oldValues = keyValues(oldDocument);
    Object[] newValues = keyValues(newDocument);
    if (!hasArray(oldValues) && !hasArray(newValues) && sameKey(oldValues, newValues)) {
      return;
    }
    remove(oldDocument);
    add(newDocument, position, collection);
  }

  private boolean sameKey(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      // identical in value and type: a key that only compares equal (1 vs 1.0) is replaced, so the
      // tree always holds the document's current values
      if (!Objects.equals(a[i], b[i]) || typeOf(a[i]) != typeOf(b[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> typeOf(Object v) {
    return v == null ? null : v.getClass();
  }

  @Override
  public void drop() {
    tree.clear();
    byId.clear();
    multikey.clear();
  }
}
