import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  display_name: string;
  created_at: string;
  /** The institution of institution staff, teachers, students and site people; null for the operator's staff. */
  institution_id: string | null;
  /** pending (signed up, awaiting review) | active | rejected | disabled. */
  status: Generated<'pending' | 'active' | 'rejected' | 'disabled'>;
  phone: string | null;
  review_note: string | null;
  /** Students: their class and 学号. */
  class_id: string | null;
  student_no: string | null;
  /** When the password was last set (changed or reset); tokens issued before it are refused. */
  password_changed_at: string | null;
  /** 1 after a generated or reset password: the console asks for a new one first. */
  must_change_password: Generated<number>;
}

/** Wrong passwords per username typed, known or not (login-throttle.ts). */
export interface LoginFailuresTable {
  username: string;
  /** Wrong passwords since first_at. */
  failures: number;
  first_at: string;
  /** Password log-in with this username refused until then. */
  locked_until: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  /** "Log in as": the user who really acted, when `actor` is the account acted as. */
  acting_for: string | null;
  /** The institution the change belongs to, so an institution can read its own log. */
  institution_id: string | null;
  /** Where the change was made: 'cli' for the kaowu command line, null for the console. */
  via: 'cli' | null;
}
