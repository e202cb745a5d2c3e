// The data the 阅卷 and 成绩 screens need, made through the server's own
// modules: a plan with a theory and a practical sitting whose practical pool
// is exactly five known tasks, candidates who sat one or both papers, and
// marks given through the grading API. The app runs in this process (so the
// test can reach its database) with automatic grading off; the one task with
// automatic checks gets its result recorded as the sandbox would.

import type { AddressInfo } from 'node:net';
import type { GradingResult } from '@kaowu/core';
import { freshDatabase, startTestApp, TestClock, type TestApp } from '../../../packages/server/test/helpers.ts';
import { createDemo, DEMO_GRADERS, DEMO_OPERATOR, importDemoBanks } from '../../../packages/server/src/modules/demo/demo.ts';
import { importBank } from '../../../packages/server/src/modules/bank/import-bank.ts';
import { recordResult } from '../../../packages/server/src/modules/grading/jobs.ts';
import { refreshPracticalScore } from '../../../packages/server/src/modules/grading/attempt-score.ts';
import { call, ensureConsoleBuilt } from './helpers.ts';

export const PASSWORD = DEMO_OPERATOR.password;
export const OPERATOR = DEMO_OPERATOR.username;
export const [GRADER1, GRADER2, GRADER3] = DEMO_GRADERS.map((g) => g.username) as [string, string, string];

// ---------------------------------------------------------------------------
// The practical tasks: 5 on every paper (the blueprint's 5 × 20 points).
// ---------------------------------------------------------------------------

export const TASKS = {
  review: 'T-CASE-01',
  design: 'T-CASE-02',
  code: 'T-CODE-03',
  report: 'T-CASE-04',
  upload: 'T-UPLOAD-05',
} as const;

const caseTask = (id: string, title: string, stem: string, rubric: { id: string; name: string; points: number; description?: string }[], doubleMarking?: { threshold: number }) => ({
  id,
  type: 'case',
  topic: '案例分析',
  points: rubric.reduce((s, r) => s + r.points, 0),
  stem,
  task: { title, rubric, ...(doubleMarking ? { doubleMarking } : {}) },
  explanation: '评分要点见评分细则。',
});

export const TASK_BANK = {
  format: 'kaowu-bank',
  version: 1,
  certificate: 'python-dev',
  level: 'junior',
  title: '阅卷界面测试用实操题',
  questions: [
    caseTask(
      TASKS.review,
      '成绩统计脚本的代码评审',
      [
        '某班级用下面的脚本统计平均分，运行时偶尔报错，统计结果也不对：',
        '',
        '```python',
        'def average(scores):',
        '    total = 0',
        '    for s in scores:',
        '        total += s',
        '    return total / len(scores)',
        '',
        "f = open('scores.txt')",
        'scores = [int(line) for line in f]',
        "print('平均分：', average(scores))",
        '```',
        '',
        '请完成：',
        '',
        '1. 指出脚本中**至少两处**缺陷，并说明会导致什么后果；',
        '2. 给出修改方案（可以写出修改后的代码）；',
        '3. 表述条理清楚、术语准确。',
      ].join('\n'),
      [
        { id: 'defects', name: '找出缺陷', points: 4, description: '指出空列表除零、文件未关闭、空行或非数字行转换出错等，每处 2 分，最多 4 分。' },
        { id: 'fix', name: '修改方案', points: 4, description: '方案可行并针对所指缺陷：判断空列表、使用 with 打开文件、跳过空行或捕获 ValueError 等。' },
        { id: 'clarity', name: '表达规范', points: 2, description: '条理清楚，术语准确。' },
      ],
      { threshold: 3 },
    ),
    caseTask(TASKS.design, '图书借阅程序的数据结构设计', '为一个小型图书借阅程序设计数据结构，说明如何表示图书、读者与借阅记录，并说明理由。', [
      { id: 'model', name: '数据结构', points: 6, description: '用字典、列表或类合理表示三类数据。' },
      { id: 'reason', name: '设计理由', points: 4 },
    ]),
    {
      id: TASKS.code,
      type: 'code',
      topic: '函数',
      points: 10,
      stem: '编写程序：读入一行以空格分隔的整数，输出其中**偶数之和**。',
      task: {
        title: '偶数求和',
        files: { 'main.py': '# 在此编写代码\n' },
        entry: 'main.py',
        checks: [
          { id: 'sample', name: '样例 1', kind: 'stdout', sample: true, points: 2, stdin: '1 2 3 4\n', stdout: '6' },
          { id: 'hidden', name: '隐藏测试', kind: 'stdout', points: 4, stdin: '-2 5 8\n', stdout: '6' },
        ],
        rubric: [{ id: 'style', name: '代码规范', points: 4, description: '命名清楚、结构合理，有必要的注释。' }],
      },
    },
    caseTask(TASKS.report, '日志分析报告', '阅读一段 Web 服务器日志，写出你发现的问题及建议。', [{ id: 'findings', name: '发现与建议', points: 10 }]),
    {
      id: TASKS.upload,
      type: 'upload',
      topic: '项目开发',
      points: 10,
      stem: '完成一个命令行记账小项目，把整个项目文件夹压缩为 zip 后上传。',
      task: { title: '记账小项目', rubric: [{ id: 'project', name: '项目完成度', points: 10, description: '功能完整、结构清楚、可以运行。' }] },
    },
  ],
};

