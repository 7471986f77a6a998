package dev.eventmonitor.embedded.index;

/** A collection of ours: it keeps {@link QueryStats}. */
public interface IndexedCollection {
  QueryStats queryStats();
}
