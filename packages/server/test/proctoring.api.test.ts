// The proctor console (docs/proctoring.md) on SQLite and PostgreSQL: who sees
// which room, the seat map's states, every action with its rule and its
// refusals, the room record and its signatures, the PDFs, the results of
// disqualified and absent candidates, the automatic 5-minute warning, the live
// socket; and the Redis live bus between two nodes.
//
//   node --test --import tsx packages/server/test/proctoring.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { KyselyPlugin } from 'kysely';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app.ts';
import { newId, nowIso } from '../src/ids.ts';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { startSweeper } from '../src/modules/delivery/sweeper.ts';
import { RedisLiveBus, type LiveEvent } from '../src/modules/live/bus.ts';
import { AUTO_WARNING_TEXT, sendAutoWarnings } from '../src/modules/proctoring/auto-warning.ts';
import { roomView } from '../src/modules/proctoring/room-view.ts';
import { roomAccess } from '../src/modules/proctoring/scope.ts';
import { staffToken } from './admin-rows.ts';
import { tinyPng } from './arrangement-fixture.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const T0 = Date.parse('2026-06-20T00:30:00.000Z'); // 08:30 in Asia/Shanghai
const T_END = T0 + 90 * 60_000; // the demo's theory paper lasts 90 minutes
const MIN = 60_000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * How soon a live push must arrive. The console's fallback re-read runs every 15 s
 * (LIVE_REFRESH_MS in web/console/src/proctor/live.ts), so 5 s still tells a push
 * from a poll, with room for a loaded CI machine.
 */
const PUSH_MS = 5000;

interface Seat {
  registrationId: string;
  seatNo: number;
  ticketNo: string;
  idNumber: string;
  name: string;
}

/** A socket to /api/console/proctor/live, with what it received. */
interface Probe {
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(pred: (m: any) => boolean, ms?: number): Promise<any>;
  close(): void;
}

