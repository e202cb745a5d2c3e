import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import type { AppContext, Clock } from '../src/context.ts';
import { buildApp, type App } from '../src/app.ts';
import type { GradingBackend } from '../src/modules/grading/backend.ts';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export class TestClock implements Clock {
  constructor(public t: number = Date.parse('2026-06-20T00:30:00.000Z')) {}
  now(): number {
    return this.t;
  }
  set(iso: string | number): void {
    this.t = typeof iso === 'string' ? Date.parse(iso) : iso;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let pgReachable: Promise<boolean> | null = null;
/** Whether PostgreSQL answers; under CI a missing PostgreSQL fails the run instead of skipping. */
export function postgresAvailable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true but is not reachable at ${TEST_PG_URL}: ${(err as Error).message}`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgReachable;
}

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  /** PostgreSQL: the schema that isolates this suite. */
  schema?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of each kind: a temp SQLite file, and a private PostgreSQL schema. */
export async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-test-'));
    return { name: 'sqlite', url: `sqlite:${path.join(dir, 'kaowu.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  return {
    name: 'postgres',
    url: TEST_PG_URL,
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** The kinds of database to run a suite on, with the reason when PostgreSQL is skipped. */
export async function databaseKinds(): Promise<{ kind: 'sqlite' | 'postgres'; skip: string | false }[]> {
  const havePg = await postgresAvailable();
  return [
    { kind: 'sqlite', skip: false },
    { kind: 'postgres', skip: havePg ? false : `PostgreSQL not reachable at ${TEST_PG_URL}` },
  ];
}

export interface TestApp extends App {
  ctx: AppContext & { close(): Promise<void> };
  grading: GradingBackend | null;
  clock: TestClock;
  close(): Promise<void>;
}

export async function startTestApp(
  database: TestDatabase,
  clock = new TestClock(),
  opts: { grading?: (ctx: AppContext) => GradingBackend | Promise<GradingBackend> } = {},
): Promise<TestApp> {
  const ctx = await openContext(
    { DATABASE_URL: database.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined },
    { clock, schema: database.schema, log: pino({ level: 'silent' }) },
  );
  const grading = opts.grading ? await opts.grading(ctx) : null;
  const built = await buildApp(ctx, { logger: false, grading });
  await built.app.ready();
  grading?.start();
  return {
    ...built,
    ctx,
    clock,
    grading,
    close: async () => {
      await grading?.close();
      await built.app.close();
      await ctx.close();
      await database.drop();
    },
  };
}
