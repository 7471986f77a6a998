package dev.eventmonitor.embedded.store;

import java.util.function.Supplier;
import org.rocksdb.WriteBatch;

/**
 * An index of a {@link RocksCollection} whose entries live in the store ({@link IndexSpace}). Once
 * built, it is not refilled when the store opens; until then the collection builds it from the
 * stored documents as a {@link BulkLoadIndex}.
 */
public interface PersistedIndex extends BulkLoadIndex {

  /** The collection's operation batch, which every later entry write goes into. */
  void attach(Supplier<WriteBatch> operationBatch);

  /** True when the store holds every entry of the index (its build finished). */
  boolean isBuilt();
}
