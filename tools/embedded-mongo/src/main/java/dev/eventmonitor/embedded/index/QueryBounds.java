package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
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

  /**
   * Bounds of a multikey index's field, one condition at a time: every document the filter matches
   * has an index entry (an element of its array, or its value) inside each returned interval list.
   * Unlike {@link #of}, conditions are never intersected: two conditions may be met by two different
   * elements ({@code {a: {$gt: 3}}} and {@code {a: {$lt: 2}}} both match {@code a: [1, 5]}). The
   * planner walks one of them. Each operator of a condition document, each item of {@code $all}, and
   * each clause of {@code $and} is one condition; a top-level {@code $or} whose every branch bounds
   * the field gives the union of one condition per branch. {@code $elemMatch}, {@code $not},
   * {@code $ne} and anything unknown give none.
   */
  static List<List<Interval>> multikeyConditions(Document query, String field) {
    List<List<Interval>> out = new ArrayList<>();
    if (query == null) {
      return out;
    }
    for (Map.Entry<String, Object> entry : query.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.equals("$and") && value instanceof Collection<?> clauses) {
        for (Object clause : clauses) {
          if (clause instanceof Document d) {
            out.addAll(multikeyConditions(d, field));
          }
        }
      } else if (key.equals("$or") && value instanceof Collection<?> clauses && !clauses.isEmpty()) {
        List<Interval> union = new ArrayList<>();
        for (Object clause : clauses) {
          List<List<Interval>> branch = clause instanceof Document d ? multikeyConditions(d, field) : List.of();
          if (branch.isEmpty()) {
            union = null;
            break;
          }
          union.addAll(branch.get(0));
        }
        if (union != null) {
          out.add(Interval.normalize(union));
        }
      } else if (key.equals(field)) {
        out.addAll(elementConditions(value));
      }
    }
    return out;
  }

  /** The conditions one field's value implies for some entry of a multikey document. */
  private static List<List<Interval>> elementConditions(Object condition) {
    List<List<Interval>> out = new ArrayList<>();
    if (condition instanceof BsonRegularExpression regex) {
      addIfBounded(out, regexBounds(regex.getPattern(), regex.getOptions()));
      return out;
    }
    if (!(condition instanceof Document d)) {
      if (condition == null || KeyOrder.boundable(condition)) {
        out.add(List.of(Interval.point(condition)));
      }
      return out;
    }
    if (d.isEmpty() || !d.keySet().iterator().next().startsWith("$")) {
      return out; // equality with an embedded document
    }
    if (d.containsKey("$regex")) {
      // the matcher takes the whole document as the regular expression
      if (REGEX_KEYS.containsAll(d.keySet()) && d.get("$regex") instanceof String pattern
          && (d.get("$options") == null || d.get("$options") instanceof String)) {
        addIfBounded(out, regexBounds(pattern, (String) d.get("$options")));
      }
      return out;
    }
    for (Map.Entry<String, Object> op : d.entrySet()) {
      Object v = op.getValue();
      switch (op.getKey()) {
        case "$eq", "$gt", "$gte", "$lt", "$lte", "$in", "$type" -> addIfBounded(out, fieldBounds(new Document(op.getKey(), v)));
        case "$all" -> {
          if (v instanceof Collection<?> items) {
            for (Object item : items) {
              if (item instanceof BsonRegularExpression regex) {
                addIfBounded(out, regexBounds(regex.getPattern(), regex.getOptions()));
              } else if (item == null || KeyOrder.boundable(item)) {
                out.add(List.of(Interval.point(item)));
              }
            }
          }
        }
        default -> {
          // no bound ($elemMatch, $ne, $nin, $not, $size, $exists, ...)
        }
      }
    }
    return out;
  }

  private static final java.util.Set<String> REGEX_KEYS = java.util.Set.of("$regex", "$options");

  private static void addIfBounded(List<List<Interval>> out, List<Interval> bounds) {
    if (bounds != null) {
      out.add(bounds);
    }
  }

  /**
   * The index ranges that hold every value an anchored regular expression {@code ^literal...}
   * matches, or null when it has no literal prefix or its options change what {@code ^} or the
   * literal mean (only {@code s} and {@code u} are allowed). mongo-java-server's matcher applies a
   * regex to the {@code toString()} of any non-null value, so besides the strings that start with the
   * prefix, the ranges keep every number, MinKey, and every type after strings (dates, ObjectIds,
   * booleans, ...); only other strings and null/missing are left out. A prefix starting with
   * {@code [} is refused: an array's own string form starts with it.
   */
  static List<Interval> regexBounds(String pattern, String options) {
    if (options != null && !options.chars().allMatch(c -> c == 's' || c == 'u')) {
      return null;
    }
    String prefix = literalPrefix(pattern);
    if (prefix == null || prefix.isEmpty() || prefix.charAt(0) == '[') {
      return null;
    }
    List<Interval> out = new ArrayList<>();
    out.add(new Interval(null, false, new KeyOrder.TypeEdge(0, false), false)); // MinKey
    out.add(new Interval(new KeyOrder.TypeEdge(1, false), true, new KeyOrder.TypeEdge(1, true), true));
    String next = successor(prefix);
    out.add(next == null
        ? new Interval(prefix, true, new KeyOrder.TypeEdge(2, true), true)
        : new Interval(prefix, true, next, false));
    out.add(new Interval(new KeyOrder.TypeEdge(3, false), true, null, false));
    return Interval.normalize(out);
  }

  /**
   * The literal text every match of {@code pattern} starts with: after a leading {@code ^}, plain
   * characters and backslash-escaped punctuation, up to the first other construct (a character
   * optional by a following quantifier is not part of it). Null without a leading {@code ^} or with
   * an alternation anywhere.
   */
  static String literalPrefix(String pattern) {
    if (!pattern.startsWith("^")) {
      return null;
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '|') {
        return null;
      }
    }
    StringBuilder prefix = new StringBuilder();
    int i = 1;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int length;
      char literal;
      if (c == '\\') {
        if (i + 1 >= pattern.length()) {
          break;
        }
        char e = pattern.charAt(i + 1);
        if (Character.isLetterOrDigit(e) || e > 0x7F) {
          break; // a class (\d), an anchor (\b), a quote (\Q), a back reference, ...
        }
        literal = e;
        length = 2;
      } else if (".[]{}()*+?^$".indexOf(c) >= 0 || Character.isSurrogate(c)) {
        break;
      } else {
        literal = c;
        length = 1;
      }
      if (i + length < pattern.length() && "*?{".indexOf(pattern.charAt(i + length)) >= 0) {
        break; // optional (or a counted repeat): not certain to be there
      }
      prefix.append(literal);
      i += length;
    }
    return prefix.toString();
  }

  /** The smallest string above every string starting with {@code prefix}; null when there is none. */
  private static String successor(String prefix) {
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '\uffff') {
      end--;
    }
    if (end == 0) {
      return null;
    }
    return prefix.substring(0, end - 1) + (char) (prefix.charAt(end - 1) + 1);
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
