/**
 * For bench/save-path.ts only: Kysely over better-sqlite3 with a FIFO hand-off
 * mutex (as packages/server/src/db/sqlite-dialect.ts) and the statement cache
 * switchable, so that the two changes the server's dialect makes over
 * Kysely's own SqliteDialect can be measured one at a time.
 */
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, SelectQueryNode,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';

class FifoMutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];
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
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else {
      this.locked = false;
    }
  }
}

class Connection implements DatabaseConnection {
  private readonly cache = new Map<string, Statement>();
  constructor(
    private readonly db: SqliteDatabase,
    private readonly useCache: boolean,
  ) {}

  private statement(sql: string): Statement {
    if (!this.useCache) return this.db.prepare(sql);
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size >= 1000) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.statement(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    });
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of this.db.prepare(compiled.sql).iterate(compiled.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class BenchDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly connection: Connection;
  constructor(
    private readonly db: SqliteDatabase,
    cache: boolean,
  ) {
    this.connection = new Connection(db, cache);
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

export class FifoSqliteDialect implements Dialect {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly opts: { cache: boolean },
  ) {}
  createDriver(): Driver {
    return new BenchDriver(this.db, this.opts.cache);
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
