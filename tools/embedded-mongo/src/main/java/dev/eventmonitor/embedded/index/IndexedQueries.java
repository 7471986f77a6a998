package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Runs a query through an ordered index: walks the chosen ranges in index order, applies the full
 * filter to every document it reaches, and, when the walk gives the sort, stops once it has
 * skip + limit matches (at the end of a run of equal sort keys, so ties come out in natural order
 * exactly as the full scan's stable sort gives them). Without a sort the matches are put in
 * natural (position) order, again the full scan's order. A multikey walk (a document once per
 * matching element) yields each position once.
 */
public final class IndexedQueries {

  /** What the walk needs from a collection. */
  public interface Access<P> {
    /** The document at a position, or null if it is gone. */
    Document documentAt(P position);

    /** The collection's matcher (counted as one document examined). */
    boolean matches(Document document, Document query);

    Comparator<P> positionOrder();

    List<Index<P>> getIndexes();
  }

  /** The ordered index walked and the page of documents in result order (before projection). */
  record Result(String index, List<Document> documents) {}

  private record Found<P>(P position, Document document) {}

  private IndexedQueries() {}

  @SuppressWarnings("unchecked")
  static <P> List<OrderedIndex<P>> orderedIndexes(Access<P> access) {
    List<OrderedIndex<P>> out = new ArrayList<>();
    for (Index<P> index : access.getIndexes()) {
      if (index instanceof OrderedIndex<?> ordered) {
        out.add((OrderedIndex<P>) ordered);
      }
    }
    return out;
  }

  /** Null when no ordered index serves the query (or a unique index does): scan as before. */
  static <P> Result run(Access<P> access, Document query, Document orderBy, int skip, int limit) {
    for (Index<P> index : access.getIndexes()) {
      if (index.canHandle(query)) {
        return null; // a unique-key lookup: mongo-java-server's own path is already O(1)
      }
    }
    IndexPlanner.Plan<P> plan = IndexPlanner.plan(query, orderBy, orderedIndexes(access));
    if (plan == null) {
      return null;
    }
    boolean sorted = orderBy != null && !orderBy.isEmpty();
    long want = limit > 0 ? (long) Math.max(skip, 0) + limit : Long.MAX_VALUE;
    Comparator<Document> full = sorted ? new DocumentComparator(orderBy) : null;
    Comparator<Document> group = null;
    if (sorted && plan.sortKeysCovered() > 0) {
      Document covered = new Document();
      int i = 0;
      for (String key : orderBy.keySet()) {
        if (i++ < plan.sortKeysCovered()) {
          covered.put(key, orderBy.get(key));
        }
      }
      group = new DocumentComparator(covered);
    }
    Comparator<Found<P>> natural = (a, b) -> access.positionOrder().compare(a.position(), b.position());

    Iterator<Found<P>> matches = plan.merge() && group != null
        ? merged(access, plan, query, group)
        : concatenated(access, plan, query);
    List<Found<P>> out = new ArrayList<>();
    List<Found<P>> pending = new ArrayList<>();
    while (matches.hasNext()) {
      Found<P> found = matches.next();
      if (group != null && !pending.isEmpty() && group.compare(pending.get(0).document(), found.document()) != 0) {
        flush(pending, out, natural, full);
        if (out.size() >= want) {
          break;
        }
      }
      pending.add(found);
    }
    flush(pending, out, natural, full);

    int from = (int) Math.min(Math.max(skip, 0), out.size());
    int to = (int) Math.min(want, out.size());
    List<Document> page = new ArrayList<>(Math.max(to - from, 0));
    for (Found<P> f : out.subList(from, Math.max(from, to))) {
      page.add(f.document());
    }
    return new Result(plan.index().getName(), page);
  }

  /** The matching documents of one range, in walk order. */
  private static <P> Iterator<Found<P>> matching(Access<P> access, IndexPlanner.Plan<P> plan, IndexPlanner.Range range,
      Document query, Set<P> seen) {
    Iterator<P> positions = plan.index().scan(range.low(), range.lowSide(), range.high(), range.highSide(),
        plan.reverse());
    return new Iterator<>() {
      private Found<P> next;

      @Override
      public boolean hasNext() {
        while (next == null && positions.hasNext()) {
          P position = positions.next();
          if (seen != null && !seen.add(position)) {
            continue; // another element of the same document
          }
          Document document = access.documentAt(position);
          if (document != null && access.matches(document, query)) {
            next = new Found<>(position, document);
          }
        }
        return next != null;
      }

      @Override
      public Found<P> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Found<P> found = next;
        next = null;
        return found;
      }
    };
  }

  private static <P> Iterator<Found<P>> concatenated(Access<P> access, IndexPlanner.Plan<P> plan, Document query) {
    Iterator<IndexPlanner.Range> ranges = plan.ranges().iterator();
    Set<P> seen = plan.distinct() ? new HashSet<>() : null;
    return new Iterator<>() {
      private Iterator<Found<P>> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && ranges.hasNext()) {
          current = matching(access, plan, ranges.next(), query, seen);
        }
        return current.hasNext();
      }

      @Override
      public Found<P> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The ranges' matches merged by the sort keys the walk covers (each range is in that order). */
  private static <P> Iterator<Found<P>> merged(Access<P> access, IndexPlanner.Plan<P> plan, Document query,
      Comparator<Document> order) {
    record Head<P>(Found<P> found, Iterator<Found<P>> rest) {}
    PriorityQueue<Head<P>> heads = new PriorityQueue<>((a, b) -> order.compare(a.found().document(), b.found().document()));
    for (IndexPlanner.Range range : plan.ranges()) {
      Iterator<Found<P>> it = matching(access, plan, range, query, null); // never multikey
      if (it.hasNext()) {
        heads.add(new Head<>(it.next(), it));
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !heads.isEmpty();
      }

      @Override
      public Found<P> next() {
        Head<P> head = heads.poll();
        if (head == null) {
          throw new NoSuchElementException();
        }
        if (head.rest().hasNext()) {
          heads.add(new Head<>(head.rest().next(), head.rest()));
        }
        return head.found();
      }
    };
  }

  /** A run of equal sort keys (or everything, without a usable order): natural order, then sort. */
  private static <P> void flush(List<Found<P>> pending, List<Found<P>> out, Comparator<Found<P>> natural,
      Comparator<Document> full) {
    pending.sort(natural);
    if (full != null) {
      pending.sort((a, b) -> full.compare(a.document(), b.document())); // stable
    }
    out.addAll(pending);
    pending.clear();
  }
}
