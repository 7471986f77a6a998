package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An indexed collection and a plain (full-scan) twin that receive the same writes. */
final class Fixtures {

  final IndexedMemoryDatabase database = new IndexedMemoryDatabase("test", new CursorRegistry());
  final IndexedMemoryCollection indexed =
      new IndexedMemoryCollection(database, "indexed", CollectionOptions.withDefaults(), new CursorRegistry());
  final MemoryCollection plain =
      new MemoryCollection(database, "plain", CollectionOptions.withDefaults(), new CursorRegistry());

  Fixtures() {
    for (MongoCollection<Integer> c : List.<MongoCollection<Integer>>of(indexed, plain)) {
      c.addIndex(new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)), false));
    }
  }

  /** keys: "field", "-field" for descending. */
  OrderedIndex<Integer> index(String... keys) {
    List<IndexKey> indexKeys = new ArrayList<>();
    for (String key : keys) {
      indexKeys.add(key.startsWith("-") ? new IndexKey(key.substring(1), false) : new IndexKey(key, true));
    }
    OrderedIndex<Integer> index = new OrderedIndex<>(String.join("_", keys), indexKeys, false, Integer::compare);
    indexed.addIndex(index);
    return index;
  }

  void insert(Document document) {
    indexed.addDocument(document.cloneDeeply());
    plain.addDocument(document.cloneDeeply());
  }

  void update(Document selector, Document update, boolean multi) {
    Document a = indexed.updateDocuments(selector, update, ArrayFilters.empty(), multi, false, NoopOplog.get());
    Document b = plain.updateDocuments(selector, update, ArrayFilters.empty(), multi, false, NoopOplog.get());
    if (!a.equals(b)) {
      throw new AssertionError("update answers differ: " + a + " vs " + b);
    }
  }

  int delete(Document selector, int limit) {
    int a = indexed.deleteDocuments(selector, limit, NoopOplog.get());
    int b = plain.deleteDocuments(selector, limit, NoopOplog.get());
    if (a != b) {
      throw new AssertionError("deleted " + a + " vs " + b);
    }
    return a;
  }

  static List<Document> find(MongoCollection<?> c, Document filter, Document sort, int skip, int limit) {
    Document selector = new Document("query", filter);
    if (sort != null) {
      selector.put("orderby", sort);
    }
    List<Document> out = new ArrayList<>();
    for (Document d : c.handleQuery(new QueryParameters(selector, skip, limit))) {
      out.add(d);
    }
    return out;
  }

  static Document doc(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Document(m);
  }
}
