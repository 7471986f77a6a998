package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persisted ordered index: what it keeps aside, what survives a reopen, a drop, a mode switch. */
class PersistedOrderedIndexTest {

  @TempDir Path dir;

  private BulkLoadTest.Open open(boolean persist) throws Exception {
    RocksStore store = RocksStore.open(dir);
    store.setPersistIndexes(persist);
    return new BulkLoadTest.Open(store);
  }

  private static void createIndex(BulkLoadTest.Open store, String name, Document key) {
    store.db.handleCommand(new EmbeddedChannel(), "createIndexes",
        doc("createIndexes", "jobs", "indexes", List.of(doc("key", key, "name", name))), null, NoopOplog.get());
  }

  private static List<Object> ids(IndexedRocksCollection jobs, Document filter, Document sort) {
    List<Object> out = new ArrayList<>();
    jobs.handleQuery(new QueryParameters(doc("query", filter, "orderby", sort), 0, 0)).forEach(d -> out.add(d.get("_id")));
    return out;
  }

  private static Index<Long> index(IndexedRocksCollection jobs, String name) {
    return jobs.getIndexes().stream().filter(i -> i.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aValueWithoutByteEncodingPutsTheIndexAsideUntilItIsGone() throws Exception {
    try (var store = open(true)) {
      createIndex(store, "n", doc("n", -1));
      IndexedRocksCollection jobs = store.jobs();
      for (int i = 0; i < 50; i++) {
        jobs.addDocument(doc("_id", i, "n", i % 2 == 0 ? (Object) i : (Object) (i + 0.5)));
      }
      Document filter = doc("n", doc("$gte", 10, "$lt", 20));
      List<Object> expected = List.of(19, 18, 17, 16, 15, 14, 13, 12, 11, 10);
      assertEquals(expected, ids(jobs, filter, doc("n", -1)));
      assertEquals("n", jobs.queryStats().last().index());
      assertTrue(jobs.queryStats().last().examined() <= 10, "examined " + jobs.queryStats().last());

      // a long beyond 2^53 compares with doubles by truncation: no byte order for it
      jobs.addDocument(doc("_id", "big", "n", Long.MAX_VALUE));
      jobs.addDocument(doc("_id", "embedded", "n", doc("a", 1)));
      assertTrue(((OrderedIndex<?>) index(jobs, "n")).isMultikey());
      assertEquals(expected, ids(jobs, filter, doc("n", -1)));
      assertNull(jobs.queryStats().last().index(), "scanned while a value is aside");
      assertEquals(1, IndexAgreement.assertIndexesAgree(jobs));
    }
    try (var store = open(true)) {
      IndexedRocksCollection jobs = store.jobs();
      assertTrue(((OrderedIndex<?>) index(jobs, "n")).isMultikey(), "the aside set is persisted");
      jobs.deleteDocuments(doc("_id", doc("$in", List.of("big", "embedded"))), 0, NoopOplog.get());
      assertFalse(((OrderedIndex<?>) index(jobs, "n")).isMultikey());
      assertEquals(List.of(19, 18, 17, 16, 15, 14, 13, 12, 11, 10), ids(jobs, doc("n", doc("$gte", 10, "$lt", 20)),
          doc("n", -1)));
      assertEquals("n", jobs.queryStats().last().index());
      assertEquals(50, index(jobs, "n").getCount());
    }
  }

  @Test
  void anOpenWithInMemoryIndexesMakesTheNextPersistedOpenBuildThemAgain() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    java.util.Random random = new java.util.Random(7);
    try (var store = open(true)) {
      BulkLoadTest.createIndexes(store.db);
      for (long i = 0; i < 2_000; i++) {
        store.jobs().addDocument(BulkLoadTest.randomJob(random, i, t0));
      }
    }
    try (var store = open(false)) {
      // writes the persisted indexes do not see: they must not be trusted afterwards
      IndexedRocksCollection jobs = store.jobs();
      assertTrue(jobs.getIndexes().stream().noneMatch(PersistedOrderedIndex.class::isInstance));
      for (long i = 2_000; i < 2_500; i++) {
        jobs.addDocument(BulkLoadTest.randomJob(random, i, t0));
      }
      BulkLoadTest.set(jobs, "job-2100", doc("status", "failed", "priority", 99));
      jobs.deleteDocuments(doc("batch_id", "batch-4", "_id", doc("$ne", "job-2100")), 0, NoopOplog.get());
    }
    try (var store = open(true)) {
      IndexedRocksCollection jobs = store.jobs();
      assertEquals(BulkLoadTest.INDEXES.size(), IndexAgreement.assertIndexesAgree(jobs));
      assertEquals(List.of("job-2100"), ids(jobs, doc("status", "failed", "priority", 99),
          doc("priority", -1, "created_at", 1)));
      assertEquals("claim", jobs.queryStats().last().index());
    }
  }

  @Test
  void aDroppedIndexLeavesNothingAndARedeclaredOneIsBuiltFromTheDocuments() throws Exception {
    try (var store = open(true)) {
      createIndex(store, "k", doc("k", 1));
      IndexedRocksCollection jobs = store.jobs();
      for (int i = 0; i < 300; i++) {
        jobs.addDocument(doc("_id", i, "k", "v" + (i % 30), "m", i % 7));
      }
      store.db.handleCommand(new EmbeddedChannel(), "dropIndexes", doc("dropIndexes", "jobs", "index", "k"), null,
          NoopOplog.get());
      // the same name with other keys, on a collection that holds documents
      createIndex(store, "k", doc("m", -1, "k", 1));
      assertEquals(1, IndexAgreement.assertIndexesAgree(jobs));
      assertEquals(300, index(jobs, "k").getCount());
    }
    try (var store = open(true)) {
      IndexedRocksCollection jobs = store.jobs();
      assertEquals(1, IndexAgreement.assertIndexesAgree(jobs));
      List<Object> six = ids(jobs, doc("m", 6), doc("k", 1));
      assertEquals("k", jobs.queryStats().last().index());
      assertEquals(42, six.size());
      store.db.handleCommand(new EmbeddedChannel(), "drop", doc("drop", "jobs"), null, NoopOplog.get());
    }
    try (RocksStore raw = RocksStore.open(dir)) {
      assertEquals(null, raw.listCollections().get("test.jobs"));
    }
  }

  /**
   * Odd values through a persisted index against mongo-java-server's own full scan (a memory
   * collection with the same documents in the same order): strings beyond ASCII and with NUL,
   * surrogate pairs, dates before 1970 and with nanoseconds, -0.0, big and tiny numbers, booleans,
   * ObjectIds, nulls and missing fields, and values kept aside (Decimal128, big longs).
   */
  @Test
  void oddValuesComeOutInTheFullScanOrder() throws Exception {
    List<Object> pool = new ArrayList<>(KeyOrderTest.edgeValues());
    pool.addAll(List.of("\u00e9t\u00e9", "ete", "\u007f", "\u0080a", "a\u0000b", "\ud83d\ude00!", "\uffff\uffff",
        Instant.parse("1969-12-31T23:59:59.999Z"), Instant.ofEpochSecond(0, 1), -0.0, 0.1, -1e-300, 9007199254740992L));
    pool.removeIf(v -> v instanceof de.bwaldvogel.mongo.backend.Missing); // not a storable value
    java.util.Random random = new java.util.Random(2026);
    de.bwaldvogel.mongo.backend.memory.MemoryCollection plain = new de.bwaldvogel.mongo.backend.memory.MemoryCollection(
        new IndexedMemoryDatabase("plain", new de.bwaldvogel.mongo.backend.CursorRegistry()), "plain",
        de.bwaldvogel.mongo.backend.CollectionOptions.withDefaults(), new de.bwaldvogel.mongo.backend.CursorRegistry());
    plain.addIndex(new de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex("_id_",
        List.of(new de.bwaldvogel.mongo.backend.IndexKey("_id", true)), false));
    try (var store = open(true)) {
      createIndex(store, "v_w", doc("v", 1, "w", -1));
      IndexedRocksCollection jobs = store.jobs();
      for (int i = 0; i < 400; i++) {
        Document d = doc("_id", i);
        if (random.nextInt(10) != 0) {
          d.put("v", pool.get(random.nextInt(pool.size())));
        }
        d.put("w", pool.get(random.nextInt(pool.size())));
        jobs.addDocument(d.cloneDeeply());
        plain.addDocument(RocksStore.decodeBson(RocksStore.encodeBson(d))); // as stored (dates in ms)
      }
    }
    // (IndexAgreement's in-memory reference cannot order NaN and big longs consistently: it is
    // consulted once they are gone)
    try (var store = open(true)) {
      IndexedRocksCollection jobs = store.jobs();
      assertTrue(((OrderedIndex<?>) index(jobs, "v_w")).isMultikey(), "NaN and Long.MAX_VALUE are kept aside");
      jobs.deleteDocuments(doc("$or", List.of(doc("v", doc("$in", java.util.Arrays.asList(Double.NaN, Long.MAX_VALUE,
          Long.MIN_VALUE, 3_000_000_000.5, -3_000_000_000.5, 1e300, 2147483647.5))), doc("w", doc("$in",
          java.util.Arrays.asList(Double.NaN, Long.MAX_VALUE, Long.MIN_VALUE, 3_000_000_000.5, -3_000_000_000.5, 1e300,
              2147483647.5))))), 0, NoopOplog.get());
      plain.deleteDocuments(doc("$or", List.of(doc("v", doc("$in", java.util.Arrays.asList(Double.NaN, Long.MAX_VALUE,
          Long.MIN_VALUE, 3_000_000_000.5, -3_000_000_000.5, 1e300, 2147483647.5))), doc("w", doc("$in",
          java.util.Arrays.asList(Double.NaN, Long.MAX_VALUE, Long.MIN_VALUE, 3_000_000_000.5, -3_000_000_000.5, 1e300,
              2147483647.5))))), 0, NoopOplog.get());
      assertFalse(((OrderedIndex<?>) index(jobs, "v_w")).isMultikey(), "nothing aside any more");
      assertEquals(1, IndexAgreement.assertIndexesAgree(jobs));
      int indexed = 0;
      List<Document> sorts = List.of(doc("v", 1), doc("v", -1), doc("v", 1, "w", -1), doc("v", -1, "w", 1));
      List<Document> filters = new ArrayList<>();
      filters.add(new Document());
      for (Object v : pool) {
        if (KeyEncoding.encodable(v) && v != null) {
          filters.add(doc("v", v));
          filters.add(doc("v", doc("$gte", v)));
          filters.add(doc("v", doc("$lt", v)));
        }
      }
      for (Document filter : filters) {
        for (Document sort : sorts) {
          for (int limit : new int[] {0, 7}) {
            List<Document> expected = Fixtures.find(plain, filter, sort, 0, limit);
            List<Document> actual = Fixtures.find(jobs, filter, sort, 0, limit);
            assertEquals(expected, actual, () -> "filter " + filter + " sort " + sort + " limit " + limit);
            if ("v_w".equals(jobs.queryStats().last().index())) {
              indexed++;
            }
          }
        }
      }
      assertTrue(indexed > filters.size() * 4, "the index served " + indexed + " queries");
    }
  }
}
