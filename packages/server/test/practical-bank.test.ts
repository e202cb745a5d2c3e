import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Grader } from '@kaowu/grader';
import type { GradableTask, GradingResult } from '@kaowu/core';
import { CONTENT_DIR, REPO_ROOT } from '../src/content.ts';
import { isBankTask, parseBankFile, type BankFile, type BankTask } from '../src/modules/bank/bank-file.ts';
import { importBank } from '../src/modules/bank/import-bank.ts';
import { readSolution, zipFiles } from '../src/cli/check.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { runKaowu } from './cli-process.ts';

const BANK_DIR = path.join(CONTENT_DIR, 'banks');
const SOLUTIONS = path.join(CONTENT_DIR, 'solutions');
const PRACTICAL_FILES = fs.readdirSync(BANK_DIR).filter((f) => f.endsWith('-practical.yaml')).sort();

const banks: { file: string; bank: BankFile }[] = PRACTICAL_FILES.map((file) => {
  const parsed = parseBankFile(fs.readFileSync(path.join(BANK_DIR, file), 'utf8'));
  return { file, bank: parsed.ok ? parsed.bank : (assert.fail(`${file}: ${JSON.stringify(parsed.problems.slice(0, 5))}`) as never) };
});
const tasks: { file: string; level: string; task: BankTask }[] = banks.flatMap(({ file, bank }) =>
  bank.questions.filter(isBankTask).map((task) => ({ file, level: bank.level, task })),
);
const gradable = (t: BankTask): GradableTask => ({ ...t.task, id: t.id, type: t.type, points: t.points });

test('every practical bank file is valid and holds practical tasks', () => {
  assert.ok(PRACTICAL_FILES.includes('python-dev-junior-practical.yaml'), PRACTICAL_FILES.join(', '));
  for (const { file, bank } of banks) assert.ok(bank.questions.some(isBankTask), `${file}: no practical task`);
});

test('the junior practical bank: ≥ 12 tasks of 20 points, ≥ 10 fully automatic, 1–2 webpage, 2 case with double marking', () => {
  const junior = tasks.filter((t) => t.level === 'junior').map((t) => t.task);
  assert.ok(junior.length >= 12, `${junior.length} junior tasks`);
  for (const t of junior) assert.equal(t.points, 20, t.id);
  const automatic = junior.filter((t) => t.task.checks.length > 0 && t.task.rubric.length === 0);
  assert.ok(automatic.length >= 10, `${automatic.length} fully automatic`);
  const webpage = junior.filter((t) => t.type === 'webpage').length;
  assert.ok(webpage >= 1 && webpage <= 2, `${webpage} webpage tasks`);
  const cases = junior.filter((t) => t.type === 'case');
  assert.equal(cases.length, 2);
  for (const c of cases) {
    assert.ok(c.task.rubric.length >= 3 && c.task.rubric.length <= 5, `${c.id}: ${c.task.rubric.length} rubric items`);
    assert.deepEqual(c.task.doubleMarking, { threshold: 3 }, c.id);
  }
  for (const t of automatic) {
    assert.ok(t.task.checks.some((c) => c.sample), `${t.id}: no sample check`);
    assert.ok(t.task.checks.some((c) => !c.sample), `${t.id}: no hidden check`);
  }
});

test('every task has its solutions: reference and wrong folders, or answer.md for a case', () => {
  for (const { task } of tasks) {
    const dir = path.join(SOLUTIONS, task.id);
    if (task.task.checks.length === 0) {
      const answer = path.join(dir, 'reference', 'answer.md');
      assert.ok(fs.existsSync(answer), `${task.id}: missing ${path.relative(REPO_ROOT, answer)}`);
      assert.ok(fs.readFileSync(answer, 'utf8').trim().length > 200, `${task.id}: answer.md is too short`);
      continue;
    }
    for (const kind of ['reference', 'wrong']) assert.ok(fs.existsSync(path.join(dir, kind)), `${task.id}: missing ${kind}/`);
  }
});

// One grader for the whole file: its slots run the solutions concurrently.
let grader: Grader | undefined;
let sandboxProblem: string | undefined;
before(async () => {
  grader = new Grader();
  const status = await grader.status();
  if (!status.available) {
    sandboxProblem = status.reason ?? 'unavailable';
    if (process.env.CI === 'true') throw new Error(`the sandbox is required under CI=true: ${sandboxProblem}`);
  }
});
after(async () => grader?.close());

