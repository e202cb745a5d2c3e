/**
 * 考生照片批量上传: how long one .zip of a whole site's photos takes, and the
 * memory it costs.
 *
 *   npx tsx bench/photo-upload.ts [--photos 2000] [--kb 20] [--db sqlite|postgres]
 *
 * A fresh database (SQLite temp file, or a private schema in TEST_DATABASE_URL)
 * with `photos` candidates imported through the service; then a .zip of one
 * photo per candidate, `kb` KB each of incompressible bytes behind a JPEG
 * header (real photos hardly compress either), half named by ID number and in a
 * folder, half by the sheet's 照片文件名. Times, in one process:
 *   upload    uploadPhotoArchive: read the zip, match, check, one transaction;
 *   reupload  the same zip again (every photo replaced).
 * Prints one JSON object; rssPeakMb is this process's peak RSS during the uploads.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { importCandidates } from '../packages/server/src/modules/registration/candidate-import.ts';
import { uploadPhotoArchive } from '../packages/server/src/modules/registration/photo-batch.ts';
import type { StaffUser } from '../packages/server/src/modules/accounts/staff-auth.ts';
import { freshDatabase, startTestApp } from '../packages/server/test/helpers.ts';
import { candidateRows, candidateWorkbook, createAdministration } from '../packages/server/test/registration-fixture.ts';
import { zipOf } from '../packages/server/test/zip-writer.ts';
import { rssKb } from './lib/proc.ts';

const { values } = parseArgs({ options: { photos: { type: 'string' }, kb: { type: 'string' }, db: { type: 'string' } } });
const PHOTOS = Number(values.photos ?? 2000);
const KB = Number(values.kb ?? 20);
const kind = values.db === 'postgres' ? 'postgres' : 'sqlite';

const app = await startTestApp(await freshDatabase(kind));
try {
  const f = await createAdministration(app.ctx);
  const staff: StaffUser = { id: f.users.operator.id, username: 'op', role: 'operator', displayName: '运营管理员', institutionId: null, actingFor: null, mustChangePassword: false };
  const rows = candidateRows(PHOTOS, { region: '320102', institution: f.institutions.A.name, classes: [['软件2301', '软件技术']] });
  rows.forEach((r, i) => {
    if (i % 2 === 1) r.照片文件名 = `photo-${i}.jpg`;
  });
  await importCandidates(app.ctx, staff, await candidateWorkbook(rows), { maxRows: PHOTOS });
  const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(KB * 1024 - 6), Buffer.from([0xff, 0xd9])]);
  const zip = zipOf(rows.map((r, i) => ({ name: i % 2 === 1 ? `photo-${i}.jpg` : `照片/${r.证件号码}.jpg`, data: jpeg() })));

  let peak = rssKb(process.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(process.pid))), 20);
  const time = async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await uploadPhotoArchive(app.ctx, staff, zip);
    const cpu = process.cpuUsage(cpu0);
    return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), report };
  };
  const rssBeforeMb = Math.round(peak / 1024);
  const upload = await time();
  const reupload = await time();
  clearInterval(sampler);
  peak = Math.max(peak, rssKb(process.pid));

  console.log(JSON.stringify({
    db: kind,
    photos: PHOTOS,
    photoKb: KB,
    zipMb: Math.round((zip.length / 1024 / 1024) * 10) / 10,
    uploadMs: upload.ms,
    uploadCpuMs: upload.cpuMs,
    stored: upload.report.stored,
    missing: upload.report.missing,
    reuploadMs: reupload.ms,
    replaced: reupload.report.replaced,
    rssBeforeMb,
    rssPeakMb: Math.round(peak / 1024),
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((l) => Math.round(l * 10) / 10),
    node: process.version,
  }, null, 2));
} finally {
  await app.close();
}
