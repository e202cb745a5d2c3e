// End to end on the oldest browser the exam client must run on: a real
// Chromium 75 (chrome-aws-lambda) driven by puppeteer-core 1.15, against the
// real server in a child process on a fresh SQLite database. The sitting has
// already started, and full screen is not required (headless Chrome 75 cannot
// go full screen). The tests of this file run in order and share one page.
//
//   node --import tsx --test web/exam/test/chrome75.e2e.test.ts
// KAOWU_E2E_SHOTS=<dir> keeps screenshots of the paper and the submitted screen.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROME75_ARGS, chrome75Path } from './chrome75.ts';
import { attemptRow, ensureExamBuilt, eventTypes, eventually, normalize, pngSize, startExam, storedAnswers, type AnswerValue, type Exam } from './e2e.ts';

// puppeteer-core 1.15 is CommonJS and ships no types: the little used here.
interface PConsoleMessage {
  type(): string;
  text(): string;
  location(): { url?: string };
}
interface PPage {
  goto(url: string, opts?: { waitUntil?: string; timeout?: number }): Promise<unknown>;
  reload(opts?: { waitUntil?: string }): Promise<unknown>;
  waitForSelector(selector: string, opts?: { visible?: boolean; hidden?: boolean; timeout?: number }): Promise<unknown>;
  waitForFunction(fn: string | ((...args: any[]) => unknown), opts?: { timeout?: number; polling?: string | number }, ...args: unknown[]): Promise<unknown>;
  evaluate<T>(fn: string | ((...args: any[]) => T), ...args: unknown[]): Promise<T>;
  click(selector: string): Promise<void>;
  type(selector: string, text: string): Promise<void>;
  screenshot(opts: { path?: string }): Promise<Buffer>;
  setDefaultTimeout(ms: number): void;
  on(event: 'console', fn: (m: PConsoleMessage) => void): void;
  on(event: 'pageerror', fn: (e: Error) => void): void;
  on(event: 'response', fn: (r: PResponse) => void): void;
}
interface PResponse {
  url(): string;
  status(): number;
  request(): { method(): string };
  json(): Promise<unknown>;
}
interface PBrowser {
  newPage(): Promise<PPage>;
  version(): Promise<string>;
  close(): Promise<void>;
}
const puppeteer = createRequire(import.meta.url)('puppeteer-core') as {
  launch(opts: { executablePath: string; args: string[]; defaultViewport: { width: number; height: number }; timeout?: number }): Promise<PBrowser>;
};

const tid = (id: string) => `[data-testid="${id}"]`;

interface EnterQuestion {
  id: string;
  type: 'single' | 'multiple' | 'truefalse';
}

