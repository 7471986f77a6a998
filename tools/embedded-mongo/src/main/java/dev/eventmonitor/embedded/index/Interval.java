package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.Missing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A range of one field's values in ascending order; {@code low}/{@code high} null = unbounded
 * (the null value itself is Missing). Bounds are plain values or {@link KeyOrder.TypeEdge}s.
 */
record Interval(Object low, boolean lowInclusive, Object high, boolean highInclusive) {

  static final Interval ALL = new Interval(null, false, null, false);

  /** null (the value) is kept as Missing, which ValueComparator ranks equal to null. */
  static Interval point(Object value) {
    Object v = value == null ? Missing.getInstance() : value;
    return new Interval(v, true, v, true);
  }

  /** One value (null included): every document in it compares equal on this field. */
  boolean isPoint() {
    return lowInclusive && highInclusive && low != null && high != null
        && !(low instanceof KeyOrder.TypeEdge) && !(high instanceof KeyOrder.TypeEdge)
        && KeyOrder.compareAsc(low, high) == 0;
  }

  boolean isEmpty() {
    if (low == null || high == null) {
      return false;
    }
    int c = KeyOrder.compareAsc(low, high);
    return c > 0 || (c == 0 && !(lowInclusive && highInclusive));
  }

  Interval intersect(Interval other) {
    Object lo = low;
    boolean loIn = lowInclusive;
    if (other.low != null) {
      int c = low == null ? -1 : KeyOrder.compareAsc(low, other.low);
      if (c < 0 || (c == 0 && !other.lowInclusive)) {
        lo = other.low;
        loIn = other.lowInclusive;
      }
    }
    Object hi = high;
    boolean hiIn = highInclusive;
    if (other.high != null) {
      int c = high == null ? 1 : KeyOrder.compareAsc(high, other.high);
      if (c > 0 || (c == 0 && !other.highInclusive)) {
        hi = other.high;
        hiIn = other.highInclusive;
      }
    }
    return new Interval(lo, loIn, hi, hiIn);
  }

  /** The smallest interval holding both. */
  Interval hull(Interval other) {
    Object lo = null;
    boolean loIn = false;
    if (low != null && other.low != null) {
      int c = KeyOrder.compareAsc(low, other.low);
      lo = c <= 0 ? low : other.low;
      loIn = c < 0 ? lowInclusive : c > 0 ? other.lowInclusive : lowInclusive || other.lowInclusive;
    }
    Object hi = null;
    boolean hiIn = false;
    if (high != null && other.high != null) {
      int c = KeyOrder.compareAsc(high, other.high);
      hi = c >= 0 ? high : other.high;
      hiIn = c > 0 ? highInclusive : c < 0 ? other.highInclusive : highInclusive || other.highInclusive;
    }
    return new Interval(lo, loIn, hi, hiIn);
  }

  private static final Comparator<Interval> BY_LOW = (a, b) -> {
    if (a.low == null || b.low == null) {
      return a.low == null ? (b.low == null ? 0 : -1) : 1;
    }
    int c = KeyOrder.compareAsc(a.low, b.low);
    return c != 0 ? c : Boolean.compare(!a.lowInclusive, !b.lowInclusive);
  };

  /** Sorted, non-empty, non-overlapping: overlapping or touching intervals are merged. */
  static List<Interval> normalize(List<Interval> intervals) {
    List<Interval> sorted = new ArrayList<>();
    for (Interval i : intervals) {
      if (!i.isEmpty()) {
        sorted.add(i);
      }
    }
    sorted.sort(BY_LOW);
    List<Interval> out = new ArrayList<>();
    for (Interval i : sorted) {
      if (!out.isEmpty()) {
        Interval last = out.get(out.size() - 1);
        boolean overlaps = last.high == null || i.low == null
            || KeyOrder.compareAsc(i.low, last.high) < 0
            || (KeyOrder.compareAsc(i.low, last.high) == 0 && (i.lowInclusive || last.highInclusive));
        if (overlaps) {
          out.set(out.size() - 1, last.hull(i).withLow(last));
          continue;
        }
      }
      out.add(i);
    }
    return out;
  }

  private Interval withLow(Interval from) {
    return new Interval(from.low, from.lowInclusive, high, highInclusive);
  }

  static List<Interval> intersect(List<Interval> a, List<Interval> b) {
    List<Interval> out = new ArrayList<>();
    for (Interval x : a) {
      for (Interval y : b) {
        Interval z = x.intersect(y);
        if (!z.isEmpty()) {
          out.add(z);
        }
      }
    }
    return normalize(out);
  }
}
