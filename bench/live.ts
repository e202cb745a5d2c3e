/**
 * Exam day in the room (docs/proctoring.md): what the proctor console costs
 * in a big sitting, and how fast a change reaches every open socket.
 *
 *   npx tsx bench/live.ts [--quick] [--candidates N] [--sockets N] [--proctors N] [--reads N] …   (--help lists all)
 *
 * 1. Seat map. A sitting of N registrations at the demo school (5,000: 125
 *    rooms of 40, arranged and proctored by the console's own services, the
 *    `createDemo` the CLI uses), plus a 40-candidate sitting in the same
 *    database as the control. The real server (a child process) takes every
 *    log-in and entry (2 % never come), S answer saves and one or two client
 *    events per candidate over HTTP. Then GET
 *    /api/console/proctor/sittings/:s/rooms/:r (the room's own proctor) is
 *    read R times one after the other, for a room of the big sitting and the
 *    room of the small one, and the chief's site overview of the big sitting.
 *    On SQLite and, if reachable, PostgreSQL.
 * 2. Live fan-out. Real app servers listening on ports; the bench opens
 *    candidate sockets (GET /api/candidate/live, the entered candidates of the
 *    big sitting, whole rooms) and proctor sockets (GET
 *    /api/console/proctor/live, one room each, as the operator) and times
 *    from just before a proctor action leaves the bench to each targeted
 *    socket's `changed`:
 *      room broadcast   POST …/rooms/:r/broadcast (one room's sockets);
 *      site broadcast   POST …/sites/:site/broadcast (every socket; one event
 *                       per room of the site, 125 of them);
 *      sitting event    (Redis only) one event for the whole sitting, published
 *                       on the Redis channel as bus.publish does (auto-warning);
 *      seat warning     POST …/seats/:reg/warning (that candidate and the
 *                       room's proctors);
 *      screen           one more site broadcast where every socket's owner does
 *                       what the real client does on `changed`: the exam
 *                       client waits up to 2 s (random; room-wide events) and
 *                       reads its status, the proctor page re-reads the room
 *                       after 150 ms; timed until the answer carries the text.
 *    (a) one node, LocalLiveBus, SQLite; (b) two nodes with RedisLiveBus on one
 *    database (PostgreSQL when reachable), sockets split between them, the
 *    action made on node A. Memory per idle candidate socket: the node's RSS
 *    before and after the candidate sockets opened, over their number.
 *    The sockets live in this process, so its own event loop is part of the
 *    figures (its CPU is reported); both share the machine's 2 cores with the
 *    servers.
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openContext } from '../packages/server/src/bootstrap.ts';
import { createDemo } from '../packages/server/src/modules/demo/demo.ts';
import { HttpClient, type Reply } from './lib/http-client.ts';
import { Recorder, round, summarize } from './lib/stats.ts';
import { mulberry32 } from './lib/drivers.ts';
import { CpuSpan, freePort, killAllChildren, loadAvg, log, machineInfo, procCpuSeconds, rssKb, runBench, startChild, stopChild, waitForHealth, type Started } from './lib/proc.ts';
import { SaveModel, readAttempt, type Entered } from './lib/saves.ts';
import { createPgDatabase } from './lib/db-check.ts';

/** What the exam client waits, at most, before reading its status after a room-wide event (web/exam/src/attempt.ts). */
const CLIENT_SPREAD_MS = 1800;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `npx tsx bench/live.ts [options]
  --candidates N     registrations of the big sitting (default 5000; --quick 1000), 40 a room
  --saves N          answer saves per candidate who entered (default 3)
  --reads N          sequential reads of each room view (default 200; --quick 50)
  --sockets N        candidate sockets (default 2000; --quick 200)
  --proctors N       proctor sockets (default 40)
  --room-rounds N    room broadcasts per setup (default 10; --quick 5)
  --site-rounds N    site broadcasts per setup (default 5; --quick 3)
  --pg-url URL       PostgreSQL server for scratch databases (default postgres://postgres@127.0.0.1:5432/test)
  --redis-url URL    Redis for the two-node setup (default redis://127.0.0.1:6379)
  --no-postgres      SQLite only
  --keep             keep the temp directory and the PostgreSQL database
  --quick            smoke run`;