// On two idle cores: about 20 s for the junior bank alone, a minute or more for every
// bank (most of it Django imports and Chromium). The timeout leaves room for a busy machine.
test('every reference earns every automatic point and every wrong solution earns less (real grader)', { timeout: 600_000 }, async (t) => {
  if (sandboxProblem) return t.skip(`sandbox unavailable: ${sandboxProblem}`);
  const started = Date.now();
  const runs = tasks
    .filter(({ task }) => task.task.checks.length > 0)
    .flatMap(({ task }) =>
      (['reference', 'wrong'] as const).map(async (kind) => {
        const spec = gradable(task);
        const answer = readSolution(spec, path.join(SOLUTIONS, task.id, kind));
        const result = await grader!.grade(spec, answer, { samplesOnly: false });
        return { task, kind, result };
      }),
    );
  const results = await Promise.all(runs);
  const failures: string[] = [];
  const unpassed = (r: GradingResult) => r.checks.filter((c) => c.verdict !== 'passed').map((c) => `${c.id} ${c.verdict}: ${c.message}`).join('; ');
  for (const { task, kind, result } of results) {
    const automatic = task.task.checks.reduce((s, c) => s + c.points, 0);
    assert.equal(result.max, automatic, `${task.id}: max`);
    if (kind === 'reference' && !(result.earned === result.max && result.max === task.points - task.task.rubric.reduce((s, r) => s + r.points, 0))) {
      failures.push(`${task.id} reference: ${result.earned}/${result.max} — ${unpassed(result)}`);
    }
    if (kind === 'wrong' && !(result.earned < result.max)) failures.push(`${task.id} wrong: earned every point (${result.earned}/${result.max})`);
  }
  assert.deepEqual(failures, []);
  // Fully automatic tasks: the reference earns the task's points.
  for (const { task, kind, result } of results) {
    if (kind === 'reference' && task.task.rubric.length === 0) assert.equal(result.earned, task.points, task.id);
  }
  t.diagnostic(`${results.length} solutions graded in ${Date.now() - started} ms`);
});

// ---------------------------------------------------------------------------
// The format's rules for practical tasks
// ---------------------------------------------------------------------------

const HEADER = `format: kaowu-bank
version: 1
certificate: python-dev
level: junior
questions:
`;

const CODE_TASK = `  - id: X-CODE-1
    type: code
    topic: 函数
    points: 10
    stem: 编写程序。
    task:
      title: 示例
      files:
        main.py: "print(input())"
      checks:
        - { id: s1, name: 样例, kind: stdout, sample: true, points: 4, stdin: "a", stdout: "a" }
        - { id: h1, name: 隐藏, kind: script, points: 6, script: "import main" }
`;

const CASE_TASK = `  - id: X-CASE-1
    type: case
    topic: 案例
    points: 10
    stem: 分析下面的问题。
    task:
      title: 案例
      rubric:
        - { id: r1, name: 问题, points: 6 }
        - { id: r2, name: 表达, points: 4 }
      doubleMarking: { threshold: 3 }
`;

