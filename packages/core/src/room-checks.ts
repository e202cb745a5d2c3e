/**
 * Warnings about an exam room (考场) and an exam site (考核站点), from the
 * manual's conditions. Pure, no I/O. They are shown to the site and the
 * operator and never block anything.
 *
 * The manual's words, and how they are read here:
 * - Seats. Part 4, 一、(一): “考场应设在至少具有 40 个标准考位的机房”.
 *   A room with fewer than 40 declared seats is warned about.
 * - Spare machines (备用机). Part 4, 二、(一): “每个考核 40 台考生机（均为 PC 机）。
 *   要求每个考场配备 3 台备用机器，应对考试中机器故障情况。” Part 5, 二、:
 *   “各考场应该按照 10: 1 的比例准备考生备用机。” The two sentences disagree for a
 *   standard 40-seat room (3 spares against 4). A room satisfies the rule when
 *   it meets either sentence: at least 3 spares, or at least one per 10
 *   candidates (rounded up). So the warning asks for min(3, ⌈n / 10⌉), where n
 *   is the candidates placed in the room for the plan shown, or the declared
 *   seats before any are placed.
 * - Proctors. Part 3, 一、(三): “每 40 人标准考场安排 2 位监考人员”; part 5,
 *   二、: “各考场按每 40 个考生配备 2 名监考人员的标准配齐监考人员”. A room with
 *   n candidates placed needs 2 × ⌈n / 40⌉ proctors; checked only once
 *   proctors are assigned for the plan (before that the readiness checklist
 *   says they are missing).
 * - Seats against candidates. Part 5, 一、: “座位数要按照本考场内拟安排的考生数填报，
 *   或者大于考生人数。” The declared seats must be at least the candidates placed.
 */

// Proctors: the one rule of 2 per 40 lives with the assignment (proctor-assignment.ts).
import { DEFAULT_CANDIDATES_PER_PROCTOR_PAIR, proctorsNeeded } from './proctor-assignment.ts';

export const STANDARD_ROOM_SEATS = 40;
export const SPARE_MACHINES_PER_ROOM = 3;
export const CANDIDATES_PER_SPARE = 10;

export type RoomWarningCode = 'SEATS_BELOW_STANDARD' | 'SPARES_TOO_FEW' | 'PROCTORS_TOO_FEW' | 'SEATS_BELOW_PLACED';

export interface RoomWarning {
  code: RoomWarningCode;
  message: string;
}

export interface RoomFacts {
  /** Declared seats (座位数). */
  seats: number;
  spareMachines: number;
  /** Candidates placed in the room for the plan shown (0 when none, or no plan). */
  placed: number;
  /** Proctors assigned to the room for that plan; null while the plan has no proctor assignments at all. */
  proctors: number | null;
}

/** Spare machines a room needs: meeting either sentence of the manual is enough (see above). */
export function sparesNeeded(candidates: number): number {
  if (candidates <= 0) return 0;
  return Math.min(SPARE_MACHINES_PER_ROOM, Math.ceil(candidates / CANDIDATES_PER_SPARE));
}

/** The warnings of one room, in a fixed order. */
export function roomWarnings(room: RoomFacts): RoomWarning[] {
  const out: RoomWarning[] = [];
  if (room.seats < STANDARD_ROOM_SEATS) {
    out.push({
      code: 'SEATS_BELOW_STANDARD',
      message: `标准考场应不少于 ${STANDARD_ROOM_SEATS} 个考位（本考场 ${room.seats} 个）`,
    });
  }
  const base = room.placed > 0 ? room.placed : room.seats;
  const spares = sparesNeeded(base);
  if (room.spareMachines < spares) {
    out.push({
      code: 'SPARES_TOO_FEW',
      message:
        `备用机不足：每个考场应配备 ${SPARE_MACHINES_PER_ROOM} 台备用机或按 ${CANDIDATES_PER_SPARE}:1 的比例配备，` +
        `本考场${room.placed > 0 ? `已编排 ${room.placed} 人` : ` ${room.seats} 个考位`}，应至少 ${spares} 台，现有 ${room.spareMachines} 台`,
    });
  }
  if (room.proctors !== null && room.placed > 0) {
    const needed = proctorsNeeded(room.placed);
    if (room.proctors < needed) {
      out.push({
        code: 'PROCTORS_TOO_FEW',
        message: `监考员不足：每 ${DEFAULT_CANDIDATES_PER_PROCTOR_PAIR} 名考生应配备 2 名监考员，本考场 ${room.placed} 人应配 ${needed} 名，现有 ${room.proctors} 名`,
      });
    }
  }
  if (room.placed > room.seats) {
    out.push({
      code: 'SEATS_BELOW_PLACED',
      message: `座位数（${room.seats}）少于已编排的考生人数（${room.placed} 人），座位数应不少于考生人数`,
    });
  }
  return out;
}

export type SiteWarningCode = 'SITE_NOT_ENABLED' | 'AGREEMENT_NOT_SIGNED' | 'NO_ROOMS' | 'IP_RANGES_OVERLAP';

export interface SiteWarning {
  code: SiteWarningCode;
  message: string;
}

export interface SiteFacts {
  status: 'pending' | 'enabled' | 'rejected' | 'disabled';
  agreementStatus: 'none' | 'sent' | 'signed';
  rooms: number;
  /** Pairs of rooms whose IP ranges share addresses. */
  overlappingRooms: readonly [string, string][];
}

const STATUS_TEXT: Record<SiteFacts['status'], string> = {
  pending: '考核站点申请正在审核中，审核通过并启用后方可组织考试',
  enabled: '',
  rejected: '考核站点申请未通过审核',
  disabled: '考核站点已停用，不能组织考试',
};

/** The warnings of a site as a whole. */
export function siteWarnings(site: SiteFacts): SiteWarning[] {
  const out: SiteWarning[] = [];
  if (site.status !== 'enabled') out.push({ code: 'SITE_NOT_ENABLED', message: STATUS_TEXT[site.status] });
  if (site.agreementStatus !== 'signed') {
    out.push({
      code: 'AGREEMENT_NOT_SIGNED',
      message: site.agreementStatus === 'sent' ? '考务协议已发送，尚未签署：考前须与培训评价组织签署考核站点协议' : '尚未签署考务协议：考前须与培训评价组织签署考核站点协议',
    });
  }
  if (site.rooms === 0) out.push({ code: 'NO_ROOMS', message: '尚未设置考场：请于“考场管理”中设置考场（考试前一周完成）' });
  for (const [a, b] of site.overlappingRooms) {
    out.push({ code: 'IP_RANGES_OVERLAP', message: `考场“${a}”与“${b}”的考生机 IP 范围重叠，签到时无法区分考场` });
  }
  return out;
}
