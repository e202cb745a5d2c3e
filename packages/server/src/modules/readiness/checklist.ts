import { LEVELS, LEVEL_NAMES, PAPER_NAMES, proctorsNeeded, type Level, type Paper } from '@kaowu/core';
import { shanghaiTime } from '../../time-format.ts';
import { SITE_STATUS_NAMES } from '../sites/labels.ts';

/**
 * 考前准备: the manual's timeline for a site (part 6, the table after 考场规则)
 * as a checklist, computed from the data. No I/O here: `readinessFacts` reads
 * the facts, `checklist` turns them into items.
 *
 *   考试前一周   确保考场软硬件满足考试要求。于“考场管理”模块，设置考场。
 *   考试前三天   打印准考证。
 *   考试前一天   布置考场、张贴考场桌贴、布置横幅等，完成考场检查布置工作，确认考场设备监控有效，完成考点考场封场。
 *   考前 60 分钟 监考人员领取考场考生签到表。
 *   考前 30 分钟 监考人员组织考生入场、签到，核对考生准考证、身份证。
 *   考前 5 分钟  监考人员通知考生登录考试系统……
 *
 * Due times count back from the plan's first sitting (T): T − 7 days, T − 3
 * days, T − 1 day, T − 60, − 30 and − 5 minutes; the log-in items count from
 * the first sitting of each paper. States, by the server's clock:
 * - done: the data (or a mark set by hand) shows it is done;
 * - overdue: not done and past due;
 * - missing: not done, not yet due, and its phase has begun (the previous
 *   phase's due time has passed; the first phase has always begun);
 * - upcoming: its phase has not begun yet.
 * Candidates' log-in (one item per paper, from that paper's first sitting):
 * upcoming until 5 minutes before it, missing while they log in; once the
 * sitting has begun the attempts started are counted: missing while some
 * have not started and late entry is still open (30 minutes), then done
 * (those who never started are absent, 缺考) unless nobody started at all.
 */

export type ItemState = 'done' | 'missing' | 'upcoming' | 'overdue';

export const PHASES = [
  { key: 'week', title: '考试前一周', offsetMin: 7 * 24 * 60 },
  { key: 'three_days', title: '考试前三天', offsetMin: 3 * 24 * 60 },
  { key: 'day_before', title: '考试前一天', offsetMin: 24 * 60 },
  { key: 'minus_60', title: '考前 60 分钟', offsetMin: 60 },
  { key: 'minus_30', title: '考前 30 分钟', offsetMin: 30 },
  { key: 'minus_5', title: '考前 5 分钟', offsetMin: 5 },
] as const;
export type PhaseKey = (typeof PHASES)[number]['key'];

/** Items a site ticks off by hand; every other item is computed. */
export const MANUAL_ITEMS = {
  rooms_sealed: { phase: 'day_before', title: '布置考场并封场', description: '布置考场、张贴考场桌贴、悬挂横幅，完成考场检查布置，完成考点考场封场' },
  monitoring_checked: { phase: 'day_before', title: '确认考场监控有效', description: '每个考场前后各一个摄像头，全程开启，画面显示日期和时间，本地保存' },
  signin_collected: { phase: 'minus_60', title: '监考员领取考生签到表', description: '监考人员领取本考场考生签到表' },
  entry_checked: { phase: 'minus_30', title: '组织考生入场并核对身份', description: '监考人员组织考生入场、签到，核对考生准考证、身份证' },
} as const satisfies Record<string, { phase: PhaseKey; title: string; description: string }>;
export type ManualItem = keyof typeof MANUAL_ITEMS;
export const isManualItem = (key: string): key is ManualItem => Object.hasOwn(MANUAL_ITEMS, key);

export interface ReadinessFacts {
  site: { status: 'pending' | 'enabled' | 'rejected' | 'disabled'; agreementStatus: 'none' | 'sent' | 'signed' };
  /** The plan's sittings (all levels); T is the earliest start. */
  sittings: { id: string; level: Level; paper: Paper; startsAt: number }[];
  /** Fallback for T when the plan has no sittings: the exam date's midnight, Beijing time. */
  examDayStart: number;
  rooms: { id: string; name: string; seats: number }[];
  /** Registrations of the plan at the site, by level. */
  registered: Partial<Record<Level, number>>;
  arrangement: { state: 'draft' | 'published'; publishedAt: string | null; everyOtherSeat: boolean } | null;
  /** Candidates placed per room (seat_assignments of the plan at the site). */
  placed: Map<string, number>;
  /** Proctors (duty proctor) per room for the plan. */
  proctors: Map<string, number>;
  prints: Partial<Record<'tickets' | 'door' | 'desk' | 'signin', { count: number; pages: number; lastAt: string }>>;
  marks: Map<string, { by: string; at: string; note: string | null }>;
  /** Attempts started per sitting by candidates registered at the site. */
  started: Map<string, number>;
}

