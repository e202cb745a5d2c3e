import type { Generated } from 'kysely';

export interface InstitutionsTable {
  id: string;
  /** 院校代码 */
  code: string;
  name: string;
  province: string;
  status: 'pending' | 'approved' | 'rejected';
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
}

export interface MajorsTable {
  id: string;
  institution_id: string;
  name: string;
  created_at: string;
}

export interface ClassesTable {
  id: string;
  institution_id: string;
  major_id: string | null;
  name: string;
  /** 班主任 */
  head_teacher_id: string | null;
  /** 辅导员 */
  counsellor_id: string | null;
  created_at: string;
}

export interface TeacherMajorsTable {
  user_id: string;
  major_id: string;
}

export interface InvitationsTable {
  id: string;
  /** SHA-256 of the token; the token is only in the link. */
  token_hash: string;
  institution_id: string;
  role: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

export interface SitesTable {
  id: string;
  institution_id: string;
  /** 4 digits, part of ticket numbers. */
  code: string;
  name: string;
  address: string;
  contact_name: string;
  contact_phone: string;
  /** pending → enabled (审核通过已启用) | rejected; enabled → disabled. */
  status: 'pending' | 'enabled' | 'rejected' | 'disabled';
  /** 考务协议 */
  agreement_status: 'none' | 'sent' | 'signed';
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_by: string;
  created_at: string;
}

export interface RoomsTable {
  id: string;
  site_id: string;
  name: string;
  location: string;
  seats: number;
  /** 机考 */
  room_type: string;
  spare_machines: number;
  /** JSON: CIDR strings of the room's candidate machines. */
  ip_ranges: string;
  created_at: string;
  /** 1: candidates seated here may log in only from ip_ranges (migration 0007). */
  restrict_sign_in: Generated<number>;
  /** 每排座位数: seats are numbered row by row from the front (migration 0010). */
  seats_per_row: Generated<number>;
}

export interface CandidatePhotosTable {
  candidate_id: string;
  mime: string;
  content: Buffer;
}

export interface ArrangementsTable {
  plan_id: string;
  site_id: string;
  state: 'draft' | 'published';
  /** JSON: { everyOtherSeat: boolean, ... } */
  options: string;
  /** JSON: string[] (Chinese) */
  problems: string;
  published_at: string | null;
  published_by: string | null;
  updated_at: string;
}

export interface SeatAssignmentsTable {
  registration_id: string;
  plan_id: string;
  site_id: string;
  room_id: string;
  seat_no: number;
  created_at: string;
}

export interface ProctorAssignmentsTable {
  id: string;
  plan_id: string;
  site_id: string;
  /** null for a chief examiner (主考), who oversees the whole site. */
  room_id: string | null;
  user_id: string;
  duty: 'proctor' | 'chief';
  created_at: string;
}

export interface PrintLogTable {
  id: string;
  plan_id: string;
  site_id: string | null;
  kind: 'tickets' | 'door' | 'desk' | 'signin';
  pages: number;
  printed_by: string;
  printed_at: string;
}

export interface ReadinessMarksTable {
  plan_id: string;
  site_id: string;
  item: string;
  done_by: string;
  done_at: string;
  note: string | null;
}
