import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  candidateSittingState, defaultRules, enterDecision, fullscreenExitAction, saveAccepted, sittingRulesSchema, submitDecision, windows,
} from '../src/index.ts';

const MIN = 60_000;
const S = Date.parse('2026-06-20T00:30:00Z');
const sitting = { startsAt: S, endsAt: S + 90 * MIN };
const rules = defaultRules();

test('the manual\'s defaults', () => {
  assert.deepEqual(rules, {
    loginOpensMin: 5, lateEntryMin: 30, earliestSubmitMin: 30, finalLockMin: 5, warningMin: 5, saveGraceSec: 30,
    fullscreenRequired: true, fullscreenWarnings: 0,
  });
  assert.throws(() => sittingRulesSchema.parse({ saveGraceSec: 61 }), /60/);
});

test('entering, by minutes from the start', () => {
  const table: [number, boolean, string][] = [
    [-10, false, 'NOT_STARTED'],
    [-0.01, true, 'NOT_STARTED'],
    [0, false, 'OK'],
    [30, false, 'OK'],
    [30.01, false, 'ENTRY_CLOSED'],
    [31, true, 'OK'], // resuming is always allowed
    [89, true, 'OK'],
  ];
  for (const [min, hasAttempt, expected] of table) {
    assert.equal(enterDecision(sitting, rules, S + min * MIN, hasAttempt), expected, `${min} min, attempt=${hasAttempt}`);
  }
});

test('handing in, by minutes from the start, with and without time compensation', () => {
  const table: [number, number, string][] = [
    // [minute, extra minutes granted, decision]
    [0, 0, 'SUBMIT_TOO_EARLY'],
    [29.99, 0, 'SUBMIT_TOO_EARLY'],
    [30, 0, 'OK'],
    [85, 0, 'OK'],
    [85.01, 0, 'SUBMIT_CLOSED'],
    [89.99, 0, 'SUBMIT_CLOSED'],
    [90, 0, 'TIME_OVER'],
    [90, 10, 'OK'], // a candidate given 10 more minutes may still hand in
    [95.01, 10, 'SUBMIT_CLOSED'],
    [100, 10, 'TIME_OVER'],
  ];
  for (const [min, extra, expected] of table) {
    const deadline = sitting.endsAt + extra * MIN;
    assert.equal(submitDecision(sitting, rules, deadline, S + min * MIN), expected, `${min} min, +${extra}`);
  }
});

test('saves: until the deadline; after it only changes made before it, within the grace', () => {
  const d = sitting.endsAt;
  const table: [number, number | undefined, boolean][] = [
    [d - 1, undefined, true],
    [d, undefined, false],
    [d + 1000, d - 500, true],
    [d + 30_000, d - 500, true],
    [d + 30_001, d - 500, false],
    [d + 1000, d + 1, false], // a change claimed after the deadline
  ];
  for (const [now, changedAt, expected] of table) assert.equal(saveAccepted(rules, d, now, changedAt), expected, `${now - d} ms, changedAt ${changedAt}`);
});

test('windows and the candidate\'s view of a sitting', () => {
  const w = windows(sitting, rules, sitting.endsAt + 5 * MIN);
  assert.equal(w.loginOpensAt, S - 5 * MIN);
  assert.equal(w.entryClosesAt, S + 30 * MIN);
  assert.equal(w.submitClosesAt, sitting.endsAt);
  assert.equal(w.warningAt, sitting.endsAt);
  assert.equal(w.finalizeAt, sitting.endsAt + 5 * MIN + 30_000);
  // A short sitting: entry can never close after the end.
  assert.equal(windows({ startsAt: S, endsAt: S + 10 * MIN }, rules).entryClosesAt, S + 10 * MIN);

  const state = (min: number, attempt: null | { submitted: boolean; deadline: number }) => candidateSittingState(sitting, rules, S + min * MIN, attempt);
  assert.equal(state(-6, null), 'upcoming');
  assert.equal(state(-5, null), 'waiting');
  assert.equal(state(0, null), 'open');
  assert.equal(state(31, null), 'closed');
  assert.equal(state(31, { submitted: false, deadline: sitting.endsAt }), 'open');
  assert.equal(state(91, { submitted: false, deadline: sitting.endsAt }), 'submitted');
  assert.equal(state(40, { submitted: true, deadline: sitting.endsAt }), 'submitted');
});

test('full-screen policy', () => {
  assert.equal(fullscreenExitAction(rules, 'theory', 1), 'submit');
  assert.equal(fullscreenExitAction({ ...rules, fullscreenWarnings: 2 }, 'theory', 1), 'warning');
  assert.equal(fullscreenExitAction({ ...rules, fullscreenWarnings: 2 }, 'theory', 2), 'warning');
  assert.equal(fullscreenExitAction({ ...rules, fullscreenWarnings: 2 }, 'theory', 3), 'submit');
  assert.equal(fullscreenExitAction(rules, 'practical', 5), 'none');
  assert.equal(fullscreenExitAction({ ...rules, fullscreenRequired: false }, 'theory', 1), 'none');
});