interface Options {
  candidates: number;
  saves: number;
  reads: number;
  sockets: number;
  proctors: number;
  roomRounds: number;
  siteRounds: number;
  pgUrl: string;
  redisUrl: string;
  postgres: boolean;
  keep: boolean;
  quick: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      candidates: { type: 'string' },
      saves: { type: 'string' },
      reads: { type: 'string' },
      sockets: { type: 'string' },
      proctors: { type: 'string' },
      'room-rounds': { type: 'string' },
      'site-rounds': { type: 'string' },
      'pg-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'no-postgres': { type: 'boolean' },
      keep: { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stderr.write(HELP + '\n');
    process.exit(0);
  }
  const quick = Boolean(values.quick);
  const num = (v: string | undefined, dflt: number, quickDflt = dflt, min = 1) => {
    if (v === undefined) return quick ? quickDflt : dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`expected an integer ≥ ${min}: ${v}`);
    return n;
  };
  const o: Options = {
    candidates: num(values.candidates, 5000, 1000),
    saves: num(values.saves, 3, 3, 0),
    reads: num(values.reads, 200, 50),
    sockets: num(values.sockets, 2000, 200),
    proctors: num(values.proctors, 40),
    roomRounds: num(values['room-rounds'], 10, 5),
    siteRounds: num(values['site-rounds'], 5, 3),
    pgUrl: values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
    postgres: !values['no-postgres'],
    keep: Boolean(values.keep),
    quick,
  };
  if (o.candidates > 9999) throw new Error('--candidates: at most 9999 (one demo site)');
  for (const url of [o.pgUrl, o.redisUrl]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) throw new Error(`${url}: the bench only talks to 127.0.0.1`);
  }
  return o;
}

const CONCURRENCY = 32;

/** Runs `fn` over 0..n-1 with at most `k` at once. */
async function pool(n: number, k: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(k, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

// ---------------------------------------------------------------- the sitting

interface SeatRow {
  registrationId: string;
  roomId: string;
  seatNo: number;
  ticketNo: string;
  idNumber: string;
}

interface Sitting {
  planId: string;
  sittingId: string;
  siteId: string;
  seats: SeatRow[];
  /** A proctor's token per room that has one. */
  proctorOf: Map<string, string>;
}

interface Prepared {
  db: 'sqlite' | 'postgres';
  url: string;
  drop: (() => Promise<void>) | null;
  big: Sitting;
  small: Sitting;
  operatorToken: string;
  chiefToken: string;
}

/** Two demo sittings (big and small) at the demo school, arranged with proctors, through the server's own services. */
async function prepare(db: 'sqlite' | 'postgres', tmp: string, o: Options, drops: (() => Promise<void>)[]): Promise<Prepared> {
  const t0 = performance.now();
  let url: string;
  let drop: (() => Promise<void>) | null = null;
  if (db === 'postgres') {
    const created = await createPgDatabase(o.pgUrl);
    url = created.url;
    drop = created.drop;
    drops.push(created.drop);
  } else url = `sqlite:${path.join(tmp, 'live.db')}`;
  const ctx = await openContext({ DATABASE_URL: url, LOG_LEVEL: 'warn', KAOWU_SECRET: undefined });
  try {
    const startsAt = Date.now();
    const sitting = async (candidates: number): Promise<Sitting> => {
      const demo = await createDemo(ctx, { candidates, level: 'junior', startsAt, durationMin: 180, school: true });
      const rows = await ctx.db
        .selectFrom('seat_assignments as sa')
        .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
        .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
        .innerJoin('rooms', 'rooms.id', 'sa.room_id')
        .select(['sa.registration_id', 'sa.room_id', 'sa.seat_no', 'sa.site_id', 'r.ticket_no', 'c.id_number', 'rooms.name'])
        .where('sa.plan_id', '=', demo.planId)
        .execute();
      // Room order as the site numbers them (第1考场, 第2考场, …), seats in order.
      const roomNo = (name: string) => Number(/\d+/.exec(name)?.[0] ?? 0);
      rows.sort((a, b) => roomNo(a.name) - roomNo(b.name) || a.seat_no - b.seat_no);
      const proctors = await ctx.db
        .selectFrom('proctor_assignments')
        .select(['room_id', 'user_id'])
        .where('plan_id', '=', demo.planId)
        .where('duty', '=', 'proctor')
        .execute();
      const proctorOf = new Map<string, string>();
      for (const p of proctors) if (p.room_id && !proctorOf.has(p.room_id)) proctorOf.set(p.room_id, ctx.tokens.sign('staff', p.user_id, 86_400, Date.now()));
      return {
        planId: demo.planId,
        sittingId: demo.sittingId,
        siteId: rows[0]!.site_id,
        seats: rows.map((r) => ({ registrationId: r.registration_id, roomId: r.room_id, seatNo: r.seat_no, ticketNo: r.ticket_no, idNumber: r.id_number })),
        proctorOf,
      };
    };
    const big = await sitting(o.candidates);
    const small = await sitting(40);
    const operator = await ctx.db.selectFrom('users').select('id').where('username', '=', 'operator').executeTakeFirstOrThrow();
    const chief = await ctx.db
      .selectFrom('proctor_assignments')
      .select('user_id')
      .where('plan_id', '=', big.planId)
      .where('duty', '=', 'chief')
      .executeTakeFirstOrThrow();
    return {
      db, url, drop, big, small,
      operatorToken: ctx.tokens.sign('staff', operator.id, 86_400, Date.now()),
      chiefToken: ctx.tokens.sign('staff', chief.user_id, 86_400, Date.now()),
    };
  } finally {
    await ctx.close();
    log(`${db}: two demo sittings (${o.candidates} + 40 candidates) in ${Math.round(performance.now() - t0)} ms`);
  }
}

function startNode(name: string, dbUrl: string, port: number, extraEnv: Record<string, string>): Started {
  return startChild(name, process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GRADING: 'off', ...extraEnv },
  });
}

