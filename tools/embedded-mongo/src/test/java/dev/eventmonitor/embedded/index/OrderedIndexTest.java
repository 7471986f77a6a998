package dev.eventmonitor.embedded.index;

import static dev.eventmonitor.embedded.index.Fixtures.doc;
import static dev.eventmonitor.embedded.index.Fixtures.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedIndexTest {

  private static List<Object> ids(List<Document> docs) {
    return docs.stream().map(d -> d.get("_id")).toList();
  }

  @Test
  void insertUpdateDeleteKeepTheIndexInStep() {
    Fixtures f = new Fixtures();
    OrderedIndex<Integer> index = f.index("status", "-priority");
    f.insert(doc("_id", 1, "status", "pending", "priority", 1));
    f.insert(doc("_id", 2, "status", "pending", "priority", 5));
    f.insert(doc("_id", 3, "status", "done", "priority", 9));
    f.insert(doc("_id", 4, "priority", 7)); // no status: indexed as null
    assertEquals(4, index.getCount());

    Document pending = doc("status", "pending");
    Document byPriority = doc("priority", -1);
    assertEquals(List.of(2, 1), ids(find(f.indexed, pending, byPriority, 0, 0)));
    assertEquals("status_-priority", f.indexed.queryStats().last().index());
    assertEquals(2, f.indexed.queryStats().last().examined());

    f.update(doc("_id", 3), doc("$set", doc("status", "pending")), false);
    f.update(doc("_id", 2), doc("$set", doc("priority", 0)), false);
    assertEquals(List.of(3, 1, 2), ids(find(f.indexed, pending, byPriority, 0, 0)));

    f.delete(doc("_id", 1), 1);
    assertEquals(3, index.getCount());
    assertEquals(List.of(3, 2), ids(find(f.indexed, pending, byPriority, 0, 0)));

    // {status: null} finds the document without the field, through the index
    assertEquals(List.of(4), ids(find(f.indexed, doc("status", null), null, 0, 0)));
    assertEquals("status_-priority", f.indexed.queryStats().last().index());
    assertEquals(1, f.indexed.queryStats().last().examined());
  }

  @Test
  void anArrayInACompoundIndexMakesTheIndexStepAsideUntilItIsGone() {
    Fixtures f = new Fixtures();
    f.index("tags", "n");
    f.insert(doc("_id", 1, "tags", "a", "n", 1));
    f.insert(doc("_id", 2, "tags", List.of("a", "b"), "n", 2));
    f.insert(doc("_id", 3, "tags", "b", "n", 3));
    // {tags: "a"} matches the array too: a scan answers, and answers right
    assertEquals(List.of(1, 2), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertNull(f.indexed.queryStats().last().index());
    f.update(doc("_id", 2), doc("$set", doc("tags", "c")), false);
    assertEquals(List.of(1), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertEquals("tags_n", f.indexed.queryStats().last().index());
  }

  @Test
  void anArrayInASingleFieldIndexIsOneEntryPerElement() {
    Fixtures f = new Fixtures();
    f.index("tags");
    f.insert(doc("_id", 1, "tags", "a"));
    f.insert(doc("_id", 2, "tags", List.of("a", "b")));
    f.insert(doc("_id", 3, "tags", "b"));
    assertEquals(List.of(1, 2), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertEquals("tags", f.indexed.queryStats().last().index());
    assertEquals(2, f.indexed.queryStats().last().examined());
    f.update(doc("_id", 2), doc("$set", doc("tags", "c")), false);
    assertEquals(List.of(1), ids(find(f.indexed, doc("tags", "a"), null, 0, 0)));
    assertEquals("tags", f.indexed.queryStats().last().index());
  }

  /** The domain's claim, job page, keyset continuation and lease recovery on 20,000 jobs. */
  @Test
  void theDomainQueriesExamineAPageNotTheCollection() {
    Fixtures f = new Fixtures();
    f.index("status", "-priority", "created_at");
    f.index("batch_id", "created_at", "_id");
    f.index("status", "lease.expires_at");
    f.index("updated_at", "_id");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String status = i % 200 == 0 ? "pending" : i % 200 == 1 ? "processing" : "completed";
      Document job = doc("_id", i, "batch_id", "b" + (i / 100), "status", status, "priority", i % 7,
          "created_at", t0.plusSeconds(i / 3), "updated_at", t0.plusSeconds(i), "batch_active", true);
      if (status.equals("processing")) {
        job.put("lease", doc("expires_at", t0.plusSeconds(i)));
      }
      f.insert(job);
    }
    Document claimFilter = doc("status", "pending", "batch_active", doc("$ne", false), "archived", doc("$ne", true));
    Document claimSort = doc("priority", -1, "created_at", 1);
    List<Document> claim = find(f.indexed, claimFilter, claimSort, 0, 1);
    assertEquals(find(f.plain, claimFilter, claimSort, 0, 1), claim);
    assertTrue(f.indexed.queryStats().last().examined() <= 3, "claim examined " + f.indexed.queryStats().last());

    // findAndModify is the claim's real path
    Document fam = doc("query", claimFilter, "sort", claimSort, "update", doc("$set", doc("status", "processing")),
        "new", true);
    Document claimed = f.indexed.findAndModify(fam);
    assertEquals(f.plain.findAndModify(fam), claimed);
    assertTrue(f.indexed.queryStats().last().examined() <= 3, "findAndModify examined " + f.indexed.queryStats().last());

    Document page = doc("batch_id", "b42");
    Document pageSort = doc("created_at", 1, "_id", 1);
    List<Document> first = find(f.indexed, page, pageSort, 0, 51);
    assertEquals(find(f.plain, page, pageSort, 0, 51), first);
    assertTrue(f.indexed.queryStats().last().examined() <= 52, "job page examined " + f.indexed.queryStats().last());

    // keyset continuation after the 30th row: {$or: [{created_at > c}, {created_at = c, _id > id}]}
    Document after = first.get(29);
    Document next = doc("batch_id", "b42", "$or", List.of(
        doc("created_at", doc("$gt", after.get("created_at"))),
        doc("created_at", after.get("created_at"), "_id", doc("$gt", after.get("_id")))));
    assertEquals(find(f.plain, next, pageSort, 0, 51), find(f.indexed, next, pageSort, 0, 51));
    assertTrue(f.indexed.queryStats().last().examined() <= 75, "keyset page examined " + f.indexed.queryStats().last());

    Document lease = doc("status", "processing", "lease.expires_at", doc("$lt", t0.plusSeconds(1000)));
    assertEquals(find(f.plain, lease, null, 0, 0), find(f.indexed, lease, null, 0, 0));
    assertTrue(f.indexed.queryStats().last().examined() <= 6, "lease recovery examined " + f.indexed.queryStats().last());

    Document feed = doc("updated_at", doc("$gt", t0.plusSeconds(n - 10)));
    assertEquals(find(f.plain, feed, doc("updated_at", 1, "_id", 1), 0, 100),
        find(f.indexed, feed, doc("updated_at", 1, "_id", 1), 0, 100));
    assertTrue(f.indexed.queryStats().last().examined() <= 10, "change feed examined " + f.indexed.queryStats().last());

    assertEquals(f.plain.count(page, 0, 0), f.indexed.count(page, 0, 0));
    assertEquals(100, f.indexed.queryStats().last().examined());
  }

  /** The batch list: {archived: {$in: [false, null]}}, newest first: two ranges merged. */
  @Test
  void theBatchPageMergesTheRangesOfAnInList() {
    Fixtures f = new Fixtures();
    f.index("archived", "-created_at", "-_id");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5_000; i++) {
      Document batch = doc("_id", i, "created_at", t0.plusSeconds(i / 2));
      // current batches: archived false or absent (legacy rows); every 3rd archived
      if (i % 3 == 0) {
        batch.put("archived", true);
      } else if (i % 3 == 1) {
        batch.put("archived", false);
      }
      f.insert(batch);
    }
    Document current = doc("archived", doc("$in", java.util.Arrays.asList(false, null)));
    Document newest = doc("created_at", -1, "_id", -1);
    List<Document> page = find(f.indexed, current, newest, 0, 21);
    assertEquals(find(f.plain, current, newest, 0, 21), page);
    assertEquals(List.of(4999, 4997, 4996, 4994), ids(page).subList(0, 4));
    assertEquals("archived_-created_at_-_id", f.indexed.queryStats().last().index());
    assertTrue(f.indexed.queryStats().last().examined() <= 24, "batch page examined " + f.indexed.queryStats().last());
  }
}
