import type { SubmitReason } from '../../modules/delivery/finalize.ts';

export interface AttemptsTable {
  id: string;
  sitting_id: string;
  registration_id: string;
  /** JSON: PaperEntry[] — this candidate's questions and option order, fixed at entry. */
  paper: string;
  state: 'in_progress' | 'submitted';
  started_at: string;
  /** End of the sitting plus extension_sec. */
  deadline_at: string;
  /** deadline_at plus the save grace: when the server hands the attempt in. */
  finalize_at: string;
  extension_sec: number;
  submitted_at: string | null;
  submit_reason: SubmitReason | null;
  score: number | null;
  max_score: number | null;
  fullscreen_exits: number;
  /** The exam client allowed to write (migration 0008); null until one enters. Another waits for a proctor's approval. */
  client_id: string | null;
  /** Practical papers: 'pending' until every task is graded; null for theory. */
  grading_state: 'pending' | 'complete' | null;
  auto_score: number | null;
  manual_score: number | null;
}

export interface AnswersTable {
  attempt_id: string;
  question_id: string;
  /** JSON of the answer value. */
  answer: string;
  seq: number;
  saved_at: string;
}

export interface AttemptEventsTable {
  id: string;
  attempt_id: string;
  type: string;
  client_at: string | null;
  server_at: string;
  detail: string | null;
}

/** An uploaded project zip (upload tasks); the answer row points at it. */
export interface UploadsTable {
  id: string;
  attempt_id: string;
  question_id: string;
  name: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
}
