package dev.eventmonitor.embedded.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.Index;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Asserts that every ordered index of a RocksDB collection (in memory or persisted in the store)
 * holds exactly what its documents give.
 */
final class IndexAgreement {

  /**
   * For each ordered index: a fresh index filled one document at a time from the stored documents
   * (their positions included) walks in exactly the same order, over the same positions, and is
   * multikey exactly when the checked one is. Returns the number of indexes checked.
   */
  static int assertIndexesAgree(IndexedRocksCollection collection) {
    int checked = 0;
    for (Index<Long> index : collection.getIndexes()) {
      if (!(index instanceof OrderedIndex<Long> ordered)) {
        continue;
      }
      OrderedIndex<Long> reference = new OrderedIndex<>(ordered.getName(), ordered.getKeys(), false, Long::compare);
      // a persisted index also keeps aside the documents with a key value that has no byte encoding
      // (one aside key for what the reference holds as one entry per array element)
      Set<Long> unencodable = new HashSet<>();
      long[] extraEntries = {0};
      collection.forEachDocument((document, position) -> {
        reference.add(document, position, null);
        OrderedIndex.Keys keys = reference.keysOf(document);
        if (ordered instanceof PersistedOrderedIndex && keys != null && keys.keys().stream()
            .anyMatch(values -> Arrays.stream(values).anyMatch(v -> !KeyEncoding.encodable(v)))) {
          unencodable.add(position);
          extraEntries[0] += keys.keys().size() - 1;
        }
      });
      assertEquals(reference.isMultikey() || !unencodable.isEmpty(), ordered.isMultikey(),
          ordered.getName() + ": multikey");
      assertEquals(reference.getCount() - extraEntries[0], ordered.getCount(), ordered.getName() + ": count");
      List<Long> expected = walk(reference);
      expected.removeAll(unencodable);
      List<Long> actual = walk(ordered);
      int at = 0;
      while (at < Math.min(expected.size(), actual.size()) && expected.get(at).equals(actual.get(at))) {
        at++;
      }
      int first = at;
      assertEquals(expected.size(), at, () -> ordered.getName() + ": entries in index order differ at entry " + first
          + " of " + expected.size() + " (expected position " + (first < expected.size() ? expected.get(first) : null)
          + ", found " + (first < actual.size() ? actual.get(first) : null) + ")");
      assertEquals(expected.size(), actual.size(), ordered.getName() + ": entries");
      checked++;
    }
    return checked;
  }

  static List<Long> walk(OrderedIndex<Long> index) {
    List<Long> positions = new ArrayList<>();
    Iterator<Long> it = index.scan(new Object[] {KeyOrder.LOW}, -1, new Object[] {KeyOrder.HIGH}, 1, false);
    it.forEachRemaining(positions::add);
    return positions;
  }

  private IndexAgreement() {}
}
