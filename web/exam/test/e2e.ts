// Shared by the browser end-to-end tests (exam.e2e.test.ts, practical.e2e.test.ts):
// the built client, a fresh SQLite database with a demo sitting, the real
// server in a child process, and direct reads of the database.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { BlueprintSpec, SittingRulesInput } from '@kaowu/core';
import { openContext } from '../../../packages/server/src/bootstrap.ts';
import { createDemo, type DemoPapers, type DemoResult } from '../../../packages/server/src/modules/demo/demo.ts';
import { newId } from '../../../packages/server/src/ids.ts';
import { freshDatabase, type TestDatabase } from '../../../packages/server/test/helpers.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/server-process.ts';
import { buildFrontEnds } from '../../../scripts/build-front-ends.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds web/exam when dist is missing or stale: the server serves only what exists when it starts. */
export function ensureExamBuilt(): void {
  buildFrontEnds({ names: ['exam'], quiet: true });
}

export type Ctx = Awaited<ReturnType<typeof openContext>>;

export interface Exam {
  db: TestDatabase;
  /** an in-process context on the same database, for direct reads */
  ctx: Ctx;
  demo: DemoResult;
  server: ServerProcess;
  /** when the demo sittings start */
  startsAt: number;
  close(): Promise<void>;
}

/**
 * A fresh SQLite database with a demo sitting (created in-process), then the
 * real server on it. Everything opened is closed again if a later step fails.
 */
export async function startExam(opts: {
  candidates: number;
  startsAt: number;
  /**
   * Instead of a fixed start: start this long after the set-up is done (a
   * loaded machine may take a minute to set up; a waiting-room test needs
   * the start still ahead).
   */
  startsInMsAfterSetUp?: number;
  durationMin?: number;
  rules?: SittingRulesInput;
  /** which papers get a sitting (default theory) */
  papers?: DemoPapers;
  /**
   * The blueprint every sitting draws its papers by, instead of the
   * certificate's: a test that drives one kind of task asks for it by topic
   * rather than hope the random draw brings it.
   */
  blueprint?: BlueprintSpec;
}): Promise<Exam> {
  const db = await freshDatabase('sqlite');
  let ctx: Ctx | null = null;
  try {
    ctx = await openContext({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { log: pino({ level: 'silent' }) });
    const demo = await createDemo(ctx, { level: 'junior', ...opts });
    if (opts.blueprint) await useBlueprint(ctx, demo, opts.blueprint);
    const server = await startServerProcess(db);
    let startsAt = opts.startsAt;
    if (opts.startsInMsAfterSetUp !== undefined) {
      // Nothing has asked the server for these sittings yet, so it has cached none of them.
      const shift = Date.now() + opts.startsInMsAfterSetUp - opts.startsAt;
      for (const s of await ctx.db.selectFrom('sittings').select(['id', 'starts_at', 'ends_at']).execute()) {
        await ctx.db
          .updateTable('sittings')
          .set({ starts_at: new Date(Date.parse(s.starts_at) + shift).toISOString(), ends_at: new Date(Date.parse(s.ends_at) + shift).toISOString() })
          .where('id', '=', s.id)
          .execute();
      }
      startsAt += shift;
    }
    const opened = ctx;
    return {
      db,
      ctx: opened,
      demo,
      server,
      startsAt,
      close: async () => {
        try {
          await server.stop();
        } finally {
          await opened.close();
          await db.drop();
        }
      },
    };
  } catch (err) {
    await ctx?.close();
    await db.drop();
    throw err;
  }
}

/** A blueprint of its own for the demo's sittings, before the server has read them. */
async function useBlueprint(ctx: Ctx, demo: DemoResult, spec: BlueprintSpec): Promise<void> {
  for (const s of demo.sittings) {
    const sitting = await ctx.db.selectFrom('sittings').innerJoin('blueprints', 'blueprints.id', 'sittings.blueprint_id')
      .select(['blueprints.certificate_id', 'blueprints.paper']).where('sittings.id', '=', s.id).executeTakeFirstOrThrow();
    const id = newId();
    await ctx.db.insertInto('blueprints').values({
      id, code: `test-${id}`, certificate_id: sitting.certificate_id, paper: sitting.paper, name: '测试组卷规则', spec: JSON.stringify(spec), created_at: new Date().toISOString(),
    }).execute();
    await ctx.db.updateTable('sittings').set({ blueprint_id: id }).where('id', '=', s.id).execute();
  }
}

export async function attemptRow(ctx: Ctx, attemptId: string) {
  return ctx.db
    .selectFrom('attempts')
    .select(['id', 'state', 'started_at', 'submit_reason', 'submitted_at', 'score', 'max_score', 'deadline_at', 'fullscreen_exits'])
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
}

export type AnswerValue = string | string[] | boolean | null;

/** The answers stored for an attempt: question id → answer (multiple choice sorted). */
export async function storedAnswers(ctx: Ctx, attemptId: string): Promise<Record<string, AnswerValue>> {
  const rows = await ctx.db.selectFrom('answers').select(['question_id', 'answer']).where('attempt_id', '=', attemptId).execute();
  const out: Record<string, AnswerValue> = {};
  for (const r of rows) out[r.question_id] = normalize(JSON.parse(r.answer) as AnswerValue);
  return out;
}

export function normalize(a: AnswerValue): AnswerValue {
  return Array.isArray(a) ? a.slice().sort() : a;
}

/** Event types recorded for an attempt, in order. */
export async function eventTypes(ctx: Ctx, attemptId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('attempt_events').select(['type', 'server_at']).where('attempt_id', '=', attemptId).orderBy('server_at').execute();
  return rows.map((r) => r.type);
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The server's clock, read directly (GET /api/time), corrected by half the round trip. */
export async function serverNow(base: string): Promise<number> {
  const sent = Date.now();
  const body = (await (await fetch(`${base}/api/time`)).json()) as { serverNow: string };
  return Date.parse(body.serverNow) + (Date.now() - sent) / 2;
}

/** "01:29:59" → seconds. */
export function countdownSeconds(text: string): number {
  const m = /^(\d+):(\d\d):(\d\d)$/.exec(text.trim());
  if (!m) throw new Error(`not a countdown: ${JSON.stringify(text)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Width and height of a PNG (from its IHDR chunk). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
