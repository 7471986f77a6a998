package dev.eventmonitor.embedded.store;

/**
 * An index that can be filled faster from many documents at once than one by one: between
 * {@link #startBulkLoad()} and {@link #finishBulkLoad()} its {@code add} calls only collect entries
 * (nothing is queried meanwhile), and {@code finishBulkLoad} builds the structure in one go.
 * {@link RocksCollection#finishOpen()} uses it when a store opens.
 */
public interface BulkLoadIndex {

  void startBulkLoad();

  /** Builds the index from what was added since {@link #startBulkLoad()}; may run on any thread. */
  void finishBulkLoad();
}