interface Candidate extends Entered {
  registrationId: string;
  roomId: string;
}

/** Log-in, entry, saves and client events over HTTP, as on exam day (98 % come). */
async function fill(client: HttpClient, s: Sitting, o: Options, seed: number) {
  const rec = { login: new Recorder('login').start(), enter: new Recorder('enter').start(), save: new Recorder('save').start(), event: new Recorder('event').start() };
  const entered: (Candidate | undefined)[] = new Array(s.seats.length);
  await pool(s.seats.length, CONCURRENCY, async (i) => {
    if (i % 50 === 49) return; // never comes: 未登录 on the seat map
    const seat = s.seats[i]!;
    const r1 = await client.send('POST', '/api/candidate/login', JSON.stringify({ ticketNo: seat.ticketNo, idNumber: seat.idNumber }));
    if (!rec.login.record(r1)) return;
    const authorization = `Bearer ${(JSON.parse(r1.body) as { token: string }).token}`;
    if (i % 50 === 48) return; // logged in, never entered: 候考
    const r2 = await client.send('POST', `/api/candidate/sittings/${s.sittingId}/attempt`, '{}', authorization);
    if (!rec.enter.record(r2)) return;
    entered[i] = { ...readAttempt(i, seat.ticketNo, authorization, r2.body), registrationId: seat.registrationId, roomId: seat.roomId };
  });
  const list = entered.filter((c): c is Candidate => c !== undefined);
  const model = new SaveModel(list, client, (c, q) => `/api/candidate/attempts/${c.attemptId}/answers/${q}`, mulberry32(seed));
  await pool(list.length * o.saves, CONCURRENCY, (j) => model.save(j % list.length, rec.save));
  const TYPES = ['focus-loss', 'reconnect', 'reload', 'offline'];
  await pool(list.length, CONCURRENCY, async (k) => {
    const c = list[k]!;
    for (let e = 0; e < 1 + (k % 2); e++) {
      const body = JSON.stringify({ type: TYPES[(k + e) % TYPES.length], at: new Date().toISOString() });
      rec.event.record(await client.send('POST', `/api/candidate/attempts/${c.attemptId}/events`, body, c.authorization));
    }
  });
  const errors = Object.fromEntries(Object.entries(rec).map(([k, r]) => [k, r.errors]).filter(([, e]) => Object.keys(e as object).length));
  return {
    entered: list,
    summary: { entered: list.length, loggedInOnly: rec.login.ok - list.length, saves: rec.save.ok, events: rec.event.ok, ...(Object.keys(errors).length ? { errors } : {}) },
  };
}

