/**
 * Admission-ticket numbers (准考证号): the plan's 6-digit code, the site's
 * 4-digit code, and a 4-digit serial within that plan and site — 14 digits.
 * Serials come from the ticket_serials counter row, advanced inside the
 * registering transaction (migration 0006), so concurrent batches never share one.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { badRequest } from '../../http/errors.ts';

export const SERIAL_MAX = 9999;

export function ticketNumber(planCode: string, siteCode: string, serial: number): string {
  if (!/^\d{6}$/.test(planCode)) throw new RangeError(`plan code must be 6 digits: ${planCode}`);
  if (!/^\d{4}$/.test(siteCode)) throw new RangeError(`site code must be 4 digits: ${siteCode}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > SERIAL_MAX) throw new RangeError(`serial out of range: ${serial}`);
  return planCode + siteCode + String(serial).padStart(4, '0');
}

/** Takes `count` serials for the plan and site in the caller's transaction; returns the first. */
export async function takeSerials(trx: Kysely<DB>, planId: string, siteId: string, count: number): Promise<number> {
  await trx
    .insertInto('ticket_serials')
    .values({ plan_id: planId, site_id: siteId, last_serial: 0 })
    .onConflict((oc) => oc.columns(['plan_id', 'site_id']).doNothing())
    .execute();
  const row = await trx
    .updateTable('ticket_serials')
    .set((eb) => ({ last_serial: eb('last_serial', '+', count) }))
    .where('plan_id', '=', planId)
    .where('site_id', '=', siteId)
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  const last = Number(row.last_serial);
  if (last > SERIAL_MAX) {
    const left = Math.max(0, SERIAL_MAX - (last - count));
    throw badRequest('TICKETS_EXHAUSTED', `该考核站点本考试计划的准考证号已不够用：每个站点最多 ${SERIAL_MAX} 个，还剩 ${left} 个，本批 ${count} 人`);
  }
  return last - count + 1;
}
