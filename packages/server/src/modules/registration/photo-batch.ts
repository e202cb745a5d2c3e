/**
 * 考生照片批量上传: a .zip of photos, each matched to a candidate in the
 * caller's scope by the 照片文件名 imported with the candidate (any case), else
 * by its name without extension being the 证件号码. All or nothing, like the
 * candidate import: one bad file stores nothing, and every bad file is listed
 * with its reason. Another institution's candidate is no candidate at all.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { chunks } from '../../db/chunks.ts';
import { isForeignKeyViolation } from '../../db/errors.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { auditChange, institutionFilter } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { readPhotoArchive, type ArchiveEntry } from './photo-archive.ts';
import { storePhotos, type CheckedPhoto } from './photos.ts';

export interface PhotoBatchReport {
  stored: number;
  /** Of those, how many replaced a photo the candidate already had. */
  replaced: number;
  /** Candidates in the caller's scope still without a photo. */
  missing: number;
}

/** One bad file of the archive. */
export interface PhotoFileProblem {
  file: string;
  reason: string;
}

type PhotoEntry = Extract<ArchiveEntry, { content: Buffer }>;

interface Candidate {
  id: string;
  name: string;
  id_number: string;
  photo_name: string | null;
  institution_id: string | null;
}

export async function uploadPhotoArchive(ctx: AppContext, staff: StaffUser, zip: Buffer): Promise<PhotoBatchReport> {
  const db = ctx.db;
  const entries = await readPhotoArchive(zip);
  const stem = (name: string) => name.slice(0, name.lastIndexOf('.')).toUpperCase();
  const photos = entries.filter((e): e is PhotoEntry => 'content' in e);
  const known = await candidatesNamed(db, staff, photos.map((e) => e.name.toLowerCase()), photos.map((e) => stem(e.name)));

  const problems = new Map<number, string>();
  const byCandidate = new Map<string, { at: number; photo: PhotoEntry }[]>();
  for (const [at, e] of entries.entries()) {
    if ('reason' in e) {
      problems.set(at, e.reason);
      continue;
    }
    const named = known.byPhotoName.get(e.name.toLowerCase()) ?? [];
    const c = named.length === 1 ? named[0] : named.length === 0 ? known.byIdNumber.get(stem(e.name)) : undefined;
    if (named.length > 1) problems.set(at, `有 ${named.length} 名考生的照片文件名都是“${e.name}”（${named.map((n) => n.name).join('、')}）：请以证件号码命名这些照片`);
    else if (!c) problems.set(at, '没有对应的考生：文件名应与考生信息中的照片文件名一致，或为考生的证件号码');
    else byCandidate.set(c.id, [...(byCandidate.get(c.id) ?? []), { at, photo: e }]);
  }
  for (const [id, same] of byCandidate) {
    if (same.length < 2) continue;
    for (const { at } of same) {
      const others = same.filter((o) => o.at !== at).map((o) => `“${o.photo.file}”`).join('、');
      problems.set(at, `与 ${others} 是同一名考生（${known.byId.get(id)!.name}）的照片：每名考生只能有一张`);
    }
  }
  if (problems.size > 0) {
    const files: PhotoFileProblem[] = [...problems].sort(([a], [b]) => a - b).map(([at, reason]) => ({ file: entries[at]!.file, reason }));
    throw badRequest('PHOTOS_INVALID', `压缩包中有 ${files.length} 个文件有问题，未保存任何照片；请改正后重新上传`, { files });
  }

  const checked: CheckedPhoto[] = [...byCandidate].map(([candidateId, [first]]) => ({ candidateId, mime: first!.photo.mime, content: first!.photo.content }));
  const perInstitution = new Map<string | null, number>();
  for (const p of checked) {
    const inst = known.byId.get(p.candidateId)!.institution_id;
    perInstitution.set(inst, (perInstitution.get(inst) ?? 0) + 1);
  }
  const only = perInstitution.size === 1 ? ([...perInstitution.keys()][0] ?? null) : null;
  let replaced = 0;
  try {
    await db.transaction().execute(async (trx) => {
      replaced = await storePhotos(trx, checked);
      await auditChange(trx, staff, {
        action: 'candidate.photos',
        entity: 'candidate',
        entityId: only ?? 'batch',
        after: { stored: checked.length, replaced, institutions: [...perInstitution].map(([institutionId, count]) => ({ institutionId, count })) },
        institutionId: only ?? staff.institutionId,
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict('PHOTOS_CONFLICT', '上传过程中有考生被删除，未保存任何照片；请重新上传');
    throw err;
  }
  return { stored: checked.length, replaced, missing: await countWithoutPhoto(db, staff) };
}

/** The candidates in scope whose 照片文件名 (lower-cased) or 证件号码 is one of these. */
async function candidatesNamed(db: Kysely<DB>, staff: StaffUser, photoNames: string[], idNumbers: string[]) {
  const only = institutionFilter(staff);
  const scoped = () => {
    const q = db.selectFrom('candidates').select(['id', 'name', 'id_number', 'photo_name', 'institution_id']);
    return only === null ? q : q.where('institution_id', '=', only);
  };
  const byPhotoName = new Map<string, Candidate[]>();
  const byIdNumber = new Map<string, Candidate>();
  const byId = new Map<string, Candidate>();
  for (const part of chunks([...new Set(photoNames)], 500)) {
    for (const c of await scoped().where((eb) => eb(eb.fn('lower', ['photo_name']), 'in', part)).execute()) {
      const key = c.photo_name!.toLowerCase();
      byPhotoName.set(key, [...(byPhotoName.get(key) ?? []), c]);
      byId.set(c.id, c);
    }
  }
  for (const part of chunks([...new Set(idNumbers)], 500)) {
    for (const c of await scoped().where('id_number', 'in', part).execute()) {
      byIdNumber.set(c.id_number, c);
      byId.set(c.id, c);
    }
  }
  return { byPhotoName, byIdNumber, byId };
}

async function countWithoutPhoto(db: Kysely<DB>, staff: StaffUser): Promise<number> {
  const only = institutionFilter(staff);
  let q = db
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('candidate_photos').select('candidate_photos.candidate_id').whereRef('candidate_photos.candidate_id', '=', 'candidates.id'))));
  if (only !== null) q = q.where('candidates.institution_id', '=', only);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
