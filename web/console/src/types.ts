// Shapes of the server's console API (see GET /api/openapi.json).

export type Level = 'junior' | 'intermediate' | 'advanced';
export type Paper = 'theory' | 'practical';
export type QuestionType = 'single' | 'multiple' | 'truefalse';
export type AttemptState = 'not_entered' | 'in_progress' | 'submitted';

export interface StaffUser {
  id: string;
  username: string;
  role: string;
  displayName: string;
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
  sitting: { id: string; name: string; startsAt: string; endsAt: string };
  rows: AttemptRow[];
}

export interface BankSummary {
  rows: { level: Level; type: QuestionType; count: number }[];
}

export interface BankImportReport {
  certificate: string;
  level: string;
  added: number;
  revised: number;
  unchanged: number;
}

export interface BankProblem {
  line?: number;
  col?: number;
  path: string;
  questionId?: string;
  message: string;
  text: string;
}
