package dev.eventmonitor.embedded.index;

import de.bwaldvogel.mongo.MongoCollection;

/** An indexed collection and its full-scan twin receiving the same writes (the equivalence tests). */
interface Twin {
  MongoCollection<?> indexed();

  MongoCollection<?> plain();

  /** Called every round (the RocksDB twin reopens its stores now and then). */
  default void checkpoint(int round) {}
}
