package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import dev.eventmonitor.embedded.store.BulkLoadIndex;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A non-unique, ordered (compound) secondary index over any position type {@code P}.
 *
 * <p>Entries are (key values, position), ordered by the key values with mongo-java-server's own
 * ValueComparator per field (in the field's direction) and then by position in the collection's
 * natural order, so equal keys come out in the order a full scan would see them.
 *
 * <p>Multikey: a single-field index whose field holds an array of scalars (reached through embedded
 * documents only) gets one entry per distinct element, and one null entry for an empty array, as
 * MongoDB does. While any document has such entries the index is multikey: {@link IndexPlanner}
 * then never takes a sort order from it and bounds its field with one condition at a time (see
 * {@link QueryBounds#multikeyConditions}), and the walk de-duplicates positions. Any other array
 * key (in a compound index, or an array holding arrays or embedded documents) is tracked but not
 * put in the tree ("aside"); while any such document is in the collection the index declines
 * every query (the collection scans instead).
 *
 * <p>The index never answers {@link #canHandle}: the collection asks {@link IndexPlanner} instead,
 * which also uses the order (sort + limit stops early).
 *
 * <p>Filled from a whole collection at once (a store opening), it collects the entries, sorts them
 * once and builds the skip list from the sorted run in linear time ({@link BulkLoadIndex}).
 */
public class OrderedIndex<P> extends Index<P> implements BulkLoadIndex {

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
  /** Each field's path split at its dots once (Utils splits with a regex at every call). */
  private final String[][] paths;
  private final Comparator<P> positionOrder;
  private ConcurrentSkipListMap<Entry<P>, Boolean> map;
  /** The entries in index order (the key set of {@link #map}). */
  private NavigableSet<Entry<P>> tree;
  /** The position of each document by _id (to remove a document by content); shared per collection. */
  IdPositions<P> ids = new IdPositions<>(true);
  /** Entries in the tree (a skip list counts its size by walking it). */
  private final AtomicLong entries = new AtomicLong();
  /** Entries collected between startBulkLoad and finishBulkLoad; null otherwise. */
  private List<Entry<P>> loading;
  /** Documents whose key the tree cannot hold (see the class comment), by _id. */
  private final Map<Object, P> aside = new ConcurrentHashMap<>();
  /** Documents entered once per array element (multikey entries). */
  private final AtomicLong arrayDocuments = new AtomicLong();

  /**
   * The keys of one document: one per entry ({@code array}: the distinct elements of an array), or
   * null for a document the index keeps aside.
   */
  record Keys(List<Object[]> keys, boolean array) {}

  public OrderedIndex(String name, List<IndexKey> keys, boolean sparse, Comparator<P> positionOrder) {
    super(name, keys, sparse);
    this.fields = keys.stream().map(IndexKey::getKey).toList();
    this.ascending = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      ascending[i] = keys.get(i).isAscending();
    }
    this.paths = fields.stream().map(f -> f.split("\\.", -1)).toArray(String[][]::new);
    this.positionOrder = positionOrder;
    this.map = new ConcurrentSkipListMap<>(this::compare);
    this.tree = map.keySet();
  }

  /**
   * Makes the index use its collection's shared id to position map (before it holds anything); the
   * collection then forgets a removed document's id after all its indexes removed it.
   */
  void bindPositions(IdPositions<P> shared) {
    if (entries.get() != 0 || !aside.isEmpty()) {
      throw new IllegalStateException("index " + getName() + " is already filled");
    }
    this.ids = shared;
  }

  List<String> fields() {
    return fields;
  }

  boolean isAscending(int field) {
    return ascending[field];
  }

  /**
   * True while some document has an array in an indexed field (multikey entries or kept aside): the
   * index then gives no sort order, and with a document aside it serves no query at all.
   */
  public boolean isMultikey() {
    return arrayDocuments.get() > 0 || !aside.isEmpty();
  }

  /** False while a document is kept aside: the index then serves no query. */
  public boolean servesQueries() {
    return aside.isEmpty();
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
    return IdPositions.idOf(document);
  }

  Object[] keyValues(Document document) {
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = valueAt(document, i);
    }
    return values;
  }

  /**
   * The value of field {@code i}: what {@link Utils#getSubdocumentValueCollectionAware} answers,
   * walked directly while the path goes through embedded documents (the common case) and through
   * that method as soon as it meets anything else (an array, a scalar).
   */
  private Object valueAt(Document document, int i) {
    String[] path = paths[i];
    Object value = document;
    for (int step = 0; step < path.length; step++) {
      String fragment = path[step];
      if (!(value instanceof Document d) || fragment.isEmpty() || fragment.equals("$")) {
        return Utils.getSubdocumentValueCollectionAware(document, fields.get(i));
      }
      value = d.getOrMissing(fragment);
      if (value == null || value instanceof Missing) {
        // a missing or null step: the rest of the path is missing (a null at the end stays null)
        return value == null && step == path.length - 1 ? null : Missing.getInstance();
      }
    }
    return value;
  }

  /**
   * The entry keys of a document, or null when the index keeps it aside: a key without arrays is
   * one entry; a single field holding an array of scalars (reached through embedded documents only)
   * is one entry per distinct element ({@link KeyOrder} equality), or one null entry when empty.
   */
  Keys keysOf(Document document) {
    Object[] values = keyValues(document);
    if (!hasArray(values)) {
      return new Keys(List.<Object[]>of(values), false);
    }
    if (values.length != 1 || !reachedDirectly(document)) {
      return null;
    }
    Collection<?> array = (Collection<?>) values[0];
    if (array.isEmpty()) {
      return new Keys(List.<Object[]>of(new Object[] {null}), true);
    }
    java.util.TreeSet<Object> distinct = new java.util.TreeSet<>(KeyOrder::compareAsc);
    for (Object element : array) {
      if (element instanceof Collection || element instanceof Document) {
        return null;
      }
      distinct.add(element);
    }
    List<Object[]> keys = new ArrayList<>(distinct.size());
    for (Object element : distinct) {
      keys.add(new Object[] {element});
    }
    return new Keys(keys, true);
  }

  /** Whether the first field's path leads to its value through embedded documents only. */
  private boolean reachedDirectly(Document document) {
    String[] path = paths[0];
    Object value = document;
    for (int step = 0; step < path.length - 1; step++) {
      if (!(value instanceof Document d) || path[step].isEmpty() || path[step].equals("$")) {
        return false;
      }
      value = d.getOrMissing(path[step]);
    }
    String last = path[path.length - 1];
    return value instanceof Document d && !last.isEmpty() && !last.equals("$") && d.get(last) instanceof Collection;
  }

  static boolean hasArray(Object[] values) {
    for (Object v : values) {
      if (v instanceof Collection) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a range probe may hold {@code value} (a value taken from a query bound); an index that
   * cannot seek to it declines the query.
   */
  boolean acceptsBound(Object value) {
    return true;
  }

  /** How many entries lie between two probes, counted up to {@code cap}. */
  long countUpTo(Object[] low, int lowSide, Object[] high, int highSide, long cap) {
    Iterator<P> it = scan(low, lowSide, high, highSide, false);
    long n = 0;
    while (n < cap && it.hasNext()) {
      it.next();
      n++;
    }
    return n;
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
    Object id = idOf(document);
    P position = aside.get(id);
    return position != null ? position : ids.get(id);
  }

  @Override
  public void checkAdd(Document document, MongoCollection<P> collection) {
    // not unique: nothing can conflict
  }

  @Override
  public void add(Document document, P position, MongoCollection<P> collection) {
    Object id = idOf(document);
    Keys keys = keysOf(document);
    if (keys == null) {
      aside.put(id, position);
      return;
    }
    for (Object[] values : keys.keys()) {
      Entry<P> entry = new Entry<>(values, position, 0);
      if (loading != null) {
        loading.add(entry);
      } else {
        map.put(entry, Boolean.TRUE);
      }
      entries.incrementAndGet();
    }
    if (keys.array()) {
      arrayDocuments.incrementAndGet();
    }
    if (ids.ownedByIndex) {
      ids.put(id, position); // a shared map is kept by the collection
    }
  }

  @Override
  public void startBulkLoad() {
    if (entries.get() != 0 || !aside.isEmpty()) {
      throw new IllegalStateException("bulk load of a filled index " + getName());
    }
    loading = new ArrayList<>();
  }

  /** Sorts the collected entries once and builds the skip list from the sorted run (linear). */
  @Override
  public void finishBulkLoad() {
    @SuppressWarnings("unchecked")
    Entry<P>[] sorted = (Entry<P>[]) loading.toArray(new Entry<?>[0]);
    loading = null;
    Arrays.sort(sorted, this::compare);
    map = new ConcurrentSkipListMap<>(new SortedRun<>(sorted, this::compare));
    tree = map.keySet();
  }

  /**
   * A sorted array seen as the SortedMap that ConcurrentSkipListMap's copy constructor builds from
   * in one linear pass (it reads only {@code comparator()} and {@code entrySet().iterator()}).
   */
  private static final class SortedRun<E> extends AbstractMap<E, Boolean> implements SortedMap<E, Boolean> {
    private final E[] keys;
    private final Comparator<? super E> order;

    SortedRun(E[] keys, Comparator<? super E> order) {
      this.keys = keys;
      this.order = order;
    }

    @Override
    public Comparator<? super E> comparator() {
      return order;
    }

    @Override
    public Set<Map.Entry<E, Boolean>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<E, Boolean>> iterator() {
          return Arrays.stream(keys).map(k -> (Map.Entry<E, Boolean>) new SimpleImmutableEntry<>(k, Boolean.TRUE))
              .iterator();
        }

        @Override
        public int size() {
          return keys.length;
        }
      };
    }

    @Override
    public SortedMap<E, Boolean> subMap(E fromKey, E toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<E, Boolean> headMap(E toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<E, Boolean> tailMap(E fromKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public E firstKey() {
      return keys[0];
    }

    @Override
    public E lastKey() {
      return keys[keys.length - 1];
    }
  }

  @Override
  public P remove(Document document) {
    Object id = idOf(document);
    P asidePosition = aside.remove(id);
    if (asidePosition != null) {
      return asidePosition;
    }
    P position = ids.get(id);
    if (position == null) {
      return null;
    }
    // the document as stored gives the keys it was added under (updates replace the entries)
    Keys keys = keysOf(document);
    if (keys == null) {
      return null;
    }
    int removed = 0;
    for (Object[] values : keys.keys()) {
      if (tree.remove(new Entry<>(values, position, 0))) {
        removed++;
      }
    }
    if (removed == 0) {
      return null;
    }
    entries.addAndGet(-removed);
    if (keys.array()) {
      arrayDocuments.decrementAndGet();
    }
    if (ids.ownedByIndex) {
      ids.forget(id);
    }
    return position;
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
    return entries.get() + aside.size();
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
    if (sameKeys(oldDocument, newDocument)) {
      return;
    }
    remove(oldDocument);
    add(newDocument, position, collection);
  }

  /**
   * Whether two versions of a document have the same entries (an update of other fields of a
   * document with a long array rewrites none of them).
   */
  boolean sameKeys(Document oldDocument, Document newDocument) {
    Object[] oldValues = keyValues(oldDocument);
    Object[] newValues = keyValues(newDocument);
    if (!sameKey(oldValues, newValues)) {
      return false;
    }
    // equal arrays reached differently (a.b of {a: {b: [1]}} and of {a: [{b: 1}]}) are entered differently
    return !hasArray(oldValues) || reachedDirectly(oldDocument) == reachedDirectly(newDocument);
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
    entries.set(0);
    if (ids.ownedByIndex) {
      ids.clear();
    }
    aside.clear();
    arrayDocuments.set(0);
  }
}
