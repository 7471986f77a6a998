package dev.eventmonitor.embedded.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KeyOrder's shortcut for values of one type, and the byte encoding of persisted index keys, give
 * exactly mongo-java-server's ValueComparator order.
 */
class KeyOrderTest {

  /** The edge values: numbers of every kind and size, strings with odd units, dates, ids, booleans. */
  static List<Object> edgeValues() {
    return new ArrayList<>(Arrays.asList(
        null, Missing.getInstance(),
        0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 7,
        0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 3_000_000_000L, -3_000_000_000L, 7L,
        0.0, -0.0, 1.0, 1.5, -1.5, 7.0, 2.5e9, 3_000_000_000.5, 3_000_000_000.0, -3_000_000_000.5, 1e300,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 2147483647.5,
        "", "a", "b", "ab", "A", "é", "\u0000", "\uffff", "\ud83d\ude00", "z\ud83d\ude00", "zz",
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00.001Z"),
        Instant.ofEpochSecond(-1, 5), Instant.EPOCH,
        new ObjectId("0123456789abcdef01234567"), new ObjectId("f123456789abcdef01234567"),
        new ObjectId("0123456789abcdef01234568"),
        true, false));
  }

  @Test
  void everyPairComparesAsValueComparatorDoes() {
    List<Object> values = edgeValues();
    int checked = 0;
    for (Object a : values) {
      for (Object b : values) {
        int expected = Integer.signum(ValueComparator.asc().compare(a, b));
        assertEquals(expected, Integer.signum(KeyOrder.compareAsc(a, b)), () -> a + " vs " + b);
        checked++;
      }
    }
    assertEquals(values.size() * values.size(), checked);
  }

  /** A value as the store gives it back: BSON keeps dates in milliseconds. */
  private static Object stored(Object v) {
    return v instanceof Instant t ? Instant.ofEpochMilli(t.toEpochMilli()) : v;
  }

  /** Values that have no exact byte encoding (they are kept aside by a persisted index). */
  private static final List<Object> NOT_ENCODABLE = Arrays.asList(Double.NaN, Long.MAX_VALUE, Long.MIN_VALUE,
      3_000_000_000.5, -3_000_000_000.5, 1e300, 2147483647.5);

  @Test
  void keyBytesSortAsValueComparatorInBothDirections() {
    List<Object> values = edgeValues();
    values.addAll(Arrays.asList(MinKey.getInstance(), MaxKey.getInstance(), 9007199254740992L, -9007199254740992L,
        9007199254740992.0, 0.1, -0.1, 2147483646.5, "\u007e", "\u007f", "\u0080", "\u00ff\u0000", "a\u0000",
        "a\u0001", Instant.ofEpochSecond(-1, 999_999_999), Instant.ofEpochSecond(Long.MIN_VALUE / 2_000)));
    List<Object> encodable = new ArrayList<>();
    for (Object v : values) {
      boolean expected = !NOT_ENCODABLE.contains(v) && !(v instanceof Double d && d.isNaN());
      assertEquals(expected, KeyEncoding.encodable(v), () -> "encodable: " + v);
      if (expected) {
        encodable.add(v);
      }
    }
    assertTrue(encodable.size() > 60, "edge values encoded: " + encodable.size());
    int checked = 0;
    for (Object a : encodable) {
      for (Object b : encodable) {
        int expected = Integer.signum(ValueComparator.asc().compare(stored(a), stored(b)));
        assertEquals(expected, Integer.signum(KeyEncoding.compare(KeyEncoding.encode(a, true), KeyEncoding.encode(b, true))),
            () -> "ascending " + a + " vs " + b);
        assertEquals(-expected, Integer.signum(KeyEncoding.compare(KeyEncoding.encode(a, false),
            KeyEncoding.encode(b, false))), () -> "descending " + a + " vs " + b);
        checked++;
      }
    }
    assertEquals(encodable.size() * encodable.size(), checked);
  }

  /** Compound keys: each value's bytes end where the next field starts, in either direction. */
  @Test
  void compoundKeyBytesSortFieldByField() {
    List<Object> values = Arrays.asList(null, 0, 1, -1.5, 7L, "", "a", "ab", "a\u0000", "\uffff",
        Instant.EPOCH, new ObjectId("0123456789abcdef01234567"), true, false);
    for (boolean firstAscending : new boolean[] {true, false}) {
      for (Object a1 : values) {
        for (Object b1 : values) {
          for (Object a2 : values) {
            for (Object b2 : values) {
              int c = ValueComparator.asc().compare(stored(a1), stored(b1));
              c = firstAscending ? c : -c;
              if (c == 0) {
                c = -ValueComparator.asc().compare(stored(a2), stored(b2)); // second field descending
              }
              int expected = Integer.signum(c);
              KeyEncoding.Bytes a = new KeyEncoding.Bytes(8);
              KeyEncoding.append(a, a1, firstAscending);
              KeyEncoding.append(a, a2, false);
              KeyEncoding.Bytes b = new KeyEncoding.Bytes(8);
              KeyEncoding.append(b, b1, firstAscending);
              KeyEncoding.append(b, b2, false);
              assertEquals(expected, Integer.signum(KeyEncoding.compare(a.toArray(), b.toArray())),
                  () -> "(" + a1 + ", " + a2 + ") vs (" + b1 + ", " + b2 + ")");
            }
          }
        }
      }
    }
  }

  /** The probe bytes of a type's start and end sit exactly where KeyOrder puts the TypeEdge. */
  @Test
  void typeEdgeProbesSitAtTheEdgesOfTheirType() {
    List<Object> values = edgeValues();
    values.removeIf(v -> !KeyEncoding.encodable(v));
    for (boolean ascending : new boolean[] {true, false}) {
      for (int type : new int[] {0, 1, 2, 8, 9, 10, 11}) {
        for (boolean end : new boolean[] {false, true}) {
          KeyOrder.TypeEdge edge = new KeyOrder.TypeEdge(type, end);
          KeyEncoding.Bytes probe = new KeyEncoding.Bytes(4);
          assertEquals(Boolean.FALSE, KeyEncoding.appendProbe(probe, edge, ascending));
          for (Object v : values) {
            int expected = Integer.signum(KeyOrder.compareField(edge, stored(v), ascending));
            // a stored key goes on after the value (more fields, the position): both extremes
            for (int tail : new int[] {0x00, 0xFF}) {
              KeyEncoding.Bytes entry = new KeyEncoding.Bytes(32);
              KeyEncoding.append(entry, v, ascending);
              for (int i = 0; i < 8; i++) {
                entry.add(tail);
              }
              assertEquals(expected, Integer.signum(KeyEncoding.compare(probe.toArray(), entry.toArray())),
                  () -> edge + (ascending ? " asc" : " desc") + " vs " + v);
            }
          }
        }
      }
    }
  }
}
