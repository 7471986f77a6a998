package dev.eventmonitor.embedded.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KeyOrder's shortcut for values of one type gives exactly mongo-java-server's ValueComparator order. */
class KeyOrderTest {

  @Test
  void everyPairComparesAsValueComparatorDoes() {
    List<Object> values = new ArrayList<>(Arrays.asList(
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
}
