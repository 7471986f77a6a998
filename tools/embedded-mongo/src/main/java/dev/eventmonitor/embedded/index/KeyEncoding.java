package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Arrays;

/**
 * Order-preserving ("memcomparable") bytes for index keys: comparing two encodings as unsigned
 * bytes gives exactly what {@link KeyOrder} (mongo-java-server's ValueComparator) gives for the
 * values, field by field, in each field's direction. Each value's encoding is self-delimiting, so a
 * compound key is the concatenation of its fields (and a stored entry ends with its position).
 *
 * <p>Per value: one type byte in ValueComparator's type order ({@code 0x10 + 8 * typeOrder}), then
 * <ul>
 *   <li>null and missing (equal for ValueComparator): nothing more;
 *   <li>numbers: the value as a double, sign-flipped so that its 8 bytes sort numerically (-0.0 as
 *       0.0). Only numbers whose order is the same as ValueComparator's (which compares a long with a
 *       fractional double by truncation): ints, longs up to 2^53, doubles below 2^31 in magnitude,
 *       integral doubles up to 2^53, and the two infinities;
 *   <li>strings: each UTF-16 unit below 0x7F as one byte (unit + 1), others as three bytes
 *       {@code 0x80 | unit >> 14, unit >> 7 & 0x7F, unit & 0x7F}, then a 0x00 terminator (no unit
 *       byte starts with 0x00, so a shorter string sorts first, as String.compareTo has it);
 *   <li>ObjectId: its 12 bytes; booleans: 0 or 1; dates: milliseconds (sign-flipped), which is
 *       what BSON stores (a finer Instant of a document not yet stored orders as it will be read);
 *   <li>MinKey, MaxKey: nothing more.
 * </ul>
 * Any other value (NaN, larger numbers, Decimal128, embedded documents, arrays, binary, UUIDs,
 * timestamps, regular expressions) has no encoding here: {@link #append} answers false and the
 * index keeps such a document aside (see {@link PersistedOrderedIndex}). A descending field is the
 * same bytes inverted.
 */
final class KeyEncoding {

  /** Below every type byte of either direction (ascending types 0x08-0x78, inverted 0x87-0xF7). */
  static final byte LOW = 0x00;
  /** Above every type byte of either direction. */
  static final byte HIGH = (byte) 0xFF;

  private static final double TWO_53 = 9007199254740992.0;

  private KeyEncoding() {}

  static int typeByte(int typeOrder) {
    return 0x10 + 8 * typeOrder;
  }

  /** A growable byte string. */
  static final class Bytes {
    private byte[] data;
    private int length;

    Bytes(int capacity) {
      data = new byte[Math.max(capacity, 16)];
    }

    int length() {
      return length;
    }

    void truncate(int newLength) {
      length = newLength;
    }

    void add(int b) {
      if (length == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[length++] = (byte) b;
    }

    void addLong(long v) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        add((int) (v >>> shift));
      }
    }

