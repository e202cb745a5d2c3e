import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Grader, REASON_NO_BWRAP, SandboxUnavailable } from '../src/index.ts';
import { task } from './helpers.ts';

/** A "solution" that leaves a marker on the host if it ever runs outside a sandbox. */
function markerTask() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-marker-'));
  fs.chmodSync(dir, 0o777);
  const marker = path.join(dir, 'ran-unsandboxed');
  const t = task({ checks: [{ id: 'm', name: 'm', sample: true, points: 1, kind: 'stdout', stdout: '' }] });
  const files = { 'main.py': `open(${JSON.stringify(marker)}, "w").write("ran")\n` };
  return { dir, marker, t, files };
}

test('without bubblewrap the grader says why, refuses to grade, and runs nothing', async () => {
  const { dir, marker, t, files } = markerTask();
  const g = new Grader({ bwrapPath: '/nonexistent/bwrap', slots: 1 });
  try {
    const s = await g.status();
    assert.equal(s.available, false);
    assert.equal(s.reason, REASON_NO_BWRAP);
    assert.equal(s.reason, '未找到 bubblewrap（bwrap），无法启动判分沙箱；代码不会在沙箱外运行');
    await assert.rejects(g.grade(t, { files }), (err: unknown) => err instanceof SandboxUnavailable && err.reason === REASON_NO_BWRAP);
    await assert.rejects(g.grade(t, { files }, { samplesOnly: true }), SandboxUnavailable);
    assert.equal(fs.existsSync(marker), false, 'the code did not run anywhere');
    // A task without sandbox checks still grades (nothing to run).
    const c = await g.grade(task({}, 'case'), {});
    assert.equal(c.max, 0);
  } finally {
    await g.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bwrap that cannot create the sandbox is reported the same way', async () => {
  const { dir, marker, t, files } = markerTask();
  // An executable that exits at once, as bwrap does when namespaces are forbidden.
  const fake = path.join(dir, 'bwrap');
  fs.writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
  const g = new Grader({ bwrapPath: fake, slots: 1 });
  try {
    const s = await g.status();
    assert.equal(s.available, false);
    assert.match(s.reason ?? '', /^无法创建判分沙箱（bubblewrap 无法创建命名空间：.*No permissions to create new namespace.*）；代码不会在沙箱外运行$/);
    await assert.rejects(g.grade(t, { files }), SandboxUnavailable);
    assert.equal(fs.existsSync(marker), false, 'the code did not run anywhere');
  } finally {
    await g.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
