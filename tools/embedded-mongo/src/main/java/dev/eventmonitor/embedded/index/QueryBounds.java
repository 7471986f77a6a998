package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-field value ranges implied by a query filter: every document the filter matches has, for
 * each field in the map, a value inside one of the field's intervals. Operators we do not know
 * simply add no bound (the full filter is still applied to every document the index yields), so
 * the bounds are always a superset of the matches, never a guess.
 */
final class QueryBounds {

  private QueryBounds() {}

  static Map<String, List<Interval>> of(Document query) {
    Map<String, List<Interval>> bounds = new LinkedHashMap<>();
    if (query == null) {
      return bounds;
    }
    for (Map.Entry<String, Object> entry : query.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.equals("$and") && value instanceof Collection<?> clauses) {
        for (Object clause : clauses) {
          if (clause instanceof Document d) {
            intersectAll(bounds, of(d));
          }
        }
      } else if (key.equals("$or") && value instanceof Collection<?> clauses && !clauses.isEmpty()) {
        intersectAll(bounds, hullOfBranches(clauses));
      } else if (!key.startsWith("$")) {
        List<Interval> field = fieldBounds(value);
        if (field != null) {
          intersect(bounds, key, field);
        }
      }
    }
    return bounds;
  }

  /** A field bounded in every branch of an $or is bounded by the hull of the branches' ranges. */
  private static Map<String, List<Interval>> hullOfBranches(Collection<?> clauses) {
    Map<String, List<Interval>> hull = null;
    for (Object clause : clauses) {
      if (!(clause instanceof Document d)) {
        return Map.of();
      }
      Map<String, List<Interval>> branch = of(d);
      if (hull == null) {
        hull = new LinkedHashMap<>();
        for (Map.Entry<String, List<Interval>> e : branch.entrySet()) {
          hull.put(e.getKey(), List.of(hullOf(e.getValue())));
        }
      } else {
        hull.keySet().retainAll(branch.keySet());
        for (Map.Entry<String, List<Interval>> e : hull.entrySet()) {
          e.setValue(List.of(hullOf(e.getValue()).hull(hullOf(branch.get(e.getKey())))));
        }
      }
    }
    // An empty branch list (no clause matched anything) cannot happen: clauses is not empty.
    return hull;
  }

  private static Interval hullOf(List<Interval> intervals) {
    if (intervals.isEmpty()) {
      // the branch can match nothing on this field; a point range that matches nothing would do,
      // but an unbounded one is simply safe
      return Interval.ALL;
    }
    Interval h = intervals.get(0);
    for (Interval i : intervals) {
      h = h.hull(i);
    }
    return h;
  }

  private static void intersectAll(Map<String, List<Interval>> into, Map<String, List<Interval>> other) {
    for (Map.Entry<String, List<Interval>> e : other.entrySet()) {
      intersect(into, e.getKey(), e.getValue());
    }
  }

  private static void intersect(Map<String, List<Interval>> into, String field, List<Interval> ranges) {
    List<Interval> existing = into.get(field);
    into.put(field, existing == null ? Interval.normalize(ranges) : Interval.intersect(existing, ranges));
  }

  /** Ranges for one field's condition, or null when it implies none we can use. */
  static List<Interval> fieldBounds(Object condition) {
    if (!(condition instanceof Document d)) {
      return condition == null || KeyOrder.boundable(condition) ? List.of(Interval.point(condition)) : null;
    }
    if (d.isEmpty() || !d.keySet().iterator().next().startsWith("$")) {
      return null; // equality with an embedded document
    }
    List<Interval> result = null;
    for (Map.Entry<String, Object> op : d.entrySet()) {
      Object v = op.getValue();
      List<Interval> r = switch (op.getKey()) {
        case "$eq" -> v == null || KeyOrder.boundable(v) ? List.of(Interval.point(v)) : null;
        // the matcher compares only values of the same type class (numbers with numbers), so a
        // range also stops at the edge of its value's type class
        case "$gt" -> KeyOrder.boundable(v) ? List.of(new Interval(v, false, typeEnd(v), true)) : null;
        case "$gte" -> KeyOrder.boundable(v) ? List.of(new Interval(v, true, typeEnd(v), true)) : null;
        case "$lt" -> KeyOrder.boundable(v) ? List.of(new Interval(typeStart(v), true, v, false)) : null;
        case "$lte" -> KeyOrder.boundable(v) ? List.of(new Interval(typeStart(v), true, v, true)) : null;
        case "$in" -> inBounds(v);
        case "$type" -> typeBounds(v);
        default -> null;
      };
      if (r != null) {
        result = result == null ? Interval.normalize(r) : Interval.intersect(result, r);
      }
    }
    return result;
  }

  private static KeyOrder.TypeEdge typeStart(Object value) {
    return new KeyOrder.TypeEdge(KeyOrder.typeOrder(value), false);
  }

  private static KeyOrder.TypeEdge typeEnd(Object value) {
    return new KeyOrder.TypeEdge(KeyOrder.typeOrder(value), true);
  }

  private static List<Interval> inBounds(Object values) {
    if (!(values instanceof Collection<?> list)) {
      return null;
    }
    List<Interval> points = new ArrayList<>();
    for (Object v : list) {
      if (v != null && !KeyOrder.boundable(v)) {
        return null; // a regex or an array in $in matches more than equal values
      }
      points.add(Interval.point(v));
    }
    return Interval.normalize(points);
  }

  /** {@code $type} with one type name or number: the range of that type class. */
  private static List<Interval> typeBounds(Object type) {
    int order;
    if (type instanceof String s) {
      order = switch (s) {
        case "double", "int", "long", "decimal", "number" -> 1;
        case "string" -> 2;
        case "objectId" -> 8;
        case "bool" -> 9;
        case "date" -> 10;
        case "timestamp" -> 11;
        default -> -2;
      };
    } else if (type instanceof Number n) {
      order = switch (n.intValue()) {
        case 1, 16, 18, 19 -> 1;
        case 2 -> 2;
        case 7 -> 8;
        case 8 -> 9;
        case 9 -> 10;
        case 17 -> 11;
        default -> -2;
      };
    } else {
      order = -2;
    }
    if (order < 0) {
      return null;
    }
    return List.of(new Interval(new KeyOrder.TypeEdge(order, false), true,
        new KeyOrder.TypeEdge(order, true), true));
  }
}
