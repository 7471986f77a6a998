package dev.eventmonitor.embedded.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mongo-java-server backend on a {@link RocksStore}. Every database except {@code local} is
 * stored; {@code local} (the oplog behind change streams) stays in memory, so it starts empty at
 * every start, as before.
 */
public class RocksBackend extends AbstractMongoBackend {

  static final String LOCAL = "local";

  private final RocksStore store;
  /**
   * One object per database: AbstractMongoBackend's listDatabases calls openOrCreateDatabase for
   * every name, which must not open (and index) a stored database a second time.
   */
  private final Map<String, MongoDatabase> opened = new ConcurrentHashMap<>();

  public RocksBackend(RocksStore store) {
    this.store = store;
    if (!persistsIndexes()) {
      // documents written now would lack their entries: a later persisted open builds them anew
      store.setPersistIndexes(false);
      store.forgetPersistedIndexes();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String fullName : store.listCollections().keySet()) {
      names.add(Utils.firstFragment(fullName));
    }
    for (String name : names) {
      if (!LOCAL.equals(name)) {
        resolveDatabase(name);
      }
    }
  }

  /**
   * Whether this backend's databases keep persisted indexes (and so maintain them on every write).
   * Called by the constructor: an override may read only {@link #store()}.
   */
  protected boolean persistsIndexes() {
    return false;
  }

  public RocksStore store() {
    return store;
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return opened.computeIfAbsent(databaseName, name -> LOCAL.equals(name)
        ? new MemoryDatabase(name, getCursorRegistry())
        : createDatabase(name));
  }

  /** Creates the database object for a stored database; a subclass may return its own type. */
  protected MongoDatabase createDatabase(String databaseName) {
    return new RocksDatabase(databaseName, store, getCursorRegistry());
  }

  @Override
  public void dropDatabase(String databaseName) {
    super.dropDatabase(databaseName);
    opened.remove(databaseName);
  }

  @Override
  public void close() {
    super.close();
    opened.clear();
    store.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + store.directory() + "]";
  }
}
