/**
 * Exam-day load benchmark for the candidate API (docs/api-candidate.md).
 *
 *   npm run bench:delivery -- [--quick] [--candidates N] [--save-interval-s S] [--save-phase-s D]
 *                             [--db sqlite|postgres] [--cpu-prof] …   (--help lists all)
 *
 * Prepares a fresh database with a demo sitting (the `kaowu demo` CLI), starts
 * the real server as a child process, and drives it from 127.0.0.1:
 *   enter      every candidate logs in and enters, arrivals uniform over a window;
 *   save       every candidate saves an answer every S s (own random phase);
 *   saturation saves as fast as a fixed number of closed-loop workers can go;
 *   submit     every candidate hands in.
 * Then checks the database for lost answers and unsubmitted attempts, and runs
 * the same save load against a minimal baseline server (bench/baseline-server.ts).
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { HttpClient } from './lib/http-client.ts';
import { Recorder, merge, round, summarize, trace } from './lib/stats.ts';
import { closedLoop, mulberry32, openLoop, uniformArrivals, type OpenLoopResult } from './lib/drivers.ts';
import {
  CpuSpan, RssSampler, freePort, killAllChildren, loadAvg, log, machineInfo, runBench, runCommand, startChild, stopChild, waitForHealth, type Started,
} from './lib/proc.ts';
import { SaveModel, readAttempt, type Entered } from './lib/saves.ts';
import { createPgDatabase, readPostgres, readSqlite, type StoredState } from './lib/db-check.ts';
import { summarizeProfile, type ProfileSummary } from './lib/profile-summary.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `npm run bench:delivery -- [options]     (each option also as env BENCH_<NAME>, e.g. BENCH_CANDIDATES)
  --candidates N         candidates (default 10000; --quick: 500)
  --save-interval-s S    each candidate saves every S seconds (default 10)
  --save-phase-s D       length of the save phase (default 60; --quick: 20)
  --enter-window-s W     arrivals of log-in + entry spread uniformly over W s (default 60; --quick: 20)
  --saturation-s T       length of one closed-loop saturation run (default 10; --quick: 5)
  --saturation-rounds R  alternating rounds ours/baseline; medians reported (default 3; --quick: 1)
  --saturation-concurrency C   closed-loop workers (default 64)
  --concurrency K        max requests in flight = keep-alive sockets (default 256)
  --db sqlite|postgres   (default sqlite)
  --pg-url URL           PostgreSQL server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/test)
  --seed N               random seed (default 1)
  --cpu-prof             run our server with --cpu-prof; summarise each phase's samples (stderr + "profile" in the JSON)
  --keep                 keep the temp directory
  --trace FILE           write one CSV line per request (name,sentAtMs,ms,queuedMs,status,reused) to FILE
  --quick                smoke run`;

interface Options {
  candidates: number;
  saveIntervalS: number;
  savePhaseS: number;
  enterWindowS: number;
  saturationS: number;
  saturationRounds: number;
  saturationConcurrency: number;
  concurrency: number;
  db: 'sqlite' | 'postgres';
  pgUrl: string;
  seed: number;
  cpuProf: boolean;
  keep: boolean;
  trace: string | null;
  quick: boolean;
}

function options(): Options {
  const spec = {
    candidates: { type: 'string' },
    'save-interval-s': { type: 'string' },
    'save-phase-s': { type: 'string' },
    'enter-window-s': { type: 'string' },
    'saturation-s': { type: 'string' },
    'saturation-rounds': { type: 'string' },
    'saturation-concurrency': { type: 'string' },
    concurrency: { type: 'string' },
    db: { type: 'string' },
    'pg-url': { type: 'string' },
    seed: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    keep: { type: 'boolean' },
    trace: { type: 'string' },
    quick: { type: 'boolean' },
    help: { type: 'boolean' },
  } as const;
  const { values } = parseArgs({ args: process.argv.slice(2), options: spec, strict: true });
  if (values.help) {
    process.stderr.write(HELP + '\n');
    process.exit(0);
  }
  const env = (name: string) => process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const str = (name: keyof typeof spec) => (values[name] as string | undefined) ?? env(name);
  const bool = (name: keyof typeof spec) => (values[name] as boolean | undefined) ?? ['1', 'true', 'yes'].includes(env(name) ?? '');
  const quick = bool('quick');
  const num = (name: keyof typeof spec, dflt: number, quickDflt = dflt) => {
    const v = str(name);
    if (v === undefined) return quick ? quickDflt : dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} should be a positive number: ${v}`);
    return n;
  };
  const db = str('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db should be sqlite or postgres: ${db}`);
  const o: Options = {
    candidates: Math.floor(num('candidates', 10_000, 500)),
    saveIntervalS: num('save-interval-s', 10),
    savePhaseS: num('save-phase-s', 60, 20),
    enterWindowS: num('enter-window-s', 60, 20),
    saturationS: num('saturation-s', 10, 5),
    saturationRounds: Math.floor(num('saturation-rounds', 3, 1)),
    saturationConcurrency: Math.floor(num('saturation-concurrency', 64)),
    concurrency: Math.floor(num('concurrency', 256)),
    db,
    pgUrl: str('pg-url') ?? 'postgres://postgres@127.0.0.1:5432/test',
    seed: Math.floor(num('seed', 1)),
    cpuProf: bool('cpu-prof'),
    keep: bool('keep'),
    trace: str('trace') ?? null,
    quick,
  };

  if (o.candidates > 100_000) throw new Error('--candidates: at most 100000 (the demo CLI limit)');
  for (const [k, max] of [['savePhaseS', 3600], ['enterWindowS', 1800], ['saturationS', 300], ['saturationRounds', 10]] as const) {
    if (o[k] > max) throw new Error(`${k}: at most ${max}`);
  }
  if (new URL(o.pgUrl).hostname !== '127.0.0.1' && new URL(o.pgUrl).hostname !== 'localhost') throw new Error('--pg-url must point at 127.0.0.1');
  return o;
}

interface Demo {
  planId: string;
  sittingId: string;
  candidates: { ticketNo: string; idNumber: string; name: string }[];
}

/** Logs progress every 5 s while a phase runs. */
function progress(label: string, client: HttpClient, recs: Recorder[]): () => void {
  const t0 = Date.now();
  const timer = setInterval(() => {
    const r = merge(...recs);
    log(`${label}: ${Math.round((Date.now() - t0) / 1000)} s, ${r.requests} done (${r.ok} ok, ${r.errorCount} errors), ${client.inFlight} in flight, ${client.queued} queued`);
  }, 5000);
  return () => clearInterval(timer);
}

