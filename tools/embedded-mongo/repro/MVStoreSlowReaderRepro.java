// Narrows issue 15's "Chunk N not found" down to H2 MVStore itself: one writer puts ~2.5 KB values
// (auto-commit every AUTO_COMMIT_MS) while READERS threads iterate the whole map slowly (as a long
// collection scan does, SCAN_MS per scan). No mongo-java-server involved.
//
//   java -cp "$(cat target/cp.txt)" repro/MVStoreSlowReaderRepro.java FILE SECONDS AUTO_COMMIT_MS READERS SCAN_MS [VERSIONS_TO_KEEP]
// Prints the reader/writer failure if any, then whether the file reopens and how many entries it has.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

public class MVStoreSlowReaderRepro {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int autoCommit = Integer.parseInt(args[2]);
    int readers = Integer.parseInt(args[3]);
    int scanMs = Integer.parseInt(args[4]);
    int versionsToKeep = args.length > 5 ? Integer.parseInt(args[5]) : -1;
    Files.deleteIfExists(file);
    MVStore store = new MVStore.Builder().fileName(file.toString()).open();
    store.setAutoCommitDelay(autoCommit);
    if (versionsToKeep >= 0) store.setVersionsToKeep(versionsToKeep);
    MVMap<Long, byte[]> map = store.openMap("jobs");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong scans = new AtomicLong();
    AtomicLong written = new AtomicLong();
    Thread[] threads = new Thread[readers];
    for (int r = 0; r < readers; r++) {
      threads[r] = new Thread(() -> {
        try {
          while (!stop.get()) {
            long n = 0;
            int size = Math.max(1, map.size());
            long pause = Math.max(1, size / Math.max(1, scanMs));
            for (Map.Entry<Long, byte[]> e : map.entrySet()) {
              if (e.getValue().length == 0) throw new IllegalStateException();
              if (++n % pause == 0) Thread.sleep(1);
            }
            scans.incrementAndGet();
          }
        } catch (Throwable e) { failure.compareAndSet(null, e); stop.set(true); }
      });
      threads[r].start();
    }
    byte[] value = new byte[2500];
    long end = System.currentTimeMillis() + seconds * 1000L;
    long key = 0;
    try {
      while (!stop.get() && System.currentTimeMillis() < end) {
        for (int i = 0; i < 100; i++) {
          value[i] = (byte) key;
          map.put(key++, value.clone());
        }
        // updates of older entries, as status changes of jobs do
        for (int i = 0; i < 20 && key > 1000; i++) map.put((key * 7919 + i) % key, value.clone());
        written.set(key);
        Thread.sleep(2);
      }
    } catch (Throwable e) { failure.compareAndSet(null, e); }
    stop.set(true);
    for (Thread t : threads) t.join();
    System.out.println((failure.get() == null ? "no failure" : "FAILED: " + failure.get()) + " written=" + written.get()
        + " scans=" + scans.get() + " file=" + (Files.size(file) >> 20) + "MB");
    try { store.close(); } catch (Throwable e) { System.out.println("CLOSE FAILED: " + e); }
    try {
      MVStore reopened = new MVStore.Builder().fileName(file.toString()).open();
      MVMap<Long, byte[]> m = reopened.openMap("jobs");
      long n = 0;
      for (Map.Entry<Long, byte[]> e : m.entrySet()) n += e.getValue().length > 0 ? 1 : 0;
      reopened.close();
      System.out.println("REOPEN ok entries=" + n);
    } catch (Throwable e) {
      System.out.println("REOPEN FAILED: " + e);
    }
  }
}