async function probe(app: TestApp['app'], hello: unknown): Promise<Probe> {
  const ws = await app.injectWS('/api/console/proctor/live');
  const messages: any[] = [];
  ws.on('message', (d: Buffer) => messages.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: String(reason) })));
  ws.send(JSON.stringify(hello));
  return {
    messages,
    closed,
    close: () => ws.terminate(),
    async waitFor(pred, ms = PUSH_MS) {
      const until = Date.now() + ms;
      for (;;) {
        const m = messages.find(pred);
        if (m) return m;
        if (Date.now() > until) throw new Error(`no matching message within ${ms} ms; got ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`proctor console on ${kind}`, { skip }, () => {
    let t: TestApp;
    let demo: DemoResult;
    let sittingId: string;
    let siteId: string;
    const rooms: { id: string; name: string; seats: Seat[]; proctors: { id: string; username: string; role: string; name: string }[] }[] = [];
    const tokens = new Map<string, string>();
    let chief: { id: string; name: string };
    const candidateTokens = new Map<string, string>();
    const attempts = new Map<string, string>();
    let dir: string;

    const A = () => rooms[0]!;
    const B = () => rooms[1]!;
    /** The i-th seat of room A. */
    const a = (i: number) => A().seats[i]!;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-proctor-'));
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(T0 - 30 * MIN);
      // 45 junior candidates at the demo school: 第1考场 seats 40, 第2考场 5; proctors and the 主考 assigned.
      demo = await createDemo(t.ctx, { candidates: 45, level: 'junior', startsAt: T0, school: true });
      sittingId = demo.sittingId;
      const db = t.ctx.db;
      const seats = await db
        .selectFrom('seat_assignments as sa')
        .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
        .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
        .innerJoin('rooms', 'rooms.id', 'sa.room_id')
        .select(['sa.registration_id', 'sa.seat_no', 'sa.site_id', 'r.ticket_no', 'c.id_number', 'c.name', 'rooms.id as room_id', 'rooms.name as room_name'])
        .where('sa.plan_id', '=', demo.planId)
        .orderBy('rooms.name')
        .orderBy('sa.seat_no')
        .execute();
      siteId = seats[0]!.site_id;
      const assignments = await db
        .selectFrom('proctor_assignments as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.room_id', 'p.duty', 'u.id', 'u.username', 'u.role', 'u.display_name'])
        .where('p.plan_id', '=', demo.planId)
        .execute();
      for (const s of seats) {
        let room = rooms.find((r) => r.id === s.room_id);
        if (!room) {
          room = {
            id: s.room_id, name: s.room_name, seats: [],
            proctors: assignments.filter((p) => p.room_id === s.room_id).map((p) => ({ id: p.id, username: p.username, role: p.role, name: p.display_name })),
          };
          rooms.push(room);
        }
        room.seats.push({ registrationId: s.registration_id, seatNo: s.seat_no, ticketNo: s.ticket_no, idNumber: s.id_number, name: s.name });
      }
      assert.equal(rooms.length, 2);
      assert.equal(A().seats.length, 40);
      assert.equal(B().seats.length, 5);
      assert.ok(A().proctors.length >= 1 && B().proctors.length >= 1);
      const chiefRow = assignments.find((p) => p.duty === 'chief')!;
      chief = { id: chiefRow.id, name: chiefRow.display_name };
      const users = await db.selectFrom('users').select(['id', 'username']).execute();
      for (const u of users) tokens.set(u.username, staffToken(t.ctx, u.id));
      tokens.set('proctorA', tokens.get(A().proctors[0]!.username)!);
      tokens.set('proctorB', tokens.get(B().proctors[0]!.username)!);
      tokens.set('chief', staffToken(t.ctx, chief.id));
    });
    after(async () => {
      await t?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string | null, body?: unknown) => {
      const token = who === null ? undefined : (tokens.get(who) ?? who);
      const res = await t.app.inject({ method, url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
      const json = res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null;
      return { status: res.statusCode, body: json as any, raw: res.rawPayload, headers: res.headers };
    };
    const roomUrl = (roomId = A().id) => `/api/console/proctor/sittings/${sittingId}/rooms/${roomId}`;
    const seatUrl = (registrationId: string, action: string, roomId = A().id) => `${roomUrl(roomId)}/seats/${registrationId}/${action}`;
    const view = async (who = 'proctorA', roomId = A().id) => {
      const res = await call('GET', roomUrl(roomId), who);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const seatOf = (v: any, s: Seat) => v.seats.find((x: any) => x.registrationId === s.registrationId);
    const candidate = async (s: Seat) => {
      let token = candidateTokens.get(s.registrationId);
      if (!token) {
        const res = await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: s.ticketNo, idNumber: s.idNumber } });
        assert.equal(res.statusCode, 200, res.body);
        token = res.json().token as string;
        candidateTokens.set(s.registrationId, token);
      }
      return token;
    };
    const enter = async (s: Seat) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${sittingId}/attempt`, headers: { authorization: `Bearer ${await candidate(s)}` } });
      assert.equal(res.statusCode, 200, res.body);
      attempts.set(s.registrationId, res.json().attemptId);
      return res.json();
    };
    const save = async (s: Seat, paper: any, seq: number) =>
      t.app.inject({
        method: 'PUT', url: `/api/candidate/attempts/${attempts.get(s.registrationId)}/answers/${paper.questions[0].id}`,
        headers: { authorization: `Bearer ${await candidate(s)}` }, payload: { answer: null, seq },
      });
    const attemptRow = (s: Seat) => t.ctx.db.selectFrom('attempts').selectAll().where('sitting_id', '=', sittingId).where('registration_id', '=', s.registrationId).executeTakeFirstOrThrow();

    test('the demo school\'s site names who applied for it (the demo stores user ids, as the console does)', async () => {
      const sites = await call('GET', '/api/console/sites', 'operator');
      const site = sites.body.sites.find((s: any) => s.code === '0001');
      assert.equal(site.createdBy, '演示证书负责人（coordinator）');
    });

    test('我的考场: a room proctor sees their room, the chief the whole site, the operator everything', async () => {
      const mine = await call('GET', '/api/console/proctor/rooms', 'proctorA');
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.deepEqual(mine.body.items.map((i: any) => [i.sittingId, i.roomId, i.roomName, i.duty, i.seats]), [[sittingId, A().id, A().name, 'proctor', 40]]);
      assert.equal(mine.body.items[0].paper, 'theory');
      assert.equal(mine.body.items[0].startsAt, nowIso(T0));

      const chiefs = await call('GET', '/api/console/proctor/rooms', 'chief');
      assert.deepEqual(chiefs.body.items.map((i: any) => [i.roomId, i.duty, i.seats, i.siteId]), [[null, 'chief', 45, siteId]]);

      const all = await call('GET', '/api/console/proctor/rooms', 'operator');
      assert.deepEqual(all.body.items.map((i: any) => [i.roomName, i.duty, i.seats]), [[null, 'chief', 45], [A().name, 'proctor', 40], [B().name, 'proctor', 5]]);

      // A teacher without a duty sees nothing; a student may not ask; a candidate's token is not a staff token.
      const unassigned = (await t.ctx.db.selectFrom('users').select('username').where('role', '=', 'teacher').execute())
        .map((u) => u.username)
        .find((u) => !rooms.some((r) => r.proctors.some((p) => p.username === u)))!;
      assert.deepEqual((await call('GET', '/api/console/proctor/rooms', unassigned)).body.items, []);
      assert.equal((await call('GET', '/api/console/proctor/rooms', 'technician')).status, 403);
      assert.equal((await call('GET', '/api/console/proctor/rooms', await candidate(a(0)))).status, 401);
      assert.equal((await call('GET', '/api/console/proctor/rooms', null)).status, 401);
    });

    test('scope: a proctor of room A gets 404 for room B and for the site; the chief sees every room; candidates 401', async () => {
      assert.equal((await call('GET', roomUrl(A().id), 'proctorA')).status, 200);
      const other = await call('GET', roomUrl(B().id), 'proctorA');
      assert.equal(other.status, 404);
      assert.equal(other.body.error.code, 'NOT_FOUND');
      assert.equal((await call('GET', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}`, 'proctorA')).status, 404);
      assert.equal((await call('GET', `/api/console/proctor/sittings/nope/rooms/${A().id}`, 'proctorA')).status, 404);
      // Acting on room B's candidate through room A's path: not a seat of room A.
      const wrongSeat = await call('POST', seatUrl(B().seats[0]!.registrationId, 'warning'), 'proctorA', { reason: '测试' });
      assert.equal(wrongSeat.status, 404);
      assert.equal((await call('POST', `${roomUrl(B().id)}/broadcast`, 'proctorA', { message: '测试' })).status, 404);

      for (const r of rooms) assert.equal((await call('GET', roomUrl(r.id), 'chief')).status, 200);
      const overview = await call('GET', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}`, 'chief');
      assert.equal(overview.status, 200, JSON.stringify(overview.body));
      assert.deepEqual(overview.body.rooms.map((r: any) => [r.roomId, r.counts.total]), [[A().id, 40], [B().id, 5]]);
      assert.deepEqual(overview.body.rooms[0].proctors.map((p: any) => p.userId).sort(), A().proctors.map((p) => p.id).sort());
      assert.equal((await call('GET', roomUrl(B().id), 'operator')).status, 200);
      assert.equal((await call('GET', roomUrl(A().id), await candidate(a(0)))).status, 401);
      assert.equal((await call('GET', roomUrl(A().id), null)).status, 401);
    });

    test('the seat map has the room\'s own layout: the demo\'s 第1考场 8 to a row, 第2考场 6; a new layout shows at once', async () => {
      assert.deepEqual([(await view()).room.seatsPerRow, (await view('proctorB', B().id)).room.seatsPerRow], [8, 6]);
      const declared = await t.ctx.db.selectFrom('rooms').select('seats').where('id', '=', B().id).executeTakeFirstOrThrow();
      assert.equal((await view('proctorB', B().id)).room.seats, Number(declared.seats), 'the declared seats, drawn in full on the map');
      await t.ctx.db.updateTable('rooms').set({ seats_per_row: 5 }).where('id', '=', B().id).execute();
      try {
        assert.equal((await view('proctorB', B().id)).room.seatsPerRow, 5);
      } finally {
        await t.ctx.db.updateTable('rooms').set({ seats_per_row: 6 }).where('id', '=', B().id).execute();
      }
    });

    test('photos: hasPhoto on each seat; the photo under the room view\'s scope, 404 without one or out of scope', async () => {
      const png = tinyPng();
      const reg = await t.ctx.db.selectFrom('registrations').select('candidate_id').where('id', '=', a(1).registrationId).executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('candidate_photos').values({ candidate_id: reg.candidate_id, mime: 'image/png', content: png }).execute();
      const v = await view();
      assert.equal(seatOf(v, a(1)).hasPhoto, true);
      assert.equal(seatOf(v, a(2)).hasPhoto, false);
      assert.equal(v.seats.filter((s: any) => s.hasPhoto).length, 1);

      const photoUrl = (s: Seat, roomId = A().id) => seatUrl(s.registrationId, 'photo', roomId);
      for (const who of ['proctorA', 'chief', 'operator']) {
        const res = await call('GET', photoUrl(a(1)), who);
        assert.equal(res.status, 200, who);
        assert.equal(res.headers['content-type'], 'image/png');
        assert.equal(res.headers['cache-control'], 'private, max-age=300');
        assert.ok(Buffer.from(res.raw).equals(png), 'the stored bytes');
      }
      const none = await call('GET', photoUrl(a(2)), 'proctorA');
      assert.equal(none.status, 404);
      assert.equal(none.body.error.code, 'PHOTO_NOT_FOUND');
      assert.match(none.body.error.message, /照片/);
      // Another room's proctor: 404, like the room view; nor through their own room's path.
      const other = await call('GET', photoUrl(a(1)), 'proctorB');
      assert.equal(other.status, 404);
      assert.equal(other.body.error.code, 'NOT_FOUND');
      assert.match(other.body.error.message, /[\u4e00-\u9fff]/);
      const viaB = await call('GET', photoUrl(a(1), B().id), 'proctorB');
      assert.equal(viaB.status, 404);
      assert.equal(viaB.body.error.code, 'SEAT_NOT_FOUND');
      assert.equal((await call('GET', photoUrl(a(1)), null)).status, 401);
      assert.equal((await call('GET', photoUrl(a(1)), await candidate(a(0)))).status, 401);
    });

    test('log in as (登录此账号): the coordinator acting as a teacher who proctors a room sees that room', async (ctx) => {
      const teacherRoom = rooms.find((r) => r.proctors.some((p) => p.role === 'teacher'));
      if (!teacherRoom) return ctx.skip('no teacher among the proctors');
      const teacher = teacherRoom.proctors.find((p) => p.role === 'teacher')!;
      // The 主考 is the coordinator: acting as the teacher, the teacher's duty applies (and only it).
      const res = await call('POST', '/api/staff/act-as', 'chief', { userId: teacher.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      tokens.set('acting', res.body.token);
      assert.equal((await call('GET', roomUrl(teacherRoom.id), 'acting')).status, 200);
      assert.equal((await call('GET', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}`, 'acting')).status, 404);
    });

    test('seat map before the start: waiting after a log-in within 3 hours, not signed in otherwise; no absence yet', async () => {
      await t.ctx.db.updateTable('registrations').set({ last_login_at: nowIso(T0 - 20 * MIN) }).where('id', '=', a(10).registrationId).execute();
      await t.ctx.db.updateTable('registrations').set({ last_login_at: nowIso(T0 - 4 * 3600_000) }).where('id', '=', a(11).registrationId).execute();
      const v = await view();
      assert.equal(seatOf(v, a(10)).state, 'waiting');
      assert.equal(seatOf(v, a(11)).state, 'not-signed-in');
      assert.equal(v.sitting.entryClosed, false);
      assert.equal(v.sitting.entryClosesAt, nowIso(T0 + 30 * MIN));
      assert.deepEqual(v.suggestedAbsent, []);
      assert.equal(v.counts.total, 40);
      assert.equal(v.counts.waiting + v.counts.notSignedIn, 40);
      assert.deepEqual(v.proctors.map((p: any) => p.duty).sort(), [...A().proctors.map(() => 'proctor'), 'chief'].sort());
      assert.deepEqual(v.seats.map((s: any) => s.seatNo), A().seats.map((s) => s.seatNo));

      t.clock.set(T0 + 5 * MIN);
      const early = await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: [a(20).registrationId], reason: '未入场' });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'ENTRY_NOT_CLOSED');
      assert.match(early.body.error.message, /开考 30 分钟后/);
    });

    let paper0: any;
    test('seat map during the sitting: answering with the last save, client events, refusals, a pending machine switch', async () => {
      t.clock.set(T0 + 6 * MIN);
      paper0 = await enter(a(0));
      for (const i of [1, 2, 3, 4, 5]) await enter(a(i));
      assert.equal((await save(a(0), paper0, 1)).statusCode, 200);
      const headers = { authorization: `Bearer ${await candidate(a(1))}` };
      for (const type of ['focus-loss', 'focus-loss', 'reconnect', 'offline']) {
        const res = await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${attempts.get(a(1).registrationId)}/events`, headers, payload: { type, at: nowIso(T0 + 6 * MIN) } });
        assert.equal(res.statusCode, 200, res.body);
      }
      // Leaving full screen hands in a theory paper (the manual: no forgiven exits).
      const exit = await t.app.inject({
        method: 'POST', url: `/api/candidate/attempts/${attempts.get(a(5).registrationId)}/events`,
        headers: { authorization: `Bearer ${await candidate(a(5))}` }, payload: { type: 'fullscreen-exit', at: nowIso(T0 + 6 * MIN) },
      });
      assert.equal(exit.statusCode, 200, exit.body);
      // A refusal at log-in around the sitting, and a second machine asking for a2's attempt.
      await t.ctx.db.insertInto('sign_in_refusals').values({ id: newId(), registration_id: a(6).registrationId, sitting_id: null, ip: '192.168.9.9', reason: 'address-not-allowed', at: nowIso(T0 - MIN) }).execute();
      await t.ctx.db.insertInto('machine_switches').values({
        id: 'switch-1', attempt_id: attempts.get(a(2).registrationId)!, client_id: 'new-machine', ip: '10.20.1.99', state: 'pending', requested_at: nowIso(T0 + 6 * MIN),
        decided_by: null, decided_at: null, reason: null,
      }).execute();
      await t.ctx.db.insertInto('attempt_events').values({ id: newId(), attempt_id: attempts.get(a(2).registrationId)!, type: 'second-client', client_at: null, server_at: nowIso(T0 + 6 * MIN), detail: null }).execute();

      const v = await view();
      const s0 = seatOf(v, a(0));
      assert.equal(s0.state, 'answering');
      assert.equal(s0.attemptId, attempts.get(a(0).registrationId));
      assert.equal(s0.lastSaveAt, nowIso(T0 + 6 * MIN));
      assert.equal(s0.deadline, nowIso(T_END));
      assert.equal(s0.extensionMin, 0);
      assert.deepEqual(seatOf(v, a(1)).events, { fullscreenExit: 0, focusLoss: 2, reconnect: 1, reload: 0, offline: 1, secondClient: 0 });
      assert.equal(seatOf(v, a(1)).lastSaveAt, null);
      const s2 = seatOf(v, a(2));
      assert.equal(s2.state, 'switch-pending');
      assert.deepEqual(s2.switchRequest, { id: 'switch-1', requestedAt: nowIso(T0 + 6 * MIN), ip: '10.20.1.99' });
      assert.equal(s2.events.secondClient, 1);
      const s5 = seatOf(v, a(5));
      assert.equal(s5.state, 'submitted');
      assert.equal(s5.submitReason, 'fullscreen-exit');
      assert.equal(s5.events.fullscreenExit, 1);
      assert.deepEqual(seatOf(v, a(6)).refusals, [{ ip: '192.168.9.9', at: nowIso(T0 - MIN) }]);
      assert.equal(v.counts.answering, 4);
      assert.equal(v.counts.switchPending, 1);
      assert.equal(v.counts.submitted, 1);

      const overview = await call('GET', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}`, 'operator');
      // a2's pending switch + a5's full-screen exit + a6's refusal.
      assert.equal(overview.body.rooms[0].alerts, 3);
      assert.equal(overview.body.rooms[1].alerts, 0);
    });

    test('the seat map costs the same number of queries for 40 seats as for 5', async () => {
      let queries = 0;
      const counting: KyselyPlugin = {
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const ctx = { ...t.ctx, db: t.ctx.db.withPlugin(counting) };
      const operator = { id: 'op', username: 'operator', role: 'operator' as const, displayName: '运营', institutionId: null, actingFor: null, mustChangePassword: false };
      const counts: number[] = [];
      for (const r of rooms) {
        const access = await roomAccess(ctx, operator, sittingId, r.id);
        queries = 0;
        const v = await roomView(ctx, access);
        assert.equal(v.seats.length, r.seats.length);
        counts.push(queries);
      }
      assert.equal(counts[0], counts[1], `queries per room: ${counts.join(', ')}`);
      assert.ok(counts[0]! <= 12, `queries per room: ${counts[0]}`);
    });

    test('warning: a seat that entered or logged in; refused for one that did not; the reason is checked and trimmed', async () => {
      const ok = await call('POST', seatUrl(a(0).registrationId, 'warning'), 'proctorA', { reason: '  交头接耳  ' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      // A second later: the room record lists violations by time (a tie would fall back to the random id).
      t.clock.advance(1000);
      const waiting = await call('POST', seatUrl(a(10).registrationId, 'warning'), 'proctorA', { reason: '在候考区喧哗' });
      assert.equal(waiting.status, 200);
      const nobody = await call('POST', seatUrl(a(20).registrationId, 'warning'), 'proctorA', { reason: '交头接耳' });
      assert.equal(nobody.status, 409);
      assert.equal(nobody.body.error.code, 'WARNING_NOT_ALLOWED');
      for (const reason of ['', '   ', 'x'.repeat(501)]) {
        const bad = await call('POST', seatUrl(a(0).registrationId, 'warning'), 'proctorA', { reason });
        assert.equal(bad.status, 400, reason);
        assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
      }
      assert.equal((await call('POST', seatUrl(a(0).registrationId, 'warning'), 'proctorA', {})).status, 400);
      const v = await view();
      assert.equal(seatOf(v, a(0)).warnings, 1);
      const latest = v.actions.find((x: any) => x.registrationId === a(0).registrationId);
      assert.equal(latest.kind, 'warning');
      assert.equal(latest.reason, '交头接耳');
      assert.equal(latest.seatNo, a(0).seatNo);
      assert.equal(latest.by, A().proctors[0]!.name);
      const row = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'proctor.warning').where('entity_id', '=', a(0).registrationId).executeTakeFirstOrThrow();
      assert.match(String(row.after), /交头接耳/);
    });

    test('compensation: the deadline and the hand-in time move by exactly N minutes; refused outside an attempt in progress', async () => {
      const before = await attemptRow(a(0));
      const res = await call('POST', seatUrl(a(0).registrationId, 'compensation'), 'proctorA', { minutes: 7, reason: '计算机故障重启' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const after = await attemptRow(a(0));
      assert.equal(Date.parse(after.deadline_at) - Date.parse(before.deadline_at), 7 * MIN);
      assert.equal(Date.parse(after.finalize_at) - Date.parse(before.finalize_at), 7 * MIN);
      assert.equal(Number(after.extension_sec), Number(before.extension_sec) + 420);
      assert.equal(res.body.deadline, after.deadline_at);
      assert.equal(res.body.deadline, nowIso(T_END + 7 * MIN));
      assert.equal(seatOf(await view(), a(0)).extensionMin, 7);

      for (const minutes of [0, 61, 1.5, '5']) {
        const bad = await call('POST', seatUrl(a(0).registrationId, 'compensation'), 'proctorA', { minutes, reason: '故障' });
        assert.equal(bad.status, 400, String(minutes));
      }
      const notEntered = await call('POST', seatUrl(a(20).registrationId, 'compensation'), 'proctorA', { minutes: 5, reason: '故障' });
      assert.equal(notEntered.status, 409);
      assert.equal(notEntered.body.error.code, 'COMPENSATION_NOT_ALLOWED');
      const handedIn = await call('POST', seatUrl(a(5).registrationId, 'compensation'), 'proctorA', { minutes: 5, reason: '故障' });
      assert.equal(handedIn.status, 409);
    });

    test('machine switch: approving gives the attempt to the new machine; rejecting keeps the reason; none pending: 409', async () => {
      const reg = a(2).registrationId;
      const approved = await call('POST', seatUrl(reg, 'switch/approve'), 'proctorA', { reason: '原计算机死机' });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual(approved.body, { switchId: 'switch-1', state: 'approved' });
      assert.equal((await attemptRow(a(2))).client_id, 'new-machine');
      const row = await t.ctx.db.selectFrom('machine_switches').selectAll().where('id', '=', 'switch-1').executeTakeFirstOrThrow();
      assert.equal(row.state, 'approved');
      assert.equal(row.decided_by, A().proctors[0]!.id);
      assert.equal(seatOf(await view(), a(2)).state, 'answering');
      const again = await call('POST', seatUrl(reg, 'switch/approve'), 'proctorA', { reason: '再次' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'NO_SWITCH_PENDING');

      await t.ctx.db.insertInto('machine_switches').values({
        id: 'switch-2', attempt_id: attempts.get(reg)!, client_id: 'third-machine', ip: '10.20.1.98', state: 'pending', requested_at: nowIso(T0 + 8 * MIN),
        decided_by: null, decided_at: null, reason: null,
      }).execute();
      const rejected = await call('POST', seatUrl(reg, 'switch/reject'), 'chief', { reason: '无正当理由' });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      const row2 = await t.ctx.db.selectFrom('machine_switches').selectAll().where('id', '=', 'switch-2').executeTakeFirstOrThrow();
      assert.equal(row2.state, 'rejected');
      assert.equal(row2.reason, '无正当理由');
      assert.equal((await attemptRow(a(2))).client_id, 'new-machine');
      assert.equal((await call('POST', seatUrl(a(20).registrationId, 'switch/reject'), 'proctorA', { reason: '无' })).status, 409);
    });

    test('disqualify: hands the attempt in and locks it (a save is refused); an attempt already handed in is marked; twice: 409', async () => {
      t.clock.set(T0 + 35 * MIN);
      const paper1 = await enter(a(1));
      const res = await call('POST', seatUrl(a(1).registrationId, 'disqualify'), 'proctorA', { reason: '携带手机作弊' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { attemptId: attempts.get(a(1).registrationId), handedIn: true });
      const row = await attemptRow(a(1));
      assert.equal(row.state, 'submitted');
      assert.equal(row.submit_reason, 'disqualified');
      assert.equal(row.submitted_at, nowIso(T0 + 35 * MIN));
      const saved = await save(a(1), paper1, 5);
      assert.equal(saved.statusCode, 409, saved.body);
      assert.equal(saved.json().error.code, 'ALREADY_SUBMITTED');
      const again = await call('POST', seatUrl(a(1).registrationId, 'disqualify'), 'proctorA', { reason: '再次' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'ALREADY_DISQUALIFIED');

      const before = await attemptRow(a(5));
      const late = await call('POST', seatUrl(a(5).registrationId, 'disqualify'), 'chief', { reason: '交卷后发现夹带' });
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal(late.body.handedIn, false);
      const after = await attemptRow(a(5));
      assert.equal(after.submit_reason, 'disqualified');
      assert.equal(after.submitted_at, before.submitted_at);

      const none = await call('POST', seatUrl(a(20).registrationId, 'disqualify'), 'proctorA', { reason: '作弊' });
      assert.equal(none.status, 409);
      assert.equal(none.body.error.code, 'NO_ATTEMPT');
      const v = await view();
      assert.equal(seatOf(v, a(1)).state, 'disqualified');
      assert.equal(seatOf(v, a(5)).state, 'disqualified');
      assert.equal(v.counts.disqualified, 2);
    });

    test('force-submit: hands an attempt in progress in now with reason proctor; not answering: 409', async () => {
      const res = await call('POST', seatUrl(a(3).registrationId, 'force-submit'), 'proctorA', { reason: '考生身体不适，要求离场' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.submittedAt, nowIso(T0 + 35 * MIN));
      const row = await attemptRow(a(3));
      assert.equal(row.state, 'submitted');
      assert.equal(row.submit_reason, 'proctor');
      const again = await call('POST', seatUrl(a(3).registrationId, 'force-submit'), 'proctorA', { reason: '再次' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'NOT_ANSWERING');
      assert.equal((await call('POST', seatUrl(a(20).registrationId, 'force-submit'), 'proctorA', { reason: '无' })).status, 409);
    });

    test('absence: after entry closes, only seats of the room without an attempt, all or nothing; withdrawn with a reason', async () => {
      const v = await view();
      assert.equal(v.sitting.entryClosed, true);
      // Every seat still not signed in or waiting: the 34 that never entered.
      const expected = v.seats.filter((s: any) => s.state === 'not-signed-in' || s.state === 'waiting').map((s: any) => s.registrationId);
      assert.deepEqual([...v.suggestedAbsent].sort(), expected.sort());
      assert.equal(v.suggestedAbsent.length, 34);
      assert.ok(v.suggestedAbsent.includes(a(20).registrationId));
      assert.ok(v.suggestedAbsent.includes(a(10).registrationId)); // waiting, never entered
      assert.ok(!v.suggestedAbsent.includes(a(0).registrationId));

      const mixed = await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: [a(20).registrationId, a(0).registrationId, B().seats[0]!.registrationId], reason: '开考 30 分钟后未入场' });
      assert.equal(mixed.status, 409);
      assert.equal(mixed.body.error.code, 'ABSENCE_NOT_ALLOWED');
      assert.deepEqual(mixed.body.error.problems, [
        { registrationId: a(0).registrationId, reason: '已入场作答' },
        { registrationId: B().seats[0]!.registrationId, reason: '不是本考场本场次的考生' },
      ]);
      assert.match(mixed.body.error.message, /本次未登记任何考生/);
      assert.equal((await t.ctx.db.selectFrom('absences').selectAll().execute()).length, 0);

      const ok = await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: [a(20).registrationId, a(21).registrationId, a(20).registrationId], reason: '开考 30 分钟后未入场' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { registered: 2 });
      const marks = await t.ctx.db.selectFrom('sign_in_marks').selectAll().where('sitting_id', '=', sittingId).execute();
      assert.deepEqual(marks.map((m) => [m.registration_id, m.state]).sort(), [[a(20).registrationId, 'absent'], [a(21).registrationId, 'absent']].sort());
      const after = await view();
      assert.equal(seatOf(after, a(20)).state, 'absent');
      assert.equal(seatOf(after, a(20)).absentReason, '开考 30 分钟后未入场');
      assert.equal(seatOf(after, a(20)).signIn, 'absent');
      assert.ok(!after.suggestedAbsent.includes(a(20).registrationId));
      const twice = await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: [a(20).registrationId], reason: '未入场' });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.problems[0].reason, '已登记缺考');
      assert.equal((await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: [], reason: '未入场' })).status, 400);
      const tooMany = Array.from({ length: 201 }, (_, i) => `id-${i}`);
      assert.equal((await call('POST', `${roomUrl()}/absences`, 'proctorA', { registrationIds: tooMany, reason: '未入场' })).status, 400);

      const cancel = await call('POST', `${roomUrl()}/absences/${a(21).registrationId}/cancel`, 'proctorA', { reason: '考生持医院证明迟到，登记有误' });
      assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
      const back = await view();
      assert.equal(seatOf(back, a(21)).state, 'not-signed-in');
      assert.equal(seatOf(back, a(21)).signIn, null);
      const cancelAgain = await call('POST', `${roomUrl()}/absences/${a(21).registrationId}/cancel`, 'proctorA', { reason: '再次' });
      assert.equal(cancelAgain.status, 409);
      assert.equal(cancelAgain.body.error.code, 'NOT_ABSENT');
    });

    test('sign-in marks: signed, cleared; an absent candidate cannot be marked signed', async () => {
      const url = (s: Seat) => `${roomUrl()}/sign-in/${s.registrationId}`;
      const signed = await call('PUT', url(a(0)), 'proctorA', { state: 'signed' });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      assert.equal(seatOf(await view(), a(0)).signIn, 'signed');
      await call('PUT', url(a(4)), 'proctorA', { state: 'signed' });
      const absent = await call('PUT', url(a(20)), 'proctorA', { state: 'signed' });
      assert.equal(absent.status, 409);
      assert.equal(absent.body.error.code, 'ABSENT');
      assert.equal((await call('PUT', url(a(22)), 'proctorA', { state: 'signed' })).status, 200);
      assert.equal((await call('PUT', url(a(22)), 'proctorA', { state: null })).status, 200);
      assert.equal(seatOf(await view(), a(22)).signIn, null);
      assert.equal((await call('PUT', url(a(22)), 'proctorA', { state: 'late' })).status, 400);
      // The audit log names the marks as the sheet does.
      const log = await call('GET', '/api/console/audit?action=proctor.sign-in&pageSize=200', 'operator');
      assert.equal(log.status, 200, JSON.stringify(log.body));
      assert.equal(log.body.entries.length, 4);
      const names = new Map(log.body.values.map((v: { field: string; value: string; name: string }) => [`${v.field}=${v.value}`, v.name]));
      assert.equal(names.get('registration.state=signed'), '已签到');
    });

    test('broadcast: to the room; the chief to every room of the site (one row per room); a room proctor not to the site', async () => {
      const room = await call('POST', `${roomUrl()}/broadcast`, 'proctorA', { message: '请考生检查答题卡' });
      assert.equal(room.status, 200, JSON.stringify(room.body));
      assert.equal((await call('POST', `${roomUrl()}/broadcast`, 'proctorA', { message: 'x'.repeat(201) })).status, 400);
      assert.equal((await call('POST', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}/broadcast`, 'proctorA', { message: '全体考生注意' })).status, 404);
      const site = await call('POST', `/api/console/proctor/sittings/${sittingId}/sites/${siteId}/broadcast`, 'chief', { message: '全体考生注意：保持安静' });
      assert.equal(site.status, 200, JSON.stringify(site.body));
      assert.deepEqual(site.body, { rooms: 2 });
      const rows = await t.ctx.db.selectFrom('proctor_actions').select(['room_id']).where('kind', '=', 'broadcast').where('reason', '=', '全体考生注意：保持安静').execute();
      assert.deepEqual(rows.map((r) => r.room_id).sort(), [A().id, B().id].sort());
      const vb = await view('proctorB', B().id);
      assert.equal(vb.actions[0].kind, 'broadcast');
      assert.equal(vb.actions[0].by, chief.name);
      assert.ok(!vb.actions.some((x: any) => x.reason === '请考生检查答题卡'));
    });

    test('the room record: facts from the data, free text, signatures cleared by a change, closed once all have signed', async () => {
      const url = `${roomUrl()}/record`;
      const empty = await call('GET', url, 'proctorA');
      assert.equal(empty.status, 200, JSON.stringify(empty.body));
      assert.deepEqual(empty.body.record, { incidents: '', remarks: '' });
      assert.equal(empty.body.updatedAt, null);
      const f = empty.body.facts;
      assert.equal(f.seats, 40);
      assert.equal(f.present, 6);
      assert.equal(f.absent, 1);
      assert.equal(f.submitted, 3); // a1 (disqualified), a3 (forced), a5 (full screen, then disqualified)
      assert.equal(f.disqualified, 2);
      assert.deepEqual(f.absences.map((x: any) => [x.registrationId, x.seatNo, x.reason]), [[a(20).registrationId, a(20).seatNo, '开考 30 分钟后未入场']]);
      assert.deepEqual(f.violations.map((x: any) => [x.kind, x.registrationId]), [
        ['warning', a(0).registrationId], ['warning', a(10).registrationId], ['disqualify', a(1).registrationId], ['disqualify', a(5).registrationId],
      ]);
      assert.deepEqual(f.switches.map((x: any) => x.kind), ['switch-approve', 'switch-reject']);
      assert.deepEqual(f.compensations.map((x: any) => [x.minutes, x.reason]), [[7, '计算机故障重启']]);
      assert.equal(empty.body.complete, false);
      assert.equal(empty.body.signers.length, A().proctors.length + 1);

      const put = await call('PUT', url, 'proctorA', { incidents: '09:10 第 3 座计算机死机，已换机。', remarks: '' });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.body.record.incidents, '09:10 第 3 座计算机死机，已换机。');
      assert.equal((await call('PUT', url, 'proctorA', { incidents: 'x'.repeat(2001), remarks: '' })).status, 400);

      const signed = await call('POST', `${url}/sign`, 'proctorA');
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      assert.deepEqual(signed.body.signatures.map((s: any) => [s.userId, s.name, s.duty]), [[A().proctors[0]!.id, A().proctors[0]!.name, 'proctor']]);
      const operatorSigns = await call('POST', `${url}/sign`, 'operator');
      assert.equal(operatorSigns.status, 403);
      if (tokens.has('acting')) {
        const acting = await call('POST', `${roomUrl(rooms.find((r) => r.proctors.some((p) => p.role === 'teacher'))!.id)}/record/sign`, 'acting');
        assert.equal(acting.status, 403);
      }
      // The same text again: nothing changes, the signature stays; a change clears it.
      const same = await call('PUT', url, 'proctorA', { incidents: '09:10 第 3 座计算机死机，已换机。', remarks: '' });
      assert.equal(same.body.signatures.length, 1);
      const changed = await call('PUT', url, 'chief', { incidents: '09:10 第 3 座计算机死机，已换机。', remarks: '考场秩序良好。' });
      assert.equal(changed.body.signatures.length, 0);

      for (const p of A().proctors) assert.equal((await call('POST', `${url}/sign`, staffToken(t.ctx, p.id))).status, 200);
      const last = await call('POST', `${url}/sign`, 'chief');
      assert.equal(last.body.complete, true);
      assert.deepEqual(last.body.signers.map((s: any) => s.signed), last.body.signers.map(() => true));
      assert.equal(last.body.signatures.find((s: any) => s.userId === chief.id).duty, 'chief');
      const closed = await call('PUT', url, 'proctorA', { incidents: '改', remarks: '' });
      assert.equal(closed.status, 409);
      assert.equal(closed.body.error.code, 'RECORD_COMPLETE');
    });

    test('PDFs: 考场情况记录表 and 签到表 with the marks render (A4, Chinese text)', async () => {
      const record = await call('GET', `${roomUrl()}/record.pdf`, 'proctorA');
      assert.equal(record.status, 200, String(record.raw));
      assert.equal(record.headers['content-type'], 'application/pdf');
      assert.match(String(record.headers['content-disposition']), /filename\*=UTF-8''/);
      const recordFile = path.join(dir, 'record.pdf');
      fs.writeFileSync(recordFile, record.raw);
      const text = execFileSync('pdftotext', [recordFile, '-'], { encoding: 'utf8' });
      for (const w of ['考场情况记录表', A().name, '缺考考生', a(20).name, '取消考试资格', '补时', '计算机故障重启', '考场秩序良好', chief.name, '已签名']) {
        assert.ok(text.includes(w), `record.pdf lacks ${w}`);
      }
      const info = execFileSync('pdfinfo', [recordFile], { encoding: 'utf8' });
      assert.match(info, /Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/);
      const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      assert.match(text, new RegExp(`第\\s*${pageCount}\\s*页\\s*/\\s*共\\s*${pageCount}\\s*页`), 'the pages are numbered');

      const sheet = await call('GET', `${roomUrl()}/sign-in.pdf`, 'chief');
      assert.equal(sheet.status, 200);
      const sheetFile = path.join(dir, 'sign-in.pdf');
      fs.writeFileSync(sheetFile, sheet.raw);
      // Page 1 of each as a small PNG, for a look by eye (KAOWU_KEEP_PDF=<dir> keeps them).
      const keep = process.env.KAOWU_KEEP_PDF;
      for (const file of [recordFile, sheetFile]) {
        const prefix = path.join(keep ?? dir, `${kind}-${path.basename(file, '.pdf')}`);
        if (keep) fs.copyFileSync(file, `${prefix}.pdf`);
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
        assert.ok(fs.statSync(`${prefix}.png`).size > 3000);
      }
      const sheetText = execFileSync('pdftotext', [sheetFile, '-'], { encoding: 'utf8' });
      for (const w of ['考场签到表', a(0).name, '已签到', '缺考']) assert.ok(sheetText.includes(w), `sign-in.pdf lacks ${w}`);
      for (const tally of [/应考\s*40\s*人/, /实到\s*2\s*人/, /缺考\s*1\s*人/]) assert.match(sheetText, tally);
      assert.equal((await call('GET', `${roomUrl(B().id)}/sign-in.pdf`, 'proctorA')).status, 404);

    });

    test('results: a disqualified paper shows as such and never passes; an absence as absent', async () => {
      const res = await call('GET', `/api/console/plans/${demo.planId}/results`, 'operator');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const row = (s: Seat) => res.body.rows.find((r: any) => r.registrationId === s.registrationId);
      assert.equal(row(a(1)).theory.state, 'disqualified');
      assert.equal(row(a(1)).theory.score, null);
      assert.equal(row(a(1)).passed, false);
      assert.equal(row(a(1)).combined, null);
      assert.equal(row(a(20)).theory.state, 'absent');
      assert.equal(row(a(20)).passed, false);
      assert.equal(row(a(21)).theory.state, 'not_entered');
      assert.equal(row(a(21)).passed, null);
      assert.equal(row(a(3)).theory.state, 'final');
    });

    test('live socket: a proctor gets "changed" within 5 s (a push, not the 15 s re-read) of an action in their room, and nothing of another room', async () => {
      const p = await probe(t.app, { token: tokens.get('proctorA'), sittingId, roomId: A().id });
      await p.waitFor((m) => m.type === 'ready');
      const chiefSocket = await probe(t.app, { token: tokens.get('chief'), sittingId, roomId: null });
      await chiefSocket.waitFor((m) => m.type === 'ready');

      const started = Date.now();
      assert.equal((await call('POST', seatUrl(a(4).registrationId, 'warning'), 'proctorA', { reason: '左顾右盼' })).status, 200);
      const changed = await p.waitFor((m) => m.type === 'changed' && m.kind === 'warning');
      assert.deepEqual(changed, { type: 'changed', kind: 'warning', registrationId: a(4).registrationId });
      const pushedMs = Date.now() - started;
      assert.ok(pushedMs < PUSH_MS, `pushed after ${pushedMs} ms`);
      await chiefSocket.waitFor((m) => m.type === 'changed' && m.registrationId === a(4).registrationId);

      // Room B's broadcast reaches the chief, not room A's proctor; an event of the whole sitting reaches both.
      assert.equal((await call('POST', `${roomUrl(B().id)}/broadcast`, 'proctorB', { message: '第2考场注意' })).status, 200);
      await chiefSocket.waitFor((m) => m.kind === 'broadcast');
      t.live.publish({ sittingId, kind: 'auto-warning' });
      t.live.publish({ sittingId, registrationId: B().seats[0]!.registrationId, kind: 'login' });
      t.live.publish({ sittingId, registrationId: a(7).registrationId, kind: 'login' });
      await p.waitFor((m) => m.kind === 'auto-warning');
      await p.waitFor((m) => m.kind === 'login' && m.registrationId === a(7).registrationId);
      assert.ok(!p.messages.some((m) => m.kind === 'broadcast'), JSON.stringify(p.messages));
      assert.ok(!p.messages.some((m) => m.registrationId === B().seats[0]!.registrationId));
      p.close();
      chiefSocket.close();
    });

    test('live socket: a bad token, a candidate token, an out-of-scope room and a bad first message are refused with a code', async () => {
      const bad = await probe(t.app, { token: 'eyJraW5kIjoic3RhZmYifQ.forged', sittingId, roomId: A().id });
      assert.deepEqual(await bad.closed, { code: 4401, reason: '登录已失效，请重新登录' });
      const cand = await probe(t.app, { token: await candidate(a(0)), sittingId, roomId: A().id });
      assert.equal((await cand.closed).code, 4401);
      const out = await probe(t.app, { token: tokens.get('proctorA'), sittingId, roomId: B().id });
      assert.deepEqual(await out.closed, { code: 4404, reason: '考场不存在或无权访问' });
      const site = await probe(t.app, { token: tokens.get('proctorA'), sittingId, roomId: null });
      assert.equal((await site.closed).code, 4404);
      const student = await probe(t.app, { token: tokens.get('technician'), sittingId, roomId: A().id });
      assert.equal((await student.closed).code, 4403);
      const garbage = await probe(t.app, { hello: true });
      assert.equal((await garbage.closed).code, 4400);
      for (const s of [bad, cand, out, site, student, garbage]) assert.ok(!s.messages.some((m) => m.type === 'ready'));
    });

    test('live socket: no first message within 5 s closes it (4408)', { skip: kind === 'postgres' && 'the same code on both databases' }, async () => {
      // Timed from before the connection: the server's 5 s timer starts after `started`, so load cannot make it look early.
      const started = Date.now();
      const ws = await t.app.injectWS('/api/console/proctor/live');
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: String(reason) })));
      assert.deepEqual(closed, { code: 4408, reason: '5 秒内未收到登录信息' });
      assert.ok(Date.now() - started >= 4900);
    });

    test('automatic 5-minute warning: once per sitting, by the system, from the sweeper; published to every room', async () => {
      const events: LiveEvent[] = [];
      const off = t.live.subscribe(sittingId, (e) => events.push(e));
      t.clock.set(T_END - 6 * MIN);
      assert.equal(await sendAutoWarnings(t.ctx, t.live), 0);
      t.clock.set(T_END - 5 * MIN);
      // The sweeper runs it at each tick (twice here: the second finds it sent).
      let runs = 0;
      const stop = startSweeper(t.delivery, pino({ level: 'silent' }), 10, [{ name: 'auto-warning', run: async () => { runs++; return sendAutoWarnings(t.ctx, t.live); } }]);
      while (runs < 2) await new Promise((r) => setTimeout(r, 10));
      await stop();
      assert.equal(await sendAutoWarnings(t.ctx, t.live), 0);
      off();
      const rows = await t.ctx.db.selectFrom('proctor_actions').selectAll().where('kind', '=', 'auto-warning').execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.by_user, null);
      assert.equal(rows[0]!.room_id, null);
      assert.equal(rows[0]!.reason, AUTO_WARNING_TEXT);
      assert.equal(rows[0]!.at, nowIso(T_END - 5 * MIN));
      assert.deepEqual(events.filter((e) => e.kind === 'auto-warning'), [{ sittingId, roomId: null, registrationId: null, kind: 'auto-warning' }]);
      // Inserting it again breaks the unique index (another node's race ends there).
      await assert.rejects(t.ctx.db.insertInto('proctor_actions').values({ ...rows[0]!, id: newId() }).execute());
      for (const r of rooms) {
        const v = await view('operator', r.id);
        const auto = v.actions.find((x: any) => x.kind === 'auto-warning');
        assert.equal(auto.by, '系统');
        assert.equal(auto.reason, AUTO_WARNING_TEXT);
      }
      t.clock.set(T_END + MIN);
      assert.equal(await sendAutoWarnings(t.ctx, t.live), 0);
    });

    test('compensation after the deadline: refused', async () => {
      t.clock.set(T_END + 8 * MIN);
      const late = await call('POST', seatUrl(a(0).registrationId, 'compensation'), 'proctorA', { minutes: 5, reason: '故障' });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'COMPENSATION_NOT_ALLOWED');
    });
  });
}

