import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importBank } from '../src/modules/bank/import-bank.ts';
import { parseBankFile } from '../src/modules/bank/bank-file.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const GOOD = `format: kaowu-bank
version: 1
certificate: python-dev
level: junior
questions:
  - id: T-S-001
    type: single
    topic: 基础语法
    points: 2
    stem: 以下代码的输出是？
    code: print(7 // 2)
    options: { A: '3', B: '3.5', C: '4', D: '1' }
    answer: A
    explanation: // 是整除。
  - id: T-M-001
    type: multiple
    topic: 数据类型
    points: 2
    stem: 以下哪些是可变类型？
    options: { A: list, B: tuple, C: dict, D: str }
    answer: [A, C]
    explanation: list 与 dict 可变。
  - id: T-T-001
    type: truefalse
    topic: 基础语法
    points: 2
    stem: Python 的缩进是语法的一部分。
    answer: true
    explanation: 缩进决定代码块。
`;

test('a bad file: every bad entry with its line and reason, in Chinese', () => {
  const bad = GOOD.replace('answer: A', 'answer: E')
    .replace('answer: [A, C]', 'answer: [A]')
    .replace('answer: true', 'answer: "yes"')
    .replace('id: T-T-001', 'id: T-S-001');
  const result = parseBankFile(bad);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const lines = result.problems.map((p) => `${p.line}:${p.path}:${p.message}`);
  assert.deepEqual(lines, [
    '13:questions[0].answer:答案 E 不是本题的选项',
    '21:questions[1].answer:多选题至少应有两个正确选项',
    '23:questions[2].id:题目编号 T-S-001 重复（第 1 题已使用）',
    '28:questions[2].answer:判断题的答案应为 true 或 false',
  ]);
  const numeric = parseBankFile(GOOD.replace("D: '1' }", 'D: 1 }'));
  assert.ok(!numeric.ok && /^选项文本应为字符串/.test(numeric.problems[0]!.message) && numeric.problems[0]!.line === 12);
  assert.equal(parseBankFile('format: kaowu-bank\nversion: 2\ncertificate: x\nlevel: junior\nquestions: []').ok, false);
  const syntax = parseBankFile('questions: [\n  - a: b');
  assert.equal(syntax.ok, false);
  if (!syntax.ok) {
    assert.match(syntax.problems[0]!.message, /^语法错误：/);
    assert.equal(syntax.problems[0]!.line, 2);
  }
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`bank import on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await startTestApp(await freshDatabase(kind))));
    after(async () => t?.close());
    const count = async () => (await t.ctx.db.selectFrom('questions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

    test('all or nothing: a file with one bad entry imports nothing', async () => {
      const result = await importBank(t.ctx.db, GOOD.replace('answer: [A, C]', 'answer: [A, X]'), 'bad.yaml');
      assert.equal(result.ok, false);
      assert.equal(Number(await count()), 0);
    });

    test('import, re-import unchanged, then a changed question becomes a new revision', async () => {
      const first = await importBank(t.ctx.db, GOOD, 'good.yaml');
      assert.deepEqual(first.ok && first.report, { certificate: 'python-dev', level: 'junior', added: 3, revised: 0, unchanged: 0 });
      const again = await importBank(t.ctx.db, GOOD, 'good.yaml');
      assert.deepEqual(again.ok && again.report, { certificate: 'python-dev', level: 'junior', added: 0, revised: 0, unchanged: 3 });
      const changed = await importBank(t.ctx.db, GOOD.replace('explanation: // 是整除。', 'explanation: // 是向下取整的除法。'), 'good.yaml');
      assert.deepEqual(changed.ok && changed.report, { certificate: 'python-dev', level: 'junior', added: 0, revised: 1, unchanged: 2 });
      const revisions = await t.ctx.db.selectFrom('questions').select(['revision', 'active', 'explanation']).where('code', '=', 'T-S-001').orderBy('revision').execute();
      assert.deepEqual(revisions.map((r) => [r.revision, r.active]), [[1, 0], [2, 1]]);
    });

    test('an unknown certificate is refused and changes nothing', async () => {
      const before = Number(await count());
      const result = await importBank(t.ctx.db, GOOD.replace('certificate: python-dev', 'certificate: nope').replace(/T-/g, 'U-'), 'x.yaml');
      assert.equal(result.ok, false);
      assert.equal(Number(await count()), before);
    });

    test('the console import route: 400 with every problem listed, 200 with the report', async () => {
      const login = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'nobody', password: 'x' } });
      assert.equal(login.statusCode, 401);
      const { createUser } = await import('../src/modules/accounts/users.ts');
      await createUser(t.ctx.db, { username: 'op', password: 'secret-pass', role: 'operator', displayName: '运营' });
      const ok = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'op', password: 'secret-pass' } });
      const auth = { authorization: `Bearer ${ok.json().token}` };
      const noAuth = await t.app.inject({ method: 'POST', url: '/api/console/bank/import', payload: { filename: 'a.yaml', content: GOOD } });
      assert.equal(noAuth.statusCode, 401);
      const bad = await t.app.inject({ method: 'POST', url: '/api/console/bank/import', headers: auth, payload: { filename: 'a.yaml', content: GOOD.replace('answer: A', 'answer: Q').replace('answer: true', 'answer: 1') } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'BANK_INVALID');
      assert.equal(bad.json().error.problems.length, 2);
      assert.match(bad.json().error.problems[0].text, /^a\.yaml:13:\d+: 题目 T-S-001 questions\[0\]\.answer: 答案 Q 不是本题的选项/);
      const good = await t.app.inject({ method: 'POST', url: '/api/console/bank/import', headers: auth, payload: { filename: 'a.yaml', content: GOOD } });
      assert.equal(good.statusCode, 200, good.body);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'bank.import').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor, 'op');
    });
  });
}
