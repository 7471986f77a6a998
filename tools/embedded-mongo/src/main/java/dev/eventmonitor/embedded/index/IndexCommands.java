package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.List;

/**
 * Commands our databases answer before mongo-java-server does.
 *
 * <ul>
 *   <li>{@code {eventMonitorIndexStats: "<collection>"}}: the collection's {@link QueryStats}.
 *   <li>{@code aggregate} whose first stage is {@code $match}: mongo-java-server feeds every
 *       pipeline the whole collection; we feed it the documents the {@code $match} selects through
 *       the collection's query path (so through an index when one serves it). The pipeline still
 *       runs unchanged, its {@code $match} included, so the result is the same.
 * </ul>
 */
public final class IndexCommands {

  static final String INDEX_STATS = "eventMonitorIndexStats";

  private IndexCommands() {}

  /** The answer, or null to let mongo-java-server handle the command. */
  public static Document handle(MongoDatabase database, String command, Document query,
      DatabaseResolver databaseResolver, Oplog oplog) {
    if (command.equalsIgnoreCase(INDEX_STATS)) {
      MongoCollection<?> collection = database.resolveCollection(String.valueOf(query.get(command)), false);
      Document answer = collection instanceof IndexedCollection indexed
          ? indexed.queryStats().toDocument() : new Document();
      answer.put("ok", 1.0);
      return answer;
    }
    if (command.equalsIgnoreCase("aggregate")) {
      return aggregateFromMatch(database, command, query, databaseResolver, oplog);
    }
    return null;
  }

  private static Document aggregateFromMatch(MongoDatabase database, String command, Document query,
      DatabaseResolver databaseResolver, Oplog oplog) {
    if (!(query.get("pipeline") instanceof List<?> pipeline) || pipeline.isEmpty()
        || !(pipeline.get(0) instanceof Document first) || first.size() != 1
        || !(first.get("$match") instanceof Document match) || query.containsKey("explain")) {
      return null;
    }
    for (Object stage : pipeline) {
      if (!(stage instanceof Document d) || d.containsKey("$out") || d.containsKey("$merge")
          || d.containsKey("$changeStream")) {
        return null;
      }
    }
    if (!(query.get(command) instanceof String collectionName)) {
      return null;
    }
    MongoCollection<?> collection = database.resolveCollection(collectionName, false);
    if (!(collection instanceof IndexedCollection)) {
      return null;
    }
    List<Document> result;
    try {
      Aggregation aggregation = Aggregation.fromPipeline(query.get("pipeline"), databaseResolver, database,
          collection, oplog);
      aggregation.validate(query);
      // {query: ...} so that a field literally named "query" in the filter is not taken for the wrapper
      result = aggregation.runStages(collection.handleQueryAsStream(new Document("query", match)));
    } catch (MongoServerException | ClassCastException e) {
      return null; // mongo-java-server runs it again and reports the error in its own words
    }
    Document cursor = new Document();
    cursor.put("id", 0L);
    cursor.put("ns", collection.getFullName());
    cursor.put("firstBatch", result);
    Document answer = new Document("cursor", cursor);
    answer.put("ok", 1.0);
    return answer;
  }
}
