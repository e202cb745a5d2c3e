/**
 * 回避制度 (manual part 5, 二、): teachers of the candidates' own major, their
 * class teachers (班主任) and counsellors (辅导员) may not proctor them. These
 * functions say, in Chinese and by name, why one person must not proctor one
 * room; the core's assignProctors applies the same rule when it assigns.
 */
import type { Registrant } from './load.ts';

export interface PoolMember {
  userId: string;
  name: string;
  username: string;
  role: string;
  roleName: string;
  /** Majors taught (teacher_majors). */
  majorIds: string[];
  /** Classes they are 班主任 of. */
  headTeacherOf: string[];
  /** Classes they are 辅导员 of. */
  counsellorOf: string[];
}

export interface Names {
  majors: ReadonlyMap<string, string>;
  classes: ReadonlyMap<string, string>;
}

const who = (list: readonly Registrant[]) => `${list[0]!.name}（准考证号 ${list[0]!.ticketNo}）${list.length > 1 ? ` 等 ${list.length} 人` : ''}`;

/** Every reason `member` must not proctor a room holding `candidates` (empty: may proctor it). */
export function avoidanceReasons(member: PoolMember, candidates: readonly Registrant[], names: Names): string[] {
  const reasons: string[] = [];
  for (const majorId of member.majorIds) {
    const hit = candidates.filter((c) => c.majorId === majorId);
    if (hit.length) reasons.push(`任教“${names.majors.get(majorId) ?? '未知专业'}”专业，本考场考生 ${who(hit)}为该专业`);
  }
  const byClass = (classIds: readonly string[], title: string) => {
    for (const classId of classIds) {
      const hit = candidates.filter((c) => c.classId === classId);
      if (hit.length) reasons.push(`是“${names.classes.get(classId) ?? '未知班级'}”的${title}，本考场考生 ${who(hit)}在该班`);
    }
  };
  byClass(member.headTeacherOf, '班主任');
  byClass(member.counsellorOf, '辅导员');
  return reasons;
}

/** A short form for lists: 张三（任教“软件技术”） or 李四（“软件2301”班主任）. */
export function shortReason(member: PoolMember, candidates: readonly Registrant[], names: Names): string | null {
  const major = member.majorIds.find((m) => candidates.some((c) => c.majorId === m));
  if (major) return `${member.name}（任教“${names.majors.get(major) ?? '未知专业'}”）`;
  const head = member.headTeacherOf.find((k) => candidates.some((c) => c.classId === k));
  if (head) return `${member.name}（“${names.classes.get(head) ?? '未知班级'}”班主任）`;
  const counsellor = member.counsellorOf.find((k) => candidates.some((c) => c.classId === k));
  if (counsellor) return `${member.name}（“${names.classes.get(counsellor) ?? '未知班级'}”辅导员）`;
  return null;
}
