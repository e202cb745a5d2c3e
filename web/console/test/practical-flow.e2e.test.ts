// End to end, in one flow, the whole practical paper: one real server process
// (packages/server/src/main.ts) with in-process grading in the real
// bubblewrap sandbox, over a fresh SQLite file, and both built front ends in
// Debian's Chromium (playwright-core).
//
//   1. the candidate (who already sat the theory paper, through the API) signs
//      in to the exam client, writes code in the CodeMirror editor, runs the
//      samples (a wrong program first, then a right one), reloads and finds the
//      code again, answers the other four tasks (code, webpage, case text,
//      zip upload) and hands in;
//   2. the hidden checks are graded by the server's own sandbox; the operator
//      watches the grading status in the console until every job is done;
//   3. a grader marks the case task against its rubric on the 阅卷 screens;
//   4. the operator reads 成绩: theory, practical (automatic + manual), the
//      combined score and pass/fail — the exact text, worked out here from the
//      check verdicts the sandbox recorded and the marks the grader gave.
//
//   node scripts/test.mjs web/console/test/practical-flow.e2e.test.ts
//
// Screenshots (1024×768) of the exam client and of the results page are
// written to $KAOWU_SCREENSHOTS/practical-flow, or a fresh temp directory removed at the end
// (shotsDir).

import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import pino from 'pino';
import { strToU8, zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromiumDuring } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { openContext } from '../../../packages/server/src/bootstrap.ts';
import { importBank } from '../../../packages/server/src/modules/bank/import-bank.ts';
import { createDemo, DEMO_GRADERS, DEMO_OPERATOR, importDemoBanks, type DemoResult } from '../../../packages/server/src/modules/demo/demo.ts';
import { freshDatabase, type TestDatabase } from '../../../packages/server/test/helpers.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/server-process.ts';
import { buildFrontEnds } from '../../../scripts/build-front-ends.mjs';
import { call } from './helpers.ts';

const SHOTS = shotsDir('practical-flow');
const OPERATOR = DEMO_OPERATOR.username;
const GRADER = DEMO_GRADERS[0]!.username;
const PASSWORD = DEMO_OPERATOR.password;

// ---------------------------------------------------------------------------
// The practical tasks: the only five active at this level, so every paper
// holds exactly these (the blueprint: 5 tasks × 20 points).
// ---------------------------------------------------------------------------

const TASK = { sum: 'FLOW-SUM', square: 'FLOW-SQUARE', page: 'FLOW-PAGE', case: 'FLOW-CASE', upload: 'FLOW-UPLOAD' } as const;
type TaskKey = keyof typeof TASK;

const CASE_RUBRIC = [
  { id: 'r1', name: '问题分析', points: 8, description: '指出未校验输入、未处理异常' },
  { id: 'r2', name: '改进方案', points: 8, description: '提出 try/except 与输入校验' },
  { id: 'r3', name: '表达清晰', points: 4 },
];

const BANK = {
  format: 'kaowu-bank',
  version: 1,
  certificate: 'python-dev',
  level: 'junior',
  title: '实操全流程测试用题',
  questions: [
    {
      id: TASK.sum,
      type: 'code',
      topic: '基础语法',
      points: 20,
      stem: '读入一行整数（空格分隔），输出它们的和；没有任何输入时输出 0。',
      task: {
        title: '求和',
        files: { 'main.py': '# 在这里编写代码\n' },
        entry: 'main.py',
        checks: [
          { id: 's1', name: '样例 1', sample: true, points: 5, kind: 'stdout', stdin: '1 2 3\n', stdout: '6\n' },
          { id: 'h1', name: '负数', points: 5, kind: 'stdout', stdin: '-5 5 10\n', stdout: '10\n' },
          { id: 'h2', name: '没有输入', points: 10, kind: 'stdout', stdin: '', stdout: '0\n' },
        ],
      },
    },
    {
      id: TASK.square,
      type: 'code',
      topic: '函数',
      points: 20,
      stem: '在 main.py 中编写函数 `square(n)`，返回 n 的平方。',
      task: {
        title: '平方函数',
        files: { 'main.py': 'def square(n):\n    pass\n' },
        checks: [
          { id: 's1', name: '样例', sample: true, points: 10, kind: 'script', script: "from main import square\nassert square(3) == 9, 'square(3) 应为 9'\n", description: '检查 square(3) == 9' },
          { id: 'h1', name: '负数', points: 10, kind: 'script', script: "from main import square\nassert square(-4) == 16, 'square(-4) 应为 16'\n" },
        ],
      },
    },
    {
      id: TASK.page,
      type: 'webpage',
      topic: '网页',
      points: 20,
      stem: '制作一个页面：一级标题文字为“欢迎”，标题为红色。',
      task: {
        title: '欢迎页',
        files: {
          'index.html': '<!doctype html>\n<html><head><link rel="stylesheet" href="style.css"></head><body></body></html>\n',
          'style.css': '',
        },
        checks: [
          { id: 'c1', name: '有一级标题', points: 10, kind: 'page', selector: 'h1', expect: { text: '欢迎' } },
          { id: 'c2', name: '标题为红色', points: 10, kind: 'page', selector: 'h1', expect: { style: { property: 'color', value: 'rgb(255, 0, 0)' } } },
        ],
      },
    },
    {
      id: TASK.case,
      type: 'case',
      topic: '案例分析',
      points: 20,
      stem: '某学校的成绩管理程序经常因为输入错误而崩溃。请分析原因并提出改进方案。',
      task: { title: '成绩管理程序的健壮性', rubric: CASE_RUBRIC },
    },
    {
      id: TASK.upload,
      type: 'upload',
      topic: '项目',
      points: 20,
      stem: '上传一个 zip 压缩包，其中包含 app/hello.py，定义函数 `hello()` 返回字符串 "hello"。',
      task: {
        title: '上传项目',
        maxUploadKb: 64,
        checks: [
          { id: 'h1', name: 'hello 函数', points: 20, kind: 'script', script: "import sys\nsys.path.insert(0, 'app')\nfrom hello import hello\nassert hello() == 'hello', 'hello() 应返回 hello'\n" },
        ],
      },
    },
  ],
};

