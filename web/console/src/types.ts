// Shapes of the server's console API (see GET /api/openapi.json).

import type { BankProblem as CoreBankProblem, Level, Paper, QuestionType } from '@kaowu/core';

export type { BankImportReport, Level, Paper, QuestionType } from '@kaowu/core';
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

/** A bad entry as the import route lists it: the core problem plus its printed form. */
export interface BankProblem extends CoreBankProblem {
  text: string;
}
