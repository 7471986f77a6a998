package dev.eventmonitor.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.eventmonitor.embedded.store.RocksBackend;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with --data-dir: a data store that cannot be opened stops start-up with one line
 * that names the file and what to do (exit 3), never an empty database; an H2 file of the earlier
 * version is migrated once.
 */
class DataDirTest {

  @TempDir Path dir;

  private Path store() {
    return dir.resolve(EmbeddedMongo.STORE_DIR_NAME);
  }

  private void fillStore(int documents) throws Exception {
    MongoBackend backend = EmbeddedMongo.openBackend(dir);
    try {
      @SuppressWarnings("unchecked")
      MongoCollection<Object> jobs = (MongoCollection<Object>) backend.resolveDatabase("em").createCollectionOrThrowIfExists("jobs");
      List<Document> batch = new ArrayList<>();
      for (int i = 0; i < documents; i++) {
        batch.add(new Document("_id", i).append("text", "some text " + i + " ".repeat(i % 50)));
      }
      jobs.insertDocuments(batch, true);
      ((RocksBackend) backend).store().compact(); // documents in SST files, the WAL emptied
    } finally {
      backend.close();
    }
  }

  /** Runs the launcher; it must exit 3 with exactly one line on stderr, which is returned. */
  private String refusedStart() throws Exception {
    Process p = start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
    List<String> stdout = lines(p.getInputStream());
    List<String> stderr = lines(p.getErrorStream());
    assertEquals(3, p.exitValue(), "exit code; stderr: " + stderr);
    assertEquals(List.of(), stdout, "nothing on stdout (no READY line)");
    assertEquals(1, stderr.size(), "exactly one line on stderr: " + stderr);
    assertTrue(stderr.get(0).startsWith("embedded-mongo: "), stderr.get(0));
    return stderr.get(0);
  }

  private Process start() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", EmbeddedMongo.class.getName(),
        "--port", "0", "--host", "127.0.0.1", "--data-dir", dir.toString()).start();
    p.getOutputStream().close();
    return p;
  }

  private static List<String> lines(java.io.InputStream in) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void aDamagedDocumentBlockStopsStartUp() throws Exception {
    fillStore(3000);
    Path sst;
    try (Stream<Path> files = Files.list(store())) {
      sst = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
    }
    try (RandomAccessFile file = new RandomAccessFile(sst.toFile(), "rw")) {
      file.seek(file.length() / 3);
      file.write(new byte[4096]); // zeroes over data blocks
    }
    String line = refusedStart();
    assertTrue(line.contains(store().toString()), line);
    assertTrue(line.contains("npm run db:restore") && line.contains("move it aside"), line);
    assertTrue(Files.exists(sst), "the damaged store is left as it is");
  }

  @Test
  void aDamagedCurrentFileStopsStartUp() throws Exception {
    fillStore(10);
    Files.writeString(store().resolve("CURRENT"), "garbage");
    String line = refusedStart();
    assertTrue(line.contains(store().toString()) && line.contains("damaged"), line);
  }

  @Test
  void aStoreDirectoryWithoutStoreFilesIsNotReplacedByAnEmptyStore() throws Exception {
    Files.createDirectories(store());
    Files.writeString(store().resolve("notes.txt"), "not a store");
    String line = refusedStart();
    assertTrue(line.contains(store().toString()) && line.contains("not an embedded-mongo data store"), line);
    assertFalse(Files.exists(store().resolve("CURRENT")));
  }

  @Test
  void aStoreInUseByAnotherProcessStopsStartUp() throws Exception {
    Process first = start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("EMBEDDED_MONGO_READY port="), String.valueOf(ready));
      String line = refusedStart();
      assertTrue(line.contains(store().toString()) && line.contains("in use by another embedded-mongo process"), line);
    } finally {
      first.destroy();
      first.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDamagedOldH2FileIsNeitherMigratedNorIgnored() throws Exception {
    Path mv = dir.resolve(EmbeddedMongo.LEGACY_H2_FILE_NAME);
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(1).nextBytes(garbage);
    Files.write(mv, garbage);
    String line = refusedStart();
    assertTrue(line.contains(mv.toString()) && line.contains("earlier H2 format") && line.contains("db:restore"), line);
    assertTrue(Files.exists(mv), "the old file stays where it is");
    assertFalse(Files.exists(store().resolve("CURRENT")), "no store was created in its place");
  }

  @Test
  void anOldH2FileNextToAnIncompleteStoreIsNeitherMigratedOverItNorIgnored() throws Exception {
    Path mv = dir.resolve(EmbeddedMongo.LEGACY_H2_FILE_NAME);
    H2Backend h2 = new H2Backend(new MVStore.Builder().fileName(mv.toString()).open());
    h2.resolveDatabase("em").createCollectionOrThrowIfExists("jobs");
    h2.close();
    Files.createDirectories(store());
    Files.writeString(store().resolve("000007.sst"), "a file of a store without CURRENT");
    String line = refusedStart();
    assertTrue(line.contains(mv.toString()) && line.contains(store().toString()) && line.contains("aside"), line);
    assertTrue(Files.exists(mv) && Files.exists(store().resolve("000007.sst")), "both left as they were");
  }

  @Test
  void anOldH2FileIsMigratedOnceAndKept() throws Exception {
    Path mv = dir.resolve(EmbeddedMongo.LEGACY_H2_FILE_NAME);
    // written exactly as the earlier launcher did: an MVStore file under mongo-java-server's H2Backend
    H2Backend h2 = new H2Backend(new MVStore.Builder().fileName(mv.toString()).open());
    MongoDatabase em = h2.resolveDatabase("em");
    @SuppressWarnings("unchecked")
    MongoCollection<Object> jobs = (MongoCollection<Object>) em.createCollectionOrThrowIfExists("jobs");
    em.handleCommand(new EmbeddedChannel(), "createIndexes", new Document("createIndexes", "jobs").append("indexes",
        List.of(new Document("key", new Document("key", 1)).append("name", "key_1").append("unique", true))),
        null, NoopOplog.get());
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      batch.add(new Document("_id", "j" + i).append("key", i).append("nested", new Document("a", List.of(1, 2, i))));
    }
    jobs.insertDocuments(batch, true);
    h2.resolveDatabase("other").createCollectionOrThrowIfExists("batches");
    h2.enableOplog();
    h2.close();

    MongoBackend backend = EmbeddedMongo.openBackend(dir);
    try {
      MongoDatabase db = backend.resolveDatabase("em");
      @SuppressWarnings("unchecked")
      MongoCollection<Object> migrated = (MongoCollection<Object>) db.resolveCollection("jobs", true);
      assertEquals(2500, migrated.count());
      Document j7 = migrated.handleQuery(new Document("_id", "j7")).iterator().next();
      assertEquals(new Document("a", List.of(1, 2, 7)), j7.get("nested"));
      DuplicateKeyError dup = assertThrows(DuplicateKeyError.class,
          () -> migrated.addDocument(new Document("_id", "new").append("key", 7)));
      assertEquals(11000, dup.getCode());
      assertTrue(backend.resolveDatabase("other").resolveCollection("batches", false) != null);
    } finally {
      backend.close();
    }
    assertFalse(Files.exists(mv), "the old file was renamed");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("event-monitor.mv.migrated-")).count());
    }
    // a second start opens the store and does not migrate again
    MongoBackend again = EmbeddedMongo.openBackend(dir);
    try {
      assertEquals(2500, again.resolveDatabase("em").resolveCollection("jobs", true).count());
    } finally {
      again.close();
    }
  }
}
