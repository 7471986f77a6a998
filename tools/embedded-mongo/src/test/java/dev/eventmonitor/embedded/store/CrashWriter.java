package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child JVM of {@link CrashTest}: opens the store, then inserts, updates and deletes documents
 * without end, printing one line per write after the write returned ("acknowledged"):
 * {@code I n} inserted {@code _id n}, {@code U n} set the counter document to n, {@code D n}
 * deleted {@code _id n} ({@code T n} before that delete is sent). The parent kills it with SIGKILL at a random moment.
 */
public final class CrashWriter {
  public static void main(String[] args) throws Exception {
    Path storeDir = Path.of(args[0]);
    long next = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    RocksBackend backend = StoreTestSupport.open(storeDir);
    MongoCollection<Object> jobs = StoreTestSupport.collection(backend.resolveDatabase("em"), "jobs");
    if (jobs.handleQuery(new Document("_id", "counter")).iterator().hasNext() == false) {
      jobs.addDocument(new Document("_id", "counter").append("v", 0L));
    }
    out.println("READY");
    out.flush();
    for (long n = next; ; n++) {
      jobs.addDocument(StoreTestSupport.job(n));
      out.println("I " + n);
      if (n % 10 == 0) {
        StoreTestSupport.set(jobs, "counter", "v", n);
        out.println("U " + n);
      }
      if (n % 7 == 0) {
        // Announced first: a kill after the delete is applied but before "D" is printed leaves
        // a delete that is neither acknowledged nor undone, which the parent must accept.
        out.println("T " + (n - 3));
        out.flush();
        jobs.deleteDocuments(new Document("_id", n - 3), 1);
        out.println("D " + (n - 3));
      }
      out.flush();
    }
  }

  private CrashWriter() {}
}
