import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Exam sites and plans:
 * - an institution has at most one site application under review or enabled
 *   (a partial unique index, so that two concurrent applications cannot both
 *   pass the check in the service);
 * - plan codes are unique (they are part of ticket numbers), and plans created
 *   before codes existed get one: their exam date as yyMMdd, or when that is
 *   taken a random code whose month digits (13–99) no date can have.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX sites_one_open_per_institution ON sites (institution_id) WHERE status IN ('pending', 'enabled')`.execute(db);

  const plans: { id: string; exam_date: string; code: string | null }[] = await db
    .selectFrom('plans')
    .select(['id', 'exam_date', 'code'])
    .orderBy('created_at')
    .execute();
  const taken = new Set(plans.map((p) => p.code).filter((c): c is string => Boolean(c)));
  for (const p of plans.filter((x) => !x.code)) {
    let code = p.exam_date.replace(/-/g, '').slice(2);
    while (!/^\d{6}$/.test(code) || taken.has(code)) {
      const n = crypto.randomInt(0, 1_000_000);
      code = `${String(Math.floor(n / 10_000)).padStart(2, '0')}${13 + (Math.floor(n / 100) % 87)}${String(n % 100).padStart(2, '0')}`;
    }
    taken.add(code);
    await db.updateTable('plans').set({ code }).where('id', '=', p.id).execute();
  }
  await db.schema.createIndex('plans_code').on('plans').column('code').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('plans_code').execute();
  await db.schema.dropIndex('sites_one_open_per_institution').execute();
}