export interface ReadinessItem {
  key: string;
  phase: PhaseKey;
  phaseTitle: string;
  title: string;
  description: string;
  due: string;
  state: ItemState;
  detail: string;
  manual: boolean;
  mark: { by: string; at: string; note: string | null } | null;
}

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

export function checklist(f: ReadinessFacts, now: number): ReadinessItem[] {
  const T = f.sittings.length ? Math.min(...f.sittings.map((s) => s.startsAt)) : f.examDayStart;
  const phaseDue = (key: PhaseKey) => T - PHASES.find((p) => p.key === key)!.offsetMin * MIN;
  const phaseOpens = (key: PhaseKey) => {
    const i = PHASES.findIndex((p) => p.key === key);
    return i === 0 ? -Infinity : phaseDue(PHASES[i - 1]!.key);
  };
  const stateOf = (done: boolean, due: number, opens: number): ItemState =>
    done ? 'done' : now > due ? 'overdue' : now < opens ? 'upcoming' : 'missing';
  const items: ReadinessItem[] = [];
  const add = (key: string, phase: PhaseKey, title: string, description: string, done: boolean, detail: string, opts: { due?: number; state?: ItemState; manual?: boolean } = {}) => {
    const due = opts.due ?? phaseDue(phase);
    items.push({
      key, phase, phaseTitle: PHASES.find((p) => p.key === phase)!.title, title, description, due: iso(due),
      state: opts.state ?? stateOf(done, due, phaseOpens(phase)), detail, manual: opts.manual ?? false, mark: null,
    });
  };

  const registered = sum(Object.values(f.registered));
  const placedTotal = sum(f.placed.values());
  const seats = sum(f.rooms.map((r) => r.seats));
  const capacity = f.arrangement?.everyOtherSeat ? sum(f.rooms.map((r) => Math.ceil(r.seats / 2))) : seats;
  const noneRegistered = '本站点在该计划暂无报考考生';

  // 考试前一周
  add('agreement_signed', 'week', '签署考务协议', '考前须与培训评价组织签署考核站点协议，站点须为“审核通过已启用”',
    f.site.agreementStatus === 'signed' && f.site.status === 'enabled',
    f.site.status !== 'enabled'
      ? `站点状态：${SITE_STATUS_NAMES[f.site.status]}`
      : { none: '考务协议尚未发送', sent: '考务协议已发送，尚未签署', signed: '考务协议已签署' }[f.site.agreementStatus]);
  add('rooms_ready', 'week', '设置考场', '确保考场软硬件满足考试要求，于“考场管理”设置考场',
    f.rooms.length > 0, f.rooms.length ? `已设置 ${f.rooms.length} 个考场，共 ${seats} 个考位` : '尚未设置考场');
  add('seats_enough', 'week', '考位数不少于报考人数', '座位数要按照拟安排的考生数填报，或者大于考生人数',
    registered > 0 && capacity >= registered,
    registered === 0 ? noneRegistered
      : `考位 ${capacity} 个${f.arrangement?.everyOtherSeat ? '（隔位就座）' : ''}，报考 ${registered} 人${capacity < registered ? `，缺 ${registered - capacity} 个` : ''}`);
  add('arrangement_published', 'week', '完成并发布考场编排', '根据报名人数与考场情况编排考场和座位',
    registered > 0 && f.arrangement?.state === 'published' && placedTotal >= registered,
    registered === 0 ? noneRegistered
      : !f.arrangement ? `尚未编排（报考 ${registered} 人）`
        : `已安排 ${placedTotal}/${registered} 人，${f.arrangement.state === 'published' ? `已发布${f.arrangement.publishedAt ? `（${shanghaiTime(Date.parse(f.arrangement.publishedAt))}）` : ''}` : '尚未发布'}`);
  {
    const rooms = f.rooms.filter((r) => (f.placed.get(r.id) ?? 0) > 0);
    const needed = sum(rooms.map((r) => proctorsNeeded(f.placed.get(r.id) ?? 0)));
    const have = sum(rooms.map((r) => Math.min(f.proctors.get(r.id) ?? 0, proctorsNeeded(f.placed.get(r.id) ?? 0))));
    const short = rooms.filter((r) => (f.proctors.get(r.id) ?? 0) < proctorsNeeded(f.placed.get(r.id) ?? 0));
    add('proctors_assigned', 'week', '配齐监考员（每 40 名考生 2 名）', '本专业教师及班主任、辅导员回避，不得担任监考',
      rooms.length > 0 && short.length === 0,
      rooms.length === 0 ? '尚未编排考场，无法安排监考'
        : `${rooms.length} 个考场需监考员 ${needed} 名，已安排 ${have} 名` +
          (short.length ? `；${short.slice(0, 3).map((r) => `${r.name}缺 ${proctorsNeeded(f.placed.get(r.id) ?? 0) - (f.proctors.get(r.id) ?? 0)} 名`).join('，')}${short.length > 3 ? ' 等' : ''}` : ''));
  }

  // 考试前三天
  const printed = (kind: keyof ReadinessFacts['prints'], what: string) => {
    const p = f.prints[kind];
    return p ? `${what}已打印 ${p.count} 次，最近 ${shanghaiTime(Date.parse(p.lastAt))}` : `${what}未打印`;
  };
  add('tickets_printed', 'three_days', '打印准考证', '在考场编排中打印准考证', Boolean(f.prints.tickets), printed('tickets', '准考证'));
  add('stickers_printed', 'three_days', '打印考场门贴和桌贴', '考场门贴、考场桌贴在考场编排中打印',
    Boolean(f.prints.door && f.prints.desk), `${printed('door', '门贴')}；${printed('desk', '桌贴')}`);

  // 考试前一天、考前 60 / 30 分钟: marks set by hand (and the sign-in sheets printed)
  add('signin_printed', 'minus_60', '打印考生签到表', '签到表在考场编排中打印，考后与考场情况记录表一并存档', Boolean(f.prints.signin), printed('signin', '签到表'));
  for (const [key, def] of Object.entries(MANUAL_ITEMS)) {
    const mark = f.marks.get(key) ?? null;
    add(key, def.phase, def.title, def.description, mark !== null,
      mark ? `已确认（${mark.by}，${shanghaiTime(Date.parse(mark.at))}）${mark.note ? `：${mark.note}` : ''}` : '待确认', { manual: true });
    items[items.length - 1]!.mark = mark;
  }

  // 考前 5 分钟: candidates log in; counted once each paper's first sitting has begun.
  for (const paper of ['theory', 'practical'] as const) {
    const sittings = f.sittings.filter((s) => s.paper === paper);
    if (sittings.length === 0) continue;
    const start = Math.min(...sittings.map((s) => s.startsAt));
    const levels = LEVELS.filter((l) => sittings.some((s) => s.level === l));
    const expected = sum(levels.map((l) => f.registered[l] ?? 0));
    const started = sum(sittings.map((s) => f.started.get(s.id) ?? 0));
    const due = start - 5 * MIN;
    const entryCloses = start + 30 * MIN;
    let state: ItemState;
    let detail: string;
    if (now < start) {
      // Candidates log in from 5 minutes before; they are counted once the sitting begins.
      state = now < due ? 'upcoming' : 'missing';
      detail = now < due ? `开考后统计登录人数（应考 ${expected} 人）` : `考生正在登录，开考后统计（应考 ${expected} 人）`;
    } else if (expected === 0) {
      state = 'done';
      detail = noneRegistered;
    } else if (started >= expected) {
      state = 'done';
      detail = `已登录开考 ${started}/${expected} 人`;
    } else if (now <= entryCloses) {
      state = 'missing';
      detail = `已登录开考 ${started}/${expected} 人，${expected - started} 人尚未登录`;
    } else {
      state = started > 0 ? 'done' : 'overdue';
      detail = `已登录开考 ${started}/${expected} 人，缺考 ${expected - started} 人`;
    }
    add(`login_${paper}`, 'minus_5', `考生登录考试系统（${PAPER_NAMES[paper]}）`,
      `监考人员通知考生登录考试系统，录入准考证号等信息；${levels.map((l) => LEVEL_NAMES[l]).join('、')}${PAPER_NAMES[paper]} ${shanghaiTime(start).slice(11)} 开考`,
      false, detail, { due, state });
  }

  const order = new Map<string, number>(PHASES.map((p, i) => [p.key, i]));
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => order.get(a.item.phase)! - order.get(b.item.phase)! || a.item.due.localeCompare(b.item.due) || a.i - b.i)
    .map((x) => x.item);
}
