/**
 * What the domain holds of a database: transactions, where it lives, and
 * closing it. No SQL and no driver: billing, aggregation, charging, payments,
 * the operator import and the exports see only this, and reach the data
 * through the repository functions of lib/store, which take a `Store`.
 * `SqliteStore` (lib/store/sqlite-store.ts) is the implementation; only the
 * composition roots (nodes/shared, bin/, bench/, lib/simulator/run.ts, tests)
 * name it to open one (docs/decisions/0086-store-behind-an-interface.md).
 */
export interface Store {
  /** Where the data lives, for messages: the database file's absolute path (":memory:" in tests). */
  readonly path: string;
  /** False once closed. */
  readonly isOpen: boolean;
  /**
   * Runs `fn` in one write transaction that no other writer (another process
   * included) interleaves with: read-then-write logic (counter state, invoice
   * numbers) sees what it writes on. Throwing rolls everything back.
   */
  write<T>(fn: () => T): T;
  /** Runs `fn` against one consistent snapshot across several repository calls. */
  read<T>(fn: () => T): T;
  close(): void;
}