const problemsOf = (text: string) => {
  const r = parseBankFile(text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.path}:${p.message}`);
};

test('a good practical bank parses, with the task defaults filled in', () => {
  const r = parseBankFile(HEADER + CODE_TASK + CASE_TASK);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  const [code, kase] = r.bank.questions;
  assert.ok(code && isBankTask(code) && kase && isBankTask(kase));
  assert.equal(code.task.entry, 'main.py');
  assert.deepEqual(code.task.limits, { cpuSec: 5, memoryMb: 512, processes: 64, outputKb: 64, wallSec: 10, fileSizeMb: 16, openFiles: 64 });
  assert.equal(code.task.checks[0]!.kind === 'stdout' && code.task.checks[0]!.compare, 'trim');
  assert.deepEqual(kase.task.checks, []);
});

test('bad practical tasks: every problem with its line and a Chinese reason', () => {
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('points: 10', 'points: 12')), [
    '9:questions[0].points:分值 12 应等于检查项分值之和 10 加评分细则分值之和 0（共 10）',
  ]);
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('kind: script, points: 6, script: "import main"', 'kind: page, points: 6, selector: h1, expect: { exists: true }')), [
    '17:questions[0].task.checks[1].kind:编程题不能使用 page 检查项（page 只用于网页题）',
  ]);
  assert.deepEqual(problemsOf(HEADER + CASE_TASK.replace(/      rubric:\n.*\n.*\n/, '').replace('points: 10', 'points: 0.5')), [
    '9:questions[0].points:分值 0.5 应等于检查项分值之和 0 加评分细则分值之和 0（共 0）',
    '12:questions[0].task.rubric:案例分析题至少应有一项评分细则 rubric',
    '13:questions[0].task.doubleMarking:双评 doubleMarking 需要评分细则 rubric',
  ]);
  const unknown = problemsOf(HEADER + CODE_TASK.replace('      title: 示例', '      title: 示例\n      hint: 多余的字段'));
  assert.equal(unknown.length, 1);
  assert.match(unknown[0]!, /^12:questions\[0\]\.task:.*hint/);
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('    stem: 编写程序。', '    stem: 编写程序。\n    answer: A')), ['11:questions[0].answer:编程题不应有 answer（实操题的内容写在 task 中）']);
});

test('more rules: unique ids, check kinds per type, the entry, overlapping paths', () => {
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('id: h1', 'id: s1')), ['17:questions[0].task.checks[1].id:检查项编号 s1 重复（第 1 项已使用）']);
  assert.deepEqual(problemsOf(HEADER + CASE_TASK.replace('id: r2', 'id: r1')), ['15:questions[0].task.rubric[1].id:评分细则编号 r1 重复（第 1 项已使用）']);
  assert.deepEqual(problemsOf(HEADER + CASE_TASK.replace('      rubric:', '      checks:\n        - { id: c, name: c, kind: script, points: 0, script: "pass" }\n      rubric:')), [
    '14:questions[0].task.checks:案例分析题没有自动检查项，只按评分细则 rubric 人工评分',
  ]);
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('type: code', 'type: webpage').replace('main.py: "print(input())"', 'index.html: "<h1>x</h1>"')), [
    '16:questions[0].task.checks[0].kind:网页题只能使用 page 检查项，不能使用 stdout',
    '17:questions[0].task.checks[1].kind:网页题只能使用 page 检查项，不能使用 script',
  ]);
  assert.deepEqual(problemsOf(HEADER + CODE_TASK.replace('        main.py: "print(input())"', '        app.py: "print(input())"')), [
    '12:questions[0].task.entry:入口文件 main.py 应是 task.files 中的一个文件（stdout 检查和 runEntry 脚本要运行它）',
  ]);
  const overlap = CODE_TASK.replace('      checks:', '      data:\n        main.py/x.txt: "x"\n      checks:');
  assert.deepEqual(problemsOf(HEADER + overlap), ['16:questions[0].task.data.main.py/x.txt:数据文件 main.py/x.txt 与考生文件 main.py 路径重叠']);
  // An upload task runs what is in the zip: no entry in files needed.
  assert.ok(parseBankFile(HEADER + CODE_TASK.replace('type: code', 'type: upload').replace('        main.py: "print(input())"', '        README.md: "x"')).ok);
  const page = `  - id: X-WEB-1
    type: webpage
    topic: 网页
    points: 3
    stem: 做一个页面。
    task:
      title: 页面
      files: { index.html: "<h1>x</h1>" }
      checks:
        - { id: p1, name: 标题, kind: page, points: 3, page: other.html, selector: h1, expect: { text: x } }
`;
  assert.deepEqual(problemsOf(HEADER + page), ['15:questions[0].task.checks[0].page:页面 other.html 不在 task.files 或 task.data 中']);
  assert.ok(parseBankFile(HEADER + page.replace('page: other.html, ', '')).ok);
  const typo = problemsOf(HEADER + CODE_TASK.replace('type: code', 'type: coding'));
  assert.equal(typo.length, 1);
  assert.match(typo[0]!, /^7:questions\[0\]\.type:题型 type 应为 single/);
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`importing practical tasks on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await startTestApp(await freshDatabase(kind))));
    after(async () => t?.close());

    test('a task is stored with its parsed spec as JSON; a changed check is a new revision', async () => {
      const text = HEADER + CODE_TASK + CASE_TASK;
      const first = await importBank(t.ctx.db, text, 'p.yaml');
      assert.deepEqual(first.ok && first.report, { certificate: 'python-dev', level: 'junior', added: 2, revised: 0, unchanged: 0 });
      const row = await t.ctx.db.selectFrom('questions').selectAll().where('code', '=', 'X-CODE-1').executeTakeFirstOrThrow();
      assert.equal(row.type, 'code');
      assert.equal(row.options, '[]');
      assert.equal(row.answer_key, 'null');
      assert.equal(row.code_snippet, null);
      const spec = JSON.parse(row.task!);
      assert.equal(spec.title, '示例');
      assert.equal(spec.limits.wallSec, 10);
      assert.equal(spec.checks[0].compare, 'trim');
      const again = await importBank(t.ctx.db, text, 'p.yaml');
      assert.deepEqual(again.ok && again.report, { certificate: 'python-dev', level: 'junior', added: 0, revised: 0, unchanged: 2 });
      const changed = await importBank(t.ctx.db, text.replace('stdout: "a"', 'stdout: "b"'), 'p.yaml');
      assert.deepEqual(changed.ok && changed.report, { certificate: 'python-dev', level: 'junior', added: 0, revised: 1, unchanged: 1 });
      const stored = await t.ctx.questions.pool((await t.ctx.db.selectFrom('certificates').select('id').executeTakeFirstOrThrow()).id, 'junior');
      assert.deepEqual(stored.map((q) => q.type).sort(), ['case', 'code']);
    });

    test('every practical bank of content/ imports', async () => {
      for (const file of PRACTICAL_FILES) {
        const result = await importBank(t.ctx.db, fs.readFileSync(path.join(BANK_DIR, file), 'utf8'), file);
        assert.ok(result.ok, `${file}: ${JSON.stringify(!result.ok && result.problems.slice(0, 3))}`);
      }
    });
  });
}

