import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOutput, excerpt, trimOutput } from '../src/index.ts';
import { encodeJob, parseMessage, parseStatus } from '../src/sandbox.ts';
import { seccompProgram } from '../src/seccomp.ts';

test('trim: trailing spaces, CRLF and trailing blank lines do not matter; leading spaces do', () => {
  assert.equal(trimOutput('a  \r\nb\t\n\n\n'), 'a\nb');
  assert.ok(compareOutput('1 2\n3\n', '1 2   \n3\n\n', 'trim').ok);
  assert.ok(!compareOutput('x\n', '  x\n', 'trim').ok);
  assert.equal(compareOutput('a\nb\n', 'a\nc\n', 'trim').diff, '第 2 行不同：预期 "b"，实际 "c"');
  assert.equal(compareOutput('a\nb\n', 'a\n', 'trim').diff, '输出少了内容：第 2 行应为 "b"，实际没有这一行');
  assert.equal(compareOutput('a\n', 'a\nb\n', 'trim').diff, '输出多了内容：第 2 行 "b" 是多出来的');
});

test('exact: every byte counts, and the message says which kind of difference', () => {
  assert.ok(compareOutput('a\n', 'a\n', 'exact').ok);
  assert.equal(compareOutput('a\n', 'a\r\n', 'exact').diff, '换行符不同（要求完全一致）');
  assert.equal(compareOutput('a\n', 'a \n', 'exact').diff, '行尾空格或末尾空行不同（要求完全一致）');
});

test('numeric: numbers within the tolerance, the same words between them', () => {
  assert.ok(compareOutput('平均分: 85.50\n', '平均分:85.5', 'numeric', 1e-6).ok);
  assert.ok(compareOutput('3.3333', '3.3333333333', 'numeric', 1e-3).ok);
  assert.ok(compareOutput('1e3 2', '1000 2.0', 'numeric').ok);
  assert.equal(compareOutput('x=1', 'x=1.1', 'numeric', 0.01).diff, '第 1 个数不同：预期 1，实际 1.1（允许误差 0.01）');
  assert.match(compareOutput('总分 3', '总数 3', 'numeric').diff ?? '', /文字不同/);
  assert.match(compareOutput('1 2', '1', 'numeric').diff ?? '', /输出少了内容/);
  assert.match(compareOutput('1', '1 2', 'numeric').diff ?? '', /输出多了内容/);
  assert.ok(!compareOutput('1', 'NaN', 'numeric').ok);
});

test('excerpt: at most 2 KB, cut on a character boundary', () => {
  assert.equal(excerpt('短'), '短');
  const long = '汉'.repeat(2000);
  const e = excerpt(long);
  assert.ok(Buffer.byteLength(e) <= 2048 + 64);
  assert.match(e, /…（共 6000 字节，已截断）$/);
  assert.ok(!e.includes('\ufffd'));
});

test('protocol: lines from a sandbox are validated, status records are untrusted input', () => {
  assert.equal(parseMessage('not json'), null);
  assert.equal(parseMessage('{"t":"check","i":0,"outcome":"exited"}'), null, 'missing fields');
  assert.equal(parseMessage('{"t":"check","i":-1,"outcome":"no-entry"}'), null);
  assert.equal(parseMessage('{"t":"weird"}'), null);
  const ok = { t: 'check', i: 0, outcome: 'exited', code: 0, signal: null, cpuMs: 1, wallMs: 2, maxRssKb: 3, faults: 4, stdoutBytes: 1, stderrBytes: 0, clean: true, raw: [1, 0, 0] };
  assert.ok(parseMessage(JSON.stringify(ok)));
  assert.equal(parseMessage(JSON.stringify({ ...ok, raw: [5 * 1024 * 1024, 0, 0] })), null, 'raw sections are capped');
  const st = parseStatus(Buffer.from('garbage\n{"exc":{"type":"X"}}\n{"exit":3,"where":"entry"}\n{"done":true}\n'));
  assert.deepEqual(st, { done: true, entryDone: false, exc: null, exit: { exit: 3, where: 'entry' } });
});

test('a job is a JSON header with references into the blob that follows', () => {
  const [head, ...parts] = encodeJob({
    entry: 'main.py',
    files: { 'main.py': 'print(1)' },
    data: { 'd.txt': '数据' },
    limits: { cpuSec: 1, memoryMb: 64, processes: 1, outputKb: 1, fileSizeMb: 1, openFiles: 16 },
    checks: [{ kind: 'stdout', stdin: 'x', cpuSec: 1, wallSec: 1 }],
  });
  const h = JSON.parse(head!.toString());
  const blob = Buffer.concat(parts);
  assert.equal(h.blob, blob.length);
  const at = ([o, n]: [number, number]) => blob.subarray(o, o + n).toString();
  assert.equal(at(h.files[0][1]), 'print(1)');
  assert.equal(at(h.data[0][1]), '数据');
  assert.equal(at(h.checks[0].stdin), 'x');
  assert.ok(!head!.toString().includes('print(1)'), 'contents travel outside the JSON');
});

test('the seccomp program is well-formed classic BPF', () => {
  const p = seccompProgram('x64')!;
  assert.equal(p.length % 8, 0);
  assert.ok(p.length / 8 < 256);
  assert.equal(seccompProgram('arm64'), null);
  // Last three instructions: ALLOW, ERRNO(EPERM), ERRNO(ENOSYS).
  const n = p.length / 8;
  assert.deepEqual(
    [n - 3, n - 2, n - 1].map((i) => p.readUInt32LE(i * 8 + 4)),
    [0x7fff0000, 0x50001, 0x50026],
  );
});