/** The saves of one phase: each candidate every S s from its own random offset, until D s. */
function saveSchedule(n: number, intervalMs: number, phaseMs: number, random: () => number): { times: Float64Array; who: Int32Array } {
  const perCandidate = Math.ceil(phaseMs / intervalMs) + 1;
  const t: number[] = [];
  const w: number[] = [];
  for (let k = 0; k < n; k++) {
    const offset = random() * intervalMs;
    for (let j = 0; j < perCandidate; j++) {
      const at = offset + j * intervalMs;
      if (at >= phaseMs) break;
      t.push(at);
      w.push(k);
    }
  }
  const order = Array.from(t.keys()).sort((a, b) => t[a]! - t[b]!);
  return { times: Float64Array.from(order, (i) => t[i]!), who: Int32Array.from(order, (i) => w[i]!) };
}

function latency(rec: Recorder) {
  return { ...summarize(rec.latencies) };
}

function loopInfo(r: OpenLoopResult) {
  return { maxStartLagMs: r.maxStartLagMs, p99StartLagMs: r.p99StartLagMs, ...(r.abandoned ? { abandoned: r.abandoned } : {}) };
}

/** Fixed-rate save phase against one server. */
async function savePhase(label: string, model: SaveModel, client: HttpClient, serverPid: number, o: Options, schedule: { times: Float64Array; who: Int32Array }) {
  log(`${label}: save phase — ${schedule.times.length} saves over ${o.savePhaseS} s (${model.candidates.length} candidates, one every ${o.saveIntervalS} s)`);
  const rec = new Recorder(`${label}-save`).start();
  const stop = progress(`${label} save`, client, [rec]);
  const cpu = new CpuSpan(serverPid);
  const loop = await openLoop(schedule.times, (i) => model.save(schedule.who[i]!, rec), { stopAfterMs: o.savePhaseS * 1000 + 30_000, drainMs: 60_000 });
  if (loop.abandoned) log(`${label} save: ${loop.abandoned} saves unfinished at the phase limit; queued ones dropped: ${JSON.stringify(await client.settle())}`);
  const saveCpu = cpu.end();
  stop();
  rec.notSent(loop.notStarted);
  const save = {
    saves: rec.ok,
    requests: rec.requests,
    durationS: rec.durationS,
    savesPerSecond: round(rec.ok / rec.durationS, 1),
    offeredPerSecond: round(schedule.times.length / o.savePhaseS, 1),
    ...latency(rec),
    errors: rec.errors,
    ...loopInfo(loop),
    ...saveCpu,
  };
  log(`${label} save: ${JSON.stringify(save)}`);
  return { save, window: cpu.window };
}

