import type { ItemType, Level, Paper } from '@kaowu/core';

export interface CertificatesTable {
  id: string;
  code: string;
  name: string;
  /** JSON: weights, pass mark, levels (see modules/plans/certificate.ts). */
  config: string;
}

export interface BlueprintsTable {
  id: string;
  code: string;
  certificate_id: string;
  paper: Paper;
  name: string;
  /** JSON: BlueprintSpec. */
  spec: string;
  created_at: string;
}

/** One revision of a bank question; rows are never changed once papers may point at them. */
export interface QuestionsTable {
  id: string;
  code: string;
  revision: number;
  certificate_id: string;
  level: Level;
  type: ItemType;
  topic: string;
  stem: string;
  code_snippet: string | null;
  /** JSON: [{id, text}] */
  options: string;
  /** JSON: the key (option id, list of ids, or boolean). */
  answer_key: string;
  points: number;
  explanation: string;
  content_hash: string;
  /** 1 while it may be drawn into new papers. */
  active: number;
  source: string;
  created_at: string;
  /** JSON: TaskSpec for practical tasks; null for theory questions. */
  task: string | null;
}
