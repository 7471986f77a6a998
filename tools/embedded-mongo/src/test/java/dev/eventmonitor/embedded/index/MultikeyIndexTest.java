package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static dev.eventmonitor.embedded.index.Fixtures.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksBackend;
import dev.eventmonitor.embedded.store.RocksStore;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multikey ordered indexes: a single field holding an array of scalars gets one entry per distinct
 * element, and equality, $in, ranges and anchored regex prefixes on it are index ranges. Every
 * query must give exactly what mongo-java-server's full scan gives, in memory and persisted (with
 * reopens), before and after writes that add, remove and reorder elements.
 */
class MultikeyIndexTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Object[] ELEMENTS = {"alpha", "alps", "alp", "al.pha", "beta", "bet", "gamma", "game",
      "delta", "del", "Alpha", "job-1a2b", "job-1a2c", "[x", "x|y", "", "zeta\uffff", 1, 2.5, 25L, true, null, T0};
  private static final String[] WORDS = {"alpha", "alp", "al", "beta", "be", "gam", "del", "delta", "job-1a2b",
      "Al", "zeta", "nope"};
  private static final String[] PATTERNS = {"^al", "^alp", "^alph", "^be", "^ga", "^del", "^job-1a", "^job-1a2b",
      "^al\\.p", "^\\[", "^[ab]", "^a|b", "^x?al", "al", "^2", "^tr", "^20", "^AL", "^zeta", "^x\\|y", "^al+",
      "^alp{1}", "^", "^de(l)"};

  private final Random random = new Random(20261204L);

  private Object pick(Object... values) {
    return values[random.nextInt(values.length)];
  }

  private List<Object> randomArray() {
    int n = random.nextInt(6);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ELEMENTS[random.nextInt(ELEMENTS.length)]); // duplicates included
    }
    return out;
  }

  private Document randomDocument(int id) {
    Document d = new Document("_id", id);
    int r = random.nextInt(20);
    if (r == 0) {
      d.put("terms", null);
    } else if (r == 1) {
      d.put("terms", pick("alpha", "beta", 2.5)); // a scalar among arrays
    } else if (r != 2) {
      d.put("terms", randomArray());
    }
    d.put("n", random.nextInt(20));
    d.put("created_at", T0.plusSeconds(random.nextInt(50)));
    return d;
  }

  private Object regex() {
    String pattern = (String) pick((Object[]) PATTERNS);
    int form = random.nextInt(4);
    if (form == 0) {
      return doc("$regex", pattern);
    }
    if (form == 1) {
      return doc("$regex", pattern, "$options", pick("", "i", "s", "m"));
    }
    return new BsonRegularExpression(pattern, random.nextInt(6) == 0 ? "i" : "");
  }

  private Object word() {
    return random.nextInt(8) == 0 ? pick(1, 2.5, true, null) : pick((Object[]) WORDS);
  }

  private Document termCondition() {
    return switch (random.nextInt(16)) {
      case 0 -> doc("terms", word());
      case 1 -> doc("terms", doc("$in", Arrays.asList(word(), word())));
      case 2 -> doc("terms", doc("$gt", word()));
      case 3 -> doc("terms", doc("$gte", pick("al", "b", "d"), "$lt", pick("alq", "c", "e")));
      case 4, 5 -> doc("terms", regex());
      case 6 -> doc("terms", doc("$all", List.of(regex(), regex())));
      case 7, 8 -> doc("$and", List.of(doc("terms", regex()), doc("terms", regex())));
      case 9 -> doc("terms", doc("$elemMatch", doc("$gte", "b", "$lt", "e")));
      case 10 -> doc("$or", List.of(doc("terms", word()), doc("terms", regex())));
      case 11 -> doc("terms", doc("$ne", word()));
      case 12 -> doc("terms", doc("$type", pick("string", "number", "bool")));
      case 13 -> doc("terms", doc("$lt", pick(3, 2.5, 30L)));
      case 14 -> doc("terms", doc("$in", List.of()));
      default -> doc("terms", doc("$all", Arrays.asList(word(), word())));
    };
  }

  private Document randomFilter() {
    Document filter = termCondition();
    if (random.nextInt(3) == 0) {
      filter.put("n", doc("$gte", random.nextInt(20)));
    }
    if (random.nextInt(4) == 0) {
      Document other = termCondition();
      return doc("$and", List.of(filter, other));
    }
    return filter;
  }

  private Document randomSort() {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> doc("created_at", -1, "_id", -1);
      case 2 -> doc("terms", 1);
      case 3 -> doc("n", 1);
      default -> doc("_id", 1);
    };
  }

  /** The answer or the kind of error (the scan and the index must fail alike). */
  private static Object outcome(Supplier<Object> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }

  private void run(Twin f, int rounds) {
    int nextId = 0;
    for (; nextId < 500; nextId++) {
      Document d = randomDocument(nextId);
      f.indexed().addDocument(d.cloneDeeply());
      f.plain().addDocument(d.cloneDeeply());
    }
    int indexed = 0;
    int bounded = 0;
    for (int round = 0; round < rounds; round++) {
      if (round > 0 && round % 100 == 0) {
        f.checkpoint(round);
      }
      int id = random.nextInt(nextId);
      Document update = switch (random.nextInt(12)) {
        case 0 -> doc("$set", doc("terms", randomArray()));
        case 1 -> doc("$push", doc("terms", ELEMENTS[random.nextInt(ELEMENTS.length)]));
        case 2 -> doc("$pull", doc("terms", ELEMENTS[random.nextInt(ELEMENTS.length)]));
        case 3 -> reordered(f, id);
        case 4 -> doc("$unset", doc("terms", ""));
        case 5 -> doc("$set", doc("n", random.nextInt(20)));
        default -> null;
      };
      if (update != null) {
        Document selector = doc("_id", id);
        assertEquals(outcome(() -> f.plain().updateDocuments(selector, update, ArrayFilters.empty(), false, false,
            NoopOplog.get())), outcome(() -> f.indexed().updateDocuments(selector, update, ArrayFilters.empty(), false,
            false, NoopOplog.get())), () -> "update " + update);
      }
      switch (random.nextInt(12)) {
        case 0 -> {
          Document d = randomDocument(nextId++);
          f.indexed().addDocument(d.cloneDeeply());
          f.plain().addDocument(d.cloneDeeply());
        }
        case 1 -> {
          Document filter = randomFilter();
          int limit = random.nextInt(2);
          assertEquals(outcome(() -> f.plain().deleteDocuments(filter, limit, NoopOplog.get())),
              outcome(() -> f.indexed().deleteDocuments(filter, limit, NoopOplog.get())), () -> "deleted " + filter);
        }
        case 2 -> {
          Document filter = randomFilter();
          Document set = doc("$set", doc("terms", randomArray()));
          assertEquals(outcome(() -> f.plain().updateDocuments(filter, set, ArrayFilters.empty(), true, false,
              NoopOplog.get())), outcome(() -> f.indexed().updateDocuments(filter, set, ArrayFilters.empty(), true,
              false, NoopOplog.get())), () -> "update many " + filter);
        }
        default -> { }
      }
      Document filter = randomFilter();
      Document sort = randomSort();
      int skip = random.nextInt(4) == 0 ? random.nextInt(5) : 0;
      int limit = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(20);
      Object expected = outcome(() -> find(f.plain(), filter, sort, skip, limit));
      Object actual = outcome(() -> find(f.indexed(), filter, sort, skip, limit));
      assertEquals(expected, actual, () -> "filter " + filter + " sort " + sort + " skip " + skip + " limit " + limit);
      if (((IndexedCollection) f.indexed()).queryStats().last().index() != null) {
        indexed++;
      }
      assertEquals(outcome(() -> f.plain().count(filter, 0, 0)), outcome(() -> f.indexed().count(filter, 0, 0)),
          () -> "count " + filter);
      QueryStats.Last last = ((IndexedCollection) f.indexed()).queryStats().last();
      if ("terms".equals(last.index())) {
        bounded++;
      }
    }
    // the test is only worth something if the multikey index ran on many of the queries
    assertTrue(indexed > rounds / 4, "index used for " + indexed + " of " + rounds + " finds");
    assertTrue(bounded > rounds / 4, "multikey index used for " + bounded + " of " + rounds + " counts");
  }

  private Document reordered(Twin f, int id) {
    List<Document> found = find(f.plain(), doc("_id", id), null, 0, 0);
    if (found.isEmpty() || !(found.get(0).get("terms") instanceof List<?> terms)) {
      return null;
    }
    List<Object> shuffled = new ArrayList<>(terms);
    Collections.shuffle(shuffled, random);
    return doc("$set", doc("terms", shuffled));
  }

  @Test
  void everyQueryOnAnArrayFieldGivesTheFullScanResult() {
    Fixtures f = new Fixtures();
    OrderedIndex<Integer> terms = f.index("terms");
    f.index("created_at", "_id");
    run(new Twin() {
      @Override
      public MongoCollection<?> indexed() {
        return f.indexed;
      }

      @Override
      public MongoCollection<?> plain() {
        return f.plain;
      }
    }, 1500);
    assertTrue(terms.isMultikey());
    assertTrue(terms.servesQueries());
  }

  @Test
  void everyQueryOnAnArrayFieldThroughAPersistedIndexGivesTheFullScanResult(@TempDir Path dir) throws Exception {
    RocksTwin twin = new RocksTwin(dir, List.of(doc("key", doc("terms", 1), "name", "terms"),
        doc("key", doc("created_at", -1, "_id", 1), "name", "created")));
    try {
      run(twin, 1500);
      assertTrue(twin.reopens >= 2, "reopened " + twin.reopens + " times");
      IndexedRocksCollection jobs = (IndexedRocksCollection) twin.indexed();
      assertEquals(2, IndexAgreement.assertIndexesAgree(jobs));
      OrderedIndex<?> terms = (OrderedIndex<?>) jobs.getIndexes().stream().filter(i -> i.getName().equals("terms"))
          .findFirst().orElseThrow();
      assertTrue(terms instanceof PersistedOrderedIndex && terms.isMultikey() && terms.servesQueries());
      // the last array goes: the count of multikey documents is exact, across a reopen too
      jobs.deleteDocuments(doc("terms", doc("$type", "array")), 0, NoopOplog.get());
      twin.plain().deleteDocuments(doc("terms", doc("$type", "array")), 0, NoopOplog.get());
      twin.checkpoint(500);
      jobs = (IndexedRocksCollection) twin.indexed();
      terms = (OrderedIndex<?>) jobs.getIndexes().stream().filter(i -> i.getName().equals("terms")).findFirst()
          .orElseThrow();
      assertEquals(2, IndexAgreement.assertIndexesAgree(jobs));
      assertFalse(terms.isMultikey(), "no array left");
      assertEquals(find(twin.plain(), new Document(), doc("terms", 1), 0, 0),
          find(jobs, new Document(), doc("terms", 1), 0, 0));
      assertEquals("terms", jobs.queryStats().last().index(), "not multikey any more: it gives the order again");
    } finally {
      twin.close();
    }
  }

  @Test
  void aSearchForARareWordReadsItsRangeAndACommonOneTheSortWalk() {
    Fixtures f = new Fixtures();
    f.index("search_terms");
    f.index("created_at", "_id");
    String[] common = {"walrus", "narwhal", "pangolin", "axolotl"};
    for (int i = 0; i < 4_000; i++) {
      f.insert(doc("_id", i, "created_at", T0.plusSeconds(i), "search_terms",
          List.of("job-" + Integer.toHexString(0x10000 + i), common[i % common.length], "session", "transcript")));
    }
    Document sort = doc("created_at", -1, "_id", -1);

    // one job's id (a prefix of it) and a common word: the id's range holds one entry
    Document rare = doc("$and", List.of(doc("search_terms", doc("$regex", "^job-107d0")),
        doc("search_terms", doc("$regex", "^sess"))));
    assertEquals(List.of(2_000), find(f.indexed, rare, sort, 0, 50).stream().map(d -> d.get("_id")).toList());
    assertEquals("search_terms", f.indexed.queryStats().last().index());
    assertEquals(1, f.indexed.queryStats().last().examined());
    assertEquals(1, f.indexed.count(rare, 0, 0));
    assertEquals(1, f.indexed.queryStats().last().examined());

    // a common word: the page is the created_at walk (it stops after 50 matches); the count reads
    // the word's range, not the collection
    Document word = doc("search_terms", new BsonRegularExpression("^narw", ""));
    assertEquals(find(f.plain, word, sort, 0, 50), find(f.indexed, word, sort, 0, 50));
    assertEquals("created_at__id", f.indexed.queryStats().last().index());
    assertTrue(f.indexed.queryStats().last().examined() <= 250, "examined " + f.indexed.queryStats().last());
    assertEquals(1_000, f.indexed.count(word, 0, 0));
    assertEquals("search_terms", f.indexed.queryStats().last().index());
    assertEquals(1_000, f.indexed.queryStats().last().examined());

    // several words: each document once, however many of its elements are in the range
    Document all = doc("search_terms", doc("$all", List.of(new BsonRegularExpression("^t", ""),
        new BsonRegularExpression("^job-1000", ""))));
    assertEquals(find(f.plain, all, null, 0, 0), find(f.indexed, all, null, 0, 0));
    assertEquals(16, find(f.indexed, all, null, 0, 0).size());
    assertEquals("search_terms", f.indexed.queryStats().last().index());
    assertEquals(16, f.indexed.queryStats().last().examined());

    // no sort order from a multikey index
    assertEquals(find(f.plain, new Document(), doc("search_terms", 1), 0, 5),
        find(f.indexed, new Document(), doc("search_terms", 1), 0, 5));
    assertNull(f.indexed.queryStats().last().index());
  }

  @Test
  void anUpdateThatChangesTheArrayMovesItsEntries() {
    Fixtures f = new Fixtures();
    OrderedIndex<Integer> tags = f.index("tags");
    f.insert(doc("_id", 1, "tags", List.of("a", "b", "a")));
    f.insert(doc("_id", 2, "tags", List.of()));
    f.insert(doc("_id", 3, "tags", "a"));
    f.insert(doc("_id", 4));
    assertEquals(5, tags.getCount(), "a, b, null (empty array), a, missing");
    assertEquals(List.of(1, 3), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertEquals("tags", f.indexed.queryStats().last().index());
    assertEquals(2, f.indexed.queryStats().last().examined());

    f.update(doc("_id", 1), doc("$set", doc("tags", List.of("c", "b"))), false);
    assertEquals(5, tags.getCount());
    assertEquals(List.of(3), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertEquals(1, f.indexed.queryStats().last().examined(), "the old element's entry is gone");
    f.update(doc("_id", 2), doc("$push", doc("tags", "a")), false);
    assertEquals(List.of(2, 3), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    f.delete(doc("_id", 1), 1);
    assertEquals(List.of(), ids(find(f.indexed, doc("tags", "c"), null, 0, 0)));
    assertEquals(0, f.indexed.queryStats().last().examined());
    assertEquals(3, tags.getCount());
    assertTrue(tags.isMultikey());
    f.update(doc("_id", 2), doc("$set", doc("tags", "z")), false);
    assertFalse(tags.isMultikey(), "the last array is gone");
  }

  @Test
  void anArrayOfDocumentsOrInACompoundIndexMakesTheIndexStepAside() {
    Fixtures f = new Fixtures();
    OrderedIndex<Integer> tags = f.index("tags");
    OrderedIndex<Integer> compound = f.index("tags", "n");
    f.insert(doc("_id", 1, "tags", List.of("a"), "n", 1));
    f.insert(doc("_id", 2, "tags", "a", "n", 2));
    assertTrue(tags.servesQueries());
    assertFalse(compound.servesQueries());
    assertEquals(List.of(1, 2), ids(find(f.indexed, doc("tags", "a", "n", doc("$gte", 1)), null, 0, 0)));
    assertEquals("tags", f.indexed.queryStats().last().index());
    f.insert(doc("_id", 3, "tags", List.of(doc("x", 1), "a")));
    assertFalse(tags.servesQueries());
    assertEquals(List.of(1, 2, 3), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertNull(f.indexed.queryStats().last().index());
    f.delete(doc("_id", 3), 1);
    assertTrue(tags.servesQueries());
  }

  @Test
  void aRegexGivesAPrefixRangeOnlyWhenItsStartIsLiteral() {
    assertEquals("abc", QueryBounds.literalPrefix("^abc"));
    assertEquals("job-1", QueryBounds.literalPrefix("^job-1"));
    assertEquals("a.b", QueryBounds.literalPrefix("^a\\.b"));
    assertEquals("ab", QueryBounds.literalPrefix("^abc?"));
    assertEquals("ab", QueryBounds.literalPrefix("^abc{2}"));
    assertEquals("abc", QueryBounds.literalPrefix("^abc+"));
    assertEquals("ab", QueryBounds.literalPrefix("^ab\\d"));
    assertEquals("", QueryBounds.literalPrefix("^(ab)"));
    assertNull(QueryBounds.literalPrefix("abc"));
    assertNull(QueryBounds.literalPrefix("^ab|c"));
    assertNull(QueryBounds.regexBounds("^abc", "i"));
    assertNull(QueryBounds.regexBounds("^abc", "m"));
    assertNull(QueryBounds.regexBounds("^\\[a", ""));
    assertEquals(4, QueryBounds.regexBounds("^abc", "s").size());
  }

  private static List<Object> ids(List<Document> docs) {
    return docs.stream().map(d -> d.get("_id")).toList();
  }
}
