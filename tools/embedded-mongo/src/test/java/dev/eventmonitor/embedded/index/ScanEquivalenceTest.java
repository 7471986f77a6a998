package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static dev.eventmonitor.embedded.index.Fixtures.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test with a fixed seed: random documents (missing fields, nulls, mixed number types,
 * ties), random writes, and random filters / sorts / skip / limit; every query through the indexed
 * collection must give exactly the list the full scan gives.
 */
class ScanEquivalenceTest {

  private static final String[] STATUSES = {"pending", "processing", "completed", "failed"};
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Random random = new Random(20261202L);

  private Object pick(Object... values) {
    return values[random.nextInt(values.length)];
  }

  private Object statusValue() {
    int r = random.nextInt(10);
    return r == 0 ? null : STATUSES[r % STATUSES.length];
  }

  private Object priorityValue() {
    return pick(0, 1, 2, 2.5, 3L, -1, 5.0);
  }

  private Object timeValue() {
    return T0.plusSeconds(random.nextInt(40));
  }

  private Document randomDocument(int id) {
    Document d = new Document("_id", id % 3 == 0 ? (Object) new ObjectId() : (Object) id);
    if (random.nextInt(12) != 0) {
      d.put("status", statusValue());
    }
    if (random.nextInt(12) != 0) {
      d.put("priority", priorityValue());
    }
    if (random.nextInt(15) != 0) {
      d.put("created_at", timeValue());
    }
    d.put("batch_id", "b" + random.nextInt(6));
    if (random.nextInt(4) != 0) {
      d.put("lease", doc("expires_at", timeValue()));
    }
    d.put("n", random.nextInt(30));
    return d;
  }

  private Document condition(String field) {
    Object v = switch (field) {
      case "status" -> statusValue();
      case "priority" -> priorityValue();
      case "n" -> random.nextInt(30);
      case "batch_id" -> "b" + random.nextInt(6);
      default -> timeValue();
    };
    return switch (random.nextInt(9)) {
      case 0 -> doc(field, v);
      case 1 -> doc(field, doc("$gt", v));
      case 2 -> doc(field, doc("$gte", v, "$lt", field.equals("status") ? "q" : v));
      case 3 -> doc(field, doc("$lte", v));
      case 4 -> doc(field, doc("$in", java.util.Arrays.asList(v, field.equals("status") ? "completed" : v)));
      case 5 -> doc(field, doc("$ne", v));
      case 6 -> doc(field, doc("$exists", random.nextBoolean()));
      case 7 -> doc("$or", List.of(doc(field, doc("$gt", v)), doc(field, v, "n", doc("$gt", random.nextInt(30)))));
      default -> doc(field, doc("$type", pick("string", "date", "number", "null")));
    };
  }

  private static final String[] FIELDS = {"status", "priority", "created_at", "batch_id", "lease.expires_at", "n"};

  private Document randomFilter() {
    Document filter = new Document();
    int clauses = random.nextInt(4);
    List<Document> and = new ArrayList<>();
    for (int i = 0; i < clauses; i++) {
      Document c = condition(FIELDS[random.nextInt(FIELDS.length)]);
      if (random.nextInt(3) == 0) {
        and.add(c);
      } else {
        for (String key : c.keySet()) {
          if (!filter.containsKey(key)) {
            filter.put(key, c.get(key));
          }
        }
      }
    }
    if (!and.isEmpty()) {
      filter.put("$and", and);
    }
    return filter;
  }

  private Document randomSort() {
    if (random.nextInt(4) == 0) {
      return null;
    }
    String[] sortable = {"status", "priority", "created_at", "_id", "batch_id", "n", "lease.expires_at"};
    Document sort = new Document();
    int keys = 1 + random.nextInt(3);
    for (int i = 0; i < keys; i++) {
      sort.putIfAbsent(sortable[random.nextInt(sortable.length)], random.nextBoolean() ? 1 : -1);
    }
    return sort;
  }

  private static final String[][] INDEXES = {
      {"status", "-priority", "created_at"},
      {"batch_id", "created_at", "_id"},
      {"status", "lease.expires_at"},
      {"-created_at", "_id"},
      {"n"}};

