// Shapes of the server's console API (see GET /api/openapi.json).

import type {
  BankProblem as CoreBankProblem, CheckResult, CheckVerdict, CombinedScoreSettings, GradingResult, ItemType, Level, MarkingState, Paper, RubricItem,
} from '@kaowu/core';

export type { BankImportReport, CheckVerdict, CombinedScoreSettings, ItemType, Level, MarkingState, Paper, QuestionType, RubricItem } from '@kaowu/core';
export type AttemptState = 'not_entered' | 'in_progress' | 'submitted';

/** operator: runs the exam (everything); grader: 阅卷 only. */
export type StaffRole =
  | 'operator' | 'institution_admin' | 'coordinator' | 'teacher' | 'student' | 'proctor' | 'site_technician' | 'grader';

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  displayName: string;
  /** null for the operator's own staff. */
  institutionId: string | null;
  /** "登录此账号": the coordinator really acting as this teacher. */
  actingFor: { id: string; username: string; displayName: string } | null;
  /** A generated or reset password: the console asks for a new one before anything else. */
  mustChangePassword: boolean;
}

export interface LoginResponse {
  token: string;
  user: StaffUser;
}

export interface SittingSummary {
  id: string;
  name: string;
  level: Level;
  paper: Paper;
  startsAt: string;
  endsAt: string;
}

export interface PlanSummary {
  id: string;
  /** 6 digits, part of ticket numbers. */
  code: string | null;
  name: string;
  examDate: string;
  certificate: string;
  createdAt: string;
  candidates: number;
  sittings: SittingSummary[];
}

export interface AttemptRow {
  registrationId: string;
  ticketNo: string;
  name: string;
  attemptId: string | null;
  state: AttemptState;
  startedAt: string | null;
  deadline: string | null;
  submittedAt: string | null;
  submitReason: string | null;
  answered: number;
  score: number | null;
  maxScore: number | null;
  fullscreenExits: number;
}

export interface SittingAttempts {
  sitting: { id: string; name: string; startsAt: string; endsAt: string; sebRequired: boolean };
  rows: AttemptRow[];
}

export interface BankSummary {
  rows: { level: Level; type: ItemType; count: number }[];
}

/** A bad entry as the import route lists it: the core problem plus its printed form. */
export interface BankProblem extends CoreBankProblem {
  text: string;
}

// ---------------------------------------------------------------------------
// 阅卷 (GET/PUT /api/console/grading/...): anonymous submissions of practical tasks
// ---------------------------------------------------------------------------

/** A practical task with rubric items, and how far its marking is. */
export interface GradingTask {
  questionId: string;
  code: string;
  type: ItemType;
  title: string;
  /** 双评: the largest difference of two marks that needs no arbitration; null for single marking. */
  doubleMarking: number | null;
  /** Handed-in, non-blank answers. */
  submissions: number;
  final: number;
  needsArbitration: number;
  /** Answers this grader may mark now. */
  forMe: number;
  markedByMe: number;
}

/** A grading job's state (the automatic checks). */
export type AutoState = 'queued' | 'running' | 'done' | 'failed';

export type MarkingCheckResult = Omit<CheckResult, 'stdout' | 'stderr'>;

/** The automatic checks' result as the marking screen gets it. */
export interface MarkingChecks extends Pick<GradingResult, 'taskId' | 'earned' | 'max' | 'sandboxMs'> {
  checks: MarkingCheckResult[];
}

export interface MarkItem {
  /** Rubric item id. */
  id: string;
  points: number;
  comment?: string;
}

/** One submission to mark: the task and the answer, never the candidate. */
export interface MarkingItem {
  /** The submission's id (its grading job); the only handle a grader has. */
  markingId: string;
  task: {
    questionId: string;
    code: string;
    type: ItemType;
    title: string;
    statementHtml: string;
    points: number;
    rubric: RubricItem[];
    checks: { id: string; name: string; points: number; sample: boolean }[];
    doubleMarking: number | null;
  };
  answer: {
    files: Record<string, string> | null;
    text: string | null;
    upload: { name: string; size: number; sha256: string } | null;
  };
  checks: MarkingChecks | null;
  /** The automatic checks' job: queued, running, done or failed (see AutoState). */
  autoState: string;
  /** round: the round this grader marks (or marked: 1, 2, or 3 for arbitration); null when final and not marked by them. */
  marking: { state: MarkingState; round: number | null; marksGiven: number };
  /** This grader's own mark, when they have marked this submission. */
  myMark: { round: number; items: MarkItem[]; total: number; comment: string | null; updatedAt: string } | null;
}

export interface MarkInput {
  items: MarkItem[];
  comment?: string;
  /** Required when changing a mark already given. */
  reason?: string;
}

export interface GradingStatus {
  mode: 'in-process' | 'bullmq' | 'off';
  sandbox: { available: boolean; reason?: string };
  /** Grading jobs by state (queued, running, done, failed); states with none are absent. */
  jobs: Partial<Record<AutoState, number>> & Record<string, number | undefined>;
}

// ---------------------------------------------------------------------------
// 成绩 (operators): GET /api/console/plans/:planId/results
// ---------------------------------------------------------------------------

export type PaperResultState = 'not_entered' | 'in_progress' | 'grading' | 'final' | 'disqualified' | 'absent';

export interface PaperResult {
  state: PaperResultState;
  /** Only once final. */
  score: number | null;
  maxScore: number | null;
}

export interface PracticalResult extends PaperResult {
  auto: number | null;
  manual: number | null;
  attemptId: string | null;
}

export interface ResultRow {
  registrationId: string;
  ticketNo: string;
  name: string;
  level: Level;
  theory: PaperResult;
  practical: PracticalResult;
  /** Null until both papers are final. */
  combined: number | null;
  passed: boolean | null;
}

export interface PlanResults {
  plan: { id: string; name: string };
  settings: CombinedScoreSettings;
  rows: ResultRow[];
}

/** One task of a practical paper, on the paper's scale. */
export interface PracticalTaskScore {
  questionId: string;
  code: string;
  title: string;
  type: ItemType;
  paperPoints: number;
  /** Null while the automatic checks have not run. */
  auto: number | null;
  /** Null while people's marking is not final. */
  manual: number | null;
  marking: MarkingState | 'not-needed';
  blank: boolean;
  /** See AutoState; null when the task has no job. */
  autoState: string | null;
  autoError: string | null;
}

export interface PracticalBreakdown {
  auto: number;
  manual: number;
  complete: boolean;
  score: number | null;
  maxScore: number;
  tasks: PracticalTaskScore[];
}
