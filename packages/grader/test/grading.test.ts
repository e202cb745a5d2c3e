import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Grader, buildJob } from '../src/index.ts';
import { makeZip, task } from './helpers.ts';

let g: Grader;
before(async () => {
  g = new Grader({ slots: 2 });
  assert.deepEqual(await g.status(), { available: true });
});
after(() => g.close());

const SUM = task({
  checks: [
    { id: 's1', name: '样例', sample: true, points: 4, kind: 'stdout', stdin: '3 4\n', stdout: '7\n' },
    { id: 'h1', name: '大数', points: 3, kind: 'stdout', stdin: '1000000 2000000\n', stdout: '3000000\n' },
    { id: 'h2', name: '负数', points: 3, kind: 'stdout', stdin: '-5 2\n', stdout: '-3' },
  ],
});

test('a correct solution passes every check and earns every point', async () => {
  const r = await g.grade(SUM, { files: { 'main.py': 'a, b = map(int, input().split())\nprint(a + b)\n' } });
  assert.deepEqual(
    r.checks.map((c) => c.verdict),
    ['passed', 'passed', 'passed'],
  );
  assert.equal(r.earned, 10);
  assert.equal(r.max, 10);
  assert.equal(r.samplesOnly, false);
  assert.ok(r.sandboxMs > 0);
  // Output excerpts only on samples.
  assert.equal(r.checks[0]!.stdout, '7\n');
  assert.equal(r.checks[1]!.stdout, undefined);
});

test('a wrong answer fails, with expected and actual output for a sample only', async () => {
  const r = await g.grade(SUM, { files: { 'main.py': 'a, b = map(int, input().split())\nprint(a * b)\n' } });
  assert.deepEqual(
    r.checks.map((c) => c.verdict),
    ['failed', 'failed', 'failed'],
  );
  assert.equal(r.earned, 0);
  const sample = r.checks[0]!;
  assert.match(sample.message, /输出与预期不符/);
  assert.match(sample.message, /第 1 行不同：预期 "7"，实际 "12"/);
  assert.match(sample.message, /预期输出：\n7\n/);
  assert.match(sample.message, /实际输出：\n12\n/);
  assert.equal(r.checks[1]!.message, '输出与预期不符');
  assert.ok(!r.checks[1]!.message.includes('3000000'), 'a hidden check does not reveal what it expects');
});

test('compare modes: exact, trim and numeric', async () => {
  // stdin selects what to print: "a", "a   " plus blank lines, or a long float.
  const t2 = task({
    checks: [
      { id: 'e', name: 'exact', sample: true, points: 1, kind: 'stdout', stdin: 'e', stdout: 'a\n', compare: 'exact' },
      { id: 'e2', name: 'exact-spaces', sample: true, points: 1, kind: 'stdout', stdin: 't', stdout: 'a\n', compare: 'exact' },
      { id: 't', name: 'trim', sample: true, points: 1, kind: 'stdout', stdin: 't', stdout: 'a\n', compare: 'trim' },
      { id: 'n', name: 'numeric', sample: true, points: 1, kind: 'stdout', stdin: 'n', stdout: '平均分: 3.3333\n', compare: 'numeric', tolerance: 0.001 },
      { id: 'n2', name: 'numeric-off', sample: true, points: 1, kind: 'stdout', stdin: 'n', stdout: '平均分: 3.5\n', compare: 'numeric', tolerance: 0.001 },
    ],
  });
  const code2 = 'm = input()\nif m == "e":\n    print("a")\nelif m == "t":\n    print("a   \\n\\n")\nelse:\n    print("平均分:", 10 / 3)\n';
  const r2 = await g.grade(t2, { files: { 'main.py': code2 } });
  assert.deepEqual(
    r2.checks.map((c) => c.verdict),
    ['passed', 'failed', 'passed', 'passed', 'failed'],
  );
  assert.match(r2.checks[1]!.message, /行尾空格或末尾空行不同/);
  assert.match(r2.checks[4]!.message, /第 1 个数不同：预期 3\.5，实际 3\.3333333333333335/);
});