/** The bank's own points of each task (earned points are scaled to the paper's). */
const TASK_POINTS = Object.fromEntries(BANK.questions.map((q) => [q.id, q.points])) as Record<string, number>;

/** What the candidate writes. */
const SUM_WRONG = 'print(len(input().split()))'; // counts the numbers instead of adding them
const SUM_CODE = 'print(sum(int(x) for x in input().split()))'; // right, but fails on no input at all (EOFError)
const SQUARE_CODE = 'def square(n):\n    return n * n\n';
const PAGE_HTML = '<!doctype html>\n<html><head><link rel="stylesheet" href="style.css"></head>\n<body><h1>欢迎</h1></body></html>\n';
const PAGE_CSS = 'h1 { color: red; }\n';
const CASE_TEXT = [
  '原因分析：程序直接用 int() 转换用户输入的成绩，没有校验输入，也没有处理异常；输入字母或空行时抛出 ValueError，程序随即崩溃。',
  '改进方案：用 try/except ValueError 捕获转换错误并提示重新输入；校验成绩在 0～100 之间；空行跳过。',
].join('\n');
const UPLOAD_NAME = 'hello-project.zip';
const UPLOAD_ZIP = Buffer.from(zipSync({ 'app/hello.py': strToU8("def hello():\n    return 'hello'\n") }));

/** The check verdicts these answers must get in the sandbox (so the expected points below are meaningful). */
const EXPECTED_VERDICTS: Record<string, Record<string, string>> = {
  [TASK.sum]: { s1: 'passed', h1: 'passed', h2: 'error' },
  [TASK.square]: { s1: 'passed', h1: 'passed' },
  [TASK.page]: { c1: 'passed', c2: 'passed' },
  [TASK.upload]: { h1: 'passed' },
};

/** The grader's marks for the case task (0.5 steps). */
const CASE_MARKS: Record<string, number> = { 问题分析: 6.5, 改进方案: 7, 表达清晰: 3 };

/** How many theory questions the candidate answers correctly (the rest are left blank). */
const THEORY_CORRECT = 34;

// ---------------------------------------------------------------------------

interface EnterQuestion {
  id: string;
  type: string;
  points: number;
  task?: { title: string; entry: string; files: Record<string, string>; samples: { id: string; name: string }[] };
}
interface EnterResponse {
  attemptId: string;
  sitting: { id: string; paper: string };
  questions: EnterQuestion[];
}
interface GradingStatus {
  mode: string;
  sandbox: { available: boolean; reason?: string };
  jobs: Record<string, number>;
}
interface CheckResult {
  id: string;
  verdict: string;
  points: number;
  earned: number;
  message: string;
}

