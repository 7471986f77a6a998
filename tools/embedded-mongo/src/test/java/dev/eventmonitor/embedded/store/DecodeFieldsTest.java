package dev.eventmonitor.embedded.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The index rebuild decodes only key fields; what it decodes equals the full decode. */
class DecodeFieldsTest {

  @Test
  void skippingEveryBsonTypeLandsOnTheNextField() {
    Document doc = new Document("_id", new ObjectId())
        .append("d", 1.5).append("s", "text ü").append("sub", new Document("a", 1).append("b", List.of(1, "x")))
        .append("arr", List.of(1, 2, new Document("c", 3))).append("bin", new BinData(new byte[] {1, 2, 3}))
        .append("oid", new ObjectId()).append("t", true).append("date", Instant.ofEpochMilli(1234567))
        .append("nul", null).append("re", new BsonRegularExpression("^a.*", "i")).append("i", 42)
        .append("ts", new BsonTimestamp(99L)).append("l", 1L << 40)
        .append("dec", new Decimal128(new BigDecimal("1.25"))).append("min", MinKey.getInstance())
        .append("max", MaxKey.getInstance()).append("last", "end");
    byte[] bson = RocksStore.encode(doc);
    Document full = RocksStore.decode(bson);
    // (compared as text: the regular expression type has no equals)
    assertEquals(full.toString(), RocksStore.decodeFields(bson, full.keySet()).toString());
    List<String> names = new ArrayList<>(full.keySet());
    for (String name : names) {
      // each field alone, reached by skipping every field before it
      assertEquals(new Document(name, full.get(name)).toString(), RocksStore.decodeFields(bson, Set.of(name)).toString(), name);
    }
    assertEquals(new Document("_id", full.get("_id")).append("last", "end"),
        RocksStore.decodeFields(bson, Set.of("_id", "last")));
  }
}
