import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';

/**
 * Kysely over better-sqlite3, tuned for exam-day load. Two differences from
 * Kysely's own SqliteDialect, both measured by bench/save-path.ts:
 * - a FIFO hand-off mutex for the single connection (Kysely's wakes every
 *   waiter at every release: O(waiters) work per query under load);
 * - prepared statements kept by SQL text (Kysely prepares every query anew).
 */
class FifoMutex {
  private locked = false;
  private waiters: (() => void)[] = [];
  private head = 0;

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters = this.waiters.slice(this.head);
        this.head = 0;
      }
      next(); // the lock passes straight to the next waiter
    } else {
      this.locked = false;
    }
  }
}

const STATEMENT_CACHE_SIZE = 1000;

class CachingConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Statement>();
  constructor(
    private readonly db: SqliteDatabase,
    private readonly cache: boolean,
  ) {}

  private statement(sql: string): Statement {
    if (!this.cache) return this.db.prepare(sql);
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.statement(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('SQLite can only stream select queries');
    // A statement being iterated cannot run again meanwhile: never the cached one.
    for (const row of this.db.prepare(compiled.sql).iterate(compiled.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class FastSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly connection: CachingConnection;
  constructor(
    private readonly db: SqliteDatabase,
    cacheStatements: boolean,
  ) {
    this.connection = new CachingConnection(db, cacheStatements);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.db.close();
  }
}

export class FastSqliteDialect implements Dialect {
  /** `cacheStatements: false` only for bench/save-path.ts, to measure what the cache buys. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly opts: { cacheStatements: boolean } = { cacheStatements: true },
  ) {}
  createDriver(): Driver {
    return new FastSqliteDriver(this.db, this.opts.cacheStatements);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
