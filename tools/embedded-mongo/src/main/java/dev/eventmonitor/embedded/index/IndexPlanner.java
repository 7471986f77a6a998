package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Picks the ordered index that serves a query best and turns the query's bounds into index ranges.
 *
 * <p>An index serves a query when a prefix of its fields is bounded by the filter (equality or
 * {@code $in} points, then one field with ranges) or when its order gives the requested sort.
 * Score: 10 per leading field bound by points, 5 for a ranged field after them, 8 when the walk
 * gives the whole sort (so sort + limit stops early), 3 when it gives a leading part of it.
 *
 * <p>A multikey index ({@link OrderedIndex#isMultikey}) gives no order and is bounded by one of its
 * field's conditions ({@link QueryBounds#multikeyConditions}): the one whose ranges hold the fewest
 * entries (counted up to {@link #ESTIMATE_CAP}). Points score 10, ranges 5; and when another index
 * scores higher but its own ranges hold more entries than the multikey one's few (at most
 * ESTIMATE_CAP), the multikey walk is taken: a rare search word beats a walk in sort order that
 * would read far to fill a page. Its walk yields a document once per matching element: the walk
 * de-duplicates positions.
 */
final class IndexPlanner {

  /** At most this many index ranges for the cross product of {@code $in} lists. */
  static final int MAX_RANGES = 256;

  /** Entries counted at most per multikey condition (and per competing plan) to compare them. */
  static final long ESTIMATE_CAP = 1_000;

  /** Conditions of a multikey field compared at most (the rest is left to the filter). */
  static final int MAX_CONDITIONS = 8;

  /**
   * One index walk: ranges in walk order, how many leading sort keys the walk provides, and whether
   * the ranges must be merged (each is in sort order, their concatenation is not) to provide them.
   */
  record Plan<P>(OrderedIndex<P> index, List<Range> ranges, boolean reverse, int sortKeysCovered,
      boolean merge, boolean distinct) {}

  /** Entries strictly between two probes. */
  record Range(Object[] low, int lowSide, Object[] high, int highSide) {}

  private IndexPlanner() {}

  static <P> Plan<P> plan(Document query, Document orderBy, List<OrderedIndex<P>> indexes) {
    if (orderBy != null && orderBy.containsKey("$natural")) {
      return null;
    }
    Map<String, List<Interval>> bounds = QueryBounds.of(query);
    List<String> sortFields = orderBy == null ? List.of() : new ArrayList<>(orderBy.keySet());
    Plan<P> best = null;
    int bestScore = 0;
    Plan<P> fewest = null;
    long fewestEntries = Long.MAX_VALUE;
    for (OrderedIndex<P> index : indexes) {
      if (!index.servesQueries()) {
        continue;
      }
      Candidate<P> c;
      if (index.isMultikey()) {
        c = index.fields().size() == 1 ? multikeyCandidate(index, query) : null;
        if (c != null && c.entries < fewestEntries) {
          fewest = c.plan;
          fewestEntries = c.entries;
        }
      } else {
        c = candidate(index, bounds, orderBy, sortFields);
      }
      if (c != null && c.score > bestScore && accepts(index, c.plan.ranges())) {
        best = c.plan;
        bestScore = c.score;
      }
    }
    if (fewest != null && best != null && best != fewest && fewestEntries < ESTIMATE_CAP
        && entries(best, fewestEntries + 1) > fewestEntries) {
      return fewest;
    }
    return best;
  }

  /** A plan, its score, and for a multikey plan the entries its ranges hold (up to ESTIMATE_CAP). */
  private record Candidate<P>(Plan<P> plan, int score, long entries) {
    Candidate(Plan<P> plan, int score) {
      this(plan, score, Long.MAX_VALUE);
    }
  }

  /** The entries of a plan's ranges, counted up to {@code cap}. */
  private static <P> long entries(Plan<P> plan, long cap) {
    long n = 0;
    for (Range r : plan.ranges()) {
      n += plan.index().countUpTo(r.low(), r.lowSide(), r.high(), r.highSide(), cap - n);
      if (n >= cap) {
        break;
      }
    }
    return n;
  }

  /**
   * The walk of a multikey index over the ranges of its field's condition with the fewest entries;
   * null when no condition bounds the field (or none can be sought).
   */
  private static <P> Candidate<P> multikeyCandidate(OrderedIndex<P> index, Document query) {
    List<List<Interval>> conditions = QueryBounds.multikeyConditions(query, index.fields().get(0));
    Candidate<P> chosen = null;
    for (List<Interval> condition : conditions.subList(0, Math.min(conditions.size(), MAX_CONDITIONS))) {
      if (condition.size() > MAX_RANGES) {
        continue;
      }
      List<Interval> ordered = new ArrayList<>(condition);
      if (!index.isAscending(0)) {
        Collections.reverse(ordered);
      }
      List<Range> ranges = new ArrayList<>();
      for (Interval interval : ordered) {
        ranges.add(range(List.of(), interval, index.isAscending(0)));
      }
      if (!accepts(index, ranges)) {
        continue;
      }
      Plan<P> plan = new Plan<>(index, ranges, false, 0, false, true);
      long cap = chosen == null ? ESTIMATE_CAP : Math.min(ESTIMATE_CAP, chosen.entries);
      long n = entries(plan, cap);
      if (chosen == null || n < chosen.entries) {
        // an empty list: the filter matches nothing
        int score = condition.isEmpty() ? 100 : condition.stream().allMatch(Interval::isPoint) ? 10 : 5;
        chosen = new Candidate<>(plan, score, n);
      }
    }
    return chosen;
  }

  /** Whether the index can seek to every probe of the ranges (a persisted one needs byte keys). */
  private static boolean accepts(OrderedIndex<?> index, List<Range> ranges) {
    for (Range range : ranges) {
      for (Object v : range.low()) {
        if (!index.acceptsBound(v)) {
          return false;
        }
      }
      for (Object v : range.high()) {
        if (!index.acceptsBound(v)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isConstant(Map<String, List<Interval>> bounds, String field) {
    List<Interval> b = bounds.get(field);
    return b != null && b.size() == 1 && b.get(0).isPoint();
  }

  private static <P> Candidate<P> candidate(OrderedIndex<P> index, Map<String, List<Interval>> bounds,
      Document orderBy, List<String> sortFields) {
    List<String> fields = index.fields();
    int n = fields.size();

    // leading fields bound by points: their cross product, in index order
    List<List<Object>> prefixes = new ArrayList<>();
    prefixes.add(List.of());
    int k = 0;
    while (k < n) {
      List<Interval> b = bounds.get(fields.get(k));
      if (b == null || b.isEmpty() || !b.stream().allMatch(Interval::isPoint)
          || (long) prefixes.size() * b.size() > MAX_RANGES) {
        break;
      }
      List<Interval> ordered = new ArrayList<>(b);
      if (!index.isAscending(k)) {
        Collections.reverse(ordered);
      }
      List<List<Object>> next = new ArrayList<>();
      for (List<Object> prefix : prefixes) {
        for (Interval point : ordered) {
          List<Object> p = new ArrayList<>(prefix);
          p.add(point.low());
          next.add(p);
        }
      }
      prefixes = next;
      k++;
    }
    // an empty bound list: the filter matches nothing; one empty range says so cheaply
    boolean matchesNothing = k < n && bounds.containsKey(fields.get(k)) && bounds.get(fields.get(k)).isEmpty();
    List<Interval> ranged = null;
    if (k < n && !matchesNothing) {
      List<Interval> b = bounds.get(fields.get(k));
      if (b != null && (long) prefixes.size() * b.size() <= MAX_RANGES) {
        ranged = new ArrayList<>(b);
        if (!index.isAscending(k)) {
          Collections.reverse(ranged);
        }
      }
    }

    // how much of the sort the walk gives, and in which direction
    int direction = 0;
    boolean merge = false;
    int j = 0;
    int i = 0;
    while (j < sortFields.size()) {
      String sortField = sortFields.get(j);
      if (isConstant(bounds, sortField)) {
        j++;
        continue;
      }
      if (i >= n) {
        break;
      }
      if (fields.get(i).equals(sortField)) {
        boolean sortAscending = ((Number) orderBy.get(sortField)).intValue() > 0;
        int d = sortAscending == index.isAscending(i) ? 1 : -1;
        if (direction != 0 && d != direction) {
          break;
        }
        direction = d;
        i++;
        j++;
        continue;
      }
      if (i < k || isConstant(bounds, fields.get(i))) {
        // a leading field with several points ($in) is constant within each range: the ranges
        // are each in sort order and are merged
        merge |= !isConstant(bounds, fields.get(i));
        i++;
        continue;
      }
      break;
    }
    int covered = j;

    int score = 10 * k + (ranged != null ? 5 : 0);
    if (direction != 0) {
      // the walk itself gives (part of) the order
      score += covered == sortFields.size() ? 8 : 3;
    }
    if (matchesNothing) {
      score += 100;
    }
    if (score == 0) {
      return null;
    }

    List<Range> ranges = new ArrayList<>();
    if (!matchesNothing) {
      for (List<Object> prefix : prefixes) {
        if (ranged == null) {
          Object[] p = prefix.toArray();
          ranges.add(new Range(p, -1, p, 1));
          continue;
        }
        for (Interval interval : ranged) {
          ranges.add(range(prefix, interval, index.isAscending(k)));
        }
      }
    }
    boolean reverse = direction < 0;
    if (reverse) {
      Collections.reverse(ranges);
    }
    return new Candidate<>(new Plan<>(index, ranges, reverse, covered, merge && direction != 0, false), score);
  }

  /** The probes around one interval of the field after the prefix, in index order. */
  private static Range range(List<Object> prefix, Interval interval, boolean ascending) {
    Object first = ascending ? interval.low() : interval.high();
    boolean firstIn = ascending ? interval.lowInclusive() : interval.highInclusive();
    Object last = ascending ? interval.high() : interval.low();
    boolean lastIn = ascending ? interval.highInclusive() : interval.lowInclusive();
    Object[] low = withValue(prefix, first == null ? KeyOrder.LOW : first);
    Object[] high = withValue(prefix, last == null ? KeyOrder.HIGH : last);
    return new Range(low, first == null || firstIn ? -1 : 1, high, last == null || lastIn ? 1 : -1);
  }

  private static Object[] withValue(List<Object> prefix, Object value) {
    Object[] a = prefix.toArray(new Object[prefix.size() + 1]);
    a[prefix.size()] = value;
    return a;
  }
}
