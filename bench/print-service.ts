/**
 * Printing through the service: database → PDF, as `GET /api/console/print/…`
 * and `kaowu print` do it (bench/print.ts measures the renderer alone).
 *
 *   npx tsx bench/print-service.ts [--tickets 1000] [--db sqlite|postgres] [--photo-every 1] [--out /tmp/print-bench]
 *
 * A fresh database with one site: N candidates (70 % junior, 30 % intermediate,
 * four classes), rooms of 40, every `photo-every`-th candidate with a photo;
 * arranged, published, proctors assigned (not timed). Then, timed: the
 * admission tickets of the whole site (load the arrangement, candidates,
 * photos and sittings; draw; write the print_log row), then the door stickers,
 * desk stickers and sign-in sheets. Prints one JSON object: per kind
 * {pages, ms, cpuMs, pagesPerSecond, bytes}, and `tickets` (the target:
 * 1,000 tickets in under 10 s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { freshDatabase, startTestApp } from '../packages/server/test/helpers.ts';
import { createArrangementFixture, staffOf } from '../packages/server/test/arrangement-fixture.ts';
import { publishArrangement, runArrangement } from '../packages/server/src/modules/arrangement/arrange-service.ts';
import { runProctors } from '../packages/server/src/modules/arrangement/proctor-service.ts';
import { loadPlan } from '../packages/server/src/modules/arrangement/load.ts';
import { printPapers } from '../packages/server/src/modules/printing/print-service.ts';
import { PRINT_KINDS } from '../packages/server/src/modules/printing/print-data.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'sqlite' },
    'photo-every': { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const n = Number(values.tickets);
const kind = values.db === 'postgres' ? 'postgres' : 'sqlite';
const t = await startTestApp(await freshDatabase(kind));
try {
  const setup0 = performance.now();
  const junior = Math.round(n * 0.7);
  // One level per room: each level fills its own rooms.
  const rooms = Math.ceil(junior / 40) + Math.ceil((n - junior) / 40);
  const f = await createArrangementFixture(t.ctx, {
    junior, intermediate: n - junior, rooms, seats: 40, freeTeachers: 2 * rooms + 2,
    photos: true, photoEvery: Number(values['photo-every']),
  });
  const coordinator = staffOf(f.users.coordA, 'coordinator', f.institutionA);
  const run = await runArrangement(t.ctx, coordinator, { planId: f.planId, siteId: f.siteId });
  if (run.totals.unplaced) throw new Error(`${run.totals.unplaced} candidates unplaced`);
  await publishArrangement(t.ctx, coordinator, { planId: f.planId, siteId: f.siteId });
  await runProctors(t.ctx, coordinator, { planId: f.planId, siteId: f.siteId });
  const setupMs = performance.now() - setup0;

  const plan = await loadPlan(t.ctx.db, f.planId);
  const site = await t.ctx.db.selectFrom('sites').selectAll().where('id', '=', f.siteId).executeTakeFirstOrThrow();
  const outDir = values.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-print-bench-'));
  fs.mkdirSync(outDir, { recursive: true });
  const results: Record<string, unknown> = {};
  for (const k of PRINT_KINDS) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await printPapers(t.ctx.db, { kind: k, plan, sites: [site], printedBy: f.users.coordA.id, now: Date.now(), out: path.join(outDir, `${k}.pdf`) });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    results[k] = {
      pages: r.pages, candidates: r.candidates, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      pagesPerSecond: Math.round((r.pages / ms) * 1000), bytes: r.bytes,
    };
  }
  if (!values.out) fs.rmSync(outDir, { recursive: true, force: true });
  const tickets = results.tickets as { ms: number };
  console.log(
    JSON.stringify({
      db: kind,
      candidates: n,
      rooms,
      photos: Math.ceil(n / Number(values['photo-every'])),
      setupMs: Math.round(setupMs),
      loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
      ...results,
      target: { what: '1000 tickets in under 10 s (database → PDF)', met: n >= 1000 ? tickets.ms < 10_000 : null },
      out: values.out ?? null,
    }),
  );
} finally {
  await t.close();
}
