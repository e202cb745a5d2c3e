import type { Level, Paper } from '@kaowu/core';

export interface PlansTable {
  id: string;
  certificate_id: string;
  name: string;
  /** The national date, YYYY-MM-DD in Asia/Shanghai. */
  exam_date: string;
  registration_deadline: string | null;
  created_at: string;
  /** Short numeric code, part of ticket numbers. */
  code: string | null;
}

export interface SittingsTable {
  id: string;
  plan_id: string;
  level: Level;
  paper: Paper;
  name: string;
  starts_at: string;
  ends_at: string;
  blueprint_id: string;
  /** JSON: SittingRules. */
  rules: string;
  created_at: string;
  /** Safe Exam Browser Config Key when the sitting requires SEB (migration 0007); never sent to clients. */
  seb_config_key: string | null;
}

export interface CandidatesTable {
  id: string;
  name: string;
  id_type: string;
  id_number: string;
  created_at: string;
  gender: '男' | '女' | null;
  institution_id: string | null;
  major_id: string | null;
  class_id: string | null;
  phone: string | null;
  photo_name: string | null;
  created_by: string | null;
}

export interface RegistrationsTable {
  id: string;
  plan_id: string;
  candidate_id: string;
  level: Level;
  ticket_no: string;
  created_at: string;
  /** The exam site where the candidate sits (null only for data from before sites existed). */
  site_id: string | null;
  /** The institution that registered (and pays for) the candidate. */
  institution_id: string | null;
  created_by: string | null;
  /** The candidate's last log-in (migration 0008): waiting (候考) on the seat map. */
  last_login_at: string | null;
  last_login_ip: string | null;
}
