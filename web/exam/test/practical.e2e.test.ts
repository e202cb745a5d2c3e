// End to end on the practical paper: the built exam client in Debian's
// Chromium (playwright-core), the real server in a child process (grading in
// process, the bubblewrap sandbox) on a fresh SQLite database with a demo
// practical sitting, and the database read directly. One candidate logs in,
// enters the practical sitting, types code into the CodeMirror editor, runs
// the samples and sees their verdicts, reloads and finds the code again, looks
// at a webpage task's preview, and hands in. The views of every task kind
// against a stand-in API are in practical-ui.e2e.test.ts.
//
//   node --import tsx --test web/exam/test/practical.e2e.test.ts
// KAOWU_SCREENSHOTS=<dir> keeps the screenshots in <dir>/practical.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BlueprintSpec } from '@kaowu/core';
import { chromiumMissing, launchChromiumDuring } from '../../test-support/chromium.ts';
import { keptShotsDir } from '../../test-support/shots.ts';
import { attemptRow, ensureExamBuilt, eventually, pngSize, REPO_ROOT, startExam, type Exam } from './e2e.ts';

const VERDICTS = ['passed', 'failed', 'error', 'timeout', 'memory', 'output-limit', 'killed', 'sandbox-error'];

/**
 * The certificate's practical blueprint draws any 5 tasks; one draw in about
 * 24 has no code task with input/output samples. In the junior bank every task
 * of 流程控制 is one, and every task of 网页基础 a webpage: this paper has both.
 */
const PAPER_WITH_CODE_AND_WEBPAGE: BlueprintSpec = {
  sections: [
    { type: 'code', count: 1, points: 20, topics: ['流程控制'] },
    { type: 'webpage', count: 1, points: 20, topics: ['网页基础'] },
    { type: 'task', count: 3, points: 20 },
  ],
  multiplePartialCredit: 'none',
  shuffleQuestions: true,
  shuffleOptions: true,
};

interface EnterTask {
  type: string;
  title: string;
  files: Record<string, string>;
  entry: string;
  samples: { id: string; name: string; stdin?: string; stdout?: string }[];
  runnable: boolean;
}
interface EnterQuestion {
  id: string;
  type: string;
  task?: EnterTask;
}

