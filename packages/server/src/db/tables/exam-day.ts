/** A log-in or entry refused because of the candidate's address (migration 0007). */
export interface SignInRefusalsTable {
  id: string;
  registration_id: string;
  sitting_id: string | null;
  ip: string;
  /** e.g. 'address-not-allowed' */
  reason: string;
  at: string;
}

/** One environment check (环境检测) of a candidate machine (migration 0007). */
export interface EnvChecksTable {
  id: string;
  site_id: string;
  room_id: string;
  seat_no: number;
  ip: string;
  user_agent: string;
  /** Chrome, Edge, Firefox, Safari, 其他 */
  browser: string;
  browser_version: number | null;
  screen_width: number;
  screen_height: number;
  local_storage: number;
  fullscreen: number;
  /** Server time minus the machine's clock; null when not measured. */
  clock_offset_ms: number | null;
  latency_ms: number | null;
  /** 1: an address outside the white list answered; null: not tried. */
  outside_reachable: number | null;
  passed: number;
  /** JSON: string[] (Chinese) */
  failures: string;
  at: string;
}

/** A second machine asking to take over an attempt (migration 0008). */
export interface MachineSwitchesTable {
  id: string;
  attempt_id: string;
  /** The new machine's client id. */
  client_id: string;
  ip: string | null;
  state: 'pending' | 'approved' | 'rejected';
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
}

export type ProctorActionKind =
  | 'absence' // 缺考登记
  | 'absence-cancel'
  | 'warning' // 违纪：警告
  | 'disqualify' // 违纪：取消考试资格
  | 'compensation' // 补时
  | 'force-submit' // 强制交卷
  | 'broadcast' // 广播
  | 'auto-warning' // the 5-minute warning, sent by the system
  | 'switch-approve' // 换机批准
  | 'switch-reject';

/** What proctors (or the system) did in a room, with the reason (migration 0008). */
export interface ProctorActionsTable {
  id: string;
  sitting_id: string;
  /** null: the whole sitting (a chief's broadcast, the automatic warning). */
  room_id: string | null;
  /** null: the room (a broadcast). */
  registration_id: string | null;
  kind: ProctorActionKind;
  /** Time compensation only. */
  minutes: number | null;
  /** The reason, or a broadcast's text. */
  reason: string;
  /** null: the system. */
  by_user: string | null;
  at: string;
}

/** 缺考 (migration 0008). */
export interface AbsencesTable {
  sitting_id: string;
  registration_id: string;
  reason: string;
  by_user: string;
  at: string;
}

/** 考场情况记录表 of one room and sitting (migration 0008). */
export interface RoomRecordsTable {
  sitting_id: string;
  room_id: string;
  /** JSON of the form. */
  record: string;
  /** JSON: [{ userId, name, duty, at }] */
  signatures: string;
  updated_by: string;
  updated_at: string;
}

/** The sign-in sheet as the proctors marked it (migration 0008). */
export interface SignInMarksTable {
  sitting_id: string;
  registration_id: string;
  state: 'signed' | 'absent';
  by_user: string;
  at: string;
}
