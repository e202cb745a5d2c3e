// Shapes of the candidate API (docs/api-candidate.md).

export type PaperKind = 'theory' | 'practical';
export type SittingState = 'upcoming' | 'waiting' | 'open' | 'submitted' | 'closed';
export type ChoiceType = 'single' | 'multiple' | 'truefalse';
/** Practical tasks (实操题). */
export type TaskType = 'code' | 'webpage' | 'case' | 'upload';
export type QuestionType = ChoiceType | TaskType;

/** code, webpage: every editable file by relative path (starter files included). */
export interface FilesAnswer {
  files: Record<string, string>;
}
/** case: the candidate's written analysis. */
export interface TextAnswer {
  text: string;
}
/** upload: the zip the server holds (set by the upload endpoint, never PUT as an answer). */
export interface UploadInfo {
  id: string;
  name: string;
  size: number;
  sha256: string;
}
export interface UploadAnswer {
  upload: UploadInfo;
}

/**
 * single → option id; multiple → option ids; truefalse → boolean; code and
 * webpage → files; case → text; upload → the uploaded zip; null → cleared.
 */
export type Answer = string | string[] | boolean | FilesAnswer | TextAnswer | UploadAnswer | null;

export interface CandidateInfo {
  name: string;
  ticketNo: string;
  level?: string;
}

export interface SittingSummary {
  id: string;
  paper: PaperKind;
  startsAt: string;
  endsAt: string;
  state: SittingState;
  name: string;
}

export interface LoginResponse {
  token: string;
  candidate: CandidateInfo;
  sittings: SittingSummary[];
}

export interface Option {
  id: string;
  text: string;
}

export interface TaskSample {
  id: string;
  name: string;
  stdin?: string;
  stdout?: string;
  description?: string;
}

export interface TaskDataFile {
  path: string;
  /** bytes (UTF-8) */
  size: number;
  /** absent for a file too large to show */
  text?: string;
}

/** A practical task as the candidate sees it (never its hidden checks). */
export interface Task {
  type: TaskType;
  title: string;
  /** rendered on the server from the bank's Markdown; raw HTML in it is escaped */
  statementHtml: string;
  /** the editable files the candidate starts with */
  files: Record<string, string>;
  /** read-only files of the working folder */
  data: TaskDataFile[];
  /** the module the samples run */
  entry: string;
  samples: TaskSample[];
  /** whether 运行样例 has anything to run */
  runnable: boolean;
  /** upload: the largest zip accepted */
  maxUploadKb?: number;
}

export interface Question {
  id: string;
  type: QuestionType;
  stem: string;
  code?: string | null;
  options: Option[];
  points: number;
  task?: Task;
}

export interface SavedAnswer {
  answer: Answer;
  seq: number;
}

export interface Rules {
  submitOpensAt: string;
  submitClosesAt: string;
  warningAt: string;
  fullscreenRequired: boolean;
  fullscreenWarnings: number;
}

export interface EnterResponse {
  attemptId: string;
  serverNow: string;
  startsAt: string;
  endsAt: string;
  deadline: string;
  sitting: { id: string; name: string; paper: PaperKind; level: string };
  candidate: { name: string; ticketNo: string };
  rules: Rules;
  fullscreenExits: number;
  questions: Question[];
  answers: Record<string, SavedAnswer>;
}

export interface PutAnswerBody {
  answer: Answer;
  seq: number;
  changedAt?: string;
}

export interface PutAnswerResponse {
  seq: number;
  savedAt: string;
}

export type EventType = 'fullscreen-exit' | 'focus-loss' | 'reconnect' | 'reload' | 'offline';

export interface EventResponse {
  recorded: boolean;
  action: 'none' | 'warning' | 'submitted';
  warningsLeft?: number;
}

/** How an attempt was handed in (GET …/status). */
export type SubmitReason = 'candidate' | 'deadline' | 'fullscreen-exit' | 'proctor' | 'disqualified';

/** 监考员广播, the 5-minute reminder, 监考员警告. */
export type ProctorMessageKind = 'broadcast' | 'auto-warning' | 'warning';

export interface ProctorMessage {
  id: string;
  kind: ProctorMessageKind;
  text: string;
  at: string;
}

export interface StatusResponse {
  state: 'in_progress' | 'submitted';
  deadline: string;
  serverNow: string;
  submittedAt?: string;
  submitReason?: SubmitReason;
  /** the proctor's reason, for 'proctor' and 'disqualified' */
  submitNote?: string;
  /** oldest first; absent from servers before the proctor console */
  messages?: ProctorMessage[];
}

export type CheckVerdict = 'passed' | 'failed' | 'error' | 'timeout' | 'memory' | 'output-limit' | 'killed' | 'sandbox-error';

export interface CheckResult {
  id: string;
  name: string;
  sample: boolean;
  verdict: CheckVerdict;
  points: number;
  earned: number;
  /** a short Chinese explanation */
  message: string;
  stdout?: string;
  stderr?: string;
  timeMs: number;
}

/** POST …/questions/:questionId/run */
export interface RunResult {
  taskId: string;
  samplesOnly: boolean;
  earned: number;
  max: number;
  sandboxMs: number;
  checks: CheckResult[];
}

/** PUT …/questions/:questionId/upload */
export interface UploadResponse {
  seq: number;
  savedAt: string;
  upload: UploadInfo;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  [extra: string]: unknown;
}
