/** Candidate photos (证件照): JPEG or PNG, at most 200 KB, recognised by their first bytes, not by their name. */
import type { AppContext } from '../../context.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { candidateInScope } from './candidates.ts';

export const PHOTO_MAX_BYTES = 200 * 1024;

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Uint8Array, magic: number[]) => b.length >= magic.length && magic.every((v, i) => b[i] === v);

/** image/jpeg or image/png by the magic bytes, else null. */
export function photoMime(content: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (startsWith(content, JPEG)) return 'image/jpeg';
  if (startsWith(content, PNG)) return 'image/png';
  return null;
}

export async function putPhoto(ctx: AppContext, staff: StaffUser, candidateId: string, content: Buffer): Promise<{ mime: string; size: number; photoName: string }> {
  const db = ctx.db;
  const c = await candidateInScope(db, staff, candidateId);
  if (content.length === 0) throw badRequest('PHOTO_EMPTY', '照片文件为空');
  if (content.length > PHOTO_MAX_BYTES) throw badRequest('PHOTO_TOO_LARGE', `照片不能超过 200 KB（当前 ${Math.ceil(content.length / 1024)} KB）`);
  const mime = photoMime(content);
  if (!mime) throw badRequest('PHOTO_NOT_IMAGE', '照片应为 JPEG 或 PNG 图片');
  const photoName = c.photo_name ?? `${c.id_number}.${mime === 'image/png' ? 'png' : 'jpg'}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('candidate_photos')
      .values({ candidate_id: candidateId, mime, content })
      .onConflict((oc) => oc.column('candidate_id').doUpdateSet({ mime, content }))
      .execute();
    if (c.photo_name !== photoName) await trx.updateTable('candidates').set({ photo_name: photoName }).where('id', '=', candidateId).execute();
    await auditChange(trx, staff, { action: 'candidate.photo', entity: 'candidate', entityId: candidateId, after: { mime, size: content.length }, institutionId: c.institution_id });
  });
  return { mime, size: content.length, photoName };
}

export async function getPhoto(ctx: AppContext, staff: StaffUser, candidateId: string): Promise<{ mime: string; content: Buffer }> {
  await candidateInScope(ctx.db, staff, candidateId);
  const p = await ctx.db.selectFrom('candidate_photos').select(['mime', 'content']).where('candidate_id', '=', candidateId).executeTakeFirst();
  if (!p) throw notFound('PHOTO_NOT_FOUND', '该考生还没有照片');
  return { mime: p.mime, content: Buffer.from(p.content) };
}