test('script checks call the candidate’s functions and read a file the entry wrote', async () => {
  const t = task({
    data: { 'scores.csv': 'name,score\n张三,90\n李四,80\n' },
    checks: [
      { id: 'f', name: '函数', sample: true, points: 5, kind: 'script', script: 'from main import average\nassert average([1, 2, 3]) == 2, "average([1,2,3]) 应为 2"\n' },
      { id: 'w', name: '写文件', points: 5, kind: 'script', runEntry: true, script: 'with open("report.txt", encoding="utf-8") as f:\n    assert f.read().strip() == "85.0", "report.txt 的内容不对"\n' },
    ],
  });
  const good =
    'import csv\n\ndef average(xs):\n    return sum(xs) / len(xs)\n\nif __name__ == "__main__":\n    with open("scores.csv", encoding="utf-8") as f:\n        s = [int(r["score"]) for r in csv.DictReader(f)]\n    with open("report.txt", "w", encoding="utf-8") as f:\n        f.write(str(average(s)))\n';
  const r = await g.grade(t, { files: { 'main.py': good } });
  assert.deepEqual(
    r.checks.map((c) => [c.verdict, c.message]),
    [
      ['passed', '通过'],
      ['passed', '通过'],
    ],
  );
  const bad = good.replace('sum(xs) / len(xs)', 'sum(xs)');
  const r2 = await g.grade(t, { files: { 'main.py': bad } });
  assert.equal(r2.checks[0]!.verdict, 'failed');
  assert.equal(r2.checks[0]!.message, '检查未通过：average([1,2,3]) 应为 2');
  assert.equal(r2.checks[1]!.verdict, 'failed');
  assert.equal(r2.checks[1]!.message, '检查未通过：report.txt 的内容不对');
  // An entry that exits early cannot make a script check pass.
  const r3 = await g.grade(t, { files: { 'main.py': 'import os\nos._exit(0)\n' } });
  assert.equal(r3.checks[1]!.verdict, 'error');
  // An exception in the candidate's code is an error, with the traceback for a sample.
  const r4 = await g.grade(t, { files: { 'main.py': 'def average(xs):\n    return xs[10]\n' } });
  assert.equal(r4.checks[0]!.verdict, 'error');
  assert.match(r4.checks[0]!.message, /IndexError/);
  assert.match(r4.checks[0]!.message, /File "main\.py", line 2, in average/);
  assert.ok(!r4.checks[0]!.message.includes('zygote'), 'no frame of the grader itself');
});

test('data files are readable but not writable', async () => {
  const t = task({
    data: { 'data.txt': 'secret-data' },
    checks: [{ id: 'd', name: 'data', sample: true, points: 1, kind: 'stdout', stdout: 'secret-data\nPermissionError\nsecret-data\n' }],
  });
  const code =
    'print(open("data.txt").read())\ntry:\n    open("data.txt", "w").write("x")\n    print("WROTE")\nexcept PermissionError:\n    print("PermissionError")\nprint(open("data.txt").read())\n';
  const r = await g.grade(t, { files: { 'main.py': code } });
  assert.equal(r.checks[0]!.verdict, 'passed', r.checks[0]!.message);
});

test('every check starts from the same files', async () => {
  const t = task({
    checks: [1, 2, 3].map((i) => ({ id: `c${i}`, name: `c${i}`, sample: true, points: 1, kind: 'stdout', stdout: 'fresh\n' })),
  });
  const code = 'import os\nprint("dirty" if os.path.exists("mark") else "fresh")\nopen("mark", "w").write("x")\nopen("/tmp/mark", "w").write("x")\n';
  const r = await g.grade(t, { files: { 'main.py': code } });
  assert.deepEqual(
    r.checks.map((c) => c.verdict),
    ['passed', 'passed', 'passed'],
  );
});

test('samplesOnly runs only the sample checks', async () => {
  const r = await g.grade(SUM, { files: { 'main.py': 'a, b = map(int, input().split())\nprint(a + b)\n' } }, { samplesOnly: true });
  assert.equal(r.samplesOnly, true);
  assert.deepEqual(
    r.checks.map((c) => c.id),
    ['s1'],
  );
  assert.equal(r.max, 4);
  assert.equal(r.earned, 4);
});

test('an uploaded zip is extracted and checked; a zip with ../ entries is refused', async () => {
  const t = task(
    {
      checks: [
        { id: 'u', name: '运行', points: 5, kind: 'stdout', stdout: 'hello from pkg\n' },
        { id: 'v', name: '模块', points: 5, kind: 'script', script: 'from pkg.util import greet\nassert greet() == "hello from pkg"\n' },
      ],
    },
    'upload',
  );
  const zip = makeZip({ 'project/main.py': 'from pkg.util import greet\nprint(greet())\n', 'project/pkg/__init__.py': '', 'project/pkg/util.py': 'def greet():\n    return "hello from pkg"\n' });
  const r = await g.grade(t, { zip });
  assert.deepEqual(
    r.checks.map((c) => [c.verdict, c.message]),
    [
      ['passed', '通过'],
      ['passed', '通过'],
    ],
  );
  const evil = makeZip({ 'main.py': 'print("hello from pkg")\n', '../evil.py': 'print("escaped")\n' });
  const r2 = await g.grade(t, { zip: evil });
  assert.deepEqual(
    r2.checks.map((c) => c.verdict),
    ['error', 'error'],
  );
  assert.match(r2.checks[0]!.message, /不安全的路径（\.\.\/evil\.py）/);
  const abs = makeZip({ '/etc/evil.py': 'x' });
  assert.match((await g.grade(t, { zip: abs })).checks[0]!.message, /不安全的路径/);
  const notZip = await g.grade(t, { zip: Buffer.from('not a zip at all') });
  assert.match(notZip.checks[0]!.message, /不是有效的 zip/);
  const none = await g.grade(t, {});
  assert.equal(none.checks[0]!.message, '没有上传项目文件');
});

