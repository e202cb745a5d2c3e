/**
 * 考生管理 — batch upload, all or nothing. The sheets module reads and checks
 * the file (parseCandidateSheet); this file gives it what only the database
 * knows (institutions, majors and classes in scope, people already on file),
 * keeps a coordinator to their own institution, and inserts every row in one
 * transaction with one audit line.
 *
 * People already on file: the parser asks for each ID number it accepts. The
 * first pass records those questions (no lookup table of every candidate in
 * the country is loaded); the numbers are then looked up in chunks, and only
 * when some exist is the file read a second time with the answers, so that
 * the errors list them alongside every other problem.
 */
import type { AppContext } from '../../context.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { auditChange, canSeeInstitution } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import {
  CANDIDATE_MAX_ROWS, ID_TYPES, parseCandidateSheet, type CandidateRow, type CandidateSheetContext, type Institution, type SheetError,
} from '../sheets/index.ts';
import { chunks } from '../../db/chunks.ts';
import { uniqueViolation } from '../../db/errors.ts';
import { classesInScope, institutionsInScope, majorsInScope } from './lookups.ts';

export interface ImportReport {
  imported: number;
  institutions: { institutionId: string; institutionName: string; count: number }[];
}

/** Remembers every key the parser asks about. */
class AskedMap extends Map<string, string> {
  readonly asked = new Set<string>();
  override get(key: string): string | undefined {
    this.asked.add(key);
    return super.get(key);
  }
}

const INSERT_CHUNK = 500;

export async function importCandidates(ctx: AppContext, staff: StaffUser, file: Buffer, opts: { maxRows?: number } = {}): Promise<ImportReport> {
  const db = ctx.db;
  // Everything the check needs is read first: SQLite has one connection, used by the transaction below.
  const [institutions, majors, classes, everyInstitution] = await Promise.all([
    institutionsInScope(db, staff),
    majorsInScope(db, staff),
    classesInScope(db, staff),
    db.selectFrom('institutions').select(['id', 'code', 'name']).execute(),
  ]);
  const base: CandidateSheetContext = { institutions, majors, classes, today: new Date(ctx.clock.now()), maxRows: opts.maxRows ?? CANDIDATE_MAX_ROWS };

  const asked = new AskedMap();
  let result = await parseCandidateSheet(file, { ...base, existingIdNumbers: asked });
  const numbers = [...new Set([...asked.asked].map((k) => k.slice(k.indexOf('|') + 1)))];
  const existing = new Map<string, string>();
  for (const part of chunks(numbers, 500)) {
    const found = await db.selectFrom('candidates').select(['id_number', 'name', 'institution_id']).where('id_number', 'in', part).execute();
    for (const f of found) {
      // Another institution's people are not named to a coordinator.
      const who = canSeeInstitution(staff, f.institution_id) ? f.name : '其他院校的考生';
      // candidates.id_number is unique whatever the document type.
      for (const t of ID_TYPES) existing.set(`${t}|${f.id_number}`, who);
    }
  }
  if (existing.size > 0) result = await parseCandidateSheet(file, { ...base, existingIdNumbers: existing });

  if ('errors' in result) {
    const rows = result.errors.map((e) => foreignInstitution(e, staff, institutions, everyInstitution));
    const badRows = new Set(rows.filter((e) => e.row > 0).map((e) => e.row)).size;
    const message = badRows > 0
      ? `文件中有 ${badRows} 行共 ${rows.length} 处错误，未导入任何考生；请改正后重新上传`
      : `${rows.map((e) => e.reason).join('；')}，未导入任何考生`;
    throw badRequest('IMPORT_INVALID', message, { rows });
  }

  const candidates = result.rows;
  // The parser finds duplicates of the same document type; the database allows one person per number whatever the type.
  const seen = new Map<string, number>();
  const crossType: SheetError[] = [];
  for (const r of candidates) {
    const first = seen.get(r.idNumber);
    if (first === undefined) seen.set(r.idNumber, r.row);
    else crossType.push({ row: r.row, column: '证件号码', reason: `与第 ${first} 行证件号码重复` });
  }
  if (crossType.length > 0) throw badRequest('IMPORT_INVALID', `文件中有 ${crossType.length} 行证件号码重复，未导入任何考生；请改正后重新上传`, { rows: crossType });
  const now = nowIso(ctx.clock.now());
  const byInstitution = new Map<string, { institutionName: string; count: number }>();
  for (const r of candidates) {
    const e = byInstitution.get(r.institutionId!) ?? { institutionName: r.institutionName, count: 0 };
    e.count += 1;
    byInstitution.set(r.institutionId!, e);
  }
  const report: ImportReport = {
    imported: candidates.length,
    institutions: [...byInstitution].map(([institutionId, v]) => ({ institutionId, ...v })),
  };
  try {
    await db.transaction().execute(async (trx) => {
      for (const part of chunks(candidates, INSERT_CHUNK)) {
        await trx.insertInto('candidates').values(part.map((r) => row(r, staff, now))).execute();
      }
      await auditChange(trx, staff, {
        action: 'candidate.import',
        entity: 'candidate',
        entityId: report.institutions.length === 1 ? report.institutions[0]!.institutionId : 'batch',
        after: report,
        institutionId: report.institutions.length === 1 ? report.institutions[0]!.institutionId : staff.institutionId,
      });
    });
  } catch (err) {
    if (uniqueViolation(err)) throw conflict('IMPORT_CONFLICT', '导入过程中有相同证件号码的考生被其他人添加，未导入任何考生；请重新上传');
    throw err;
  }
  return report;
}

function row(r: CandidateRow, staff: StaffUser, now: string) {
  return {
    id: newId(),
    name: r.name,
    id_type: r.idType,
    id_number: r.idNumber,
    created_at: now,
    gender: r.gender,
    institution_id: r.institutionId ?? null,
    major_id: r.majorId ?? null,
    class_id: r.classId ?? null,
    phone: r.phone,
    photo_name: r.photoFileName ?? null,
    created_by: staff.id,
  };
}

const squash = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/**
 * A coordinator is given only their own institution, so a row naming another
 * one comes back as “不存在”; say what is really wrong when it does exist.
 */
function foreignInstitution(e: SheetError, staff: StaffUser, inScope: readonly Institution[], all: readonly Institution[]): SheetError {
  if (staff.role === 'operator' || e.column !== '院校') return e;
  const m = /^院校“(.+)”不存在$/.exec(e.reason);
  if (!m) return e;
  const named = squash(m[1]!);
  const other = all.find((i) => squash(i.name) === named || squash(i.code) === named);
  if (!other) return e;
  const own = inScope[0];
  return { ...e, reason: `不能导入其他院校（${other.name}）的考生：只能导入本院校${own ? `（${own.name}）` : ''}的考生` };
}
