package dev.gtguard.spi;

/** The kind of write an event is about. */
public enum WriteOperation {
  /** A versioned put of a new item. */
  CREATE,
  /** A versioned conditional update. */
  UPDATE,
  /** A versioned conditional delete. */
  DELETE,
  /** A put to an append-only table. */
  APPEND
}
