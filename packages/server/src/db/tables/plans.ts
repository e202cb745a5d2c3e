import type { Level, Paper } from '@kaowu/core';

export interface PlansTable {
  id: string;
  certificate_id: string;
  name: string;
  /** The national date, YYYY-MM-DD in Asia/Shanghai. */
  exam_date: string;
  registration_deadline: string | null;
  created_at: string;
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
}

export interface CandidatesTable {
  id: string;
  name: string;
  id_type: string;
  id_number: string;
  created_at: string;
}

export interface RegistrationsTable {
  id: string;
  plan_id: string;
  candidate_id: string;
  level: Level;
  ticket_no: string;
  created_at: string;
}
