package dev.eventmonitor.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.eventmonitor.embedded.index.IndexedH2Backend;
import dev.eventmonitor.embedded.index.IndexedMemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.h2.mvstore.MVStore;
import sun.misc.Signal;

/**
 * Embedded MongoDB-compatible server for Event Monitor development and tests, built on
 * mongo-java-server. See README.md next to pom.xml.
 *
 * <pre>
 * java -jar embedded-mongo.jar [--host H] [--port N] [--data-dir DIR] [--exit-on-stdin-eof]
 * </pre>
 *
 * On success prints exactly one line to stdout: {@code EMBEDDED_MONGO_READY port=<port>}. All
 * logging goes to stderr (warnings only). Exit codes: 0 = clean shutdown (SIGTERM, SIGINT, stdin
 * EOF), 2 = bad arguments or the server could not start (e.g. port in use).
 */
public final class EmbeddedMongo {

  static final String READY_PREFIX = "EMBEDDED_MONGO_READY port=";
  static final String DATA_FILE_NAME = "event-monitor.mv";
  static final int EXIT_USAGE = 2;
  /** MVStore background commit interval with --data-dir; see openBackend. H2's default is 1000. */
  static final int AUTO_COMMIT_DELAY_MS = 100;

  private static final String USAGE =
      "usage: java -jar embedded-mongo.jar [--host H] [--port N] [--data-dir DIR] [--exit-on-stdin-eof]";

  /**
   * Server version we announce in isMaster/buildInfo: MongoDB 6.0.0, wire version 17. Without it
   * the server reports max wire version 8, which the mongodb Node driver 7.x rejects (it needs at
   * least 9 = MongoDB 4.4).
   */
  enum Mongo60 implements MongoVersion {
    INSTANCE;

    @Override
    public List<Integer> getVersionArray() {
      return List.of(6, 0, 0);
    }

    @Override
    public int getWireVersion() {
      return 17;
    }
  }

  record Options(String host, int port, Path dataDir, boolean exitOnStdinEof) {}

  /** Any problem we report as one line on stderr followed by exit code 2. */
  static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    try {
      run(parse(args));
    } catch (StartupException e) {
      System.err.println("embedded-mongo: " + e.getMessage());
      System.err.flush();
      System.exit(EXIT_USAGE);
    }
  }

  static Options parse(String[] args) throws StartupException {
    String host = "127.0.0.1";
    int port = 27017;
    Path dataDir = null;
    boolean exitOnStdinEof = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = parsePort(value(args, ++i, arg));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
        case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> throw new StartupException("unknown option '" + arg + "'; " + USAGE);
      }
    }
    return new Options(host, port, dataDir, exitOnStdinEof);
  }

  private static String value(String[] args, int i, String option) throws StartupException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new StartupException("option " + option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int parsePort(String text) throws StartupException {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw new StartupException("invalid --port '" + text + "' (expected 0-65535, 0 = any free port)");
  }

  static void run(Options opts) throws StartupException {
    MongoBackend backend = openBackend(opts.dataDir());
    backend.version(Mongo60.INSTANCE);
    backend.enableOplog(); // needed for change streams (collection.watch())

    MongoServer server = new MongoServer(backend);
    int port;
    try {
      server.bind(opts.host(), opts.port());
      port = server.getLocalAddress().getPort();
    } catch (Throwable e) { // Netty rethrows checked exceptions (BindException) undeclared
      backend.close(); // releases the H2 file lock
      throw new StartupException(describeBindFailure(opts, e));
    }

    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "embedded-mongo-shutdown"));
    // The JVM's default SIGTERM/SIGINT exit status is 128+signal; we want a clean shutdown to be 0.
    // System.exit runs the shutdown hook above (server.shutdown() -> backend.close()).
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), s -> System.exit(0));
    }
    if (opts.exitOnStdinEof()) {
      watchStdin();
    }

    System.out.println(READY_PREFIX + port);
    System.out.flush();

    try {
      new CountDownLatch(1).await(); // keep main alive; we exit via System.exit only
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(0);
    }
  }

  private static MongoBackend openBackend(Path dataDir) throws StartupException {
    if (dataDir == null) {
      // ordered secondary indexes (dev.eventmonitor.embedded.index): queries cost O(log n + page)
      return new IndexedMemoryBackend();
    }
    Path file = dataDir.resolve(DATA_FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create --data-dir " + dataDir + ": " + e);
    }
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).open();
    } catch (RuntimeException e) {
      throw new StartupException("cannot open data file " + file + " (already used by another"
          + " embedded-mongo process?): " + e.getMessage());
    }
    // Durability (mongo-java-server 1.47.0 + H2 2.3.232): mongo-java-server never commits the
    // MVStore itself; it relies on MVStore's background auto-commit, which by default writes
    // unsaved changes every autoCommitDelay = 1000 ms (or earlier when the unsaved-memory buffer
    // is full), and on close(), which MongoServer.shutdown() calls: a clean shutdown (SIGTERM,
    // SIGINT, stdin EOF) therefore persists every acknowledged write. Only a hard kill or crash
    // of this JVM loses the writes of the last auto-commit interval.
    // We shorten that window to 100 ms. We measured committing after every write command
    // (H2Backend.commit() from a handleCommand override): nothing is lost on SIGKILL, but every
    // commit writes a new chunk that H2 keeps for its 45 s retention time, so the file grew to
    // ~120 MB for 2000 small inserts (vs ~15 MB at 100 ms, ~7 MB at 1000 ms) and inserts were ~2x
    // slower. There is no fsync per commit, so an OS crash / power loss can lose more; fine for a
    // development database.
    store.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
    // ordered secondary indexes, kept in memory and rebuilt from the documents at open
    H2Backend backend = new IndexedH2Backend(store);
    // The oplog (local.oplog.rs, used by change streams) is an uncapped collection that
    // mongo-java-server scans in full for every change-stream cursor. With H2 it would be
    // persisted and grow forever across restarts, so each run starts with an empty oplog.
    backend.dropDatabase("local");
    return backend;
  }

  private static String describeBindFailure(Options opts, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      if (t instanceof BindException && msg.toLowerCase().contains("in use")) {
        return "port " + opts.port() + " on " + opts.host() + " is already in use";
      }
      if (t instanceof UnknownHostException) {
        return "unknown --host '" + opts.host() + "'";
      }
      if (t instanceof BindException) {
        return "cannot listen on " + opts.host() + ":" + opts.port() + ": " + msg;
      }
    }
    return "cannot listen on " + opts.host() + ":" + opts.port() + ": " + e;
  }

  /** Exit when stdin reaches EOF, i.e. when the parent process that holds the pipe is gone. */
  private static void watchStdin() {
    Thread watcher = new Thread(() -> {
      byte[] buffer = new byte[256];
      try (InputStream in = System.in) {
        while (in.read(buffer) >= 0) {
          // ignore input; we only care about EOF
        }
      } catch (IOException ignored) {
        // treat a broken stdin like EOF
      }
      System.exit(0);
    }, "embedded-mongo-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private EmbeddedMongo() {}
}
