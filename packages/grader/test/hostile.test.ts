import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Grader, buildJob } from '../src/index.ts';
import { FAST_LIMITS, task } from './helpers.ts';

/**
 * Hostile programs: each must end with a clear verdict, and a normal job run alongside
 * and after it must still pass.
 */

let g: Grader;
before(async () => {
  g = new Grader({ slots: 2 });
  assert.deepEqual(await g.status(), { available: true });
});
after(() => g.close());

const NORMAL = task({ checks: [{ id: 'n', name: 'normal', sample: true, points: 1, kind: 'stdout', stdin: '20 22\n', stdout: '42\n' }] });
const NORMAL_CODE = 'a, b = map(int, input().split())\nprint(a + b)\n';

async function normalPasses(): Promise<void> {
  const r = await g.grade(NORMAL, { files: { 'main.py': NORMAL_CODE } });
  assert.equal(r.checks[0]!.verdict, 'passed', `a normal job must pass: ${r.checks[0]!.message}`);
}

/** Runs one program as a single sample check, with a normal job alongside and one after. */
async function contained(code: string, limits: Partial<typeof FAST_LIMITS> = {}, stdout = '') {
  const t = task({ limits: { ...FAST_LIMITS, ...limits }, checks: [{ id: 'h', name: 'hostile', sample: true, points: 1, kind: 'stdout', stdout }] });
  const [r] = await Promise.all([g.grade(t, { files: { 'main.py': code } }), normalPasses()]);
  await normalPasses();
  return r.checks[0]!;
}

test('a fork bomb is stopped (even one whose children setsid())', async () => {
  const c = await contained('import os\nwhile True:\n    try:\n        if os.fork() == 0:\n            os.setsid()\n    except OSError:\n        pass\n', { processes: 16, cpuSec: 1, wallSec: 2 });
  assert.equal(c.verdict, 'timeout', c.message);
  // Nothing it forked survives: the next job in that sandbox sees only its own processes.
  const t = task({ checks: [{ id: 'p', name: 'procs', sample: true, points: 1, kind: 'stdout', stdout: '3\n' }] });
  for (let i = 0; i < 2; i++) {
    const r = await g.grade(t, { files: { 'main.py': 'import os\nprint(len([p for p in os.listdir("/proc") if p.isdigit()]))\n' } });
    assert.equal(r.checks[0]!.verdict, 'passed', `only the supervisor, the forker and the runner: ${r.checks[0]!.stdout}`);
  }
});

test('an infinite loop hits the CPU limit', async () => {
  const c = await contained('while True:\n    pass\n', { cpuSec: 1, wallSec: 5 });
  assert.equal(c.verdict, 'timeout');
  assert.equal(c.message, 'CPU 时间超过 1 秒，程序已被终止');
});

test('sleeping forever hits the wall-clock limit', async () => {
  const c = await contained('import time\ntime.sleep(10 ** 6)\n', { wallSec: 1 });
  assert.equal(c.verdict, 'timeout');
  assert.equal(c.message, '运行超时：超过 1 秒，程序已被终止');
  // The supervisor kills at the 1 s limit; 5 s leaves room for a loaded CI machine.
  // Without that kill nothing stops it before Node's hard job budget (jobBudgetMs:
  // 1 s + 1.5 s + 5 s setup + 2 s = 9.5 s), and that ends with another outcome.
  assert.ok(c.timeMs >= 900 && c.timeMs < 5000, `killed near the limit: ${c.timeMs} ms`);
});

test('a memory hog hits the memory limit', async () => {
  const c = await contained('x = []\nwhile True:\n    x.append(bytearray(10 ** 7))\n', { memoryMb: 128 });
  assert.equal(c.verdict, 'memory', c.message);
  assert.equal(c.message, '内存超限（上限 128 MB）');
});

test('1 GB of output is cut at the output limit', async () => {
  const c = await contained('import sys\nchunk = "x" * 65536\nfor _ in range(16384):\n    sys.stdout.write(chunk)\n', { outputKb: 64 });
  assert.equal(c.verdict, 'output-limit');
  assert.equal(c.message, '输出超过 64 KB 上限，程序已被终止');
  assert.ok(Buffer.byteLength(c.stdout ?? '') <= 2100, 'the excerpt is capped');
  const err = await contained('import sys\nwhile True:\n    sys.stderr.write("e" * 65536)\n', { outputKb: 64 });
  assert.equal(err.verdict, 'output-limit');
  const file = await contained('with open("big", "w") as f:\n    f.write("x" * (8 * 1024 * 1024))\n', { fileSizeMb: 4 });
  assert.equal(file.verdict, 'output-limit');
  assert.equal(file.message, '写入的文件超过 4 MB 上限');
});

