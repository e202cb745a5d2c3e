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