/** R sequential GETs (after 10 unmeasured), the latencies and the size of the answer. */
async function reads(client: HttpClient, url: string, token: string, n: number) {
  const auth = `Bearer ${token}`;
  let last: Reply | null = null;
  for (let i = 0; i < 10; i++) last = await client.send('GET', url, null, auth);
  if (!last || last.status !== 200) throw new Error(`GET ${url}: ${last?.status} ${last?.body.slice(0, 300)}`);
  const rec = new Recorder('read').start();
  for (let i = 0; i < n; i++) rec.record((last = await client.send('GET', url, null, auth)));
  const body = JSON.parse(last.body) as { seats?: unknown[]; rooms?: unknown[] };
  return { reads: rec.ok, ...summarize(rec.latencies), bytes: last.body.length, ...(body.seats ? { seats: body.seats.length } : {}), ...(body.rooms ? { rooms: body.rooms.length } : {}), ...(Object.keys(rec.errors).length ? { errors: rec.errors } : {}) };
}

/** Part 1 on one database: builds the sittings, reads the views; keeps the database for part 2. */
async function seatMap(db: 'sqlite' | 'postgres', tmp: string, o: Options, started: Started[], drops: (() => Promise<void>)[]) {
  const t0 = performance.now();
  const p = await prepare(db, tmp, o, drops);
  const port = await freePort();
  const server = startNode(`server-${db}`, p.url, port, {});
  started.push(server);
  await waitForHealth(port, '/api/health', 60_000, () => server.child.exitCode === null);
  const client = new HttpClient(port, 64);
  try {
    const tf = performance.now();
    const big = await fill(client, p.big, o, 1);
    const small = await fill(client, p.small, o, 2);
    const fillS = round((performance.now() - tf) / 1000, 1);
    log(`${db}: filled in ${fillS} s: big ${JSON.stringify(big.summary)}, small ${JSON.stringify(small.summary)}`);
    const view = (s: Sitting, roomId: string) => `/api/console/proctor/sittings/${s.sittingId}/rooms/${roomId}`;
    // A room of the big sitting that has its own proctor, from the middle of the site if possible.
    const bigRooms = [...new Set(p.big.seats.map((x) => x.roomId))];
    const bigRoom = bigRooms.filter((r) => p.big.proctorOf.has(r)).sort((a, b) => Math.abs(bigRooms.indexOf(a) - bigRooms.length / 2) - Math.abs(bigRooms.indexOf(b) - bigRooms.length / 2))[0] ?? bigRooms[bigRooms.length >> 1]!;
    const smallRoom = p.small.seats[0]!.roomId;
    const loadBefore = loadAvg();
    const cpu = new CpuSpan(server.pid);
    const bigRead = await reads(client, view(p.big, bigRoom), p.big.proctorOf.get(bigRoom) ?? p.operatorToken, o.reads);
    const smallRead = await reads(client, view(p.small, smallRoom), p.small.proctorOf.get(smallRoom) ?? p.operatorToken, o.reads);
    const siteRead = await reads(client, `/api/console/proctor/sittings/${p.big.sittingId}/sites/${p.big.siteId}`, p.chiefToken, Math.max(10, Math.round(o.reads / 4)));
    const readCpu = cpu.end();
    const result = {
      db,
      registrations: p.big.seats.length,
      rooms: bigRooms.length,
      ...big.summary,
      fillS,
      roomView: { ...bigRead, as: p.big.proctorOf.has(bigRoom) ? 'the room\'s proctor' : 'operator' },
      smallSittingRoomView: { ...smallRead, registrations: p.small.seats.length },
      siteOverview: { ...siteRead, as: 'chief' },
      readCpu,
      loadAvg: loadBefore,
    };
    log(`${db}: ${JSON.stringify(result)}`);
    return { p, entered: big.entered, result, totalS: round((performance.now() - t0) / 1000, 1) };
  } finally {
    client.close();
    await stopChild(server);
  }
}

// ---------------------------------------------------------------- live sockets

/** What the bench uses of a `ws` client socket (the package ships no types here). */
interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  terminate(): void;
  on(event: 'open', fn: () => void): void;
  on(event: 'message', fn: (data: unknown) => void): void;
  on(event: 'close', fn: (code: number) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}
const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: new (url: string, opts?: { perMessageDeflate?: boolean }) => WsClient };

interface Sock {
  kind: 'candidate' | 'proctor';
  node: number;
  roomId: string;
  candidate?: Candidate;
  ws: WsClient | null;
  changed: number;
}

/** The round in progress: who must hear of it, who did and when. */
interface Round {
  t0: number;
  targets: Set<Sock>;
  seen: Map<Sock, number>;
  unexpected: number;
  onChanged?: (s: Sock, kind: string) => void;
  done: () => void;
}
let current: Round | null = null;

