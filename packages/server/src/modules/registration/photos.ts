/**
 * Candidate photos (证件照): JPEG or PNG, at most 200 KB, recognised by their
 * first bytes, not by their name. One at a time here; a .zip of many in
 * photo-batch.ts, through the same checks and the same store.
 */
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { chunks } from '../../db/chunks.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { candidateInScope } from './candidates.ts';

export const PHOTO_MAX_BYTES = 200 * 1024;

export type PhotoMime = 'image/jpeg' | 'image/png';
/** The extension of a 照片文件名 given by the server: 证件号码.jpg or 证件号码.png. */
const EXTENSION: Record<PhotoMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Uint8Array, magic: number[]) => b.length >= magic.length && magic.every((v, i) => b[i] === v);

/** image/jpeg or image/png by the magic bytes, else null. */
export function photoMime(content: Uint8Array): PhotoMime | null {
  if (startsWith(content, JPEG)) return 'image/jpeg';
  if (startsWith(content, PNG)) return 'image/png';
  return null;
}

/** Why a photo cannot be taken: a code for the single upload's error, a reason in Chinese. */
export interface PhotoProblem {
  code: 'PHOTO_EMPTY' | 'PHOTO_TOO_LARGE' | 'PHOTO_NOT_IMAGE';
  reason: string;
}

/** Why a photo of `size` bytes cannot be taken, or null: known before the bytes are read. */
export function photoSizeProblem(size: number): PhotoProblem | null {
  if (size === 0) return { code: 'PHOTO_EMPTY', reason: '照片文件为空' };
  if (size > PHOTO_MAX_BYTES) return { code: 'PHOTO_TOO_LARGE', reason: `照片不能超过 200 KB（当前 ${Math.ceil(size / 1024)} KB）` };
  return null;
}

/** The photo's type, or why it cannot be taken. */
export function checkPhoto(content: Uint8Array): { mime: PhotoMime } | PhotoProblem {
  const sizeProblem = photoSizeProblem(content.length);
  if (sizeProblem) return sizeProblem;
  const mime = photoMime(content);
  return mime ? { mime } : { code: 'PHOTO_NOT_IMAGE', reason: '照片应为 JPEG 或 PNG 图片' };
}

export interface CheckedPhoto {
  candidateId: string;
  mime: PhotoMime;
  content: Buffer;
}

/** Photos per statement: up to 10 MB of parameters. */
const STORE_CHUNK = 50;

/**
 * Inserts or replaces the photos inside the caller's transaction; a candidate
 * without a 照片文件名 gets 证件号码.jpg (or .png). Returns how many replaced a
 * photo the candidate already had.
 */
export async function storePhotos(trx: Kysely<DB>, photos: readonly CheckedPhoto[]): Promise<number> {
  let replaced = 0;
  for (const part of chunks(photos, STORE_CHUNK)) {
    const had = await trx
      .selectFrom('candidate_photos')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('candidate_id', 'in', part.map((p) => p.candidateId))
      .executeTakeFirstOrThrow();
    replaced += Number(had.n);
    await trx
      .insertInto('candidate_photos')
      .values(part.map((p) => ({ candidate_id: p.candidateId, mime: p.mime, content: p.content })))
      .onConflict((oc) => oc.column('candidate_id').doUpdateSet((eb) => ({ mime: eb.ref('excluded.mime'), content: eb.ref('excluded.content') })))
      .execute();
    for (const mime of new Set(part.map((p) => p.mime))) {
      await trx
        .updateTable('candidates')
        .set({ photo_name: sql<string>`${sql.ref('id_number')} || ${`.${EXTENSION[mime]}`}` })
        .where('id', 'in', part.filter((p) => p.mime === mime).map((p) => p.candidateId))
        .where('photo_name', 'is', null)
        .execute();
    }
  }
  return replaced;
}

export async function putPhoto(ctx: AppContext, staff: StaffUser, candidateId: string, content: Buffer): Promise<{ mime: string; size: number; photoName: string }> {
  const c = await candidateInScope(ctx.db, staff, candidateId);
  const checked = checkPhoto(content);
  if ('code' in checked) throw badRequest(checked.code, checked.reason);
  const { mime } = checked;
  await ctx.db.transaction().execute(async (trx) => {
    await storePhotos(trx, [{ candidateId, mime, content }]);
    await auditChange(trx, staff, { action: 'candidate.photo', entity: 'candidate', entityId: candidateId, after: { mime, size: content.length }, institutionId: c.institution_id });
  });
  return { mime, size: content.length, photoName: c.photo_name ?? `${c.id_number}.${EXTENSION[mime]}` };
}

export async function getPhoto(ctx: AppContext, staff: StaffUser, candidateId: string): Promise<{ mime: string; content: Buffer }> {
  await candidateInScope(ctx.db, staff, candidateId);
  const p = await ctx.db.selectFrom('candidate_photos').select(['mime', 'content']).where('candidate_id', '=', candidateId).executeTakeFirst();
  if (!p) throw notFound('PHOTO_NOT_FOUND', '该考生还没有照片');
  return { mime: p.mime, content: Buffer.from(p.content) };
}
