import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * A plan's code (6 digits, the first part of ticket numbers; see
 * TICKET_NUMBER_WIDTHS in @kaowu/core): the exam date as yyMMdd when no other
 * plan has it, else a random code whose "month" digits are 13–99, which no
 * date can have, so a later plan's date code is never taken by it.
 * Unique in the database (index plans_code, migration 0005).
 */
export function datePlanCode(examDate: string): string {
  return examDate.replace(/-/g, '').slice(2);
}

export function nonDatePlanCode(random: (max: number) => number = (max) => crypto.randomInt(0, max)): string {
  const yy = String(random(100)).padStart(2, '0');
  const mm = String(13 + random(87));
  const dd = String(random(100)).padStart(2, '0');
  return yy + mm + dd;
}

/** A code no plan has yet, read with `db` (the caller's transaction when there is one). */
export async function allocatePlanCode(db: Kysely<DB>, examDate: string): Promise<string> {
  const first = datePlanCode(examDate);
  const candidates = [first, ...Array.from({ length: 20 }, () => nonDatePlanCode())];
  const taken = new Set(
    (await db.selectFrom('plans').select('code').where('code', 'in', candidates).execute()).map((r) => r.code),
  );
  const free = candidates.find((c) => /^\d{6}$/.test(c) && !taken.has(c));
  if (!free) throw new Error('no free plan code found in 21 tries');
  return free;
}
