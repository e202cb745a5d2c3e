/** One automatic grading of one task of a handed-in attempt; results are recorded once. */
export interface GradingJobsTable {
  id: string;
  attempt_id: string;
  question_id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  tries: number;
  lease_until: string | null;
  earned: number | null;
  max: number | null;
  /** JSON: GradingResult. */
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** A grader's mark of one task of one attempt against its rubric. */
export interface MarksTable {
  id: string;
  attempt_id: string;
  question_id: string;
  grader_id: string;
  round: number;
  /** JSON: [{ id, points, comment? }] per rubric item. */
  items: string;
  total: number;
  comment: string | null;
  created_at: string;
  updated_at: string;
}