test('no network: not the host’s loopback, not the outside', async () => {
  const srv = net.createServer((s) => s.destroy());
  let connections = 0;
  srv.on('connection', () => connections++);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    const code = `import socket
for host, port in [("127.0.0.1", ${port}), ("127.0.0.1", 5432), ("8.8.8.8", 53), ("10.0.0.1", 80)]:
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        print("CONNECTED", host, port)
    except OSError:
        print("blocked")
try:
    socket.getaddrinfo("example.com", 80)
    print("RESOLVED")
except OSError:
    print("blocked")
`;
    const c = await contained(code, {}, 'blocked\nblocked\nblocked\nblocked\nblocked\n');
    assert.equal(c.verdict, 'passed', c.stdout);
    assert.equal(connections, 0);
  } finally {
    srv.close();
  }
});

test('the server’s files and other candidates’ files are out of reach', async () => {
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-secret-'));
  fs.writeFileSync(path.join(secretDir, 'db.sqlite'), 'SECRET-DB');
  try {
    const targets = ['/work/main/package.json', '/root', '/etc/shadow', path.join(secretDir, 'db.sqlite'), '/proc/1/environ', '/proc/1/mem', '/proc/1/fd', '/proc/1/root/work', '/var/lib', '/home'];
    const code = `import os
for p in ${JSON.stringify(targets)}:
    try:
        if os.path.isdir(p):
            os.listdir(p)
        else:
            open(p, "rb").read(10)
        print("READ", p)
    except OSError:
        print("blocked")
print(sorted(os.listdir("/")))
`;
    const c = await contained(code);
    const lines = (c.stdout ?? '').trim().split('\n');
    assert.deepEqual(lines.slice(0, targets.length), Array(targets.length).fill('blocked'), c.stdout);
    assert.equal(lines[targets.length], "['bin', 'dev', 'etc', 'lib', 'lib64', 'opt', 'proc', 'sbin', 'tmp', 'usr', 'work']");
  } finally {
    fs.rmSync(secretDir, { recursive: true, force: true });
  }
  // Two candidates at once, one per sandbox: the second sees none of the first's files,
  // processes or temporary files.
  const writer = task({ limits: FAST_LIMITS, checks: [{ id: 'w', name: 'w', sample: true, points: 1, kind: 'stdout', stdout: '' }] });
  const reader = task({ limits: FAST_LIMITS, checks: [{ id: 'r', name: 'r', sample: true, points: 1, kind: 'stdout', stdout: 'nothing\n' }] });
  const writerCode = 'import time\nopen("/tmp/OTHER-CANDIDATE", "w").write("answer")\nopen("OTHER-CANDIDATE.txt", "w").write("answer")\ntime.sleep(1.5)\n';
  const readerCode = `import os, time
time.sleep(0.5)
seen = []
for d in ["/work", "/tmp", "/dev/shm"]:
    seen += os.listdir(d)
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            seen.append(open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace"))
        except OSError:
            pass
print("FOUND" if any("OTHER-CANDIDATE" in s or "time.sleep(1.5)" in s for s in seen) else "nothing")
`;
  const [, r] = await Promise.all([g.grade(writer, { files: { 'main.py': writerCode } }), g.grade(reader, { files: { 'main.py': readerCode } })]);
  assert.equal(r.checks[0]!.verdict, 'passed', r.checks[0]!.stdout);
});

test('nothing outside /work and /tmp is writable', async () => {
  const targets = ['/x', '/usr/x', '/etc/x', '/etc/passwd', '/opt/kaowu/zygote.py', '/opt/kaowu/x', '/dev/x', '/proc/x', '/lib/x'];
  const code = `import os
for p in ${JSON.stringify(targets)}:
    try:
        open(p, "w").write("x")
        print("WROTE", p)
    except OSError:
        print("blocked")
open("/work/ok", "w").write("x")
open("/tmp/ok", "w").write("x")
print("ok")
`;
  const c = await contained(code, {}, 'blocked\n'.repeat(targets.length) + 'ok\n');
  assert.equal(c.verdict, 'passed', c.stdout);
});

test('killing the parent, or every process it can, ends nothing but the candidate’s own processes', async () => {
  // The runner's parent is the forker: killing it costs a new forker, not the job. The
  // supervisor is PID 1 of the sandbox, which the kernel shields from SIGKILL sent
  // from inside, so kill(-1) reaches everyone else but not the grading.
  const t = task({
    limits: FAST_LIMITS,
    checks: [
      { id: 'k1', name: 'kill parent', sample: true, points: 1, kind: 'stdout', stdout: 'alive\n' },
      { id: 'k2', name: 'kill all', sample: true, points: 1, kind: 'stdout', stdin: 'all', stdout: 'child killed\nalive\n' },
      { id: 'k3', name: 'kill pid 1', sample: true, points: 1, kind: 'stdout', stdin: 'one', stdout: 'alive\n' },
      { id: 'k4', name: 'after', sample: true, points: 1, kind: 'stdout', stdin: 'after', stdout: 'after\n' },
    ],
  });
  const code = `import os, sys, time
mode = sys.stdin.read()
if mode == "after":
    print("after")
elif mode == "all":
    pid = os.fork()
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    os.kill(-1, 9)
    print("child killed" if os.waitpid(pid, 0)[1] == 9 else "child alive")
    print("alive")
elif mode == "one":
    os.kill(1, 9)
    time.sleep(0.2)
    print("alive")
else:
    os.kill(os.getppid(), 9)
    time.sleep(0.2)
    print("alive")
`;
  for (let round = 0; round < 2; round++) {
    const r = await g.grade(t, { files: { 'main.py': code } });
    assert.deepEqual(
      r.checks.map((c) => c.verdict),
      ['passed', 'passed', 'passed', 'passed'],
      JSON.stringify(r.checks),
    );
  }
  // A program that kills itself is 'killed'.
  const self = await contained('import os\nos.kill(os.getpid(), 9)\n');
  assert.deepEqual([self.verdict, self.message], ['killed', '程序被信号 SIGKILL 终止']);
  await normalPasses();
});