// ---------------------------------------------------------------------------
// The CLI: kaowu check, kaowu bank list
// ---------------------------------------------------------------------------

const JUNIOR_BANK = path.join(BANK_DIR, 'python-dev-junior-practical.yaml');

test('kaowu check: exit 0 for the reference, 1 for a wrong answer, 2 for usage errors; --json', { timeout: 180_000 }, async (t) => {
  const usage = await Promise.all([
    runKaowu(['check', 'PJ-J-001']),
    runKaowu(['check', 'NO-SUCH-TASK', 'content/solutions/PJ-J-001/reference', '--bank', JUNIOR_BANK]),
    runKaowu(['check', 'PJ-J-014', 'content/solutions/PJ-J-014/reference', '--bank', JUNIOR_BANK, '--json']),
  ]);
  assert.deepEqual(usage.map((r) => r.code), [2, 2, 2], usage.map((r) => r.stderr).join('\n'));
  assert.match(usage[0]!.stderr, /用法：check <任务编号> <答案文件夹>/);
  assert.match(usage[1]!.stderr, /题库中没有实操任务 NO-SUCH-TASK/);
  assert.match(JSON.parse(usage[2]!.stdout).error, /案例分析题/);
  if (sandboxProblem) {
    const r = await runKaowu(['check', 'PJ-J-001', 'content/solutions/PJ-J-001/reference', '--bank', JUNIOR_BANK]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /沙箱不可用/);
    return t.skip(`sandbox unavailable: ${sandboxProblem}`);
  }
  // The default banks (content/banks/*.yaml) for one run, --bank for the other.
  const [reference, wrong] = await Promise.all([
    runKaowu(['check', 'PJ-J-001', 'content/solutions/PJ-J-001/reference', '--json']),
    runKaowu(['check', 'PJ-J-001', 'content/solutions/PJ-J-001/wrong', '--bank', JUNIOR_BANK]),
  ]);
  assert.equal(reference.code, 0, reference.stderr + reference.stdout);
  const ok = JSON.parse(reference.stdout);
  assert.deepEqual(Object.keys(ok).sort(), ['fullMarks', 'points', 'result', 'taskId', 'type']);
  assert.deepEqual([ok.taskId, ok.type, ok.points, ok.fullMarks], ['PJ-J-001', 'code', 20, true]);
  assert.deepEqual([ok.result.taskId, ok.result.samplesOnly, ok.result.earned, ok.result.max, ok.result.checks.length], ['PJ-J-001', false, 20, 20, 5]);
  assert.deepEqual(Object.keys(ok.result.checks[2]).sort(), ['earned', 'id', 'message', 'name', 'points', 'sample', 'timeMs', 'verdict']);
  assert.equal(wrong.code, 1, wrong.stderr + wrong.stdout);
  assert.match(wrong.stdout, /PJ-J-001《成绩等级》（编程题，20 分）/);
  assert.match(wrong.stdout, /✓ s1 ［样例］样例 1：通过，4\/4 分/);
  assert.match(wrong.stdout, /✗ h1 等级边界：结果错误，0\/4 分/);
  assert.match(wrong.stdout, /自动评分：16 \/ 20 分。/);
});

