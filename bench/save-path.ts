/**
 * Where the time of one answer save goes, without HTTP: a companion to
 * bench/delivery.ts for reading its profile. Single process, one core.
 *
 *   npx tsx bench/save-path.ts [--attempts 2000] [--saves 20000]
 *
 * Builds a fresh SQLite database (migrations + demo sitting, the server's own
 * code), enters `attempts` candidates through DeliveryService, then times:
 *   service     DeliveryService.saveAnswer in-process (Kysely + SQLite), at concurrency 1, 64 and 256,
 *               on three dialects: Kysely's own SqliteDialect (`kysely`: a mutex that wakes every
 *               waiter at every release, db.prepare() per query), a FIFO mutex without statement
 *               cache (`fifo`, the server's dialect with `cacheStatements: false`), and the server's own dialect
 *               (`server`: packages/server/src/db/sqlite-dialect.ts, FIFO + statement cache);
 *   raw-*       SQL straight on better-sqlite3: the save path before commit bc6e876 (select attempt,
 *               begin, select attempt, upsert, commit) with prepare per query → with cached
 *               statements → without the `paper` column; then one guarded upsert (the path since);
 *   baseline    the single upsert of bench/baseline-server.ts.
 * Prints one JSON object: CPU microseconds per save for each (best of two
 * repetitions; CPU time rather than wall time, as other processes share the machine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from '../packages/server/src/db/schema.ts';
import { QuestionStore } from '../packages/server/src/modules/bank/question-store.ts';
import { SittingCatalog } from '../packages/server/src/modules/plans/sitting-catalog.ts';
import { FastSqliteDialect } from '../packages/server/src/db/sqlite-dialect.ts';
import { openContext } from '../packages/server/src/bootstrap.ts';
import { createDemo } from '../packages/server/src/modules/demo/demo.ts';
import { DeliveryService } from '../packages/server/src/modules/delivery/service.ts';
import { mulberry32 } from './lib/drivers.ts';

const log = (m: string) => process.stderr.write(`[save-path] ${m}\n`);

const { values } = parseArgs({ options: { attempts: { type: 'string' }, saves: { type: 'string' } } });
const ATTEMPTS = Math.min(20_000, Number(values.attempts ?? 2000));
const SAVES = Math.min(200_000, Number(values.saves ?? 20_000));

interface Target {
  registrationId: string;
  attemptId: string;
  questions: { id: string; answer: string; value: unknown }[];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-save-path-'));
const file = path.join(tmp, 'k.db');
const random = mulberry32(7);
let seq = 0;

function pick(targets: Target[]) {
  const t = targets[Math.floor(random() * targets.length)]!;
  const q = t.questions[Math.floor(random() * t.questions.length)]!;
  return { t, q, seq: ++seq };
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per operation over `n` operations, `concurrency` at a time. */
async function timeAsync(n: number, concurrency: number, op: () => Promise<unknown>): Promise<number> {
  let left = n;
  const c0 = cpuUs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await op();
    }),
  );
  return Math.round((cpuUs() - c0) / n);
}

function timeSync(n: number, op: () => void): number {
  const c0 = cpuUs();
  for (let i = 0; i < n; i++) op();
  return Math.round((cpuUs() - c0) / n);
}

const best = (result: Record<string, number | string>, key: string, us: number) => {
  const old = result[key];
  result[key] = typeof old === 'number' ? Math.min(old, us) : us;
};

function openRaw(): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