    void addInt(int v) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        add(v >>> shift);
      }
    }

    void invertFrom(int from) {
      for (int i = from; i < length; i++) {
        data[i] = (byte) ~data[i];
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(data, length);
    }
  }

  /**
   * Appends {@code value} in the field's direction; false (and {@code out} unchanged) when the value
   * has no exact encoding.
   */
  static boolean append(Bytes out, Object value, boolean ascending) {
    int start = out.length();
    if (!appendAscending(out, value)) {
      out.truncate(start);
      return false;
    }
    if (!ascending) {
      out.invertFrom(start);
    }
    return true;
  }

  /** The encoding of one value in one direction, or null when it has none. */
  static byte[] encode(Object value, boolean ascending) {
    Bytes out = new Bytes(16);
    return append(out, value, ascending) ? out.toArray() : null;
  }

  /** True when {@link #append} can encode the value. */
  static boolean encodable(Object value) {
    return appendAscending(new Bytes(16), value);
  }

  private static boolean appendAscending(Bytes out, Object value) {
    if (value == null || value instanceof Missing) {
      out.add(typeByte(0));
      return true;
    }
    if (value instanceof String s) {
      out.add(typeByte(2));
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x7F) {
          out.add(c + 1);
        } else {
          out.add(0x80 | (c >> 14));
          out.add((c >> 7) & 0x7F);
          out.add(c & 0x7F);
        }
      }
      out.add(0);
      return true;
    }
    if (value instanceof Number n) {
      double d;
      if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
        d = n.intValue();
      } else if (n instanceof Long l) {
        if (Math.abs((double) l) > TWO_53 || l == Long.MIN_VALUE) {
          return false;
        }
        d = l;
      } else if (n instanceof Double || n instanceof Float) {
        d = n.doubleValue();
        if (Double.isNaN(d)) {
          return false;
        }
        if (!Double.isInfinite(d) && Math.abs(d) >= Integer.MAX_VALUE
            && (d != Math.rint(d) || Math.abs(d) > TWO_53)) {
          return false;
        }
        if (d == 0.0) {
          d = 0.0; // -0.0 equals 0.0
        }
      } else {
        return false; // Decimal128 and other Number types
      }
      out.add(typeByte(1));
      long bits = Double.doubleToLongBits(d);
      out.addLong(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
      return true;
    }
    if (value instanceof Instant t) {
      // as BSON stores a date: milliseconds (the index must order what the store gives back)
      long millis;
      try {
        millis = t.toEpochMilli();
      } catch (ArithmeticException e) {
        return false; // beyond what a BSON date holds
      }
      out.add(typeByte(10));
      out.addLong(millis ^ Long.MIN_VALUE);
      return true;
    }
    if (value instanceof ObjectId id) {
      out.add(typeByte(8));
      for (byte b : id.toByteArray()) {
        out.add(b);
      }
      return true;
    }
    if (value instanceof Boolean b) {
      out.add(typeByte(9));
      out.add(b ? 1 : 0);
      return true;
    }
    if (value instanceof MinKey) {
      out.add(typeByte(-1));
      return true;
    }
    if (value instanceof MaxKey) {
      out.add(typeByte(13));
      return true;
    }
    return false;
  }

  /**
   * The bytes of a range probe field (see {@link OrderedIndex.Entry}): a value, or
   * {@link KeyOrder#LOW}/{@link KeyOrder#HIGH}, or a {@link KeyOrder.TypeEdge}. Answers whether the
   * probe is exact (a value: the probe's side still applies) or an edge (a point between values: the
   * side does not matter). Null when a value has no encoding.
   */
  static Boolean appendProbe(Bytes out, Object value, boolean ascending) {
    if (value == KeyOrder.LOW) {
      out.add(LOW);
      return Boolean.FALSE;
    }
    if (value == KeyOrder.HIGH) {
      out.add(HIGH);
      return Boolean.FALSE;
    }
    if (value instanceof KeyOrder.TypeEdge edge) {
      int type = typeByte(edge.typeOrder());
      // ascending: the start is the type byte itself (before every value of the type), the end the
      // next type byte; descending inverts the bytes and swaps which edge is the smaller one
      if (ascending) {
        out.add(edge.end() ? type + 1 : type);
      } else {
        out.add(edge.end() ? ~type & 0xFF : (~type & 0xFF) + 1);
      }
      return Boolean.FALSE;
    }
    return append(out, value, ascending) ? Boolean.TRUE : null;
  }

  /** Unsigned lexicographic comparison. */
  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The smallest byte string greater than every string that starts with {@code prefix}; null when
   * there is none (all 0xFF).
   */
  static byte[] successor(byte[] prefix) {
    int end = prefix.length;
    while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    if (end == 0) {
      return null;
    }
    byte[] out = Arrays.copyOf(prefix, end);
    out[end - 1]++;
    return out;
  }
}