/** Points without binary noise or trailing zeros, as the console prints them (8.5, 17). */
const pts = (n: number) => String(Math.round(n * 100) / 100);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Polls `probe` until it returns a truthy value (every `everyMs`), or fails after `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the practical paper, from the candidate\'s code to the operator\'s combined score', { skip: chromiumMissing, timeout: 900_000 }, () => {
  let db: TestDatabase | undefined;
  let ctx: Awaited<ReturnType<typeof openContext>> | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let exam: Page;
  let staff: Page;
  let demo: DemoResult;
  const pageErrors: string[] = [];
  let failed = false;

  // What the flow produced, for the later steps.
  let practicalAttempt = '';
  let paper: EnterResponse | null = null;
  /** task key → question id, and → its number in the exam client's task bar */
  const qid = {} as Record<TaskKey, string>;
  const nav = {} as Record<TaskKey, number>;
  let theoryScore = 0;
  let theoryMax = 0;
  /** Automatic points per task on the paper's scale, from the verdicts the sandbox recorded. */
  const autoByTask = new Map<string, number>();

  /** A step of the flow; once one fails the later ones are skipped (they would only fail for the same reason). */
  function step(name: string, fn: (t: TestContext) => Promise<void>, timeout = 300_000) {
    it(name, { timeout }, async (t) => {
      if (failed) return t.skip('an earlier step failed');
      try {
        await fn(t);
      } catch (err) {
        failed = true;
        if (server) t.diagnostic(`server output (last 3000 characters):\n${server.output().slice(-3000)}`);
        throw err;
      }
    });
  }

  async function shot(page: Page, name: string): Promise<void> {
    const png = await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 }, `${name}.png is 1024×768`);
  }

  before(async () => {
    buildFrontEnds({ names: ['exam', 'console'], quiet: true });
    browser = await launchChromiumDuring(async () => {
      db = await freshDatabase('sqlite');
      ctx = await openContext({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { log: pino({ level: 'silent' }) });
      // The demo banks (the theory paper), then the five tasks as the only active practical tasks.
      await importDemoBanks(ctx);
      const imported = await importBank(ctx.db, JSON.stringify(BANK), 'test/practical-flow.json');
      assert.ok(imported.ok, `the flow's bank is invalid: ${JSON.stringify(imported)}`);
      await ctx.db
        .updateTable('questions')
        .set({ active: 0 })
        .where('level', '=', 'junior')
        .where('type', 'in', ['code', 'webpage', 'case', 'upload'])
        .where('code', 'not in', Object.values(TASK))
        .execute();
      ctx.questions.invalidatePools();
      // A theory and a practical sitting that started a minute ago: hand-in allowed at once, no full screen.
      demo = await createDemo(ctx, {
        candidates: 1,
        level: 'junior',
        startsAt: Date.now() - 60_000,
        durationMin: 90,
        papers: 'both',
        rules: { fullscreenRequired: false, earliestSubmitMin: 0, finalLockMin: 0 },
      });
      for (const [key, code] of Object.entries(TASK) as [TaskKey, string][]) {
        qid[key] = (await ctx.db.selectFrom('questions').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
      }
      // The real server, grading in its own sandbox (GRADING=off is what the other console tests use).
      server = await startServerProcess(db, { GRADING: 'in-process' });
    }, { timeout: 120_000 });
    const open = async (label: string) => {
      const context = await browser!.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (e) => pageErrors.push(`${label} pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(`${label} console.error: ${m.text()} ${m.location().url}`);
      });
      return page;
    };
    exam = await open('exam');
    staff = await open('console');
    exam.on('response', (r) => {
      if (r.request().method() !== 'POST' || !/\/sittings\/[^/]+\/attempt$/.test(r.url()) || r.status() !== 200) return;
      r.json().then((b: EnterResponse) => (paper ??= b), () => {});
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        // SIGTERM lets it close its sandboxes; one that does not exit within 30 s is killed.
        const stopped = server?.stop();
        const exited = await Promise.race([stopped?.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref())]);
        if (server && !exited) await server.kill9();
      } finally {
        await ctx?.close();
        await db?.drop();
      }
    }
  });

  // -------------------------------------------------------------------------
  // The exam client
  // -------------------------------------------------------------------------

  async function goTo(key: TaskKey): Promise<void> {
    await exam.getByTestId(`nav-${nav[key]}`).click();
    await exam.locator(`[data-testid=question][data-number="${nav[key]}"][data-question-id="${qid[key]}"]`).waitFor();
  }

  /** The text of the file shown in the CodeMirror editor. */
  async function editorText(): Promise<string> {
    return exam.locator('.cm-content').evaluate((el) => {
      type View = { state: { doc: { toString(): string } } };
      const dom = el as unknown as { cmTile?: { root?: { view?: View } }; cmView?: { view?: View } };
      const view = (dom.cmTile && dom.cmTile.root && dom.cmTile.root.view) || (dom.cmView && dom.cmView.view);
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString();
    });
  }

  /** Replaces the shown file: select all, then type it key by key, or insert it at once (no auto-indent or auto-close). */
  async function replaceCode(text: string, how: 'type' | 'insert'): Promise<void> {
    await exam.locator('.cm-content').click();
    await exam.keyboard.press('Control+A');
    if (how === 'type') {
      await exam.keyboard.press('Delete');
      await exam.keyboard.type(text);
    } else {
      await exam.keyboard.insertText(text);
    }
    assert.equal(await editorText(), text);
  }

  async function storedAnswer(key: TaskKey): Promise<unknown> {
    const row = await ctx!.db.selectFrom('answers').select('answer').where('attempt_id', '=', practicalAttempt).where('question_id', '=', qid[key]).executeTakeFirst();
    return row ? JSON.parse(row.answer) : undefined;
  }

  const savedAll = () => exam.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor();

  step('the candidate, who sat the theory paper already, signs in and is taken into the practical sitting', async () => {
    const c = demo.candidates[0]!;
    // The theory paper, through the candidate API: the first THEORY_CORRECT questions right, the rest blank.
    const login = await call<{ token: string }>(server!.base, 'POST', '/api/candidate/login', { ticketNo: c.ticketNo, idNumber: c.idNumber });
    const theorySitting = demo.sittings.find((s) => s.paper === 'theory')!.id;
    const theory = await call<EnterResponse>(server!.base, 'POST', `/api/candidate/sittings/${theorySitting}/attempt`, undefined, login.token);
    assert.equal(theory.questions.length, 50);
    for (const q of theory.questions.slice(0, THEORY_CORRECT)) {
      const key = await ctx!.db.selectFrom('questions').select('answer_key').where('id', '=', q.id).executeTakeFirstOrThrow();
      await call(server!.base, 'PUT', `/api/candidate/attempts/${theory.attemptId}/answers/${q.id}`, { answer: JSON.parse(key.answer_key), seq: 1 }, login.token);
      theoryScore += q.points;
    }
    theoryMax = theory.questions.reduce((s, q) => s + q.points, 0);
    await call(server!.base, 'POST', `/api/candidate/attempts/${theory.attemptId}/submit`, undefined, login.token);

    // The exam client: the practical sitting is the only one left open, so it is entered straight away.
    await exam.goto(`${server!.base}/exam/`);
    await exam.getByTestId('login-ticket').fill(c.ticketNo);
    await exam.getByTestId('login-id').fill(c.idNumber);
    await exam.getByTestId('login-submit').click();
    await exam.getByTestId('paper').waitFor();
    practicalAttempt = (await exam.getByTestId('paper').getAttribute('data-attempt-id'))!;
    const body = await until('the enter response', async () => paper, 10_000);
    assert.equal(body.attemptId, practicalAttempt);
    assert.equal(body.sitting.paper, 'practical');
    assert.equal(body.sitting.id, demo.sittings.find((s) => s.paper === 'practical')!.id);
    assert.deepEqual(body.questions.map((q) => q.id).sort(), Object.values(qid).sort(), 'the paper holds the five tasks');
    assert.ok(body.questions.every((q) => q.points === 20));
    assert.equal(await exam.getByTestId('candidate-name').innerText(), c.name);
    await exam.getByTestId('navigator').waitFor();
    for (let n = 1; n <= 5; n++) {
      const id = await exam.getByTestId(`nav-${n}`).getAttribute('data-question-id');
      const key = (Object.keys(qid) as TaskKey[]).find((k) => qid[k] === id);
      assert.ok(key, `nav-${n} is one of the tasks`);
      nav[key] = n;
    }
    assert.equal(await exam.getByTestId('answered-count').innerText(), '0');
  });

  step('writes code in the editor, runs the samples (wrong, then right) and sees their results', async () => {
    await goTo('sum');
    await exam.locator('[data-testid=code-editor][data-path="main.py"]').waitFor();
    assert.equal(await exam.getByTestId('task-title').innerText(), '求和');
    assert.equal(await editorText(), '# 在这里编写代码\n', 'the starter file');

    await replaceCode(SUM_WRONG, 'type');
    await exam.getByTestId('run-samples').click();
    const wrong = exam.locator('[data-testid=run-result][data-state=done]');
    await wrong.waitFor({ timeout: 90_000 });
    assert.equal(await exam.getByTestId('sample-result-s1').getAttribute('data-verdict'), 'failed');
    assert.match(squash(await wrong.innerText()), /^样例通过 0 \/ 1/);
    assert.match(await exam.getByTestId('sample-result-s1').innerText(), /结果错误/);

    await replaceCode(SUM_CODE, 'type');
    await exam.getByTestId('run-samples').click();
    await exam.locator('[data-testid=sample-result-s1][data-verdict=passed]').waitFor({ timeout: 90_000 });
    const right = exam.locator('[data-testid=run-result][data-state=done]');
    assert.equal(await right.getAttribute('data-passed'), '1');
    assert.match(squash(await right.innerText()), /^样例通过 1 \/ 1/);
    assert.equal(await exam.getByTestId(`nav-${nav.sum}`).getAttribute('data-answered'), 'true');
    await shot(exam, 'exam-code-task');

    await until('the code in the database', async () => {
      const a = (await storedAnswer('sum')) as { files?: Record<string, string> } | undefined;
      return a?.files?.['main.py'] === SUM_CODE;
    }, 30_000);
  });

  step('reloads the page and finds the code intact', async () => {
    await savedAll();
    await exam.reload();
    await exam.getByTestId('paper').waitFor();
    assert.equal(await exam.getByTestId('paper').getAttribute('data-attempt-id'), practicalAttempt, 'the same attempt, resumed');
    await goTo('sum');
    await exam.locator('[data-testid=code-editor][data-path="main.py"]').waitFor();
    assert.equal(await editorText(), SUM_CODE);
    assert.equal(await exam.getByTestId(`nav-${nav.sum}`).getAttribute('data-answered'), 'true');
  });

  step('answers the other tasks: code, a web page, the case analysis and a zip upload', async () => {
    await goTo('square');
    await exam.locator('[data-testid=code-editor][data-path="main.py"]').waitFor();
    await replaceCode(SQUARE_CODE, 'insert');

    await goTo('page');
    await exam.locator('[data-testid=code-editor][data-path="index.html"]').waitFor();
    await replaceCode(PAGE_HTML, 'insert');
    await exam.getByTestId('file-tab-style.css').click();
    await exam.locator('[data-testid=code-editor][data-path="style.css"]').waitFor();
    await replaceCode(PAGE_CSS, 'insert');
    // The live preview shows the heading.
    const preview = exam.frameLocator('[data-testid=webpage-preview]');
    await preview.locator('h1', { hasText: '欢迎' }).waitFor();

    await goTo('case');
    await exam.getByTestId('case-text').fill(CASE_TEXT);
    await exam.locator(`[data-testid=case-count][data-count="${CASE_TEXT.length}"]`).waitFor();
    await exam.getByTestId('case-text').blur();

    await goTo('upload');
    await exam.getByTestId('upload-input').setInputFiles({ name: UPLOAD_NAME, mimeType: 'application/zip', buffer: UPLOAD_ZIP });
    await exam.locator('[data-testid=upload-status][data-state=done]').waitFor({ timeout: 60_000 });
    assert.equal(await exam.getByTestId('upload-name').innerText(), UPLOAD_NAME);

    await savedAll();
    assert.equal(await exam.getByTestId('answered-count').innerText(), '5');
    for (const key of Object.keys(nav) as TaskKey[]) assert.equal(await exam.getByTestId(`nav-${nav[key]}`).getAttribute('data-answered'), 'true', key);
  });

  step('hands in; every answer is stored as written', async () => {
    await exam.getByTestId('handin-button').click();
    await exam.getByTestId('confirm-dialog').waitFor();
    assert.equal(await exam.getByTestId('unanswered-count').getAttribute('data-value'), '0');
    await exam.getByTestId('confirm-button').click();
    await exam.locator('[data-testid=submitted][data-reason=handed-in]').waitFor();

    const row = await ctx!.db.selectFrom('attempts').select(['state', 'submit_reason']).where('id', '=', practicalAttempt).executeTakeFirstOrThrow();
    assert.deepEqual([row.state, row.submit_reason], ['submitted', 'candidate']);
    assert.deepEqual(await storedAnswer('sum'), { files: { 'main.py': SUM_CODE } });
    assert.deepEqual(await storedAnswer('square'), { files: { 'main.py': SQUARE_CODE } });
    assert.deepEqual(await storedAnswer('page'), { files: { 'index.html': PAGE_HTML, 'style.css': PAGE_CSS } });
    assert.deepEqual(await storedAnswer('case'), { text: CASE_TEXT });
    const upload = (await storedAnswer('upload')) as { upload: { name: string; size: number } };
    assert.deepEqual([upload.upload.name, upload.upload.size], [UPLOAD_NAME, UPLOAD_ZIP.length]);
  });

  // -------------------------------------------------------------------------
  // The console
  // -------------------------------------------------------------------------

  async function signInAs(username: string): Promise<void> {
    await staff.getByRole('button', { name: '登录' }).waitFor();
    await staff.getByLabel('用户名').fill(username);
    await staff.getByLabel('密码').fill(PASSWORD);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.getByTestId('current-user').filter({ hasText: username }).waitFor();
  }

  async function signOut(): Promise<void> {
    await staff.getByRole('button', { name: '退出' }).click();
    await staff.getByRole('button', { name: '登录' }).waitFor();
  }

  const resultRow = () => staff.getByTestId('results-table').locator('tr.ant-table-row').filter({ hasText: demo.candidates[0]!.ticketNo });

  /** Presses 刷新 on the 成绩 card and waits for the fresh results to be shown. */
  async function refreshResults(): Promise<void> {
    const card = staff.locator('.ant-card').filter({ has: staff.getByTestId('plan-select') });
    await Promise.all([
      staff.waitForResponse((r) => r.url().endsWith(`/api/console/plans/${demo.planId}/results`) && r.ok()),
      card.getByRole('button', { name: '刷新' }).click(),
    ]);
    await resultRow().waitFor();
  }

  async function openBreakdown(): Promise<ReturnType<Page['getByTestId']>> {
    const breakdown = staff.getByTestId('practical-breakdown');
    if (!(await breakdown.isVisible())) await resultRow().locator('.ant-table-row-expand-icon').click();
    await breakdown.locator('tr.ant-table-row').nth(4).waitFor();
    return breakdown;
  }

  async function breakdownRow(breakdown: ReturnType<Page['getByTestId']>, key: TaskKey): Promise<string> {
    return squash(await breakdown.locator('tr.ant-table-row').filter({ hasText: TASK[key] }).innerText());
  }

  step('the hidden checks are graded in the sandbox; the operator watches them finish in the console', async () => {
    await staff.goto(`${server!.base}/console/`);
    await signInAs(OPERATOR);
    await staff.waitForURL(/#\/plans$/);
    await staff.getByRole('menuitem', { name: '成绩' }).click();
    await staff.waitForURL(new RegExp(`#/results/${demo.planId}$`));
    await resultRow().waitFor();

    // 自动判分: press 刷新 until no job is queued or running (grading several checks, one page check
    // in Chromium among them, takes a while on a loaded machine).
    const status = staff.getByTestId('grading-status');
    const last = await until('every grading job done, seen in the console', async () => {
      const [res] = await Promise.all([
        staff.waitForResponse((r) => r.url().endsWith('/api/console/grading/status') && r.request().method() === 'GET'),
        status.getByRole('button', { name: '刷新' }).click(),
      ]);
      const s = (await res.json()) as GradingStatus;
      if ((s.jobs.failed ?? 0) > 0) throw new Error(`a grading job failed: ${JSON.stringify(s)}`);
      return !s.jobs.queued && !s.jobs.running && s.jobs.done === 5 && s;
    }, 240_000, 1000);
    assert.deepEqual(last, { mode: 'in-process', sandbox: { available: true }, jobs: { done: 5 } });
    await status.getByTestId('grading-jobs').filter({ hasText: /已完成\s*5/ }).waitFor();
    assert.equal(squash(await status.getByTestId('grading-jobs').innerText()), '排队中 0 判分中 0 已完成 5 失败 0');
    assert.equal(squash(await status.getByTestId('sandbox-state').innerText()), '判分沙箱可用 本机判分');

    // What the sandbox recorded, check by check: the expected points come from these verdicts.
    const jobs = await ctx!.db.selectFrom('grading_jobs').select(['question_id', 'state', 'earned', 'result']).where('attempt_id', '=', practicalAttempt).execute();
    assert.equal(jobs.length, 5);
    for (const key of Object.keys(TASK) as TaskKey[]) {
      const job = jobs.find((j) => j.question_id === qid[key])!;
      assert.equal(job.state, 'done', key);
      const paperPoints = paper!.questions.find((q) => q.id === qid[key])!.points;
      if (key === 'case') {
        assert.equal(job.result, null, 'a case task has nothing to run');
        autoByTask.set(TASK[key], 0);
        continue;
      }
      const checks = (JSON.parse(job.result!) as { checks: CheckResult[] }).checks;
      assert.deepEqual(Object.fromEntries(checks.map((c) => [c.id, c.verdict])), EXPECTED_VERDICTS[TASK[key]], `${TASK[key]} verdicts: ${JSON.stringify(checks)}`);
      const earned = checks.filter((c) => c.verdict === 'passed').reduce((s, c) => s + c.points, 0);
      autoByTask.set(TASK[key], (earned * paperPoints) / TASK_POINTS[TASK[key]]!);
    }
    const auto = [...autoByTask.values()].reduce((s, n) => s + n, 0);

    // 成绩 before marking: automatic points in, the practical paper still being graded.
    await refreshResults();
    const c = demo.candidates[0]!;
    const row = resultRow();
    assert.ok((await row.innerText()).includes(c.name));
    assert.equal(squash(await row.getByTestId('theory-cell').innerText()), `${pts(theoryScore)} / ${pts(theoryMax)} 已定分`);
    assert.equal(squash(await row.getByTestId('practical-cell').innerText()), `判分中 自动 ${pts(auto)} + 人工 0（未完成）`);
    assert.equal((await row.locator('td').nth(6).innerText()).trim(), '—');
    assert.equal((await row.getByTestId('passed').innerText()).trim(), '待定');
    const breakdown = await openBreakdown();
    assert.equal(squash(await breakdown.locator('.ant-typography').first().innerText()), `实操逐题得分：自动 ${pts(auto)} + 人工 0 = 判分未完成（满分 100 分）`);
    assert.equal(await breakdownRow(breakdown, 'sum'), `${TASK.sum} 编程题 求和 20 ${pts(autoByTask.get(TASK.sum)!)} 无需人工 ${pts(autoByTask.get(TASK.sum)!)}`);
    assert.equal(await breakdownRow(breakdown, 'case'), `${TASK.case} 案例分析题 成绩管理程序的健壮性 20 无需自动 待评 —`);
    await signOut();
  });

  step('a grader marks the case task against its rubric on the 阅卷 screens', async () => {
    await signInAs(GRADER);
    await staff.waitForURL(/#\/grading$/);
    const menu = await staff.getByRole('menuitem').allInnerTexts();
    assert.ok(menu.includes('阅卷') && !menu.includes('成绩'), `a grader marks but does not see results: ${menu.join(', ')}`);
    const taskRow = staff.getByTestId('grading-tasks').locator('tr.ant-table-row').filter({ hasText: TASK.case });
    await taskRow.waitFor();
    assert.equal(await staff.getByTestId('grading-tasks').locator('tr.ant-table-row').count(), 1, 'only the case task needs people');
    const cells = (await taskRow.locator('td').allInnerTexts()).map(squash);
    assert.deepEqual(cells.slice(0, 7), [TASK.case, '案例分析题成绩管理程序的健壮性', '单评', '0 / 1', '0', '1', '0']);

    await taskRow.getByText('开始阅卷').click();
    const answer = staff.getByTestId('marking-answer');
    await answer.filter({ hasText: '原因分析' }).waitFor();
    assert.equal(squash(await answer.innerText()), squash(CASE_TEXT));
    assert.equal(await staff.getByTestId('marking-state').innerText(), '待评');
    assert.equal(await staff.getByTestId('marking-round').innerText(), '第 1 评');
    assert.equal(await staff.getByTestId('rubric-item').count(), CASE_RUBRIC.length);
    const body = await staff.locator('body').innerText();
    const c = demo.candidates[0]!;
    for (const who of [c.name, c.ticketNo, c.idNumber, practicalAttempt]) assert.ok(!body.includes(who), `the marking screen must not show ${who}`);

    for (const r of CASE_RUBRIC) await staff.getByLabel(`${r.name} 得分`, { exact: true }).fill(String(CASE_MARKS[r.name]));
    const total = Object.values(CASE_MARKS).reduce((s, n) => s + n, 0);
    await staff.getByTestId('mark-total').filter({ hasText: new RegExp(`^${pts(total).replace('.', '\\.')}$`) }).waitFor();
    await staff.getByLabel('问题分析 评语', { exact: true }).fill('两处问题都指出了');
    await staff.getByTestId('mark-submit').click();
    await staff.getByText('本题没有待评答卷了').waitFor();
    assert.equal(squash(await staff.getByTestId('marking-notice').innerText()), `已提交评分：${pts(total)} 分`);

    await staff.getByRole('menuitem', { name: '阅卷' }).click();
    await staff.waitForURL(/#\/grading$/);
    await taskRow.getByTestId('task-progress').filter({ hasText: /^1 \/ 1$/ }).waitFor();
    await signOut();
  });

  step('the operator reads 成绩: practical (automatic + manual), combined score and pass/fail, exactly', async () => {
    await signInAs(OPERATOR);
    await staff.waitForURL(/#\/plans$/);
    const menu = await staff.getByRole('menuitem').allInnerTexts();
    assert.ok(menu.includes('阅卷') && menu.includes('成绩'), `the operator's menu: ${menu.join(', ')}`);
    await staff.getByRole('menuitem', { name: '成绩' }).click();
    await staff.waitForURL(new RegExp(`#/results/${demo.planId}$`));
    await resultRow().waitFor();

    // The expected numbers, from what was graded: the sandbox's verdicts, the grader's marks, the theory answers.
    const auto = [...autoByTask.values()].reduce((s, n) => s + n, 0);
    const caseManual = (Object.values(CASE_MARKS).reduce((s, n) => s + n, 0) * 20) / TASK_POINTS[TASK.case]!;
    const manual = caseManual;
    const practical = Math.min(100, auto + manual);
    // combined = 0.4 × theory + 0.6 × practical, rounded half up to one decimal — in integers, free of float noise.
    const tenths = Math.floor((4 * Math.round(theoryScore * 100) + 6 * Math.round(practical * 100) + 50) / 100);
    const combined = (tenths / 10).toFixed(1);
    const passed = tenths >= 600;
    assert.deepEqual([theoryScore, auto, manual, practical, combined, passed], [68, 70, 16.5, 86.5, '79.1', true], 'the numbers this flow is built to produce');

    const row = resultRow();
    assert.equal(squash(await row.getByTestId('theory-cell').innerText()), `${pts(theoryScore)} / 100 已定分`);
    assert.equal(squash(await row.getByTestId('practical-cell').innerText()), `${pts(practical)} / 100 已定分 自动 ${pts(auto)} + 人工 ${pts(manual)}`);
    assert.equal((await row.locator('td').nth(6).innerText()).trim(), combined);
    assert.equal((await row.getByTestId('passed').innerText()).trim(), passed ? '合格' : '不合格');
    assert.match((await row.getByTestId('passed').getAttribute('class')) ?? '', passed ? /success/ : /error/);
    assert.match(await staff.getByTestId('results-formula').innerText(), /综合成绩 = 0\.4 × 理论 \+ 0\.6 × 实操，60 分合格/);
    assert.equal(squash(await staff.getByTestId('results-summary').innerText()), `考生 1 人 已出综合成绩 1 人 合格 ${passed ? 1 : 0} 人 不合格 ${passed ? 0 : 1} 人 待定 0 人`);

    const breakdown = await openBreakdown();
    assert.equal(squash(await breakdown.locator('.ant-typography').first().innerText()), `实操逐题得分：自动 ${pts(auto)} + 人工 ${pts(manual)} = ${pts(practical)} / 100 分`);
    const titles: Record<TaskKey, string> = { sum: '编程题 求和', square: '编程题 平方函数', page: '网页题 欢迎页', case: '案例分析题 成绩管理程序的健壮性', upload: '项目上传题 上传项目' };
    for (const key of ['sum', 'square', 'page', 'upload'] as const) {
      const a = pts(autoByTask.get(TASK[key])!);
      assert.equal(await breakdownRow(breakdown, key), `${TASK[key]} ${titles[key]} 20 ${a} 无需人工 ${a}`);
    }
    assert.equal(await breakdownRow(breakdown, 'case'), `${TASK.case} ${titles.case} 20 无需自动 ${pts(caseManual)} 已定分 ${pts(caseManual)}`);
    await breakdown.scrollIntoViewIfNeeded();
    await shot(staff, 'console-results-breakdown');

    // At 1024 px the results table scrolls sideways (the menu keeps its 200 px): scroll it to its right
    // end so that the screenshot shows the combined score and pass/fail next to the two papers.
    await staff.evaluate(() => window.scrollTo(0, 0));
    await staff.getByTestId('results-table').locator('.ant-table-content').first().evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    for (const cell of [row.getByTestId('combined'), row.getByTestId('passed'), row.getByTestId('practical-cell')]) {
      await until('the cell in view', async () => {
        const box = await cell.boundingBox();
        return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1024 && box.y + box.height <= 768;
      }, 10_000, 100);
    }
    await shot(staff, 'console-results');

    // The same numbers through the API the page reads.
    const token = (await call<{ token: string }>(server!.base, 'POST', '/api/staff/login', { username: OPERATOR, password: PASSWORD })).token;
    const api = await call<{ rows: { practical: { score: number; auto: number; manual: number }; theory: { score: number }; combined: number; passed: boolean }[] }>(
      server!.base, 'GET', `/api/console/plans/${demo.planId}/results`, undefined, token,
    );
    const r = api.rows[0]!;
    assert.deepEqual([r.theory.score, r.practical.auto, r.practical.manual, r.practical.score, r.combined, r.passed], [theoryScore, auto, manual, practical, Number(combined), passed]);
  });

  step('raised no page errors in either front end', async () => {
    assert.deepEqual(pageErrors, []);
  });
});
