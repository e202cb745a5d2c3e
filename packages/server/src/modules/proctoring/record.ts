/**
 * 考场情况记录表 (room_records): the counts and lists come from the data
 * (seats, absences, proctor_actions); the proctors write the other incidents
 * and remarks; each proctor of the room and the site's chief sign. A change
 * after a signature clears the signatures; once everyone has signed the record
 * is closed.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { conflict } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import type { LiveBus } from '../live/bus.ts';
import { assertMaySign } from './actions.ts';
import { loadSeats, roomProctors, type SeatData } from './room-view.ts';
import type { RoomAccess } from './scope.ts';
import type { RecordView, Signature } from './schemas.ts';

interface RecordContent {
  incidents: string;
  remarks: string;
}

const EMPTY: RecordContent = { incidents: '', remarks: '' };

function parseContent(json: string | undefined): RecordContent {
  if (!json) return { ...EMPTY };
  const v = JSON.parse(json) as Partial<RecordContent>;
  return { incidents: typeof v.incidents === 'string' ? v.incidents : '', remarks: typeof v.remarks === 'string' ? v.remarks : '' };
}

const parseSignatures = (json: string | undefined): Signature[] => (json ? (JSON.parse(json) as Signature[]) : []);

function lockRecord(ctx: AppContext, trx: Kysely<DB>, sittingId: string, roomId: string) {
  const q = trx.selectFrom('room_records').selectAll().where('sitting_id', '=', sittingId).where('room_id', '=', roomId);
  return (ctx.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** Who signs the record: the room's proctors and the site's chief, with whether they have. */
function signersOf(proctors: Awaited<ReturnType<typeof roomProctors>>, signatures: readonly Signature[]) {
  const signed = new Set(signatures.map((s) => s.userId));
  return proctors.map((p) => ({ ...p, signed: signed.has(p.userId) }));
}

export async function recordView(ctx: AppContext, access: RoomAccess): Promise<RecordView> {
  const { sitting, room } = access;
  const db = ctx.db;
  const [row, seats, proctors, absences, actions] = await Promise.all([
    db.selectFrom('room_records').selectAll().where('sitting_id', '=', sitting.id).where('room_id', '=', room.id).executeTakeFirst(),
    loadSeats(ctx, sitting, { roomId: room.id }, { saves: false }),
    roomProctors(ctx, sitting.planId, room.siteId, room.id),
    db
      .selectFrom('absences as ab')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'ab.registration_id')
      .leftJoin('users as u', 'u.id', 'ab.by_user')
      .select(['ab.registration_id', 'ab.reason', 'ab.at', 'u.display_name'])
      .where('ab.sitting_id', '=', sitting.id)
      .where('sa.room_id', '=', room.id)
      .execute(),
    db
      .selectFrom('proctor_actions as pa')
      .leftJoin('users as u', 'u.id', 'pa.by_user')
      .select(['pa.kind', 'pa.registration_id', 'pa.minutes', 'pa.reason', 'pa.at', 'u.display_name'])
      .where('pa.sitting_id', '=', sitting.id)
      .where('pa.room_id', '=', room.id)
      .where('pa.kind', 'in', ['warning', 'disqualify', 'switch-approve', 'switch-reject', 'compensation'])
      .orderBy('pa.at')
      .orderBy('pa.id')
      .execute(),
  ]);
  const seatOf = new Map<string, SeatData>(seats.map((s) => [s.registrationId, s]));
  const person = (registrationId: string | null) => {
    const s = registrationId ? seatOf.get(registrationId) : undefined;
    return { registrationId: registrationId ?? '', seatNo: s?.seatNo ?? null, name: s?.name ?? null, ticketNo: s?.ticketNo ?? null };
  };
  const by = (name: string | null) => name ?? '系统';
  const signatures = parseSignatures(row?.signatures);
  const signers = signersOf(proctors, signatures);
  const handedIn = seats.filter((s) => s.submittedAt !== null).length;
  return {
    record: parseContent(row?.record),
    signatures,
    signers,
    complete: signers.length > 0 && signers.every((s) => s.signed),
    facts: {
      seats: seats.length,
      present: seats.filter((s) => s.attemptId !== null).length,
      absent: seats.filter((s) => s.state === 'absent').length,
      submitted: handedIn,
      disqualified: seats.filter((s) => s.state === 'disqualified').length,
      absences: absences
        .map((a) => ({ ...person(a.registration_id), reason: a.reason, by: by(a.display_name), at: a.at }))
        .sort((a, b) => (a.seatNo ?? 0) - (b.seatNo ?? 0)),
      violations: actions
        .filter((a) => a.kind === 'warning' || a.kind === 'disqualify')
        .map((a) => ({ ...person(a.registration_id), kind: a.kind as 'warning' | 'disqualify', reason: a.reason, by: by(a.display_name), at: a.at })),
      switches: actions
        .filter((a) => a.kind === 'switch-approve' || a.kind === 'switch-reject')
        .map((a) => ({ ...person(a.registration_id), kind: a.kind as 'switch-approve' | 'switch-reject', reason: a.reason, by: by(a.display_name), at: a.at })),
      compensations: actions
        .filter((a) => a.kind === 'compensation')
        .map((a) => ({ ...person(a.registration_id), minutes: Number(a.minutes ?? 0), reason: a.reason, by: by(a.display_name), at: a.at })),
    },
    updatedAt: row?.updated_at ?? null,
  };
}