async function main() {
  const ctx = await openContext({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn', KAOWU_SECRET: 'save-path-bench-secret-0123456789' }, { log: pino({ level: 'warn' }) });
  const demo = await createDemo(ctx, { candidates: ATTEMPTS, level: 'junior', startsAt: Date.now(), durationMin: 120, rules: { earliestSubmitMin: 0, finalLockMin: 0 } });
  const regs = await ctx.db.selectFrom('registrations').select(['id']).where('plan_id', '=', demo.planId).execute();
  const delivery = new DeliveryService(ctx);
  const targets: Target[] = [];
  for (const r of regs) {
    const view = await delivery.enter(r.id, demo.sittingId);
    targets.push({
      registrationId: r.id,
      attemptId: view.attemptId,
      questions: view.questions.map((q) => {
        const value = q.type === 'truefalse' ? true : q.type === 'multiple' ? q.options.slice(0, 2).map((o) => o.id) : q.options[0]!.id;
        return { id: q.id, value, answer: JSON.stringify(value) };
      }),
    });
  }
  log(`${targets.length} attempts of ${targets[0]!.questions.length} questions in ${file}`);

  const result: Record<string, number | string> = {};
  const serviceOp = (d: DeliveryService) => () => {
    const { t, q, seq: s } = pick(targets);
    return d.saveAnswer(t.registrationId, t.attemptId, q.id, q.value as never, s);
  };
  const variants: [string, (() => Kysely<DB>) | null][] = [
    ['kysely', () => new Kysely<DB>({ dialect: new SqliteDialect({ database: openRaw() }) })],
    ['fifo', () => new Kysely<DB>({ dialect: new FastSqliteDialect(openRaw(), { cacheStatements: false }) })],
    ['server', null],
  ];
  await timeAsync(2000, 1, serviceOp(delivery)); // warm-up
  for (let rep = 0; rep < 2; rep++) {
    for (const [name, open] of variants) {
      let op = serviceOp(delivery);
      let close: (() => Promise<void>) | null = null;
      if (open) {
        const db = open();
        const d = new DeliveryService({ ...ctx, db, questions: new QuestionStore(db), sittings: new SittingCatalog(db) });
        op = serviceOp(d);
        await timeAsync(1000, 1, op); // warm its caches
        close = () => db.destroy();
      }
      for (const c of [1, 64, 256]) {
        const us = await timeAsync(SAVES, c, op);
        best(result, `service_${name}_c${c}_us`, us);
        log(`service (${name}) at concurrency ${c}: ${us} CPU µs/save`);
      }
      if (close) await close();
    }
  }
  await ctx.close();

  const db = openRaw();
  // The statements DeliveryService.saveAnswer issued before commit bc6e876 (as Kysely compiled them).
  const SELECT_ATTEMPT =
    'select "id", "registration_id", "sitting_id", "state", "paper", "deadline_at", "finalize_at", "submitted_at", "fullscreen_exits" from "attempts" where "id" = ?';
  const SELECT_ATTEMPT_NO_PAPER = 'select "id", "registration_id", "sitting_id", "state", "deadline_at", "finalize_at", "submitted_at" from "attempts" where "id" = ?';
  const UPSERT =
    'insert into "answers" ("attempt_id", "question_id", "answer", "seq", "saved_at") values (?, ?, ?, ?, ?) on conflict ("attempt_id", "question_id") do update set "answer" = "excluded"."answer", "seq" = "excluded"."seq", "saved_at" = "excluded"."saved_at" where "answers"."seq" < ? returning "seq", "saved_at"';
  const GUARDED =
    'insert into "answers" ("attempt_id", "question_id", "answer", "seq", "saved_at") select ?, ?, ?, ?, ? where exists (select 1 from "attempts" where "id" = ? and "state" = \'in_progress\') on conflict ("attempt_id", "question_id") do update set "answer" = "excluded"."answer", "seq" = "excluded"."seq", "saved_at" = "excluded"."saved_at" where "answers"."seq" < "excluded"."seq" returning "seq", "saved_at"';

  const raw = (prepareEach: boolean, selectSql: string) => {
    const cache = new Map<string, SQLite.Statement>();
    const stmt = (sql: string) => {
      if (prepareEach) return db.prepare(sql);
      let s = cache.get(sql);
      if (!s) cache.set(sql, (s = db.prepare(sql)));
      return s;
    };
    return () => {
      const { t, q, seq: s } = pick(targets);
      stmt(selectSql).get(t.attemptId);
      stmt('begin').run();
      stmt(selectSql).get(t.attemptId);
      const now = new Date().toISOString();
      stmt(UPSERT).get(t.attemptId, q.id, q.answer, s, now, s);
      stmt('commit').run();
    };
  };
  const guarded = db.prepare(GUARDED);
  const plain = db.prepare(UPSERT.replace('where "answers"."seq" < ?', 'where "answers"."seq" < "excluded"."seq"'));
  const sel = db.prepare(SELECT_ATTEMPT);
  const selNo = db.prepare(SELECT_ATTEMPT_NO_PAPER);
  for (let rep = 0; rep < 2; rep++) {
    best(result, 'raw_prepare_each_query_us', timeSync(SAVES, raw(true, SELECT_ATTEMPT)));
    best(result, 'raw_cached_statements_us', timeSync(SAVES, raw(false, SELECT_ATTEMPT)));
    best(result, 'raw_cached_no_paper_column_us', timeSync(SAVES, raw(false, SELECT_ATTEMPT_NO_PAPER)));
    best(result, 'raw_one_guarded_upsert_us', timeSync(SAVES, () => {
      const { t, q, seq: s } = pick(targets);
      guarded.get(t.attemptId, q.id, q.answer, s, new Date().toISOString(), t.attemptId);
    }));
    best(result, 'baseline_upsert_us', timeSync(SAVES, () => {
      const { t, q, seq: s } = pick(targets);
      plain.get(t.attemptId, q.id, q.answer, s, new Date().toISOString());
    }));
    best(result, 'select_attempt_with_paper_us', timeSync(SAVES, () => sel.get(pick(targets).t.attemptId)));
    best(result, 'select_attempt_without_paper_us', timeSync(SAVES, () => selNo.get(pick(targets).t.attemptId)));
    best(result, 'prepare_upsert_us', timeSync(SAVES, () => db.prepare(UPSERT)));
  }
  db.close();
  result.saves = SAVES;
  result.attempts = targets.length;
  result.node = process.version;
  process.stdout.write(JSON.stringify(result) + '\n');
}

main()
  .catch((err: Error) => {
    log(err.stack ?? err.message);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
