import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LEVELS } from '@kaowu/core';
import { CONTENT_DIR } from '../src/content.ts';
import { isBankTask, parseBankFile, type BankFile, type BankQuestion } from '../src/modules/bank/bank-file.ts';

// Debian's interpreter, with Debian's python3-* libraries (the PATH one may be a pyenv shim).
const PYTHON = '/usr/bin/python3';
const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-snippets.py');
const BANK_DIR = path.join(CONTENT_DIR, 'banks');

const banks: { file: string; bank: BankFile }[] = fs
  .readdirSync(BANK_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => {
    const parsed = parseBankFile(fs.readFileSync(path.join(BANK_DIR, file), 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.problems.slice(0, 5))}`);
    return { file, bank: parsed.bank };
  });

test('a demo bank for every level, each with at least 60 single, 20 multiple and 20 true/false questions', () => {
  for (const level of LEVELS) {
    const qs = banks.filter((b) => b.bank.level === level).flatMap((b) => b.bank.questions);
    const count = (type: string) => qs.filter((q) => q.type === type).length;
    assert.ok(count('single') >= 60, `${level}: ${count('single')} single`);
    assert.ok(count('multiple') >= 20, `${level}: ${count('multiple')} multiple`);
    assert.ok(count('truefalse') >= 20, `${level}: ${count('truefalse')} true/false`);
  }
});

test('ids are unique across all banks; keys are well formed; every question is explained', () => {
  const all = banks.flatMap((b) => b.bank.questions);
  assert.equal(new Set(all.map((q) => q.id)).size, all.length);
  for (const q of all) {
    if (isBankTask(q)) continue; // practical tasks: practical-bank.test.ts
    assert.ok(q.explanation.trim().length >= 4, `${q.id}: explanation`);
    if (q.type === 'single') assert.equal(typeof q.answer, 'string', q.id);
    if (q.type === 'multiple') assert.ok(Array.isArray(q.answer) && q.answer.length >= 2, `${q.id}: multiple needs ≥ 2 keys`);
    if (q.type === 'truefalse') assert.equal(typeof q.answer, 'boolean', q.id);
  }
});

function moduleAvailable(mod: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${mod}`]).status === 0;
}

test('every question about what code prints has the key the code really prints (run with python3)', { timeout: 120_000 }, (t) => {
  if (!fs.existsSync(PYTHON)) {
    if (process.env.CI === 'true') assert.fail(`${PYTHON} is required`);
    t.skip(`${PYTHON} not installed`);
    return;
  }
  const checked = banks.flatMap((b) => b.bank.questions).filter((q): q is BankQuestion & { code: string } => !!q.code && q.checkOutput !== false);
  const modules = [...new Set(checked.flatMap((q) => q.requires ?? []))];
  const missing = modules.filter((m) => !moduleAvailable(m));
  if (missing.length > 0 && process.env.CI === 'true') assert.fail(`python modules missing: ${missing.join(', ')} (scripts/setup-debian.sh installs them)`);
  const runnable = checked.filter((q) => !(q.requires ?? []).some((m) => missing.includes(m)));
  assert.ok(runnable.length >= 60, `only ${runnable.length} code questions could run`);

  const run = spawnSync(PYTHON, [RUNNER], { input: JSON.stringify(runnable.map((q) => ({ id: q.id, code: q.code }))), encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(run.status, 0, run.stderr);
  const results = JSON.parse(run.stdout) as Record<string, { stdout: string; error: string | null }>;
  const failures: string[] = [];
  for (const q of runnable) {
    const r = results[q.id]!;
    if (r.error) {
      failures.push(`${q.id}: the code raised ${r.error}`);
      continue;
    }
    const out = r.stdout.trim();
    const options = Object.entries(q.options ?? {});
    if (q.type === 'single') {
      const matching = options.filter(([, text]) => text.trim() === out).map(([id]) => id);
      if (matching.length !== 1 || matching[0] !== q.answer) failures.push(`${q.id}: prints ${JSON.stringify(out)}; options matching it: ${matching.join(',') || 'none'}; key ${q.answer}`);
    } else if (q.type === 'truefalse') {
      if (q.output === undefined) failures.push(`${q.id}: a true/false question with code needs "output"`);
      else if ((out === q.output.trim()) !== q.answer) failures.push(`${q.id}: prints ${JSON.stringify(out)}, claims ${JSON.stringify(q.output)}, key ${q.answer}`);
    } else {
      const lines = new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
      const expected = options.filter(([, text]) => lines.has(text.trim())).map(([id]) => id).sort();
      if (JSON.stringify(expected) !== JSON.stringify([...(q.answer as string[])].sort())) failures.push(`${q.id}: printed lines match ${expected.join(',')}; key ${q.answer}`);
    }
  }
  assert.deepEqual(failures, []);
  t.diagnostic(`${runnable.length} code questions run; ${checked.length - runnable.length} skipped for missing modules ${missing.join(', ')}`);
});
