import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LATEST_SCHEMA_VERSION, Migration, MIGRATIONS } from "./migrations";
import type { Store } from "./store";

export interface StoreOptions {
  /** Wait this long for another writer (another process) before failing. */
  busyTimeoutMs?: number;
  /** For tests of the migration mechanism. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

export class StoreError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

/**
 * One SQLite database file: WAL, foreign keys, migrations applied on open,
 * prepared statements cached by their SQL text.
 */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  readonly path: string;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  static open(path: string, options: StoreOptions = {}): SqliteStore {
    const full = path === ":memory:" ? path : resolve(path);
    if (full !== ":memory:" && !options.readonly) {
      try {
        mkdirSync(dirname(full), { recursive: true });
      } catch (e) {
        throw new StoreError(`cannot create the folder for database ${full}: ${(e as Error).message}`, e);
      }
    }
    let db: Database.Database;
    try {
      db = new Database(full, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10000))}`);
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        // FULL: a committed batch survives a power cut, not only a process crash.
        db.pragma("synchronous = FULL");
      }
      db.pragma("foreign_keys = ON");
    } catch (e) {
      throw new StoreError(`cannot open database ${full}: ${(e as Error).message}`, e);
    }
    const store = new SqliteStore(full, db);
    try {
      if (!options.readonly) store.migrate(options.migrations ?? MIGRATIONS);
      else store.checkVersion(options.migrations ?? MIGRATIONS);
    } catch (e) {
      db.close();
      throw e;
    }
    return store;
  }

  /** Cached prepared statement: every query in the suite goes through here. */
  stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<unknown[], R>;
  }

  /**
   * Runs `fn` in one write transaction, taken with BEGIN IMMEDIATE so that
   * read-then-write logic (invoice numbers, counter state) cannot interleave
   * with another process's writer.
   */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A consistent read snapshot across several queries. */
  read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  schemaVersion(): number {
    const hasTable = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").get();
    if (!hasTable) return 0;
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    return row.v ?? 0;
  }

  private checkVersion(migrations: readonly Migration[]): number {
    const current = this.schemaVersion();
    const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    if (current > latest) {
      throw new StoreError(
        `database ${this.path} has schema version ${current}, newer than this version of node-red-contrib-zev understands (${latest}); update the package instead of downgrading`,
      );
    }
    return current;
  }

  /** Applies pending migrations, each in its own immediate transaction. Returns the versions applied. */
  migrate(migrations: readonly Migration[] = MIGRATIONS): number[] {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)");
    this.checkVersion(migrations);
    const applied: number[] = [];
    for (const m of migrations) {
      // Re-check inside the transaction: another process may have migrated meanwhile.
      const done = this.write(() => {
        if (this.schemaVersion() >= m.version) return false;
        try {
          m.prepare?.(this.db, Date.now());
          this.db.exec(m.sql);
        } catch (e) {
          throw new StoreError(`migration ${m.version} (${m.name}) failed on ${this.path}: ${(e as Error).message}`, e);
        }
        this.db.prepare("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
        return true;
      });
      if (done) applied.push(m.version);
    }
    return applied;
  }

  /** Online backup (SQLite backup API) to `destination`; safe while writers are active. */
  async backup(destination: string): Promise<void> {
    mkdirSync(dirname(resolve(destination)), { recursive: true });
    await this.db.backup(resolve(destination));
  }

  integrityCheck(): string[] {
    return (this.db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

/**
 * The one place a repository turns the domain's `Store` into the SQLite
 * connection its statements run on. A store of another kind reaching a
 * SQLite repository is a wiring mistake, reported as such.
 */
export function sqlite(store: Store): SqliteStore {
  if (store instanceof SqliteStore) return store;
  throw new StoreError(`the store ${store.path} is not a SQLite store; the repositories of lib/store run on SQLite`);
}

export { LATEST_SCHEMA_VERSION };