test('readSolution: files for code and webpage tasks, a zip for upload tasks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-solution-'));
  try {
    fs.mkdirSync(path.join(dir, 'pkg', '__pycache__'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.py'), 'print(1)\n');
    fs.writeFileSync(path.join(dir, 'pkg', 'util.py'), 'X = 1\n');
    fs.writeFileSync(path.join(dir, 'pkg', '__pycache__', 'util.cpython-311.pyc'), Buffer.from([0, 1, 2]));
    const task = gradable(tasks.find((t) => t.task.id === 'PJ-J-001')!.task);
    assert.deepEqual(readSolution(task, dir), { files: { 'main.py': 'print(1)\n', 'pkg/util.py': 'X = 1\n' } });
    const upload = { ...task, type: 'upload' as const };
    const { zip } = readSolution(upload, dir);
    assert.ok(zip && zip.readUInt32LE(0) === 0x04034b50);
    assert.deepEqual(zip, zipFiles(dir, ['main.py', 'pkg/util.py']));
    const single = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-solution-'));
    fs.writeFileSync(path.join(single, 'project.zip'), zip);
    assert.deepEqual(readSolution(upload, single).zip, zip);
    fs.rmSync(single, { recursive: true });
    assert.throws(() => readSolution({ ...upload, maxUploadKb: 0.0001 }, dir), /超过本题上限/);
    assert.throws(() => readSolution(task, path.join(dir, 'nope')), /答案文件夹 .* 不存在/);
    const kase = gradable(tasks.find((t) => t.task.type === 'case')!.task);
    assert.throws(() => readSolution(kase, dir), /案例分析题，没有自动检查项/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kaowu bank list --json after importing with the CLI into a fresh SQLite database', { timeout: 180_000 }, async () => {
  const db = await freshDatabase('sqlite');
  try {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const imported = await runKaowu(['bank', 'import', JUNIOR_BANK], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /新增 15/);
    const [all, cases, human, bad] = await Promise.all([
      runKaowu(['bank', 'list', '--json'], env),
      runKaowu(['bank', 'list', '--json', '--level', 'junior', '--type', 'case'], env),
      runKaowu(['bank', 'list', '--type', 'webpage'], env),
      runKaowu(['bank', 'list', '--type', 'essay'], env),
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--type 应为/);
    assert.equal(all.code, 0, all.stderr);
    const items = JSON.parse(all.stdout) as { id: string; revision: number; level: string; type: string; topic: string; points: number; title: string | null }[];
    assert.equal(items.length, 15);
    assert.deepEqual(items[0], { id: 'PJ-J-001', revision: 1, certificate: 'python-dev', level: 'junior', type: 'code', topic: '流程控制', points: 20, title: '成绩等级' });
    assert.deepEqual(JSON.parse(cases.stdout).map((i: { id: string }) => i.id), ['PJ-J-014', 'PJ-J-015']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^编号 +修订 +等级 +题型 +知识点 +分值 +标题$/m);
    assert.match(human.stdout, /^PJ-J-012 +1 +初级 +网页题 +网页基础 +20 +个人主页$/m);
    assert.match(human.stdout, /共 2 道（理论题 0，实操题 2）。/);
  } finally {
    await db.drop();
  }
});