function openSocket(s: Sock, port: number, hello: object): Promise<void> {
  const path = s.kind === 'candidate' ? '/api/candidate/live' : '/api/console/proctor/live';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no ready within 15 s'));
    }, 15_000);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('open', () => ws.send(JSON.stringify(hello)));
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (s.ws === ws) s.ws = null;
      reject(new Error(`closed ${code}`));
    });
    ws.on('message', (data) => {
      const t = performance.now();
      const m = JSON.parse(String(data)) as { type: string; kind?: string };
      if (m.type === 'ready') {
        clearTimeout(timer);
        s.ws = ws;
        resolve();
      } else if (m.type === 'changed') {
        s.changed++;
        const r = current;
        if (!r) return;
        if (!r.targets.has(s)) r.unexpected++;
        else if (!r.seen.has(s)) {
          r.seen.set(s, t - r.t0);
          r.onChanged?.(s, m.kind ?? '');
          if (r.seen.size === r.targets.size) r.done();
        }
      }
    });
  });
}

/** Opens sockets, `k` handshakes at once; the failures are counted. */
async function openAll(socks: Sock[], ports: number[], helloOf: (s: Sock) => object, k = 50) {
  const t0 = performance.now();
  const failures: Record<string, number> = {};
  await pool(socks.length, k, async (i) => {
    const s = socks[i]!;
    await openSocket(s, ports[s.node]!, helloOf(s)).catch((err: Error) => {
      failures[err.message] = (failures[err.message] ?? 0) + 1;
    });
  });
  return { opened: socks.filter((s) => s.ws).length, ms: Math.round(performance.now() - t0), ...(Object.keys(failures).length ? { failures } : {}) };
}

/** One action, timed from just before it leaves to each target's `changed`. */
async function timeRound(targets: Sock[], action: () => Promise<unknown>, opts: { timeoutMs?: number; onChanged?: Round['onChanged']; settleMs?: number } = {}) {
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const live = targets.filter((s) => s.ws);
  const r: Round = { t0: performance.now(), targets: new Set(live), seen: new Map(), unexpected: 0, onChanged: opts.onChanged, done };
  current = r;
  r.t0 = performance.now();
  const act = action().then((x) => ({ x, ms: performance.now() - r.t0 }));
  const timeout = sleep(opts.timeoutMs ?? 15_000);
  await Promise.race([all, timeout]);
  const { x, ms } = await act;
  await sleep(opts.settleMs ?? 300); // late duplicates or messages to the wrong sockets
  current = null;
  return { targets: live.length, seen: r.seen, missing: live.length - r.seen.size, unexpected: r.unexpected, actionMs: ms, result: x };
}

const summary = (xs: number[]) => {
  if (!xs.length) return { n: 0 };
  const s = summarize(xs);
  return { n: xs.length, p50: s.p50, p99: s.p99, maxMs: s.maxMs };
};

interface LiveSetup {
  name: string;
  nodes: number;
  bus: 'local' | 'redis';
  p: Prepared;
  entered: Candidate[];
}

