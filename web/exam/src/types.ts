// Shapes of the candidate API (docs/api-candidate.md).

export type PaperKind = 'theory' | 'practical';
export type SittingState = 'upcoming' | 'waiting' | 'open' | 'submitted' | 'closed';
export type QuestionType = 'single' | 'multiple' | 'truefalse';

/** single → option id; multiple → option ids; truefalse → boolean; null → cleared. */
export type Answer = string | string[] | boolean | null;

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

export interface Question {
  id: string;
  type: QuestionType;
  stem: string;
  code?: string | null;
  options: Option[];
  points: number;
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

export interface StatusResponse {
  state: 'in_progress' | 'submitted';
  deadline: string;
  serverNow: string;
  submittedAt?: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  [extra: string]: unknown;
}