describe('exam client in Chromium 75 (puppeteer-core 1.15), end to end', { timeout: 110_000 }, () => {
  let exam: Exam;
  let browser: PBrowser;
  let page: PPage;
  const errors: string[] = [];
  const keepShots = process.env.KAOWU_E2E_SHOTS;

  let attemptId = '';
  let enterBody: { attemptId: string; questions: EnterQuestion[] } | null = null;
  /** display number → question */
  const byNumber = new Map<number, EnterQuestion>();
  /** display number → answer given (multiple choice sorted) */
  const expected = new Map<number, AnswerValue>();

  before(async () => {
    ensureExamBuilt();
    const launching = puppeteer.launch({ executablePath: chrome75Path(), args: CHROME75_ARGS, defaultViewport: { width: 1024, height: 768 }, timeout: 30_000 });
    try {
      exam = await startExam({
        candidates: 1,
        startsAt: Date.now() - 60_000,
        durationMin: 30,
        rules: { fullscreenRequired: false, earliestSubmitMin: 0, finalLockMin: 0 },
      });
    } catch (err) {
      await launching.then((b) => b.close(), () => {});
      throw err;
    }
    browser = await launching;
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Chrome also logs failed loads here ("Failed to load resource: …"): none is expected in this run.
      if (m.type() === 'error') errors.push(`console.error: ${m.text()} ${m.location().url ?? ''}`);
    });
    page.on('response', (r) => {
      if (enterBody || r.request().method() !== 'POST' || !r.url().endsWith(`/sittings/${exam.demo.sittingId}/attempt`) || r.status() !== 200) return;
      r.json().then((b) => (enterBody ??= b as typeof enterBody), () => {});
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await exam?.close();
    }
  });

  async function shot(name: string): Promise<void> {
    const png = await page.screenshot(keepShots ? { path: path.join(keepShots, `${name}.png`) } : {});
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 }, `${name} is 1024×768`);
  }

  async function attr(selector: string, name: string): Promise<string | null> {
    return page.evaluate((s: string, n: string) => {
      const el = document.querySelector(s);
      return el ? el.getAttribute(n) : null;
    }, selector, name);
  }

  async function text(selector: string): Promise<string> {
    return page.evaluate((s: string) => {
      const el = document.querySelector(s) as HTMLElement | null;
      return el ? el.innerText : '';
    }, selector);
  }

  async function goTo(n: number): Promise<void> {
    await page.click(tid(`nav-${n}`));
    await page.waitForSelector(`${tid('question')}[data-number="${n}"]`);
  }

  /** The answer the current question shows, read from its checked inputs. */
  async function shownAnswer(q: EnterQuestion): Promise<AnswerValue> {
    const checked = await page.evaluate(() =>
      Array.prototype.map.call(document.querySelectorAll('[data-testid="question"] input:checked'), (e: Element) =>
        e.getAttribute('data-option-id') || e.getAttribute('data-testid'),
      ),
    ) as string[];
    if (q.type === 'truefalse') {
      assert.ok(checked.length <= 1);
      return checked[0] === 'truefalse-true' ? true : checked[0] === 'truefalse-false' ? false : null;
    }
    if (q.type === 'single') {
      assert.ok(checked.length <= 1);
      return checked[0] ?? null;
    }
    return checked.length ? normalize(checked) : null;
  }

  async function waitSaved(): Promise<void> {
    await page.waitForSelector(`${tid('save-status')}[data-state="saved"][data-pending="0"]`);
    assert.equal(await text(tid('save-status')), '已保存');
  }

  it('runs in Chromium 75 and logs in straight into the open sitting', async () => {
    assert.match(await browser.version(), /HeadlessChrome\/75\./);
    const c = exam.demo.candidates[0]!;
    await page.goto(`${exam.server.base}/exam/`);
    assert.match(await page.evaluate(() => navigator.userAgent), /HeadlessChrome\/75\./);
    await page.waitForSelector(tid('login-ticket'), { visible: true });
    await page.type(tid('login-ticket'), c.ticketNo);
    await page.type(tid('login-id'), c.idNumber);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('paper'), { visible: true });
    attemptId = (await attr(tid('paper'), 'data-attempt-id'))!;
    assert.equal((await attemptRow(exam.ctx, attemptId)).state, 'in_progress');
    assert.equal(await text(tid('candidate-name')), c.name);
    assert.equal(await page.evaluate(() => !!document.querySelector('[data-testid="fullscreen-overlay"]')), false, 'no full-screen overlay');
    assert.match(await text(tid('countdown')), /^00:(2\d|30):\d\d$/);
    assert.deepEqual(errors, []);
  });

  it('answers single, multiple and true/false questions and saves them', async () => {
    // The paper as the server sent it to the page.
    const paper = await eventually('the enter response', async () => enterBody);
    assert.equal(paper.attemptId, attemptId);
    const byId = new Map(paper.questions.map((q) => [q.id, q]));
    const ids = await page.evaluate(() =>
      Array.prototype.map.call(document.querySelectorAll('[data-testid^="nav-"]'), (e: Element) => e.getAttribute('data-question-id')),
    ) as string[];
    assert.equal(ids.length, paper.questions.length);
    ids.forEach((id, i) => byNumber.set(i + 1, byId.get(id)!));
    const numbersOf = (t: string) => [...byNumber].filter(([, q]) => q.type === t).map(([n]) => n);

    for (const [i, n] of numbersOf('single').slice(0, 3).entries()) {
      await goTo(n);
      const sel = tid(`option-${'ABC'[i]}`);
      await page.click(sel);
      expected.set(n, (await attr(sel, 'data-option-id'))!);
    }
    for (const [i, n] of numbersOf('multiple').slice(0, 2).entries()) {
      await goTo(n);
      const chosen: string[] = [];
      for (const l of i === 0 ? ['A', 'B'] : ['B', 'C', 'D']) {
        await page.click(tid(`option-${l}`));
        chosen.push((await attr(tid(`option-${l}`), 'data-option-id'))!);
      }
      expected.set(n, normalize(chosen));
    }
    for (const [i, n] of numbersOf('truefalse').slice(0, 3).entries()) {
      await goTo(n);
      const v = i !== 1;
      await page.click(tid(`truefalse-${v}`));
      expected.set(n, v);
    }
    for (const [n, a] of expected) {
      await goTo(n);
      assert.deepEqual(await shownAnswer(byNumber.get(n)!), a, `question ${n} shows the answer given`);
    }
    assert.equal(await text(tid('answered-count')), String(expected.size));

    await waitSaved();
    const stored = await storedAnswers(exam.ctx, attemptId);
    assert.deepEqual(new Map([...byNumber].filter(([, q]) => q.id in stored).map(([n, q]) => [n, stored[q.id]])), expected, 'the database holds the answers given');
    assert.equal(Object.keys(stored).length, expected.size);
    assert.equal(await page.evaluate((id: string) => localStorage.getItem('kaowu.exam.pending.' + id), attemptId), null);
    await shot('c75-paper');
    assert.deepEqual(errors, []);
  });

  it('restores every answer after a reload', async () => {
    await page.reload();
    await page.waitForSelector(`${tid('paper')}[data-attempt-id="${attemptId}"]`, { visible: true });
    assert.equal(await text(tid('answered-count')), String(expected.size));
    for (const [n, q] of byNumber) {
      if (!expected.has(n) && n % 9 !== 0) continue; // every answered question and a few others
      await goTo(n);
      assert.deepEqual(await shownAnswer(q), expected.get(n) ?? null, `question ${n} after the reload`);
      assert.equal(await attr(tid(`nav-${n}`), 'data-answered'), String(expected.has(n)));
    }
    await eventually('a reload event', async () => (await eventTypes(exam.ctx, attemptId)).includes('reload'));
    assert.equal((await attemptRow(exam.ctx, attemptId)).state, 'in_progress');
    assert.deepEqual(errors, []);
  });

  it('hands in after the confirmation and shows the submitted screen', async () => {
    await page.click(tid('handin-button'));
    await page.waitForSelector(tid('confirm-dialog'), { visible: true });
    assert.equal(await text(tid('unanswered-count')), String(byNumber.size - expected.size));
    await page.click(tid('confirm-button'));
    await page.waitForSelector(`${tid('submitted')}[data-reason="handed-in"]`, { visible: true });
    assert.match(await text(tid('submitted-at')), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）$/);
    await shot('c75-submitted');

    const row = await attemptRow(exam.ctx, attemptId);
    assert.equal(row.state, 'submitted');
    assert.equal(row.submit_reason, 'candidate');
    assert.equal(typeof row.score, 'number');
    assert.ok(row.score! >= 0 && row.score! <= row.max_score!, `score ${row.score} / ${row.max_score}`);
    assert.deepEqual(errors, [], 'no page error and no console error during the whole run');
  });
});
