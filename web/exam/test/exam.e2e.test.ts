// End to end: the built exam client in Debian's Chromium (playwright-core),
// the real server in a child process on a fresh SQLite database, and the
// database read directly. One demo sitting starts ~25 s after the set-up, with
// hand-in allowed at once (earliestSubmitMin 0, finalLockMin 0):
//   - candidate 1 logs in, waits in the waiting room, is let in at the start,
//     enters full screen, answers, reloads, goes offline and back, hands in;
//   - candidate 2 has a local clock 3 hours behind (and later 5 hours ahead):
//     both countdowns follow the server;
//   - candidate 3 leaves full screen, which submits the paper.
// The tests of this file run in order and share the sitting. The browser runs
// in New York time with an English locale: the client must show Beijing time
// and Chinese on its own.
//
//   node --import tsx --test web/exam/test/exam.e2e.test.ts
// KAOWU_SCREENSHOTS=<dir> keeps the screenshots in <dir>/exam (otherwise a temp dir, removed).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beijingDateTime } from '../../test-support/beijing.ts';
import { chromiumMissing, launchChromiumDuring } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import {
  attemptRow, countdownSeconds, ensureExamBuilt, eventTypes, eventually, normalize, pngSize, serverNow, startExam, storedAnswers,
  type AnswerValue, type Exam,
} from './e2e.ts';

const START_IN_MS = 25_000;
const HOUR = 3600_000;
// Failed loads the browser logs as console errors when the client meets an expected error.
const WRONG_LOGIN = /status of 401 .*\/api\/candidate\/login$/;
const NOT_STARTED = /status of 409 .*\/api\/candidate\/sittings\/[^/]+\/attempt$/;
const OFFLINE = /net::ERR_INTERNET_DISCONNECTED .*\/api\/candidate\/attempts\/[^/]+\/answers\//;


interface EnterQuestion {
  id: string;
  type: 'single' | 'multiple' | 'truefalse';
  options: { id: string; text: string }[];
}

interface Tab {
  context: BrowserContext;
  page: Page;
  /** page errors, console errors, and failed loads nobody expected */
  errors: string[];
  /** failed loads a step expects (the browser logs them as console errors): "<message> <url>" must match */
  allowed: RegExp[];
  /** the expected failed loads that happened */
  expectedFailures: string[];
}

