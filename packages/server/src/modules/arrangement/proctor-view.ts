/**
 * 监考安排 as the console shows it: per room its candidates, the proctors it
 * needs (2 per 40) and has, who must avoid it and why; the pool; the 主考; and
 * the problems (short rooms with the reason, and 回避 broken by a later change
 * to the arrangement).
 */
import { LEVEL_NAMES, proctorsNeeded } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { avoidanceReasons, shortReason, type PoolMember } from './avoidance.ts';
import { roomLevel } from './arrangement-view.ts';
import { userNames } from './load.ts';
import type { ProctorData } from './proctor-data.ts';
import type { ProctorView } from './schemas.ts';

const REASON = '任教本考场考生的专业，或是其班主任、辅导员';

export async function proctorView(db: Kysely<DB>, data: ProctorData): Promise<ProctorView> {
  const { target, rooms, candidatesByRoom, pool, assignments, names } = data;
  const { plan, site } = target;
  const poolById = new Map(pool.map((p) => [p.userId, p]));
  const unknown = assignments.map((a) => a.userId).filter((id) => !poolById.has(id));
  const others = unknown.length ? await userNames(db, unknown) : new Map<string, string>();
  const chiefRow = assignments.find((a) => a.duty === 'chief');
  const roomOf = new Map(assignments.filter((a) => a.duty === 'proctor' && a.roomId).map((a) => [a.userId, a.roomId!]));
  const available = pool.filter((p) => p.userId !== chiefRow?.userId);

  const problems: { roomId: string | null; message: string }[] = [];
  const totalNeed = rooms.reduce((n, r) => n + proctorsNeeded(candidatesByRoom.get(r.id)?.length ?? 0), 0);
  let needTotal = 0;
  let assignedTotal = 0;
  const roomViews = rooms.map((room) => {
    const candidates = candidatesByRoom.get(room.id) ?? [];
    const needed = proctorsNeeded(candidates.length);
    needTotal += needed;
    const mine = assignments.filter((a) => a.duty === 'proctor' && a.roomId === room.id);
    assignedTotal += mine.length;
    const proctors = mine.map((a) => {
      const p = poolById.get(a.userId);
      const avoid = p ? avoidanceReasons(p, candidates, names) : [];
      if (avoid.length) problems.push({ roomId: room.id, message: `监考员 ${p!.name} 须回避考场 ${room.name}：${avoid.join('；')}` });
      if (!p) problems.push({ roomId: room.id, message: `考场 ${room.name} 的监考员 ${others.get(a.userId) ?? a.userId} 已不是本院校在用的教师或监考员，请更换` });
      return { userId: a.userId, name: p?.name ?? others.get(a.userId) ?? a.userId, username: p?.username ?? '', roleName: p?.roleName ?? '', avoid };
    });
    const avoiders: { userId: string; reasons: string[] }[] = [];
    for (const p of pool) {
      const reasons = avoidanceReasons(p, candidates, names);
      if (reasons.length) avoiders.push({ userId: p.userId, reasons });
    }
    const good = proctors.filter((p) => p.avoid.length === 0 && poolById.has(p.userId)).length;
    if (candidates.length === 0 && mine.length > 0) {
      problems.push({ roomId: room.id, message: `考场 ${room.name} 没有考生，但安排了 ${mine.length} 名监考员` });
    } else if (good < needed) {
      problems.push({ roomId: room.id, message: `考场 ${room.name}（${candidates.length} 名考生，需 ${needed} 名监考员）缺 ${needed - good} 名：${shortage(room.id, candidates, available, avoiders, roomOf, data, totalNeed)}` });
    }
    const level = roomLevel(candidates.map((c) => c.level));
    return {
      id: room.id, name: room.name, location: room.location, level, levelName: level ? LEVEL_NAMES[level] : null,
      candidates: candidates.length, needed, proctors, avoiders,
    };
  });

  const chief = chiefRow
    ? (() => {
        const p = data.chiefOptions.find((o) => o.userId === chiefRow.userId);
        return p ?? { userId: chiefRow.userId, name: others.get(chiefRow.userId) ?? chiefRow.userId, username: '', roleName: '' };
      })()
    : null;
  if (!chief && needTotal > 0) problems.push({ roomId: null, message: '尚未指定本考点的主考' });

  return {
    plan: { id: plan.id, name: plan.name, examDate: plan.exam_date },
    site: { id: site.id, code: site.code, name: site.name },
    arrangementState: data.arrangement?.state ?? 'none',
    rooms: roomViews,
    pool: pool.map((p) => ({
      userId: p.userId, name: p.name, username: p.username, roleName: p.roleName,
      majors: p.majorIds.map((m) => names.majors.get(m) ?? m),
      headTeacherOf: p.headTeacherOf.map((k) => names.classes.get(k) ?? k),
      counsellorOf: p.counsellorOf.map((k) => names.classes.get(k) ?? k),
      roomId: roomOf.get(p.userId) ?? null,
      chief: p.userId === chiefRow?.userId,
    })),
    chief,
    chiefOptions: data.chiefOptions,
    problems,
    totals: { needed: needTotal, assigned: assignedTotal, pool: available.length },
  };
}

/** Why a room is short of proctors, in the words a coordinator can act on. */
function shortage(
  roomId: string, candidates: Parameters<typeof avoidanceReasons>[1], available: readonly PoolMember[],
  avoiders: readonly { userId: string }[], roomOf: ReadonlyMap<string, string>, data: ProctorData, totalNeed: number,
): string {
  const P = available.length;
  if (P === 0) return '本院校没有可安排监考的教师或监考员账号（或都已有其他安排）';
  const avoiding = new Set(avoiders.map((a) => a.userId));
  const allowed = available.filter((p) => !avoiding.has(p.userId));
  const free = allowed.filter((p) => !roomOf.has(p.userId));
  const avoidingHere = available.filter((p) => avoiding.has(p.userId));
  const examples = avoidingHere
    .slice(0, 4)
    .map((p) => shortReason(p, candidates, data.names))
    .filter(Boolean)
    .join('、');
  const avoidNote = examples ? `；需回避的有 ${examples}${avoidingHere.length > 4 ? ` 等 ${avoidingHere.length} 人` : ''}` : '';
  if (allowed.length === 0) return `全部 ${P} 名教师和监考员均需回避（${REASON}）${avoidNote}`;
  if (free.length > 0) return `尚有 ${free.length} 名无需回避的教师或监考员未安排，可点击“自动安排”或手工指定`;
  const elsewhere = allowed.filter((p) => roomOf.get(p.userId) !== roomId).length;
  return `${P} 名教师和监考员中 ${allowed.length} 名无需回避，其中 ${elsewhere} 名已安排在其他考场（各考场共需 ${totalNeed} 名）${avoidNote}`;
}