/** Saves the free text; a change clears the signatures; refused once everyone has signed. */
export async function saveRecord(ctx: AppContext, live: LiveBus, access: RoomAccess, staff: StaffUser, content: RecordContent): Promise<RecordView> {
  const { sitting, room } = access;
  const proctors = await roomProctors(ctx, sitting.planId, room.siteId, room.id);
  const at = nowIso(ctx.clock.now());
  const next = { incidents: content.incidents.trim(), remarks: content.remarks.trim() };
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const row = await lockRecord(ctx, trx, sitting.id, room.id);
    const before = parseContent(row?.record);
    const signatures = parseSignatures(row?.signatures);
    const signers = signersOf(proctors, signatures);
    if (signers.length > 0 && signers.every((s) => s.signed)) {
      throw conflict('RECORD_COMPLETE', '考场情况记录表已由全部监考员和主考签名，不能再修改');
    }
    if (row && before.incidents === next.incidents && before.remarks === next.remarks) return false;
    const values = { record: JSON.stringify(next), signatures: '[]', updated_by: staff.id, updated_at: at };
    if (row) await trx.updateTable('room_records').set(values).where('sitting_id', '=', sitting.id).where('room_id', '=', room.id).execute();
    else await trx.insertInto('room_records').values({ sitting_id: sitting.id, room_id: room.id, ...values }).execute();
    await auditChange(trx, staff, {
      action: 'proctor.record', entity: 'room', entityId: room.id,
      before: row ? { ...before, signatures: signatures.length } : null, after: { sittingId: sitting.id, ...next, signaturesCleared: signatures.length },
      institutionId: room.institutionId,
    });
    return true;
  });
  if (changed) live.publish({ sittingId: sitting.id, roomId: room.id, registrationId: null, kind: 'record' });
  return recordView(ctx, access);
}

/** Signs the record as the caller (a proctor of the room, or the chief); signing twice keeps the first signature. */
export async function signRecord(ctx: AppContext, live: LiveBus, access: RoomAccess, staff: StaffUser): Promise<RecordView> {
  assertMaySign(access, staff);
  const { sitting, room } = access;
  const at = nowIso(ctx.clock.now());
  const signed = await ctx.db.transaction().execute(async (trx) => {
    const row = await lockRecord(ctx, trx, sitting.id, room.id);
    const signatures = parseSignatures(row?.signatures);
    if (signatures.some((s) => s.userId === staff.id)) return false;
    const next: Signature[] = [...signatures, { userId: staff.id, name: staff.displayName, duty: access.as, at }];
    if (row) {
      await trx.updateTable('room_records').set({ signatures: JSON.stringify(next) }).where('sitting_id', '=', sitting.id).where('room_id', '=', room.id).execute();
    } else {
      await trx.insertInto('room_records').values({
        sitting_id: sitting.id, room_id: room.id, record: JSON.stringify(EMPTY), signatures: JSON.stringify(next), updated_by: staff.id, updated_at: at,
      }).execute();
    }
    await auditChange(trx, staff, {
      action: 'proctor.record-sign', entity: 'room', entityId: room.id,
      after: { sittingId: sitting.id, duty: access.as, signatures: next.length }, institutionId: room.institutionId,
    });
    return true;
  });
  if (signed) live.publish({ sittingId: sitting.id, roomId: room.id, registrationId: null, kind: 'record' });
  return recordView(ctx, access);
}