describe('live bus over Redis: two nodes', async () => {
  const redisUp = await (async () => {
    const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await r.connect();
      await r.ping();
      return true;
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  })();
  const skip = redisUp ? false : `Redis not reachable at ${REDIS_URL}`;
  const log = pino({ level: 'silent' });
  const prefix = `kaowu-test-${newId()}:`;

  test('an event published on one node reaches a subscriber on the other', { skip }, async () => {
    const nodeA = new RedisLiveBus(REDIS_URL, log, prefix);
    const nodeB = new RedisLiveBus(REDIS_URL, log, prefix);
    try {
      const got: LiveEvent[] = [];
      const off = nodeB.subscribe('sitting-1', (e) => got.push(e));
      const offOther = nodeB.subscribe('sitting-2', (e) => got.push(e));
      await nodeB.ready('sitting-1');
      await nodeB.ready('sitting-2');
      nodeA.publish({ sittingId: 'sitting-1', roomId: 'room-1', registrationId: 'reg-1', kind: 'warning' });
      const until = Date.now() + PUSH_MS;
      while (got.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(got, [{ sittingId: 'sitting-1', roomId: 'room-1', registrationId: 'reg-1', kind: 'warning' }]);
      off();
      offOther();
    } finally {
      await nodeA.close();
      await nodeB.close();
    }
  });

  test('two app nodes on one database: an action on node A reaches a proctor socket on node B', { skip }, async () => {
    const t = await startTestApp(await freshDatabase('sqlite'));
    const busA = new RedisLiveBus(REDIS_URL, log, prefix);
    const busB = new RedisLiveBus(REDIS_URL, log, prefix);
    const nodeA = await buildApp(t.ctx, { logger: false, live: busA });
    const nodeB = await buildApp(t.ctx, { logger: false, live: busB });
    try {
      await nodeA.app.ready();
      await nodeB.app.ready();
      t.clock.set(T0 + 40 * MIN);
      const demo = await createDemo(t.ctx, { candidates: 3, level: 'junior', startsAt: T0, school: true });
      const seat = await t.ctx.db
        .selectFrom('seat_assignments as sa')
        .innerJoin('proctor_assignments as p', (j) => j.onRef('p.room_id', '=', 'sa.room_id').onRef('p.plan_id', '=', 'sa.plan_id'))
        .select(['sa.registration_id', 'sa.room_id', 'p.user_id'])
        .where('sa.plan_id', '=', demo.planId)
        .executeTakeFirstOrThrow();
      const token = staffToken(t.ctx, seat.user_id);
      const p = await probe(nodeB.app as TestApp['app'], { token, sittingId: demo.sittingId, roomId: seat.room_id });
      await p.waitFor((m) => m.type === 'ready');
      await busB.ready(demo.sittingId);
      const started = Date.now();
      const res = await nodeA.app.inject({
        method: 'POST', url: `/api/console/proctor/sittings/${demo.sittingId}/rooms/${seat.room_id}/absences`,
        headers: { authorization: `Bearer ${token}` }, payload: { registrationIds: [seat.registration_id], reason: '开考 30 分钟后未入场' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const changed = await p.waitFor((m) => m.type === 'changed');
      assert.deepEqual(changed, { type: 'changed', kind: 'absence', registrationId: seat.registration_id });
      const pushedMs = Date.now() - started;
      assert.ok(pushedMs < PUSH_MS, `pushed after ${pushedMs} ms`);
      p.close();
    } finally {
      await nodeA.app.close();
      await nodeB.app.close();
      await busA.close();
      await busB.close();
      await t.close();
    }
  });
});