test('a case task has no checks and needs no sandbox; a missing entry is an error', async () => {
  const c = await g.grade(task({ rubric: [{ id: 'r', name: '分析', points: 10 }] }, 'case'), {});
  assert.deepEqual({ earned: c.earned, max: c.max, checks: c.checks }, { earned: 0, max: 0, checks: [] });
  const r = await g.grade(SUM, { files: { 'other.py': 'print(1)' } });
  assert.equal(r.checks[0]!.verdict, 'error');
  assert.equal(r.checks[0]!.message, '找不到入口文件 main.py');
  const bad = await g.grade(SUM, { files: { '../x.py': 'print(1)' } });
  assert.match(bad.checks[0]!.message, /作答文件路径不合法/);
});

test('syntax errors and non-zero exits are errors with a readable message', async () => {
  const r = await g.grade(SUM, { files: { 'main.py': 'print(1\n' } }, { samplesOnly: true });
  assert.equal(r.checks[0]!.verdict, 'error');
  assert.match(r.checks[0]!.message, /SyntaxError/);
  const r2 = await g.grade(SUM, { files: { 'main.py': 'import sys\nsys.exit(3)\n' } }, { samplesOnly: true });
  assert.equal(r2.checks[0]!.verdict, 'error');
  assert.equal(r2.checks[0]!.message, '程序以退出码 3 结束');
});

test('runners start warm: a small check writes few pages after its fork', async () => {
  // The fork server warms the interpreter up before forking (zygote.py, warm_up) so
  // that a runner does not redo one-time work in pages it shares with its forker.
  const t = task({ checks: [{ id: 'p', name: 'p', sample: true, points: 1, kind: 'stdout', stdin: '20 22\n', stdout: '42\n' }] });
  const code = 'a, b = map(int, input().split())\nprint(a + b)\n';
  const faults: number[] = [];
  for (let i = 0; i < 3; i++) {
    const raw = await g.sandboxPool.run(buildJob(t, { files: { 'main.py': code } }, t.checks as never), 30_000);
    assert.equal(raw.checks[0]?.stdout, '42\n', JSON.stringify(raw.checks[0]));
    faults.push(raw.checks[0]!.faults);
  }
  // Debian’s Python 3.11: ~300 minor faults with the warm-up, ~480 without.
  assert.ok(Math.min(...faults) < 380, `page faults of the runner: ${faults.join(', ')}`);
});

test('numpy/pandas tasks run from the heavy forker, and the memory limit stays the program’s own', async () => {
  const t = task({
    data: { 'd.csv': 'k,v\na,1\nb,2\na,3\n' },
    limits: { memoryMb: 64 },
    checks: [
      { id: 'a', name: 'a', sample: true, points: 1, kind: 'stdout', stdin: 'a', stdout: '4\n' },
      { id: 'b', name: 'b', sample: true, points: 1, kind: 'stdout', stdin: 'b', stdout: '2\n' },
    ],
  });
  const code = 'import pandas as pd\nk = input()\ndf = pd.read_csv("d.csv")\nprint(int(df[df.k == k].v.sum()))\n';
  for (let i = 0; i < 2; i++) {
    const r = await g.grade(t, { files: { 'main.py': code } });
    assert.deepEqual(
      r.checks.map((c) => c.verdict),
      ['passed', 'passed'],
      JSON.stringify(r.checks),
    );
  }
  const raw = await g.sandboxPool.run(buildJob(t, { files: { 'main.py': code } }, t.checks as never), 60_000);
  assert.deepEqual(raw.setup?.preimported, ['numpy', 'pandas'], 'forked from the forker that imported numpy and pandas');
  // A plain program with a small memory limit works in any slot, and a hog is still stopped.
  const small = task({ limits: { memoryMb: 64 }, checks: [{ id: 'm', name: 'm', sample: true, points: 1, kind: 'stdout', stdout: 'ok\n' }] });
  for (let i = 0; i < 2; i++) {
    const [ok, hog] = await Promise.all([
      g.grade(small, { files: { 'main.py': 'x = bytearray(30 * 1024 * 1024)\nprint("ok")\n' } }),
      g.grade(small, { files: { 'main.py': 'x = bytearray(100 * 1024 * 1024)\nprint("ok")\n' } }),
    ]);
    assert.equal(ok.checks[0]!.verdict, 'passed', ok.checks[0]!.message);
    assert.equal(hog.checks[0]!.verdict, 'memory', hog.checks[0]!.message);
  }
});
