/**
 * 考生管理: how long an all-or-nothing upload of 10,000 candidates takes.
 *
 *   npx tsx bench/candidate-import.ts [--rows 10000] [--db sqlite|postgres]
 *
 * A fresh database (SQLite temp file, or a private schema in TEST_DATABASE_URL),
 * three institutions with majors and classes made directly in it, and an .xlsx
 * written with exceljs as a user's Excel would. Times, in one process:
 *   parse     parseCandidateSheet alone (the sheets module: exceljs + every check);
 *   import    importCandidates (lookups, the parse, the ID numbers looked up on file,
 *             one transaction of batch inserts, one audit line);
 *   reupload  the same file again: every row already on file, so the parse runs twice
 *             and the answer lists 10,000 errors; nothing is written.
 * The HTTP route takes at most 5,000 rows per file (the template says so); the
 * service is called here with a limit of `rows`.
 * Prints one JSON object.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { parseCandidateSheet } from '../packages/server/src/modules/sheets/index.ts';
import { importCandidates } from '../packages/server/src/modules/registration/candidate-import.ts';
import { classesInScope, institutionsInScope, majorsInScope } from '../packages/server/src/modules/registration/lookups.ts';
import type { StaffUser } from '../packages/server/src/modules/accounts/staff-auth.ts';
import { freshDatabase, startTestApp } from '../packages/server/test/helpers.ts';
import { candidateRows, candidateWorkbook, createAdministration } from '../packages/server/test/registration-fixture.ts';

const { values } = parseArgs({ options: { rows: { type: 'string' }, db: { type: 'string' } } });
const ROWS = Number(values.rows ?? 10_000);
const kind = values.db === 'postgres' ? 'postgres' : 'sqlite';

const app = await startTestApp(await freshDatabase(kind));
try {
  const f = await createAdministration(app.ctx);
  const staff: StaffUser = { id: f.users.operator.id, username: 'op', role: 'operator', displayName: '运营管理员', institutionId: null, actingFor: null, mustChangePassword: false };
  const t0 = performance.now();
  const rows = [
    ...candidateRows(Math.ceil(ROWS / 2), { from: 0, region: '320102', institution: f.institutions.A.name, classes: [['软件2301', '软件技术'], ['软件2302', '软件技术'], ['网络2301', '计算机网络技术']] }),
    ...candidateRows(Math.floor(ROWS / 2), { from: 0, region: '320505', institution: f.institutions.B.code, classes: [['软件2301', '软件技术']] }),
  ];
  const file = await candidateWorkbook(rows);
  const buildMs = performance.now() - t0;

  const [institutions, majors, classes] = await Promise.all([institutionsInScope(app.ctx.db, staff), majorsInScope(app.ctx.db, staff), classesInScope(app.ctx.db, staff)]);
  const pc0 = process.cpuUsage();
  const p0 = performance.now();
  const parsed = await parseCandidateSheet(file, { institutions, majors, classes, maxRows: ROWS });
  const parseMs = performance.now() - p0;
  const parseCpu = process.cpuUsage(pc0);
  if (!('rows' in parsed)) throw new Error(`file invalid: ${JSON.stringify(parsed.errors.slice(0, 5))}`);

  const cpu0 = process.cpuUsage();
  const i0 = performance.now();
  const report = await importCandidates(app.ctx, staff, file, { maxRows: ROWS });
  const importMs = performance.now() - i0;
  const cpu = process.cpuUsage(cpu0);

  const rc0 = process.cpuUsage();
  const r0 = performance.now();
  let errors = 0;
  try {
    await importCandidates(app.ctx, staff, file, { maxRows: ROWS });
  } catch (err) {
    errors = ((err as { extra?: { rows?: unknown[] } }).extra?.rows ?? []).length;
  }
  const reuploadMs = performance.now() - r0;
  const reuploadCpu = process.cpuUsage(rc0);
  const count = await app.ctx.db.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  console.log(JSON.stringify({
    db: kind,
    rows: ROWS,
    fileBytes: file.length,
    buildFileMs: Math.round(buildMs),
    parseMs: Math.round(parseMs),
    parseCpuMs: Math.round((parseCpu.user + parseCpu.system) / 1000),
    importMs: Math.round(importMs),
    importCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    imported: report.imported,
    inDatabase: Number(count.n),
    reuploadMs: Math.round(reuploadMs),
    reuploadCpuMs: Math.round((reuploadCpu.user + reuploadCpu.system) / 1000),
    reuploadErrors: errors,
    loadAverage: os.loadavg()[0],
    node: process.version,
  }, null, 2));
} finally {
  await app.close();
}