/** The smallest valid zip (an empty archive: just the end-of-central-directory record). */
export const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);
export const UPLOAD_NAME = 'bookkeeping-project.zip';

/** What candidates write; the test finds these on the marking screen (no name, no ticket). */
export const ANSWERS = {
  reviewPass: [
    '缺陷一：scores 为空列表时 len(scores) 为 0，average 会抛出 ZeroDivisionError。',
    '缺陷二：open 之后没有关闭文件；文件中若有空行，int(line) 会抛出 ValueError。',
    '',
    '修改方案：',
    "with open('scores.txt', encoding='utf-8') as f:",
    '    scores = [int(line) for line in f if line.strip()]',
    '并在 average 中先判断 if not scores: return 0。',
  ].join('\n'),
  reviewFail: '程序没有问题，可以正常运行。',
  design: '图书用字典 {isbn: {...}} 表示，读者用字典，借阅记录用列表保存 (isbn, 读者编号, 日期)。理由：按编号查找快。',
  code: 'nums = [int(x) for x in input().split()]\n# 只累加偶数\nprint(sum(n for n in nums if n % 2 == 0))\n',
  report: '日志中同一 IP 在一分钟内请求登录接口 300 余次，疑似暴力破解。建议：登录失败次数限制、验证码、封禁异常 IP。',
};

// ---------------------------------------------------------------------------

export interface Person {
  ticketNo: string;
  idNumber: string;
  name: string;
}

export interface GradingFixture {
  app: TestApp;
  base: string;
  planId: string;
  planName: string;
  /**
   * pass: theory 100, practical with three tasks answered; fail: theory 50, one task;
   * theoryOnly: theory 60, no practical; practicalOnly: a case task and an upload, no theory; absent: neither.
   */
  people: { pass: Person; fail: Person; theoryOnly: Person; practicalOnly: Person; absent: Person[] };
  /** Practical attempt ids. */
  practicalAttempt: { pass: string; fail: string; practicalOnly: string };
  markingId(attemptId: string, code: string): Promise<string>;
  staffToken(username: string): Promise<string>;
  /** PUT …/mark through the API. */
  mark(username: string, markingId: string, points: Record<string, number>, extra?: { comment?: string; reason?: string }): Promise<void>;
  stop(): Promise<void>;
}

interface CandidateLogin {
  token: string;
  sittings: { id: string; paper: 'theory' | 'practical' }[];
}
interface AttemptView {
  attemptId: string;
  questions: { id: string; type: string; options: { id: string }[] }[];
}

export async function startGradingFixture(): Promise<GradingFixture> {
  ensureConsoleBuilt();
  const database = await freshDatabase('sqlite');
  const app = await startTestApp(database, new TestClock(Date.parse('2026-06-20T00:30:00.000Z')));
  try {
    return await build(app);
  } catch (err) {
    await app.close();
    throw err;
  }
}