  @Test
  void everyQueryGivesTheFullScanResult() {
    Fixtures f = new Fixtures();
    for (String[] keys : INDEXES) {
      f.index(keys);
    }
    run(new Twin() {
      @Override
      public MongoCollection<?> indexed() {
        return f.indexed;
      }

      @Override
      public MongoCollection<?> plain() {
        return f.plain;
      }
    }, 2000);
  }

  /**
   * The same over the RocksDB store with persisted indexes, against a RocksDB collection without
   * ordered indexes (the same natural order), both stores closed and reopened on the way: the
   * reopened indexes are the persisted ones, not rebuilt.
   */
  @Test
  void everyQueryThroughPersistedIndexesGivesTheFullScanResult(@TempDir Path dir) throws Exception {
    RocksTwin twin = new RocksTwin(dir, java.util.Arrays.stream(INDEXES).map(ScanEquivalenceTest::indexSpec).toList());
    try {
      run(twin, 2000);
      assertTrue(twin.reopens >= 3, "reopened " + twin.reopens + " times");
      assertEquals(INDEXES.length, IndexAgreement.assertIndexesAgree((IndexedRocksCollection) twin.indexed()));
      assertTrue(twin.indexed().getIndexes().stream().anyMatch(PersistedOrderedIndex.class::isInstance),
          "the indexes are persisted ones");
    } finally {
      twin.close();
    }
  }

  /** `{key, name}` of an index given as field names, `-field` for descending. */
  private static Document indexSpec(String[] keys) {
    Document key = new Document();
    for (String k : keys) {
      key.put(k.startsWith("-") ? k.substring(1) : k, k.startsWith("-") ? -1 : 1);
    }
    return doc("key", key, "name", String.join("_", keys));
  }

  private void run(Twin f, int rounds) {
    int nextId = 0;
    for (; nextId < 600; nextId++) {
      Document d = randomDocument(nextId);
      f.indexed().addDocument(d.cloneDeeply());
      f.plain().addDocument(d.cloneDeeply());
    }
    int indexed = 0;
    for (int round = 0; round < rounds; round++) {
      if (round > 0 && round % 100 == 0) {
        f.checkpoint(round);
      }
      switch (random.nextInt(10)) {
        case 0 -> {
          Document d = randomDocument(nextId++);
          f.indexed().addDocument(d.cloneDeeply());
          f.plain().addDocument(d.cloneDeeply());
        }
        case 1 -> update(f, randomFilter(), doc("$set", doc("status", statusValue(), "priority", priorityValue())),
            random.nextBoolean());
        case 2 -> update(f, randomFilter(), doc("$unset", doc("created_at", "")), false);
        case 3 -> {
          Document filter = randomFilter();
          int limit = random.nextInt(3);
          assertEquals(f.plain().deleteDocuments(filter, limit, NoopOplog.get()),
              f.indexed().deleteDocuments(filter, limit, NoopOplog.get()), () -> "deleted " + filter);
        }
        default -> { }
      }
      Document filter = randomFilter();
      Document sort = randomSort();
      int skip = random.nextInt(4) == 0 ? random.nextInt(5) : 0;
      int limit = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(20);
      List<Document> expected = find(f.plain(), filter, sort, skip, limit);
      List<Document> actual = find(f.indexed(), filter, sort, skip, limit);
      assertEquals(expected, actual, () -> "filter " + filter + " sort " + sort + " skip " + skip + " limit " + limit);
      assertEquals(f.plain().count(filter, 0, 0), f.indexed().count(filter, 0, 0), () -> "count " + filter);
      if (((IndexedCollection) f.indexed()).queryStats().last().index() != null) {
        indexed++;
      }
    }
    // the test is only worth something if the index path actually ran on many of the queries
    assertTrue(indexed > rounds * 3 / 10, "index used for " + indexed + " of " + rounds + " counts");
  }

  private static void update(Twin f, Document selector, Document update, boolean multi) {
    Document a = f.indexed().updateDocuments(selector, update, ArrayFilters.empty(), multi, false, NoopOplog.get());
    Document b = f.plain().updateDocuments(selector, update, ArrayFilters.empty(), multi, false, NoopOplog.get());
    assertEquals(b, a, () -> "update " + selector);
  }
}
