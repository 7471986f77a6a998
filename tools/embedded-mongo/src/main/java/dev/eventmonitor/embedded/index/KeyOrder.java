package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * The order of index keys. Values are compared with mongo-java-server's own {@link ValueComparator}
 * (the comparator its sort and its $gt/$lt matcher use), so walking an index gives exactly the
 * order of a full-scan sort. Two kinds of artificial values are added for range probes:
 * {@link #LOW}/{@link #HIGH} sort before/after everything in either direction, and a
 * {@link TypeEdge} sits at the start or end of one BSON type class (for {@code $type} bounds).
 */
final class KeyOrder {

  /** Before every value, whatever the field's direction. */
  static final Object LOW = new Object() {
    @Override
    public String toString() {
      return "LOW";
    }
  };

  /** After every value, whatever the field's direction. */
  static final Object HIGH = new Object() {
    @Override
    public String toString() {
      return "HIGH";
    }
  };

  /** The start ({@code end == false}) or end of a type class, in ascending value order. */
  record TypeEdge(int typeOrder, boolean end) {}

  private KeyOrder() {}

  /**
   * Type classes in ValueComparator's order (MongoDB's BSON comparison order); null and missing
   * come first, -1 = MinKey, 99 = unknown (never bounded).
   */
  static int typeOrder(Object value) {
    if (value == null || value instanceof Missing) {
      return 0;
    }
    if (value instanceof MinKey) {
      return -1;
    }
    if (value instanceof Number) {
      return 1;
    }
    if (value instanceof String) {
      return 2;
    }
    if (value instanceof Document) {
      return 3;
    }
    if (value instanceof Collection) {
      return 4;
    }
    if (value instanceof BinData) {
      return 5;
    }
    if (value instanceof LegacyUUID) {
      return 6;
    }
    if (value instanceof UUID) {
      return 7;
    }
    if (value instanceof ObjectId) {
      return 8;
    }
    if (value instanceof Boolean) {
      return 9;
    }
    if (value instanceof Instant) {
      return 10;
    }
    if (value instanceof BsonTimestamp) {
      return 11;
    }
    if (value instanceof BsonRegularExpression) {
      return 12;
    }
    if (value instanceof MaxKey) {
      return 13;
    }
    return 99;
  }

  /** Ascending comparison of two values that may be TypeEdges (never LOW/HIGH). */
  static int compareAsc(Object a, Object b) {
    if (a instanceof TypeEdge ea) {
      if (b instanceof TypeEdge eb) {
        int c = Integer.compare(ea.typeOrder(), eb.typeOrder());
        return c != 0 ? c : Boolean.compare(ea.end(), eb.end());
      }
      int c = Integer.compare(ea.typeOrder(), typeOrder(b));
      return c != 0 ? c : (ea.end() ? 1 : -1);
    }
    if (b instanceof TypeEdge) {
      return -compareAsc(b, a);
    }
    int same = compareSameType(a, b);
    return same != NOT_SAME_TYPE ? same : ValueComparator.asc().compare(a, b);
  }

  private static final int NOT_SAME_TYPE = Integer.MIN_VALUE;

  /**
   * ValueComparator's answer for two values of the same common type, without its type lookup (a
   * walk over a list of classes with isAssignableFrom for each value, most of the time of an index
   * build); NOT_SAME_TYPE for anything else. Each case gives exactly what ValueComparator gives:
   * it compares strings with String.compareTo, ObjectIds, Instants by compareTo, normalised numbers
   * as longs when one is a Long and as doubles otherwise (equal for -0.0 and 0.0).
   */
  private static int compareSameType(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof Instant x && b instanceof Instant y) {
      return x.compareTo(y);
    }
    if (a instanceof ObjectId x && b instanceof ObjectId y) {
      return x.compareTo(y);
    }
    if (a instanceof Integer x && b instanceof Integer y) {
      return Integer.compare(x, y);
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof Double x && b instanceof Double y && Math.abs(x) <= Integer.MAX_VALUE
        && Math.abs(y) <= Integer.MAX_VALUE) {
      // inside the int range both normalise to an Integer or a Double: compared as doubles
      double dx = x;
      double dy = y;
      return dx == dy ? 0 : (dx < dy ? -1 : 1);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if ((a == null || a instanceof Missing) && (b == null || b instanceof Missing)) {
      return 0;
    }
    return NOT_SAME_TYPE;
  }

  /** One key field in index order: LOW/HIGH ignore the direction, everything else follows it. */
  static int compareField(Object a, Object b, boolean ascending) {
    if (a == b) {
      return 0;
    }
    if (a == LOW || b == HIGH) {
      return -1;
    }
    if (a == HIGH || b == LOW) {
      return 1;
    }
    int c = compareAsc(a, b);
    return ascending ? c : -c;
  }

  /**
   * Values an index bound may be built from: the matcher's equality and range tests on these imply
   * ValueComparator equality / order, so the index range holds every matching document.
   */
  static boolean boundable(Object value) {
    if (value instanceof Double d) {
      return !d.isNaN();
    }
    if (value instanceof Float f) {
      return !f.isNaN();
    }
    return value instanceof Integer || value instanceof Long || value instanceof String
        || value instanceof Instant || value instanceof ObjectId || value instanceof Boolean
        || value instanceof UUID;
  }
}
