/**
 * The automatic 5-minute warning (docs/proctoring.md, "Actions"): once a
 * sitting is within 5 minutes of its end, one `auto-warning` row (by the
 * system, for the whole sitting) and a live event that reaches every
 * proctor's and candidate's client. The sweeper calls it on every node at each
 * tick; the unique partial index proctor_actions_auto_once makes it once.
 */
import type { AppContext } from '../../context.ts';
import { newId, nowIso } from '../../ids.ts';
import type { LiveBus } from '../live/bus.ts';

export const AUTO_WARNING_MIN = 5;
export const AUTO_WARNING_TEXT = '距离考试结束还有 5 分钟，请检查答案并按时交卷。';

/** Sends the warning of every sitting that is in its last 5 minutes and has not had it; returns how many were sent by this call. */
export async function sendAutoWarnings(ctx: Pick<AppContext, 'db' | 'clock'>, live: LiveBus): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('sittings as s')
    .select(['s.id'])
    .where('s.ends_at', '>', nowIso(now))
    .where('s.ends_at', '<=', nowIso(now + AUTO_WARNING_MIN * 60_000))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('proctor_actions as pa').select('pa.id').whereRef('pa.sitting_id', '=', 's.id').where('pa.kind', '=', 'auto-warning'))))
    .execute();
  let sent = 0;
  for (const s of due) {
    const res = await ctx.db
      .insertInto('proctor_actions')
      .values({
        id: newId(), sitting_id: s.id, room_id: null, registration_id: null, kind: 'auto-warning', minutes: null,
        reason: AUTO_WARNING_TEXT, by_user: null, at: nowIso(now),
      })
      // Another node was first: the unique index proctor_actions_auto_once says no.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
    sent++;
    live.publish({ sittingId: s.id, roomId: null, registrationId: null, kind: 'auto-warning' });
  }
  return sent;
}
