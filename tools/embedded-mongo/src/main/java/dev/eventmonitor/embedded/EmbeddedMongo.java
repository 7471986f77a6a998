package dev.eventmonitor.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import dev.eventmonitor.embedded.index.IndexedMemoryBackend;
import dev.eventmonitor.embedded.index.IndexedRocksBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.eventmonitor.embedded.store.H2Migration;
import dev.eventmonitor.embedded.store.RocksStore;
import dev.eventmonitor.embedded.store.StoreException;
import dev.eventmonitor.embedded.store.StoreOpenException;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * EOF), 2 = bad arguments or the server could not start (e.g. port in use), 3 = the data store in
 * --data-dir cannot be opened (damaged, locked, unreadable): one line on stderr says which file and
 * what to do; it never starts with an empty database instead.
 */
public final class EmbeddedMongo {

  static final String READY_PREFIX = "EMBEDDED_MONGO_READY port=";
  /** The data store in --data-dir: a RocksDB directory. */
  static final String STORE_DIR_NAME = "event-monitor.rocksdb";
  /** The H2 data file of earlier versions; migrated once into the store at start. */
  static final String LEGACY_H2_FILE_NAME = "event-monitor.mv";
  static final int EXIT_USAGE = 2;
  static final int EXIT_STORE = 3;

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

  /** Any problem we report as one line on stderr followed by its exit code (2 unless said). */
  static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    StartupException(String message) {
      this(message, EXIT_USAGE);
    }

    StartupException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  public static void main(String[] args) {
    try {
      run(parse(args));
    } catch (StartupException e) {
      System.err.println("embedded-mongo: " + e.getMessage());
      System.err.flush();
      System.exit(e.exitCode);
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
      backend.close(); // releases the store's lock
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

  static MongoBackend openBackend(Path dataDir) throws StartupException {
    if (dataDir == null) {
      // ordered secondary indexes (dev.eventmonitor.embedded.index): queries cost O(log n + page)
      return new IndexedMemoryBackend();
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create --data-dir " + dataDir + ": " + e);
    }
    // Durability: see RocksStore. Every acknowledged write is in RocksDB's write-ahead log in the
    // operating system before the reply is sent, so a SIGKILL / crash of this JVM loses nothing;
    // the log is fsynced every RocksStore.WAL_SYNC_MS, which bounds an OS crash / power loss.
    // The H2 MVStore used before corrupted itself under load (issue 15, docs/decisions.md).
    Path storeDir = dataDir.resolve(STORE_DIR_NAME);
    Path legacy = dataDir.resolve(LEGACY_H2_FILE_NAME);
    try {
      if (H2Migration.needed(legacy, storeDir)) {
        long started = System.nanoTime();
        H2Migration.Result result = H2Migration.migrate(legacy, storeDir);
        System.err.printf("embedded-mongo: migrated %d documents in %d collections from %s into %s in %.1f s;"
            + " the old file is kept as %s%n", result.documents(), result.collections(), legacy, storeDir,
            (System.nanoTime() - started) / 1e9, result.movedTo());
      }
      RocksStore store = RocksStore.open(storeDir);
      try {
        if (Files.exists(legacy)) {
          Path movedTo = H2Migration.finishOrRefuse(legacy, store);
          System.err.println("embedded-mongo: the migrated old data file is kept as " + movedTo);
        }
        // ordered secondary and unique indexes persisted in the store (built once from the documents
        // when a store written without them opens; -Deventmonitor.persistIndexes=false keeps them
        // in memory and rebuilds them at every open instead)
        return new IndexedRocksBackend(store);
      } catch (StoreOpenException | RuntimeException e) {
        store.close();
        throw e;
      }
    } catch (StoreOpenException e) {
      throw new StartupException(e.getMessage(), EXIT_STORE);
    } catch (StoreException e) {
      // a stored document could not be read back while the indexes were rebuilt
      throw new StartupException("data store " + storeDir + " cannot be read: " + e.getMessage()
          + "; it is damaged: restore it from a backup (npm run db:restore with the output of npm run"
          + " db:backup) or move it aside to start with an empty database", EXIT_STORE);
    }
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