/** One closed-loop saturation run against one server: saves as fast as `concurrency` workers go. */
async function saturationRun(label: string, model: SaveModel, client: HttpClient, serverPid: number, o: Options, random: () => number) {
  const sat = new Recorder(`${label.replace(/ /g, '-')}-saturation`).start();
  const n = model.candidates.length;
  const stop = progress(`${label} saturation`, client, [sat]);
  const cpu = new CpuSpan(serverPid);
  const wallMs = await closedLoop(o.saturationConcurrency, o.saturationS * 1000, () => model.save(Math.floor(random() * n), sat));
  const satCpu = cpu.end();
  stop();
  const result = {
    savesPerSecond: round(sat.ok / (wallMs / 1000), 1),
    saves: sat.ok,
    durationS: round(wallMs / 1000, 3),
    ...latency(sat),
    errors: sat.errors,
    ...satCpu,
    /** Saves per CPU-second of the server: less sensitive to other processes and to the client than saves/s. */
    savesPerServerCpuS: satCpu.serverCpuPct > 0 ? round(sat.ok / (wallMs / 1000) / (satCpu.serverCpuPct / 100), 1) : 0,
  };
  log(`${label} saturation (${o.saturationConcurrency} workers, ${o.saturationS} s): ${JSON.stringify(result)}`);
  return { result, window: cpu.window };
}

const median = (xs: number[]) => {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
};

