package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.oplog.Oplog;
import dev.eventmonitor.embedded.CappedOplog;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/** The in-memory backend whose databases keep ordered secondary indexes. */
public final class IndexedMemoryBackend extends MemoryBackend {

  @Override
  public MemoryDatabase openOrCreateDatabase(String databaseName) {
    return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
  }

  /** The oplog kept to its newest entries (mongo-java-server's own grows without bound). */
  @Override
  protected Oplog createOplog() {
    return CappedOplog.create(this, getCursorRegistry(), CappedOplog.DEFAULT_CAP);
  }
}
