import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Every child this run started, so that an abort can stop them (by pid, one by one). */
const children = new Set<ChildProcess>();

export interface Started {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
}

/**
 * Starts a child and forwards its output to stderr with a prefix (at most
 * `maxLines` lines; the rest only counted).
 */
export function startChild(name: string, cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; maxLines?: number }): Started {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  children.add(child);
  let lines = 0;
  let dropped = 0;
  const max = opts.maxLines ?? 40;
  const forward = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (lines++ < max) process.stderr.write(`[${name}] ${line.slice(0, 400)}\n`);
      else dropped++;
    }
  };
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      if (dropped) process.stderr.write(`[${name}] (${dropped} more output lines not shown)\n`);
      resolve(code);
    }),
  );
  return { child, pid: child.pid, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(s: Started, graceMs = 10_000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const t = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(t);
}

export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** The load averages, to two decimals. */
export const loadAvg = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** What a benchmark's JSON says of the machine it ran on. */
export function machineInfo(loadAvgAtStart: number[]) {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', node: process.version, loadAvgAtStart, loadAvgAtEnd: loadAvg() };
}

/** Runs a benchmark's main: exit 0 when it is done; on a failure, the stack on stderr, every child killed, exit 1. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      killAllChildren();
      process.exit(1);
    },
  );
}

/**
 * Runs a command to completion and returns its stdout. Stdout goes to a file,
 * not a pipe: a process that calls process.exit() right after console.log()
 * loses whatever a pipe had not yet taken (writes to a file are synchronous).
 */
export function runCommand(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; stdoutFile: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(opts.stdoutFile, 'w');
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, 'pipe'] });
    fs.closeSync(fd);
    children.add(child);
    const err: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve(fs.readFileSync(opts.stdoutFile, 'utf8'));
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${Buffer.concat(err).toString('utf8').slice(-4000)}`));
    });
  });
}

/** Polls GET `path` until it answers 200 (bounded by `timeoutMs`). */
export async function waitForHealth(port: number, path: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!alive()) throw new Error('the server exited before it became healthy');
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path, timeout: 2000, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`no healthy answer from 127.0.0.1:${port}${path} within ${timeoutMs} ms`);
}

const CLK_TCK = 100; // Linux USER_HZ

/** CPU seconds (user + system) used so far by a process, from /proc/<pid>/stat. */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** A process's resident memory (VmRSS) in KB now; NaN once it has gone. */
export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's VmRSS every `intervalMs`; keeps the peak. */
export class RssSampler {
  peakKb = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number, intervalMs = 500) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }
  sample(): void {
    const kb = rssKb(this.pid);
    if (kb > 0) this.peakKb = Math.max(this.peakKb, kb);
  }
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return Math.round((this.peakKb / 1024) * 10) / 10;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const busy = (v[0] ?? 0) + (v[1] ?? 0) + (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
    return busy / CLK_TCK;
  } catch {
    return NaN;
  }
}

/**
 * CPU use over a span of wall time, as % of one core: the server, this client,
 * and everything else on the machine (other processes compete for the same cores).
 */
export class CpuSpan {
  private readonly wall0 = process.hrtime.bigint();
  private readonly client0 = process.cpuUsage();
  private readonly server0: number;
  private readonly machine0 = machineBusySeconds();
  /** The span in CLOCK_MONOTONIC microseconds (the clock of V8 CPU profiles). */
  readonly window = { fromUs: Number(process.hrtime.bigint() / 1000n), toUs: 0 };
  constructor(private readonly serverPid: number) {
    this.server0 = procCpuSeconds(serverPid);
  }
  end(): { clientCpuPct: number; serverCpuPct: number; otherCpuPct: number } {
    this.window.toUs = Number(process.hrtime.bigint() / 1000n);
    const wallS = Number(process.hrtime.bigint() - this.wall0) / 1e9;
    const c = process.cpuUsage(this.client0);
    const clientS = (c.user + c.system) / 1e6;
    const serverS = procCpuSeconds(this.serverPid) - this.server0;
    const otherS = machineBusySeconds() - this.machine0 - clientS - serverS;
    const pct = (s: number) => Math.round((s / wallS) * 1000) / 10;
    return { clientCpuPct: pct(clientS), serverCpuPct: pct(serverS), otherCpuPct: Math.max(0, pct(otherS)) };
  }
}