test('killing a forker mid-job (the heavy one, a job helper) costs a new forker, not the job', async () => {
  // numpy comes from the heavy forker; scipy, which it lacks, from a helper forker made
  // for this job. Each is the runner's parent in turn, and the candidate kills it.
  const limits = { ...FAST_LIMITS, memoryMb: 512, wallSec: 20, cpuSec: 10 };
  const checks = [
    { id: 'a', name: 'a', sample: true, points: 1, kind: 'stdout', stdout: '3\n' },
    { id: 'b', name: 'b', sample: true, points: 1, kind: 'stdout', stdin: 'kill', stdout: '3\n' },
    { id: 'c', name: 'c', sample: true, points: 1, kind: 'stdout', stdout: '3\n' },
  ];
  const code = (lib: string) => `import os, sys\n${lib}\nimport numpy as np\nif sys.stdin.read() == "kill":\n    os.kill(os.getppid(), 9)\nprint(int(np.arange(3).sum()))\n`;
  for (const lib of ['', 'import scipy.special']) {
    const t = task({ limits, checks });
    const r = await g.grade(t, { files: { 'main.py': code(lib) } });
    assert.deepEqual(
      r.checks.map((c) => c.verdict),
      ['passed', 'passed', 'passed'],
      JSON.stringify(r.checks),
    );
  }
  await normalPasses();
});

test('the sandbox user is nobody outside, with no capabilities, and risky system calls fail', async () => {
  const code = `import os, ctypes
st = open("/proc/self/status").read()
caps = [l.split()[1] for l in st.splitlines() if l.startswith(("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"))]
print(os.getuid(), os.getgid(), set(caps))
print(open("/proc/self/uid_map").read().split())
libc = ctypes.CDLL(None, use_errno=True)
print("shmget", libc.shmget(0, 4096, 0o1000 | 0o600), ctypes.get_errno())
try:
    os.unshare(os.CLONE_NEWUSER)
    print("UNSHARED")
except (OSError, AttributeError):
    print("unshare blocked")
import time
time.sleep(1.2)
`;
  const t = task({ limits: FAST_LIMITS, checks: [{ id: 'u', name: 'uid', sample: true, points: 1, kind: 'stdout', stdout: "1000 1000 {'0000000000000000'}\n['1000', '0', '1']\nshmget -1 1\nunshare blocked\n" }] });
  const running = g.grade(t, { files: { 'main.py': code } });
  // Meanwhile, from the host: every process of the sandboxes runs as nobody.
  await new Promise((r) => setTimeout(r, 600));
  const uids = new Set<string>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('/opt/kaowu/zygote.py')) continue;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      uids.add(/^Uid:\s+(.*)$/m.exec(status)![1]!.trim().split(/\s+/).join(' '));
    } catch {
      /* exited */
    }
  }
  const r = await running;
  assert.equal(r.checks[0]!.verdict, 'passed', r.checks[0]!.stdout);
  assert.ok(uids.size > 0, 'found the sandboxes from the host');
  const expected = process.getuid?.() === 0 ? 65534 : process.getuid?.();
  assert.deepEqual([...uids], [`${expected} ${expected} ${expected} ${expected}`]);
});

test('the per-job hard timer kills the whole sandbox and the slot comes back', async () => {
  // Budgets are normally generous (every check's wall time plus margins); a tiny one
  // makes Node's own timer fire while the program still sleeps.
  const t = task({ limits: { ...FAST_LIMITS, wallSec: 20 }, checks: [{ id: 's', name: 's', sample: true, points: 1, kind: 'stdout', stdout: '' }] });
  const raw = await g.sandboxPool.run(buildJob(t, { files: { 'main.py': 'import time\ntime.sleep(60)\n' } }, t.checks as never), 1500);
  assert.equal(raw.timedOut, true);
  assert.equal(raw.checks[0], undefined);
  await normalPasses();
  await normalPasses();
});

test('a sandbox that dies between jobs is started again', async () => {
  await normalPasses();
  const slot = g.sandboxPool.slots.find((s) => s.state === 'idle' && s.proc?.pid)!;
  process.kill(-slot.proc!.pid!, 'SIGKILL');
  // Jobs sent at once may meet the dead sandbox before Node notices: nothing of theirs
  // ran, so they are tried again elsewhere.
  await Promise.all([normalPasses(), normalPasses()]);
  for (let i = 0; i < 100 && slot.state !== 'idle'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(slot.state, 'idle');
  await Promise.all([normalPasses(), normalPasses()]);
});