async function fanOut(setup: LiveSetup, o: Options, started: Started[]) {
  const { p } = setup;
  const sittingId = p.big.sittingId;
  const ports: number[] = [];
  const nodes: Started[] = [];
  const env: Record<string, string> = setup.bus === 'redis' ? { REDIS_URL: o.redisUrl } : {};
  for (let n = 0; n < setup.nodes; n++) {
    const port = await freePort();
    const node = startNode(`${setup.name}-node${'AB'[n]}`, p.url, port, env);
    started.push(node);
    nodes.push(node);
    ports.push(port);
  }
  for (let n = 0; n < setup.nodes; n++) await waitForHealth(ports[n]!, '/api/health', 60_000, () => nodes[n]!.child.exitCode === null);
  const clients = ports.map((port) => new HttpClient(port, 256));
  const redis = setup.bus === 'redis' ? new Redis(o.redisUrl, { maxRetriesPerRequest: 1 }) : null;
  try {
    // Whole rooms of entered candidates, in site order; proctor sockets over the same rooms.
    const cands = setup.entered.slice(0, o.sockets);
    const rooms = [...new Set(cands.map((c) => c.roomId))];
    const candSocks: Sock[] = cands.map((c, k) => ({ kind: 'candidate', node: k % setup.nodes, roomId: c.roomId, candidate: c, ws: null, changed: 0 }));
    const procSocks: Sock[] = Array.from({ length: o.proctors }, (_, j) => ({ kind: 'proctor', node: j % setup.nodes, roomId: rooms[j % rooms.length]!, ws: null, changed: 0 }));
    const all = [...candSocks, ...procSocks];

    await sleep(1000);
    const rss0 = nodes.map((n) => rssKb(n.pid));
    const candOpen = await openAll(candSocks, ports, (s) => ({ token: s.candidate!.authorization.slice(7), attemptId: s.candidate!.attemptId }));
    await sleep(2000);
    const rss1 = nodes.map((n) => rssKb(n.pid));
    const procOpen = await openAll(procSocks, ports, (s) => ({ token: p.operatorToken, sittingId, roomId: s.roomId }));
    log(`${setup.name}: ${candOpen.opened} candidate sockets in ${candOpen.ms} ms, ${procOpen.opened} proctor sockets; RSS ${rss0.map((x) => Math.round(x / 1024))} → ${rss1.map((x) => Math.round(x / 1024))} MB`);
    const memory = {
      rssBeforeMB: rss0.map((x) => round(x / 1024, 1)),
      rssWithCandidateSocketsMB: rss1.map((x) => round(x / 1024, 1)),
      perIdleCandidateSocketKB: round((rss1.reduce((a, b) => a + b, 0) - rss0.reduce((a, b) => a + b, 0)) / Math.max(1, candOpen.opened), 1),
    };

    const A = clients[0]!;
    const auth = `Bearer ${p.operatorToken}`;
    const post = async (url: string, message: string) => {
      const r = await A.send('POST', url, JSON.stringify({ message }), auth);
      if (r.status !== 200) throw new Error(`POST ${url}: ${r.status} ${r.body.slice(0, 300)}`);
      return r;
    };
    const collect = (rounds: Awaited<ReturnType<typeof timeRound>>[]) => {
      const lat = (pred: (s: Sock) => boolean) => rounds.flatMap((r) => [...r.seen].filter(([s]) => pred(s)).map(([, ms]) => ms));
      return {
        rounds: rounds.length,
        targetsPerRound: rounds[0]?.targets ?? 0,
        all: summary(lat(() => true)),
        candidates: summary(lat((s) => s.kind === 'candidate')),
        proctors: summary(lat((s) => s.kind === 'proctor')),
        ...(setup.nodes > 1 ? { byNode: Object.fromEntries(ports.map((_, n) => [`node${'AB'[n]}`, summary(lat((s) => s.node === n))])) } : {}),
        maxPerRoundMs: rounds.map((r) => round(Math.max(0, ...r.seen.values()))),
        actionHttpMs: summary(rounds.map((r) => r.actionMs)),
        missing: rounds.reduce((a, r) => a + r.missing, 0),
        unexpected: rounds.reduce((a, r) => a + r.unexpected, 0),
      };
    };
    /** CPU the nodes and this process spent over `fn` (ms; /proc ticks of 10 ms), with the wall time. */
    const withCpu = async <T>(fn: () => Promise<T>) => {
      const w0 = performance.now();
      const s0 = nodes.map((n) => procCpuSeconds(n.pid));
      const b0 = process.cpuUsage();
      const value = await fn();
      const b = process.cpuUsage(b0);
      return {
        value,
        cpu: {
          wallMs: Math.round(performance.now() - w0),
          serverCpuMs: nodes.map((n, i) => Math.round((procCpuSeconds(n.pid) - s0[i]!) * 1000)),
          benchCpuMs: Math.round((b.user + b.system) / 1000),
        },
      };
    };
    const tag = Date.now().toString(36);

    // Room broadcasts: one room's candidates and proctors.
    const roomRounds: Awaited<ReturnType<typeof timeRound>>[] = [];
    for (let r = 0; r < o.roomRounds; r++) {
      const room = rooms[(r * 7) % rooms.length]!;
      const url = `/api/console/proctor/sittings/${sittingId}/rooms/${room}/broadcast`;
      roomRounds.push(await timeRound(all.filter((s) => s.roomId === room), () => post(url, `bench ${tag} room ${r}`)));
    }
    const room = collect(roomRounds);
    log(`${setup.name}: room broadcast ${JSON.stringify(room.all)}`);

    // Site broadcasts: every socket.
    const siteUrl = `/api/console/proctor/sittings/${sittingId}/sites/${p.big.siteId}/broadcast`;
    const site = await withCpu(async () => {
      const rounds: Awaited<ReturnType<typeof timeRound>>[] = [];
      for (let r = 0; r < o.siteRounds; r++) {
        rounds.push(await timeRound(all, () => post(siteUrl, `bench ${tag} site ${r}`), { settleMs: 1000 }));
      }
      return collect(rounds);
    });
    log(`${setup.name}: site broadcast ${JSON.stringify(site.value.all)} cpu ${JSON.stringify(site.cpu)}`);

    // One event for the whole sitting, as the sweeper's node publishes it (Redis only: a LocalLiveBus lives inside its node).
    let sitting: ReturnType<typeof collect> | undefined;
    if (redis) {
      const rounds: Awaited<ReturnType<typeof timeRound>>[] = [];
      for (let r = 0; r < o.siteRounds; r++) {
        rounds.push(await timeRound(all, () => redis.publish(`kaowu:live:${sittingId}`, JSON.stringify({ sittingId, kind: 'auto-warning' })), { settleMs: 1000 }));
      }
      sitting = collect(rounds);
      log(`${setup.name}: sitting-wide event ${JSON.stringify(sitting.all)}`);
    }

    // One candidate's seat: a warning reaches that candidate and the room's proctors.
    const seatRounds: Awaited<ReturnType<typeof timeRound>>[] = [];
    for (let r = 0; r < o.roomRounds; r++) {
      const room = rooms[(r * 7 + 3) % rooms.length]!;
      const inRoom = candSocks.filter((s) => s.roomId === room && s.ws);
      const who = inRoom[(r * 13) % inRoom.length]!;
      const url = `/api/console/proctor/sittings/${sittingId}/rooms/${room}/seats/${who.candidate!.registrationId}/warning`;
      const targets = [who, ...procSocks.filter((s) => s.roomId === room)];
      seatRounds.push(await timeRound(targets, async () => {
        const res = await A.send('POST', url, JSON.stringify({ reason: `bench ${tag} warning ${r}` }), auth);
        if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${res.body.slice(0, 300)}`);
      }));
    }
    const seat = collect(seatRounds);
    log(`${setup.name}: seat warning ${JSON.stringify(seat.all)}`);

    // What the people see: one more site broadcast, with each client doing what the real one does on `changed`.
    // The exam client spreads its status read over up to 2 s (room-wide kinds) and shows the message from the
    // status; the proctor page re-reads the room after 150 ms (debounce). Timed until the answer carries the text.
    const text = `bench ${tag} screen`;
    const random = mulberry32(7);
    const shown: number[] = [];
    const statusMs: number[] = [];
    const proctorShown: number[] = [];
    const viewMs: number[] = [];
    let readErrors = 0;
    let notInAnswer = 0;
    const pending: Promise<void>[] = [];
    const t0ref = { t0: 0 };
    const read = async (s: Sock, delayMs: number, url: string, authorization: string, times: number[], latencies: number[]) => {
      await sleep(delayMs);
      const r = await clients[s.node]!.send('GET', url, null, authorization);
      if (r.status !== 200) {
        readErrors++;
        return;
      }
      latencies.push(r.ms);
      if (r.body.includes(text)) times.push(performance.now() - t0ref.t0);
      else notInAnswer++;
    };
    const screen = await withCpu(async () => {
      const r = await timeRound(all, async () => {
        t0ref.t0 = performance.now();
        return post(siteUrl, text);
      }, {
        settleMs: 0,
        onChanged: (s) => {
          if (s.kind === 'candidate') {
            const c = s.candidate!;
            pending.push(read(s, Math.round(random() * CLIENT_SPREAD_MS), `/api/candidate/attempts/${c.attemptId}/status`, c.authorization, shown, statusMs));
          } else {
            pending.push(read(s, 150, `/api/console/proctor/sittings/${sittingId}/rooms/${s.roomId}`, auth, proctorShown, viewMs));
          }
        },
      });
      await Promise.all(pending);
      return r;
    });
    const screenResult = {
      clientSpreadMs: CLIENT_SPREAD_MS,
      proctorDebounceMs: 150,
      changed: summary([...screen.value.seen.values()]),
      candidates: { statusRead: summary(statusMs), messageShown: summary(shown), over2s: shown.filter((ms) => ms > 2000).length },
      proctors: { roomViewRead: summary(viewMs), messageShown: summary(proctorShown), over2s: proctorShown.filter((ms) => ms > 2000).length },
      readErrors,
      notInAnswer,
      missing: screen.value.missing,
      cpu: screen.cpu,
    };
    log(`${setup.name}: screen candidates ${JSON.stringify(screenResult.candidates.messageShown)} proctors ${JSON.stringify(screenResult.proctors.messageShown)}`);

    const stillOpen = all.filter((s) => s.ws).length;
    for (const s of all) s.ws?.terminate();
    return {
      setup: setup.name,
      db: p.db,
      bus: setup.bus,
      nodes: setup.nodes,
      candidateSockets: candOpen.opened,
      proctorSockets: procOpen.opened,
      roomsWithSockets: rooms.length,
      open: { candidates: candOpen, proctors: procOpen },
      memory,
      roomBroadcast: room,
      seatWarning: seat,
      siteBroadcast: { ...site.value, cpu: site.cpu },
      ...(sitting ? { sittingEvent: sitting } : {}),
      screen: screenResult,
      stillOpenAtEnd: stillOpen,
      loadAvg: loadAvg(),
    };
  } finally {
    for (const c of clients) c.close();
    redis?.disconnect();
    for (const n of nodes) await stopChild(n);
  }
}

async function reachable(kind: 'postgres' | 'redis', url: string): Promise<boolean> {
  try {
    if (kind === 'postgres') {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      await c.connect();
      await c.end();
    } else {
      const r = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true, retryStrategy: () => null });
      try {
        await r.connect();
        await r.ping();
      } finally {
        r.disconnect();
      }
    }
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const o = options();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-live-'));
  const started: Started[] = [];
  const drops: (() => Promise<void>)[] = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const s of started) await stopChild(s, 5000).catch(() => undefined);
    killAllChildren();
    if (o.keep) log(`kept ${tmp}`);
    else {
      for (const d of drops) await d().catch((err: Error) => log(`could not drop a scratch database: ${err.message}`));
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
  const watchdog = setTimeout(() => {
    log('watchdog: 20 minutes; stopping');
    void cleanup().finally(() => process.exit(3));
  }, 20 * 60_000);
  watchdog.unref();
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    const t0 = performance.now();
    const loadAvgAtStart = loadAvg();
    log(`options ${JSON.stringify(o)}; temp ${tmp}; load ${loadAvgAtStart}`);
    const havePg = o.postgres && (await reachable('postgres', o.pgUrl));
    const haveRedis = await reachable('redis', o.redisUrl);
    if (o.postgres && !havePg) log(`PostgreSQL not reachable at ${o.pgUrl}: SQLite only`);
    if (!haveRedis) log(`Redis not reachable at ${o.redisUrl}: no two-node setup`);

    // 1. The seat map in a big sitting.
    const sqlite = await seatMap('sqlite', tmp, o, started, drops);
    const postgres = havePg ? await seatMap('postgres', tmp, o, started, drops) : null;

    // 2. Live fan-out: one node on SQLite; two nodes with Redis on PostgreSQL (or the SQLite file).
    if (sqlite.entered.length < o.sockets) log(`only ${sqlite.entered.length} candidates entered: fewer sockets than --sockets`);
    const single = await fanOut({ name: 'one node', nodes: 1, bus: 'local', p: sqlite.p, entered: sqlite.entered }, o, started);
    const shared = postgres ?? sqlite;
    const two = haveRedis ? await fanOut({ name: 'two nodes', nodes: 2, bus: 'redis', p: shared.p, entered: shared.entered }, o, started) : null;

    const result = {
      seatMap: [sqlite.result, ...(postgres ? [postgres.result] : [])],
      live: [single, ...(two ? [two] : [])],
      requirement: 'changes reach the proctor and the candidate within 2 s',
      ...(havePg ? {} : { postgres: o.postgres ? 'not reachable' : 'skipped (--no-postgres)' }),
      ...(haveRedis ? {} : { redis: 'not reachable' }),
      options: { candidates: o.candidates, saves: o.saves, reads: o.reads, sockets: o.sockets, proctors: o.proctors, roomRounds: o.roomRounds, siteRounds: o.siteRounds, quick: o.quick },
      machine: machineInfo(loadAvgAtStart),
      wallS: round((performance.now() - t0) / 1000, 1),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

runBench(main);