describe('practical paper in Chromium, end to end', { skip: chromiumMissing, timeout: 180_000 }, () => {
  let exam: Exam;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shots = keptShotsDir('practical');
  let attemptId = '';
  let enterBody: { attemptId: string; questions: EnterQuestion[] } | null = null;
  /** the code task driven below, and its number in the navigator */
  let code: EnterQuestion;
  let codeNumber = 0;
  let typed = '';

  before(async () => {
    ensureExamBuilt();
    browser = await launchChromiumDuring(async () => {
      exam = await startExam({
        candidates: 1,
        startsAt: Date.now() - 60_000,
        durationMin: 30,
        papers: 'practical',
        blueprint: PAPER_WITH_CODE_AND_WEBPAGE,
        rules: { fullscreenRequired: false, earliestSubmitMin: 0, finalLockMin: 0 },
      });
    });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()} ${m.location().url}`);
    });
    page.on('response', (r) => {
      if (enterBody || r.request().method() !== 'POST' || !r.url().endsWith(`/sittings/${exam.demo.sittingId}/attempt`) || r.status() !== 200) return;
      r.json().then((b) => (enterBody ??= b), () => {});
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
    const png = await page.screenshot(shots ? { path: path.join(shots, `${name}.png`) } : {});
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 });
  }

  async function editorText(): Promise<string> {
    return page.locator('.cm-content').evaluate((el) => {
      type View = { state: { doc: { toString(): string } } };
      const dom = el as unknown as { cmTile?: { root?: { view?: View } }; cmView?: { view?: View } };
      const view = (dom.cmTile && dom.cmTile.root && dom.cmTile.root.view) || (dom.cmView && dom.cmView.view);
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString();
    });
  }

  async function storedAnswer(questionId: string): Promise<unknown> {
    const row = await exam.ctx.db.selectFrom('answers').select(['answer']).where('attempt_id', '=', attemptId).where('question_id', '=', questionId).executeTakeFirst();
    return row ? JSON.parse(row.answer) : undefined;
  }

  async function goTo(n: number): Promise<void> {
    await page.getByTestId(`nav-${n}`).click();
    await page.locator(`[data-testid=question][data-number="${n}"]`).waitFor();
  }

  it('logs in and enters the practical sitting: the tasks are listed', async () => {
    const c = exam.demo.candidates[0]!;
    await page.goto(`${exam.server.base}/exam/`);
    await page.getByTestId('login-ticket').fill(c.ticketNo);
    await page.getByTestId('login-id').fill(c.idNumber);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('paper').waitFor();
    attemptId = (await page.getByTestId('paper').getAttribute('data-attempt-id'))!;
    assert.equal((await attemptRow(exam.ctx, attemptId)).state, 'in_progress');
    const body = await eventually('the enter response', async () => enterBody);
    assert.ok(body.questions.length > 0 && body.questions.every((q) => q.task), 'every question of the practical paper is a task');
    await page.getByTestId('navigator').waitFor();
    const n = await page.locator('[data-testid^=nav-]').count();
    assert.equal(n, body.questions.length);
    // A code task whose samples give input and output.
    for (let i = 1; i <= n; i++) {
      const id = await page.getByTestId(`nav-${i}`).getAttribute('data-question-id');
      const q = body.questions.find((x) => x.id === id)!;
      if (!codeNumber && q.type === 'code' && q.task!.runnable && q.task!.samples.some((s) => s.stdout !== undefined)) {
        code = q;
        codeNumber = i;
      }
    }
    assert.ok(codeNumber > 0, 'the paper has a code task with input/output samples');
    assert.deepEqual(errors, []);
  });

  it('types code into the editor, runs the samples and sees a verdict per sample', async () => {
    await goTo(codeNumber);
    await page.getByTestId('code-editor').waitFor();
    assert.equal(await page.getByTestId('task-title').innerText(), code.task!.title);
    assert.equal(await editorText(), code.task!.files[code.task!.entry] ?? Object.values(code.task!.files)[0] ?? '');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('print("你好")');
    typed = 'print("你好")';
    assert.equal(await editorText(), typed);
    await shot('pe1-code');

    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-result][data-state=done]').waitFor({ timeout: 60_000 });
    for (const s of code.task!.samples) {
      const verdict = await page.getByTestId(`sample-result-${s.id}`).getAttribute('data-verdict');
      assert.ok(verdict && VERDICTS.includes(verdict), `sample ${s.id}: ${verdict}`);
      assert.notEqual(verdict, 'passed', `printing 你好 does not pass ${s.name}`);
    }
    await shot('pe2-run-wrong');
    // Saved before the run: the database holds the typed code.
    await eventually('the code in the database', async () => {
      const a = (await storedAnswer(code.id)) as { files?: Record<string, string> } | undefined;
      return a && a.files && a.files[code.task!.entry] === typed;
    });

    // The bank's reference solution, where there is one, passes every sample.
    const row = await exam.ctx.db.selectFrom('questions').select(['code']).where('id', '=', code.id).executeTakeFirstOrThrow();
    const ref = path.join(REPO_ROOT, 'content', 'solutions', row.code, 'reference', code.task!.entry);
    if (fs.existsSync(ref)) {
      typed = fs.readFileSync(ref, 'utf8');
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(typed);
      assert.equal(await editorText(), typed);
      await page.getByTestId('run-samples').click();
      await page.locator('[data-testid=run-result][data-state=done]').waitFor({ timeout: 60_000 });
      for (const s of code.task!.samples) assert.equal(await page.getByTestId(`sample-result-${s.id}`).getAttribute('data-verdict'), 'passed', `reference: ${s.name}`);
      await shot('pe3-run-passed');
    }
    assert.equal(await page.getByTestId(`nav-${codeNumber}`).getAttribute('data-answered'), 'true');
    assert.deepEqual(errors, []);
  });

  it('finds the code again after a reload', async () => {
    await page.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor();
    await page.reload();
    await page.getByTestId('paper').waitFor();
    await goTo(codeNumber);
    await page.getByTestId('code-editor').waitFor();
    assert.equal(await editorText(), typed);
    const stored = (await storedAnswer(code.id)) as { files: Record<string, string> };
    assert.equal(stored.files[code.task!.entry], typed);
    assert.deepEqual(errors, []);
  });

  it('shows a webpage task with its live preview', async () => {
    const web = enterBody!.questions.find((q) => q.type === 'webpage');
    assert.ok(web, 'the paper has a webpage task');
    const n = Number((await page.locator(`[data-question-id="${web.id}"][data-testid^=nav-]`).getAttribute('data-testid'))!.slice(4));
    await goTo(n);
    await page.getByTestId('code-editor').waitFor();
    const frame = (await (await page.getByTestId('webpage-preview').elementHandle())!.contentFrame())!;
    await frame.waitForFunction(() => document.body && document.body.innerHTML.length > 0);
    await page.waitForTimeout(500);
    await shot('pe4-webpage');
    assert.deepEqual(errors, []);
  });

  it('hands in', async () => {
    await page.getByTestId('handin-button').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-button').click();
    await page.locator('[data-testid=submitted][data-reason=handed-in]').waitFor();
    const row = await attemptRow(exam.ctx, attemptId);
    assert.equal(row.state, 'submitted');
    assert.equal(row.submit_reason, 'candidate');
    const stored = (await storedAnswer(code.id)) as { files: Record<string, string> };
    assert.equal(stored.files[code.task!.entry], typed, 'the code is unchanged by the hand-in');
    assert.deepEqual(errors, []);
  });
});