async function build(app: TestApp): Promise<GradingFixture> {
  const { ctx } = app;

  // The demo banks, plus the five tasks as the only active practical tasks at this level.
  await importDemoBanks(ctx);
  const imported = await importBank(ctx.db, JSON.stringify(TASK_BANK), 'test/grading-tasks.json');
  if (!imported.ok) throw new Error(`task bank invalid: ${JSON.stringify(imported.problems)}`);
  const codes = Object.values(TASKS) as string[];
  await ctx.db
    .updateTable('questions')
    .set({ active: 0 })
    .where('level', '=', 'junior')
    .where('type', 'in', ['code', 'webpage', 'case', 'upload'])
    .where('code', 'not in', codes)
    .execute();
  ctx.questions.invalidatePools();

  const demo = await createDemo(ctx, { candidates: 6, level: 'junior', startsAt: app.clock.now(), papers: 'both', rules: { earliestSubmitMin: 0 } });
  const plan = await ctx.db.selectFrom('plans').select(['name']).where('id', '=', demo.planId).executeTakeFirstOrThrow();

  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;

  const [pass, fail, theoryOnly, practicalOnly, ...absent] = demo.candidates as [Person, Person, Person, Person, ...Person[]];

  const keys = new Map(
    (await ctx.db.selectFrom('questions').select(['id', 'answer_key']).where('level', '=', 'junior').execute()).map((q) => [q.id, JSON.parse(q.answer_key) as unknown]),
  );
  const codeOf = new Map((await ctx.db.selectFrom('questions').select(['id', 'code']).where('code', 'in', codes).execute()).map((q) => [q.id, q.code]));

  async function login(p: Person) {
    return call<CandidateLogin>(base, 'POST', '/api/candidate/login', { ticketNo: p.ticketNo, idNumber: p.idNumber });
  }
  async function enter(token: string, sittingId: string) {
    return call<AttemptView>(base, 'POST', `/api/candidate/sittings/${sittingId}/attempt`, undefined, token);
  }
  const save = (token: string, attemptId: string, questionId: string, answer: unknown, seq: number) =>
    call(base, 'PUT', `/api/candidate/attempts/${attemptId}/answers/${questionId}`, { answer, seq }, token);
  const handIn = (token: string, attemptId: string) => call(base, 'POST', `/api/candidate/attempts/${attemptId}/submit`, undefined, token);

  /** Sits the theory paper with the first `correct` questions right and the rest unanswered. */
  async function sitTheory(p: Person, correct: number) {
    const login1 = await login(p);
    const sitting = login1.sittings.find((s) => s.paper === 'theory')!;
    const a = await enter(login1.token, sitting.id);
    for (const [i, q] of a.questions.slice(0, correct).entries()) await save(login1.token, a.attemptId, q.id, keys.get(q.id), i + 1);
    await handIn(login1.token, a.attemptId);
  }

  /** Sits the practical paper with answers by task code (others left blank); a Buffer is uploaded. */
  async function sitPractical(p: Person, answers: Partial<Record<string, unknown>>) {
    const login1 = await login(p);
    const sitting = login1.sittings.find((s) => s.paper === 'practical')!;
    const a = await enter(login1.token, sitting.id);
    let seq = 1;
    for (const q of a.questions) {
      const answer = answers[codeOf.get(q.id) ?? ''];
      if (Buffer.isBuffer(answer)) {
        const url = `${base}/api/candidate/attempts/${a.attemptId}/questions/${q.id}/upload?name=${encodeURIComponent(UPLOAD_NAME)}&seq=${seq++}`;
        const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/zip', authorization: `Bearer ${login1.token}` }, body: new Uint8Array(answer) });
        if (!res.ok) throw new Error(`upload → ${res.status} ${await res.text()}`);
      } else if (answer !== undefined) await save(login1.token, a.attemptId, q.id, answer, seq++);
    }
    await handIn(login1.token, a.attemptId);
    return a.attemptId;
  }

  await sitTheory(pass, 50); // 100
  await sitTheory(fail, 25); // 50
  await sitTheory(theoryOnly, 30); // 60
  const passAttempt = await sitPractical(pass, {
    [TASKS.review]: { text: ANSWERS.reviewPass },
    [TASKS.design]: { text: ANSWERS.design },
    [TASKS.code]: { files: { 'main.py': ANSWERS.code } },
  });
  const failAttempt = await sitPractical(fail, { [TASKS.review]: { text: ANSWERS.reviewFail } });
  const practicalOnlyAttempt = await sitPractical(practicalOnly, { [TASKS.report]: { text: ANSWERS.report }, [TASKS.upload]: EMPTY_ZIP });

  async function markingId(attemptId: string, code: string) {
    const row = await ctx.db
      .selectFrom('grading_jobs')
      .innerJoin('questions', 'questions.id', 'grading_jobs.question_id')
      .select('grading_jobs.id')
      .where('grading_jobs.attempt_id', '=', attemptId)
      .where('questions.code', '=', code)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  // The sandbox's part: 甲's program passes both checks (6 of the task's 10 points).
  const codeJob = await markingId(passAttempt, TASKS.code);
  const result: GradingResult = {
    taskId: TASKS.code,
    samplesOnly: false,
    earned: 6,
    max: 6,
    sandboxMs: 412,
    checks: [
      { id: 'sample', name: '样例 1', sample: true, verdict: 'passed', points: 2, earned: 2, message: '输出正确', timeMs: 38 },
      { id: 'hidden', name: '隐藏测试', sample: false, verdict: 'passed', points: 4, earned: 4, message: '输出正确', timeMs: 41 },
    ],
  };
  await recordResult(ctx.db, codeJob, result, app.clock.now());
  await refreshPracticalScore(ctx, passAttempt);

  const tokens = new Map<string, string>();
  async function staffToken(username: string) {
    let t = tokens.get(username);
    if (!t) {
      t = (await call<{ token: string }>(base, 'POST', '/api/staff/login', { username, password: PASSWORD })).token;
      tokens.set(username, t);
    }
    return t;
  }
  async function mark(username: string, id: string, points: Record<string, number>, extra: { comment?: string; reason?: string } = {}) {
    const items = Object.entries(points).map(([rubricId, p]) => ({ id: rubricId, points: p }));
    await call(base, 'PUT', `/api/console/grading/items/${id}/mark`, { items, ...extra }, await staffToken(username));
  }

  return {
    app,
    base,
    planId: demo.planId,
    planName: plan.name,
    people: { pass, fail, theoryOnly, practicalOnly, absent },
    practicalAttempt: { pass: passAttempt, fail: failAttempt, practicalOnly: practicalOnlyAttempt },
    markingId,
    staffToken,
    mark,
    stop: () => app.close(),
  };
}
