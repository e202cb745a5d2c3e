import { z } from 'zod';

/**
 * The exam clock: when a candidate may log in, enter, save and hand in.
 * Pure functions of times in epoch milliseconds; the server is the only clock
 * that counts. Defaults are the manual's (part 6).
 */
export const sittingRulesSchema = z.object({
  /** Log-in (the waiting room) opens this many minutes before the start. */
  loginOpensMin: z.number().min(0).max(240).default(5),
  /** A candidate who has not entered may not enter later than this after the start. */
  lateEntryMin: z.number().min(0).max(600).default(30),
  /** No hand-in during the first minutes... */
  earliestSubmitMin: z.number().min(0).max(600).default(30),
  /** ...nor during the last minutes before the candidate's deadline. */
  finalLockMin: z.number().min(0).max(600).default(5),
  /** The warning shown this many minutes before the deadline. */
  warningMin: z.number().min(0).max(600).default(5),
  /** A change made before the deadline may arrive this many seconds after it. */
  saveGraceSec: z.number().int().min(0).max(60).default(30),
  /** Theory paper: leaving full screen submits the paper... */
  fullscreenRequired: z.boolean().default(true),
  /** ...after this many forgiven exits (the manual: none). */
  fullscreenWarnings: z.number().int().min(0).max(20).default(0),
});
export type SittingRules = z.infer<typeof sittingRulesSchema>;
export type SittingRulesInput = z.input<typeof sittingRulesSchema>;

export const defaultRules = (): SittingRules => sittingRulesSchema.parse({});

const MIN = 60_000;

export interface SittingTimes {
  startsAt: number;
  endsAt: number;
}

export interface Windows {
  loginOpensAt: number;
  entryClosesAt: number;
  submitOpensAt: number;
  submitClosesAt: number;
  warningAt: number;
  /** When the server hands in an attempt still open: the deadline plus the save grace. */
  finalizeAt: number;
}

/** `deadline` is the end of the sitting plus this candidate's time compensation. */
export function windows(t: SittingTimes, rules: SittingRules, deadline: number = t.endsAt): Windows {
  return {
    loginOpensAt: t.startsAt - rules.loginOpensMin * MIN,
    entryClosesAt: Math.min(t.startsAt + rules.lateEntryMin * MIN, t.endsAt),
    submitOpensAt: t.startsAt + rules.earliestSubmitMin * MIN,
    submitClosesAt: deadline - rules.finalLockMin * MIN,
    warningAt: deadline - rules.warningMin * MIN,
    finalizeAt: deadline + rules.saveGraceSec * 1000,
  };
}

export type EnterDecision = 'NOT_STARTED' | 'ENTRY_CLOSED' | 'OK';

/** May a candidate enter (or, with an attempt, resume) the sitting now? */
export function enterDecision(t: SittingTimes, rules: SittingRules, now: number, hasAttempt: boolean): EnterDecision {
  if (now < t.startsAt) return 'NOT_STARTED';
  if (!hasAttempt && now > windows(t, rules).entryClosesAt) return 'ENTRY_CLOSED';
  return 'OK';
}

export type SubmitDecision = 'OK' | 'SUBMIT_TOO_EARLY' | 'SUBMIT_CLOSED' | 'TIME_OVER';

export function submitDecision(t: SittingTimes, rules: SittingRules, deadline: number, now: number): SubmitDecision {
  if (now >= deadline) return 'TIME_OVER';
  const w = windows(t, rules, deadline);
  if (now < w.submitOpensAt) return 'SUBMIT_TOO_EARLY';
  if (now > w.submitClosesAt) return 'SUBMIT_CLOSED';
  return 'OK';
}

/**
 * A save is accepted up to the deadline; after it, only a change the client
 * says it made before the deadline, and only within the grace.
 */
export function saveAccepted(rules: Pick<SittingRules, 'saveGraceSec'>, deadline: number, now: number, changedAt?: number): boolean {
  if (now < deadline) return true;
  return changedAt !== undefined && changedAt < deadline && now <= deadline + rules.saveGraceSec * 1000;
}

export type CandidateSittingState = 'upcoming' | 'waiting' | 'open' | 'submitted' | 'closed';

export function candidateSittingState(
  t: SittingTimes,
  rules: SittingRules,
  now: number,
  attempt: { submitted: boolean; deadline: number } | null,
): CandidateSittingState {
  if (attempt?.submitted) return 'submitted';
  const w = windows(t, rules, attempt?.deadline ?? t.endsAt);
  if (now < w.loginOpensAt) return 'upcoming';
  if (now < t.startsAt) return 'waiting';
  if (attempt) return now < w.finalizeAt ? 'open' : 'submitted';
  return now <= w.entryClosesAt ? 'open' : 'closed';
}

/** What the full-screen policy says about the n-th exit (1-based). */
export function fullscreenExitAction(rules: SittingRules, paper: 'theory' | 'practical', exits: number): 'none' | 'warning' | 'submit' {
  if (paper !== 'theory' || !rules.fullscreenRequired) return 'none';
  return exits > rules.fullscreenWarnings ? 'submit' : 'warning';
}
