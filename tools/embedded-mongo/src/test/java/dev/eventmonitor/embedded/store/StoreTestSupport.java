package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the store tests. */
final class StoreTestSupport {

  static RocksBackend open(Path storeDir) throws StoreOpenException {
    return new RocksBackend(RocksStore.open(storeDir));
  }

  @SuppressWarnings("unchecked")
  static MongoCollection<Object> collection(MongoDatabase db, String name) {
    MongoCollection<Object> existing = (MongoCollection<Object>) db.resolveCollection(name, false);
    return existing != null ? existing : (MongoCollection<Object>) db.createCollectionOrThrowIfExists(name);
  }

  static Document job(long i) {
    return new Document("_id", i).append("key", "job-" + i).append("status", "pending")
        .append("result", "r".repeat(200) + i);
  }

  static void set(MongoCollection<Object> c, Object id, String field, Object value) {
    c.updateDocuments(new Document("_id", id), new Document("$set", new Document(field, value)),
        ArrayFilters.empty(), false, false, NoopOplog.get());
  }

  /** A child JVM on this test's class path running {@code mainClass args}. */
  static Process startJava(String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Xmx256m");
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command).start();
  }

  record Exit(int code, List<String> stdout, List<String> stderr) {}

  static Exit runJava(String mainClass, List<String> args, long timeoutSeconds) throws Exception {
    Process p = startJava(mainClass, args);
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(mainClass + " " + args + " did not exit within " + timeoutSeconds + " s");
    }
    return new Exit(p.exitValue(), lines(p.getInputStream()), lines(p.getErrorStream()));
  }

  static List<String> lines(java.io.InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  private StoreTestSupport() {}
}