async function main(): Promise<void> {
  const o = options();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-bench-'));
  const profDir = path.join(tmp, 'prof');
  const started: Started[] = [];
  let dropPg: (() => Promise<void>) | null = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const s of started) await stopChild(s, 5000).catch(() => undefined);
    killAllChildren();
    if (dropPg) await dropPg().catch((err: Error) => log(`could not drop the scratch database: ${err.message}`));
    if (o.keep || o.cpuProf) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  // Everything is bounded: the whole run may not take longer than this.
  const budgetS = 300 + 60 + o.enterWindowS + 120 + 2 * (o.savePhaseS + 90) + 2 * o.saturationRounds * (o.saturationS + 30) + 180 + 120;
  const watchdog = setTimeout(() => {
    log(`watchdog: the run exceeded ${budgetS} s; stopping`);
    void cleanup().finally(() => process.exit(3));
  }, budgetS * 1000);
  watchdog.unref();
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    const N = o.candidates;
    const traceLines: string[] = ['name,sentAtMs,ms,queuedMs,status,reused\n'];
    if (o.trace) {
      trace.write = (line) => void traceLines.push(line);
      trace.t0 = performance.now();
    }
    const loadAvgAtStart = loadAvg();
    log(`options ${JSON.stringify(o)}; temp ${tmp}`);

    // 1. A fresh database and a demo sitting that starts now.
    let dbUrl: string;
    let sqliteFile: string | null = null;
    if (o.db === 'postgres') {
      const created = await createPgDatabase(o.pgUrl);
      dropPg = created.drop;
      dbUrl = created.url;
      log(`scratch PostgreSQL database ${created.name}`);
    } else {
      sqliteFile = path.join(tmp, 'k.db');
      dbUrl = `sqlite:${sqliteFile}`;
    }
    const durationMin = Math.max(60, Math.ceil(budgetS / 60) + 5);
    const demoArgs = ['run', '-s', 'kaowu', '--', 'demo', '--paper', 'theory', '--candidates', String(N), '--json', '--starts-at', new Date().toISOString(),
      '--earliest-submit-min', '0', '--final-lock-min', '0', '--duration-min', String(durationMin)];
    log(`DATABASE_URL=${dbUrl} npm ${demoArgs.join(' ')}`);
    const demoOut = await runCommand('npm', demoArgs, { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl }, timeoutMs: 300_000, stdoutFile: path.join(tmp, 'demo.json') });
    const jsonLine = demoOut.split('\n').reverse().find((l) => l.startsWith('{'));
    if (!jsonLine) throw new Error(`the demo command printed no JSON:\n${demoOut.slice(0, 2000)}`);
    const demo = JSON.parse(jsonLine) as Demo;
    if (demo.candidates.length !== N) throw new Error(`the demo made ${demo.candidates.length} candidates, not ${N}`);
    log(`demo plan ${demo.planId}, sitting ${demo.sittingId}, ${demo.candidates.length} candidates`);

    // 2. The real server.
    const port = await freePort();
    const nodeArgs = [...(o.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), '--import', 'tsx', 'packages/server/src/main.ts'];
    log(`DATABASE_URL=${dbUrl} PORT=${port} HOST=127.0.0.1 LOG_LEVEL=warn node ${nodeArgs.join(' ')}`);
    const server = startChild('server', process.execPath, nodeArgs, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    });
    started.push(server);
    await waitForHealth(port, '/api/health', 60_000, () => server.child.exitCode === null);
    const rss = new RssSampler(server.pid, 500);
    const client = new HttpClient(port, o.concurrency);
    log(`server pid ${server.pid} on 127.0.0.1:${port}`);

    // The baseline server runs alongside (idle until its turn), so that
    // saturation rounds can alternate between the two.
    const bPort = await freePort();
    const bFile = path.join(tmp, 'baseline.db');
    log(`baseline: BASELINE_DB=${bFile} PORT=${bPort} node --import tsx bench/baseline-server.ts`);
    const bServer = startChild('baseline', process.execPath, ['--import', 'tsx', 'bench/baseline-server.ts'], {
      cwd: ROOT,
      env: { ...process.env, BASELINE_DB: bFile, PORT: String(bPort) },
    });
    started.push(bServer);
    await waitForHealth(bPort, '/health', 60_000, () => bServer.child.exitCode === null);
    const bRss = new RssSampler(bServer.pid, 500);
    const bClient = new HttpClient(bPort, o.concurrency);
    log(`baseline pid ${bServer.pid} on 127.0.0.1:${bPort}`);

    // 3. Enter: log in + enter, arrivals uniform over the window.
    const random = mulberry32(o.seed);
    const loginBodies = demo.candidates.map((c) => JSON.stringify({ ticketNo: c.ticketNo, idNumber: c.idNumber }));
    const enteredAt: (Entered | undefined)[] = new Array(N);
    const attemptPath = `/api/candidate/sittings/${demo.sittingId}/attempt`;
    const loginRec = new Recorder('login').start();
    const attemptRec = new Recorder('attempt').start();
    log(`enter: ${N} candidates log in and enter over ${o.enterWindowS} s`);
    let stop = progress('enter', client, [loginRec, attemptRec]);
    let cpu = new CpuSpan(server.pid);
    const enterLoop = await openLoop(
      uniformArrivals(N, o.enterWindowS * 1000, random),
      async (i) => {
        const c = demo.candidates[i]!;
        const r1 = await client.send('POST', '/api/candidate/login', loginBodies[i]!);
        if (!loginRec.record(r1)) return;
        const authorization = `Bearer ${(JSON.parse(r1.body) as { token: string }).token}`;
        const r2 = await client.send('POST', attemptPath, '{}', authorization);
        if (!attemptRec.record(r2)) return;
        enteredAt[i] = readAttempt(i, c.ticketNo, authorization, r2.body);
      },
      { stopAfterMs: o.enterWindowS * 1000 + 60_000, drainMs: 60_000 },
    );
    if (enterLoop.abandoned) log(`enter: ${enterLoop.abandoned} candidates unfinished at the phase limit; queued requests dropped: ${JSON.stringify(await client.settle())}`);
    const enterCpu = cpu.end();
    const enterWindow = cpu.window;
    stop();
    loginRec.notSent(enterLoop.notStarted);
    const enterAll = merge(loginRec, attemptRec);
    const entered = enteredAt.filter((e): e is Entered => e !== undefined);
    const enter = {
      requests: enterAll.requests,
      durationS: enterAll.durationS,
      ...latency(enterAll),
      errors: enterAll.errors,
      entered: entered.length,
      login: latency(loginRec),
      attempt: latency(attemptRec),
      ...loopInfo(enterLoop),
      ...enterCpu,
    };
    log(`enter: ${JSON.stringify(enter)}`);
    if (entered.length === 0) throw new Error('no candidate could enter; see the errors above');

    // 4. Saves at a fixed rate: ours, then the baseline with the same schedule and choices.
    const schedule = saveSchedule(entered.length, o.saveIntervalS * 1000, o.savePhaseS * 1000, random);
    const ours = new SaveModel(entered, client, (c, q) => `/api/candidate/attempts/${c.attemptId}/answers/${q}`, mulberry32(o.seed + 1));
    const base = new SaveModel(entered, bClient, (c, q) => `/answers/${c.attemptId}/${q}`, mulberry32(o.seed + 1));
    const { save: oursSave, window: saveWindow } = await savePhase('ours', ours, client, server.pid, o, schedule);
    const { save: baseSave } = await savePhase('baseline', base, bClient, bServer.pid, o, schedule);

    // 5. Saturation: alternating closed-loop rounds, ours then baseline.
    const oursSat: Awaited<ReturnType<typeof saturationRun>>[] = [];
    const baseSat: Awaited<ReturnType<typeof saturationRun>>[] = [];
    for (let r = 0; r < o.saturationRounds; r++) {
      oursSat.push(await saturationRun(`ours round ${r + 1}`, ours, client, server.pid, o, mulberry32(o.seed + 10 + r)));
      baseSat.push(await saturationRun(`baseline round ${r + 1}`, base, bClient, bServer.pid, o, mulberry32(o.seed + 10 + r)));
    }

    // 6. Submit: everyone hands in at once (bounded by the client's in-flight limit).
    log(`submit: ${entered.length} candidates hand in`);
    const submitRec = new Recorder('submit').start();
    stop = progress('submit', client, [submitRec]);
    cpu = new CpuSpan(server.pid);
    const submitLoop = await openLoop(
      new Float64Array(entered.length),
      async (i) => {
        const c = entered[i]!;
        submitRec.record(await client.send('POST', `/api/candidate/attempts/${c.attemptId}/submit`, '{}', c.authorization));
      },
      { stopAfterMs: 120_000, drainMs: 120_000 },
    );
    if (submitLoop.abandoned) log(`submit: ${submitLoop.abandoned} unfinished at the phase limit; queued requests dropped: ${JSON.stringify(await client.settle())}`);
    const submitCpu = cpu.end();
    const submitWindow = cpu.window;
    stop();
    submitRec.notSent(submitLoop.notStarted);
    const submit = {
      requests: submitRec.requests,
      durationS: submitRec.durationS,
      perSecond: round(submitRec.ok / submitRec.durationS, 1),
      ...latency(submitRec),
      errors: submitRec.errors,
      maxQueuedMs: round(submitRec.maxQueuedMs),
      ...submitCpu,
    };
    log(`submit: ${JSON.stringify(submit)}`);

    // 7. Lost answers, read straight from the databases while the servers still run.
    let stored: StoredState;
    if (sqliteFile) stored = readSqlite(sqliteFile, demo.sittingId);
    else stored = await readPostgres(dbUrl, demo.sittingId);
    const lost = ours.verify(stored.answers);
    log(`database: ${stored.answers.size} answer rows; ${lost.checked} acknowledged answers checked, ${lost.lost} lost${lost.examples.length ? ': ' + lost.examples.join('; ') : ''}`);
    log(`database: ${stored.attempts.total} attempts, ${stored.attempts.submitted} submitted`);
    const bLost = base.verify(readSqlite(bFile, null).answers);
    log(`baseline database: ${bLost.checked} acknowledged answers checked, ${bLost.lost} lost`);
    client.close();
    bClient.close();
    const serverPeakRssMB = rss.stop();
    const bPeak = bRss.stop();
    await stopChild(server);
    await stopChild(bServer);

    let profile: { file: string; phases: Record<string, ProfileSummary> } | undefined;
    if (o.cpuProf) {
      const files = fs.existsSync(profDir) ? fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
      const biggest = files.map((f) => path.join(profDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
      if (biggest) {
        const phases = { saturation: oursSat.map((x) => x.window), save: [saveWindow], enter: [enterWindow], submit: [submitWindow] };
        profile = { file: biggest, phases: {} };
        for (const [phase, windows] of Object.entries(phases)) {
          const summary = summarizeProfile(biggest, windows);
          profile.phases[phase] = { ...summary, topSelf: summary.topSelf.slice(0, 15), byArea: summary.byArea.slice(0, 12) };
          log(`profile of our server, ${phase} phase (${biggest}):\n${JSON.stringify(summary, null, 1)}`);
        }
      } else log('no CPU profile was written');
    }

    const oursMedian = median(oursSat.map((x) => x.result.savesPerSecond));
    const baseMedian = median(baseSat.map((x) => x.result.savesPerSecond));
    const oursPerCpu = median(oursSat.map((x) => x.result.savesPerServerCpuS));
    const basePerCpu = median(baseSat.map((x) => x.result.savesPerServerCpuS));
    const result = {
      candidates: N,
      db: o.db,
      enter,
      save: oursSave,
      submit,
      lostAnswers: lost.lost,
      acknowledgedAnswersChecked: lost.checked,
      unsubmitted: stored.attempts.total - stored.attempts.submitted,
      // unknownToClient: attempts the server made whose entry reply never reached the client (e.g. a client time-out);
      // nobody hands those in during the run, so they show as unsubmitted (the server's sweeper would at the deadline).
      attempts: { inDb: stored.attempts.total, submitted: stored.attempts.submitted, notEntered: N - entered.length, unknownToClient: stored.attempts.total - entered.length },
      seqAnomalies: ours.anomalies,
      serverPeakRssMB,
      baseline: {
        savesPerSecond: baseSave.savesPerSecond,
        p50: baseSave.p50,
        p95: baseSave.p95,
        p99: baseSave.p99,
        maxMs: baseSave.maxMs,
        errors: baseSave.errors,
        lostAnswers: bLost.lost,
        peakRssMB: bPeak,
        clientCpuPct: baseSave.clientCpuPct,
        serverCpuPct: baseSave.serverCpuPct,
        otherCpuPct: baseSave.otherCpuPct,
      },
      saturation: {
        ours: oursMedian,
        baseline: baseMedian,
        ratio: round(oursMedian / baseMedian, 3),
        perServerCpuSecond: { ours: oursPerCpu, baseline: basePerCpu, ratio: round(oursPerCpu / basePerCpu, 3) },
        concurrency: o.saturationConcurrency,
        roundS: o.saturationS,
        rounds: oursSat.map((x, r) => ({
          ours: x.result,
          baseline: baseSat[r]!.result,
          ratio: round(x.result.savesPerSecond / baseSat[r]!.result.savesPerSecond, 3),
        })),
      },
      ratioToBaseline: round(oursSave.savesPerSecond / baseSave.savesPerSecond, 3),
      ...(profile ? { profile } : {}),
      machine: machineInfo(loadAvgAtStart),
    };
    if (o.trace) {
      fs.writeFileSync(o.trace, traceLines.join(''));
      log(`trace: ${traceLines.length - 1} requests in ${o.trace}`);
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

runBench(main);