// The timeout covers the set-up, the wait for the start and every test: about 40 s on an idle machine,
// 60–75 s with the CPUs four times oversubscribed; 180 s leaves room for a machine busier still (the
// timeout only stops a hung run, it proves nothing).
describe('exam client in Chromium, end to end', { skip: chromiumMissing, timeout: 180_000 }, () => {
  let exam: Exam;
  let browser: Browser;
  let startsAt: number;
  const tabs: Tab[] = [];
  const shots = shotsDir('exam');

  // Candidate 1's state, carried from test to test.
  let main: Tab;
  let attemptId = '';
  let questions: EnterQuestion[] = [];
  let enterBody: { attemptId: string; questions: EnterQuestion[] } | null = null;
  /** display number → question */
  let byNumber = new Map<number, EnterQuestion>();
  /** what candidate 1 answered: display number → answer (multiple choice sorted) */
  const expected = new Map<number, AnswerValue>();

  before(async () => {
    ensureExamBuilt();
    startsAt = Date.now() + START_IN_MS;
    browser = await launchChromiumDuring(async () => {
      exam = await startExam({ candidates: 3, startsAt, startsInMsAfterSetUp: START_IN_MS, durationMin: 30, rules: { earliestSubmitMin: 0, finalLockMin: 0 } });
      startsAt = exam.startsAt;
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await exam?.close();
    }
  });

  async function openTab(): Promise<Tab> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const tab: Tab = { context, page, errors: [], allowed: [], expectedFailures: [] };
    page.on('pageerror', (e) => tab.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const line = `${m.text()} ${m.location().url}`;
      if (m.text().startsWith('Failed to load resource:') && tab.allowed.some((re) => re.test(line))) tab.expectedFailures.push(line);
      else tab.errors.push(`console.error: ${line}`);
    });
    tabs.push(tab);
    return tab;
  }

  function assertNoErrors(tab: Tab): void {
    assert.deepEqual(tab.errors, [], 'no page error and no console error');
  }

  /**
   * Runs a step during which the browser is expected to log failed loads
   * matching `re` (an HTTP error the client handles, or a request made offline).
   */
  async function expectingFailedLoads<T>(tab: Tab, re: RegExp, step: () => Promise<T>): Promise<T> {
    tab.allowed.push(re);
    try {
      return await step();
    } finally {
      tab.allowed.splice(tab.allowed.indexOf(re), 1);
    }
  }

  async function shot(page: Page, name: string): Promise<void> {
    const png = await page.screenshot({ path: path.join(shots, `${name}.png`) });
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 }, `${name}.png is 1024×768`);
  }

  async function logIn(page: Page, c: { ticketNo: string; idNumber: string }): Promise<void> {
    await page.getByTestId('login-ticket').fill(c.ticketNo);
    await page.getByTestId('login-id').fill(c.idNumber);
    await page.getByTestId('login-submit').click();
  }

  /** Seconds on a countdown element, and the server's own remaining seconds to `target`. */
  async function countdownVsServer(page: Page, testId: string, target: number): Promise<{ shown: number; server: number }> {
    const shown = countdownSeconds(await page.getByTestId(testId).innerText());
    const server = (target - (await serverNow(exam.server.base))) / 1000;
    return { shown, server };
  }

  async function goTo(page: Page, n: number): Promise<void> {
    await page.getByTestId(`nav-${n}`).click();
    await page.locator(`[data-testid=question][data-number="${n}"]`).waitFor();
  }

  /** The answer the current question shows, read from the checked inputs. */
  async function shownAnswer(page: Page, q: EnterQuestion): Promise<AnswerValue> {
    if (q.type === 'truefalse') {
      const t = await page.getByTestId('truefalse-true').isChecked();
      const f = await page.getByTestId('truefalse-false').isChecked();
      assert.ok(!(t && f));
      return t ? true : f ? false : null;
    }
    const ids = await page.locator('[data-testid=question] input:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-option-id') as string));
    if (q.type === 'single') {
      assert.ok(ids.length <= 1);
      return ids[0] ?? null;
    }
    return ids.length ? normalize(ids) : null;
  }

  /** What the database holds for candidate 1, keyed by display number. */
  async function storedByNumber(): Promise<Map<number, AnswerValue>> {
    const stored = await storedAnswers(exam.ctx, attemptId);
    const out = new Map<number, AnswerValue>();
    for (const [n, q] of byNumber) if (q.id in stored) out.set(n, stored[q.id]!);
    assert.equal(out.size, Object.keys(stored).length, 'every stored answer belongs to this paper');
    return out;
  }

  async function waitSaved(page: Page, timeout = 15_000): Promise<void> {
    await page.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor({ timeout });
    assert.equal(await page.getByTestId('save-status').innerText(), '已保存');
  }

  it('logs in through the form and shows the waiting room with a countdown to the start', async () => {
    main = await openTab();
    const { page } = main;
    page.on('response', (r) => {
      if (enterBody || r.request().method() !== 'POST' || !r.url().endsWith(`/sittings/${exam.demo.sittingId}/attempt`) || r.status() !== 200) return;
      r.json().then((b) => (enterBody ??= b), () => {});
    });
    const c = exam.demo.candidates[0]!;
    await page.goto(`${exam.server.base}/exam/`);
    await page.getByTestId('login-ticket').waitFor();
    await shot(page, '1-login');

    // A wrong ID number is refused with the server's message.
    await expectingFailedLoads(main, WRONG_LOGIN, async () => {
      await logIn(page, { ticketNo: c.ticketNo, idNumber: '110101199003077777' });
      await page.getByTestId('login-error').waitFor();
    });
    assert.ok((await page.getByTestId('login-error').innerText()).length > 0);

    main.allowed.push(NOT_STARTED); // until the paper opens (a later test)
    await logIn(page, c);
    await page.getByTestId('waiting-room').waitFor();
    assert.ok(main.expectedFailures.some((l) => NOT_STARTED.test(l)), 'the server answered NOT_STARTED');
    assert.ok(Date.now() < startsAt, 'the set-up took so long that the sitting started before the log-in');
    assert.equal(await page.getByTestId('candidate-name').innerText(), c.name);
    const sitting = await exam.ctx.db.selectFrom('sittings').select(['starts_at', 'name']).where('id', '=', exam.demo.sittingId).executeTakeFirstOrThrow();
    assert.equal(Date.parse(sitting.starts_at), startsAt);
    const room = await page.getByTestId('waiting-room').innerText();
    assert.ok(room.includes(sitting.name), `the sitting's name in: ${room}`);
    assert.ok(room.includes(`${beijingDateTime(startsAt)}（北京时间）`), `the start in Beijing time (${beijingDateTime(startsAt)}) in: ${room}`);
    const { shown, server } = await countdownVsServer(page, 'start-countdown', startsAt);
    assert.ok(shown > 0, `countdown to the start: ${shown} s`);
    assert.ok(Math.abs(shown - server) <= 2, `the waiting room shows ${shown} s to the start, the server says ${server.toFixed(1)} s`);
    await shot(page, '2-waiting-room');
    assert.ok(await page.getByTestId('waiting-room').isVisible(), 'still waiting (nothing entered early)');
    assertNoErrors(main);
  });

  it('with a local clock 3 hours behind, and then 5 hours ahead, the countdowns follow the server', async () => {
    const tab = await openTab();
    const { page } = tab;
    // The fake clock keeps performance.now() monotonic, as a real machine does when its wall clock is wrong or changed.
    await page.clock.setSystemTime(Date.now() - 3 * HOUR);
    const c = exam.demo.candidates[1]!;
    await page.goto(`${exam.server.base}/exam/`);
    const skew = (await page.evaluate(() => Date.now())) - Date.now();
    assert.ok(Math.abs(skew + 3 * HOUR) < 60_000, `the page's Date.now() is 3 h behind (${skew} ms)`);

    await expectingFailedLoads(tab, NOT_STARTED, async () => {
      await logIn(page, c);
      await page.getByTestId('waiting-room').waitFor();
      const wait = await countdownVsServer(page, 'start-countdown', startsAt);
      assert.ok(wait.shown > 0 && Math.abs(wait.shown - wait.server) <= 2, `waiting room: shown ${wait.shown} s, server ${wait.server.toFixed(1)} s`);

      // Let in at the start (plus up to 3 s of jitter), not 3 hours later.
      await page.getByTestId('paper').waitFor({ timeout: Math.max(0, startsAt - Date.now()) + 10_000 });
    });
    const id = (await page.getByTestId('paper').getAttribute('data-attempt-id'))!;
    const row = await attemptRow(exam.ctx, id);
    assert.equal(Date.parse((await page.getByTestId('countdown').getAttribute('data-deadline'))!), Date.parse(row.deadline_at));
    const deadline = Date.parse(row.deadline_at);
    const paper = await countdownVsServer(page, 'countdown', deadline);
    assert.ok(Math.abs(paper.shown - paper.server) <= 2, `paper: shown ${paper.shown} s, server ${paper.server.toFixed(1)} s`);
    assert.ok(paper.shown > 25 * 60 && paper.shown <= 30 * 60, `about 30 minutes left: ${paper.shown} s`);

    // The machine's clock is changed during the exam: the countdown does not move, not even for a moment.
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=countdown]');
        w.seen.push(el ? el.textContent! : 'no countdown');
        if (document.querySelector('[data-testid=time-over-saving]')) w.seen.push('time-over overlay');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.clock.setSystemTime(Date.now() + 5 * HOUR);
    await page.waitForFunction(() => new Set((window as unknown as { seen: string[] }).seen).size >= 3); // two ticks at least
    const jumped = await countdownVsServer(page, 'countdown', deadline);
    assert.ok(Math.abs(jumped.shown - jumped.server) <= 2, `after the jump: shown ${jumped.shown} s, server ${jumped.server.toFixed(1)} s`);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    for (const t of seen) assert.ok(t !== 'time-over overlay' && Math.abs(countdownSeconds(t) - jumped.server) <= 5, `shown after the jump: ${seen.join(', ')}`);
    assertNoErrors(tab);
    await tab.context.close();
  });

  it('enters the paper by itself at the start and asks for full screen before answering', async () => {
    const { page } = main;
    await page.getByTestId('paper').waitFor({ timeout: Math.max(0, startsAt - Date.now()) + 10_000 });
    main.allowed.splice(main.allowed.indexOf(NOT_STARTED), 1);
    attemptId = (await page.getByTestId('paper').getAttribute('data-attempt-id'))!;
    assert.ok(attemptId);
    const row = await attemptRow(exam.ctx, attemptId);
    assert.equal(row.state, 'in_progress');
    assert.ok(Date.parse(row.started_at) >= startsAt, 'entered at the start, not before');

    // The questions as the server sent them to the page.
    const body = await eventually('the enter response', async () => enterBody);
    assert.equal(body.attemptId, attemptId);
    questions = body.questions;
    const types = new Map(questions.map((q) => [q.id, q]));
    const n = await page.locator('[data-testid^=nav-]').count();
    assert.equal(n, questions.length, 'one navigator button per question');
    byNumber = new Map();
    for (let i = 1; i <= n; i++) {
      const qid = (await page.getByTestId(`nav-${i}`).getAttribute('data-question-id'))!;
      byNumber.set(i, types.get(qid)!);
    }
    const order = [...byNumber.values()].map((q) => q.type);
    const grouped = [...order].sort((a, b) => ['single', 'multiple', 'truefalse'].indexOf(a) - ['single', 'multiple', 'truefalse'].indexOf(b));
    assert.deepEqual(order, grouped, '单选, then 多选, then 判断');
    for (const t of ['single', 'multiple', 'truefalse']) assert.ok(order.filter((x) => x === t).length >= 4, `at least 4 questions of type ${t}`);

    // Full screen is required: the overlay blocks answering until the candidate clicks.
    await page.getByTestId('fullscreen-overlay').waitFor();
    assert.ok(await page.getByTestId('option-A').isDisabled(), 'answering is blocked before full screen');
    await shot(page, '3-fullscreen-overlay');
    await page.getByTestId('enter-fullscreen').click();
    await page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => !!document.fullscreenElement), true);
    assert.ok(await page.getByTestId('option-A').isEnabled());
    assert.equal(await page.getByTestId('save-status').innerText(), '已保存');
    assertNoErrors(main);
  });

  it('answers single, multiple and true/false questions, and the server stores exactly those answers', async () => {
    const { page } = main;
    const numbersOf = (t: string) => [...byNumber].filter(([, q]) => q.type === t).map(([n]) => n);
    const labels = ['A', 'B', 'C', 'D'];
    for (const [i, n] of numbersOf('single').slice(0, 3).entries()) {
      await goTo(page, n);
      const input = page.getByTestId(`option-${labels[i + 1]}`);
      await input.click();
      expected.set(n, (await input.getAttribute('data-option-id'))!);
    }
    for (const [i, n] of numbersOf('multiple').slice(0, 3).entries()) {
      await goTo(page, n);
      const chosen = [labels[i]!, labels[i + 1 + (i % 2)]!];
      const ids: string[] = [];
      for (const l of chosen) {
        await page.getByTestId(`option-${l}`).click();
        ids.push((await page.getByTestId(`option-${l}`).getAttribute('data-option-id'))!);
      }
      expected.set(n, normalize(ids));
    }
    for (const [i, n] of numbersOf('truefalse').slice(0, 3).entries()) {
      await goTo(page, n);
      const v = i % 2 === 0;
      await page.getByTestId(`truefalse-${v}`).click();
      expected.set(n, v);
    }
    for (const [n, a] of expected) {
      await goTo(page, n);
      assert.deepEqual(await shownAnswer(page, byNumber.get(n)!), a, `question ${n} shows the answer just given`);
    }
    assert.equal(await page.getByTestId('answered-count').innerText(), String(expected.size));
    for (const n of expected.keys()) assert.equal(await page.getByTestId(`nav-${n}`).getAttribute('data-answered'), 'true');
    assert.equal(await page.getByTestId(`nav-${numbersOf('single')[3]}`).getAttribute('data-answered'), 'false');

    await waitSaved(page);
    assert.deepEqual(await storedByNumber(), expected, 'the database holds the answers given');
    assert.equal(await page.evaluate((id) => localStorage.getItem(`kaowu.exam.pending.${id}`), attemptId), null, 'nothing left pending');
    await shot(page, '4-paper');
    assertNoErrors(main);
  });

  it('shows every answer again after a reload, without counting the reload as leaving full screen', async () => {
    const { page } = main;
    await page.reload();
    await page.getByTestId('paper').waitFor();
    assert.equal(await page.getByTestId('paper').getAttribute('data-attempt-id'), attemptId, 'back in the same attempt');
    await page.getByTestId('fullscreen-overlay').waitFor();
    await page.getByTestId('enter-fullscreen').click();
    await page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });

    assert.equal(await page.getByTestId('answered-count').innerText(), String(expected.size));
    for (const [n, q] of byNumber) {
      if (!expected.has(n) && q.type !== 'truefalse' && n % 7 !== 0) continue; // every answered one, and a few unanswered
      await goTo(page, n);
      assert.deepEqual(await shownAnswer(page, q), expected.get(n) ?? null, `question ${n} after the reload`);
      assert.equal(await page.getByTestId(`nav-${n}`).getAttribute('data-answered'), String(expected.has(n)));
    }

    await eventually('a reload event', async () => (await eventTypes(exam.ctx, attemptId)).includes('reload'));
    const row = await attemptRow(exam.ctx, attemptId);
    assert.equal(row.state, 'in_progress');
    assert.equal(row.fullscreen_exits, 0);
    assert.ok(!(await eventTypes(exam.ctx, attemptId)).includes('fullscreen-exit'));
    assertNoErrors(main);
  });

  it('keeps changes made offline on the machine and uploads exactly those when back online', async () => {
    const { page, context } = main;
    const before = new Map(expected);
    const seqBefore = new Map((await exam.ctx.db.selectFrom('answers').select(['question_id', 'seq']).where('attempt_id', '=', attemptId).execute()).map((r) => [r.question_id, r.seq]));
    const [s1, s4] = [...byNumber].filter(([, q]) => q.type === 'single').map(([n]) => n).filter((n, i) => i === 0 || i === 3);
    const m1 = [...byNumber].find(([, q]) => q.type === 'multiple')![0];
    const t1 = [...byNumber].find(([, q]) => q.type === 'truefalse')![0];

    main.allowed.push(OFFLINE); // until everything is saved again
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    const failedSave = page.waitForEvent('requestfailed', { predicate: (r) => r.method() === 'PUT' && r.url().includes(`/attempts/${attemptId}/answers/`) });

    // Change an answered single choice, answer a new one, change a multiple choice, flip a true/false.
    await goTo(page, s1!);
    await page.getByTestId('option-D').click();
    expected.set(s1!, (await page.getByTestId('option-D').getAttribute('data-option-id'))!);
    await goTo(page, s4!);
    await page.getByTestId('option-A').click();
    expected.set(s4!, (await page.getByTestId('option-A').getAttribute('data-option-id'))!);
    await goTo(page, m1);
    await page.getByTestId('option-A').click(); // was chosen: unchecked
    await page.getByTestId('option-D').click();
    const m1Ids = await page.locator('[data-testid=question] input:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-option-id') as string));
    expected.set(m1, normalize(m1Ids));
    assert.notDeepEqual(expected.get(m1), before.get(m1));
    await goTo(page, t1);
    await page.getByTestId('truefalse-false').click();
    expected.set(t1, false);
    assert.notEqual(before.get(t1), false);
    const changed = [s1!, s4!, m1, t1];
    /** the seq each change must carry: one more per click */
    const seqAfter = (n: number) => (seqBefore.get(byNumber.get(n)!.id) ?? 0) + (n === m1 ? 2 : 1);

    // The client tries, fails, and keeps the changes.
    await failedSave;
    const status = page.getByTestId('save-status');
    await page.locator('[data-testid=save-status][data-state=offline][data-pending="4"]').waitFor();
    assert.match(await status.innerText(), /未保存/);
    assert.match(await status.innerText(), /4 题待上传/);
    assert.equal(await page.getByTestId('answered-count').innerText(), String(expected.size));

    const pending = JSON.parse((await page.evaluate((id) => localStorage.getItem(`kaowu.exam.pending.${id}`), attemptId)) ?? '{}') as Record<
      string,
      { answer: AnswerValue; seq: number }
    >;
    assert.deepEqual(Object.keys(pending).sort(), changed.map((n) => byNumber.get(n)!.id).sort(), 'the pending store holds the four changes');
    for (const n of changed) {
      const p = pending[byNumber.get(n)!.id]!;
      assert.deepEqual(normalize(p.answer), expected.get(n), `pending answer of question ${n}`);
      assert.equal(p.seq, seqAfter(n), `seq of question ${n}`);
    }
    assert.deepEqual(await storedByNumber(), before, 'nothing reached the server while offline');
    await shot(page, '5-offline');

    await context.setOffline(false);
    await waitSaved(page);
    main.allowed.splice(main.allowed.indexOf(OFFLINE), 1);
    assert.equal(await page.evaluate((id) => localStorage.getItem(`kaowu.exam.pending.${id}`), attemptId), null, 'the pending store is emptied');
    assert.deepEqual(await storedByNumber(), expected, 'the database holds exactly the last answers');
    const seqs = await exam.ctx.db.selectFrom('answers').select(['question_id', 'seq']).where('attempt_id', '=', attemptId).execute();
    for (const n of changed) assert.equal(seqs.find((r) => r.question_id === byNumber.get(n)!.id)!.seq, seqAfter(n), `stored seq of question ${n}`);
    await eventually('offline and reconnect events', async () => {
      const types = await eventTypes(exam.ctx, attemptId);
      return types.includes('offline') && types.includes('reconnect');
    });
    assertNoErrors(main);
  });

  it('hands in after the confirmation and shows the submitted screen; the attempt is scored', async () => {
    const { page } = main;
    const handIn = page.getByTestId('handin-button');
    assert.ok(await handIn.isEnabled(), 'hand-in is open at once (earliestSubmitMin 0)');
    await handIn.click();
    await page.getByTestId('confirm-dialog').waitFor();
    await shot(page, '6-confirm');
    assert.equal(await page.getByTestId('unanswered-count').innerText(), String(byNumber.size - expected.size));
    await page.getByTestId('cancel-button').click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    assert.equal((await attemptRow(exam.ctx, attemptId)).state, 'in_progress', 'cancel does not hand in');

    await handIn.click();
    await page.getByTestId('confirm-button').click();
    await page.locator('[data-testid=submitted][data-reason=handed-in]').waitFor();
    assert.ok((await page.getByTestId('submitted-message').innerText()).length > 0);
    assert.equal(await page.getByTestId('unsaved-warning').count(), 0);
    await shot(page, '7-submitted');

    const row = await attemptRow(exam.ctx, attemptId);
    assert.equal(row.state, 'submitted');
    assert.equal(row.submit_reason, 'candidate');
    assert.ok(Math.abs(Date.parse(row.submitted_at!) - Date.now()) < 30_000);
    assert.equal(await page.getByTestId('submitted-at').innerText(), `${beijingDateTime(Date.parse(row.submitted_at!))}（北京时间）`);
    assert.equal(typeof row.score, 'number');
    assert.ok(typeof row.max_score === 'number' && row.max_score > 0);
    assert.ok(row.score! >= 0 && row.score! <= row.max_score, `score ${row.score} / ${row.max_score}`);
    assert.deepEqual(await storedByNumber(), expected, 'the answers are unchanged by the hand-in');

    // After a reload the sitting is listed as handed in and cannot be entered again.
    await page.reload();
    const sitting = page.getByTestId(`sitting-${exam.demo.sittingId}`);
    await sitting.waitFor();
    assert.equal(await sitting.getAttribute('data-state'), 'submitted');
    assert.ok(await page.getByTestId(`enter-${exam.demo.sittingId}`).isDisabled());
    assertNoErrors(main);
  });

  it('leaving full screen submits the paper, as the rules say', async () => {
    const tab = await openTab();
    const { page } = tab;
    const c = exam.demo.candidates[2]!;
    await page.goto(`${exam.server.base}/exam/`);
    await logIn(page, c);
    await page.getByTestId('paper').waitFor(); // the sitting is open: straight in
    const id = (await page.getByTestId('paper').getAttribute('data-attempt-id'))!;
    await page.getByTestId('enter-fullscreen').click();
    await page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });
    await page.getByTestId('option-A').click();
    await waitSaved(page);

    await page.evaluate(() => document.exitFullscreen());
    await page.locator('[data-testid=submitted][data-reason=fullscreen]').waitFor();
    await page.getByTestId('submitted-at').filter({ hasText: '北京时间' }).waitFor();
    const row = await attemptRow(exam.ctx, id);
    assert.equal(row.state, 'submitted');
    assert.equal(row.submit_reason, 'fullscreen-exit');
    assert.equal(row.fullscreen_exits, 1);
    assert.equal(typeof row.score, 'number');
    assert.ok((await eventTypes(exam.ctx, id)).includes('fullscreen-exit'));
    assert.equal(Object.keys(await storedAnswers(exam.ctx, id)).length, 1, 'the answer given before is kept');
    assertNoErrors(tab);
  });

  it('no page error and no console error in any tab', () => {
    for (const tab of tabs) assertNoErrors(tab);
  });
});
