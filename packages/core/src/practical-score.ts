import { roundScore } from './scoring.ts';

/**
 * The rules of people's marks (阅卷) and of the certificate's combined score.
 * Pure, so they are tested as tables (packages/core/test/practical-score.test.ts).
 */

export interface Mark {
  /** 1 and 2: independent marks; 3: arbitration. */
  round: number;
  total: number;
}

export type MarkingState = 'needs-first' | 'needs-second' | 'needs-arbitration' | 'final';

export const MARKING_STATE_NAMES: Record<MarkingState, string> = {
  'needs-first': '待评',
  'needs-second': '待二评',
  'needs-arbitration': '待仲裁',
  final: '已定分',
};

export interface MarkingOutcome {
  state: MarkingState;
  /** The task's manual points once final. */
  total: number | null;
  /** The next round a grader would mark, when not final. */
  nextRound: number | null;
}

/**
 * Single marking: the one mark is final. Double marking (双评): two
 * independent marks within `threshold` of each other give their average;
 * further apart, a third grader arbitrates and the result is the average of
 * the arbitration and the nearer of the two first marks.
 */
export function resolveMarking(marks: readonly Mark[], double?: { threshold: number }): MarkingOutcome {
  const byRound = new Map(marks.map((m) => [m.round, m.total]));
  const first = byRound.get(1);
  if (first === undefined) return { state: 'needs-first', total: null, nextRound: 1 };
  if (!double) return { state: 'final', total: first, nextRound: null };
  const second = byRound.get(2);
  if (second === undefined) return { state: 'needs-second', total: null, nextRound: 2 };
  if (Math.abs(first - second) <= double.threshold) return { state: 'final', total: roundScore((first + second) / 2), nextRound: null };
  const third = byRound.get(3);
  if (third === undefined) return { state: 'needs-arbitration', total: null, nextRound: 3 };
  const nearer = Math.abs(third - first) <= Math.abs(third - second) ? first : second;
  return { state: 'final', total: roundScore((third + nearer) / 2), nextRound: null };
}

export interface CombinedScoreSettings {
  weights: { theory: number; practical: number };
  passMark: number;
  decimals: number;
}

export const DEFAULT_COMBINED_SETTINGS: CombinedScoreSettings = { weights: { theory: 0.4, practical: 0.6 }, passMark: 60, decimals: 1 };

/** Rounds half up at `decimals` places, free of binary noise (0.4 × 75 + 0.6 × 62.5 = 67.5, not 67.49999). */
export function roundHalfUp(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(Number((n * f).toFixed(6))) / f;
}

export interface CombinedScore {
  combined: number | null;
  passed: boolean | null;
}

/** combined = w_t × theory + w_p × practical; null until both papers have a final score. */
export function combinedScore(theory: number | null, practical: number | null, s: CombinedScoreSettings = DEFAULT_COMBINED_SETTINGS): CombinedScore {
  if (theory === null || practical === null) return { combined: null, passed: null };
  const combined = roundHalfUp(s.weights.theory * theory + s.weights.practical * practical, s.decimals);
  return { combined, passed: combined >= s.passMark };
}
