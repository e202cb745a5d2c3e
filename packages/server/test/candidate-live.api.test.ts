// The candidate's side of the proctor console (docs/proctoring.md): one client
// per attempt and machine switches (换机), the log-in and seat events on the
// live bus, what the status tells the client (proctors' messages, why it was
// handed in), and the candidate's live WebSocket. On SQLite and PostgreSQL.
//
//   node --import tsx --test packages/server/test/candidate-live.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import { buildApp, type App } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { LocalLiveBus, type LiveEvent } from '../src/modules/live/bus.ts';
import { sebConfigKeyHash } from '../src/modules/delivery/seb.ts';
import { databaseKinds, freshDatabase, TestClock, type TestDatabase } from './helpers.ts';

const T0 = Date.parse('2026-06-20T00:30:00.000Z'); // 08:30 in Asia/Shanghai
const MIN = 60_000;
const A = 'machine-A-0001';
const B = 'machine-B-0002';
const C = 'machine-C-0003';
const { WebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options?: { headers?: Record<string, string> }) => WsClient;
};

/** The in-process bus, counting listeners and keeping what was published. */
class RecordingBus extends LocalLiveBus {
  listeners = 0;
  published: LiveEvent[] = [];
  override publish(event: LiveEvent): void {
    this.published.push(event);
    super.publish(event);
  }
  override subscribe(sittingId: string, listener: (event: LiveEvent) => void): () => void {
    this.listeners++;
    const off = super.subscribe(sittingId, listener);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.listeners--;
      off();
    };
  }
}

/**
 * How soon a live push must arrive. The candidate's client re-reads its status every
 * 10 s anyway (STATUS_EVERY_MS in web/exam/src/attempt.ts), so 5 s still tells a push
 * from a poll, with room for a loaded CI machine.
 */
const PUSH_MS = 5000;

/** What the tests use of a `ws` client socket (the package has no types here). */
interface WsClient {
  send(data: string): void;
  close(): void;
  once(event: 'open', fn: () => void): void;
  on(event: 'message', fn: (data: unknown) => void): void;
  on(event: 'close', fn: (code: number, reason: unknown) => void): void;
}

/** A socket's incoming messages, awaited one by one. */
class Inbox {
  private readonly queue: any[] = [];
  private waiter: ((m: any) => void) | null = null;
  closed: { code: number } | null = null;
  private closeWaiters: Array<(c: { code: number }) => void> = [];
  constructor(readonly ws: WsClient) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(m);
      } else this.queue.push(m);
    });
    ws.on('close', (code) => {
      this.closed = { code };
      for (const w of this.closeWaiters.splice(0)) w(this.closed);
    });
  }
  /** The next message, or null when none comes within `ms`. */
  next(ms = PUSH_MS): Promise<any> {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, ms);
      this.waiter = (m) => {
        clearTimeout(t);
        resolve(m);
      };
    });
  }
  whenClosed(ms = PUSH_MS): Promise<{ code: number } | null> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(null), ms);
      this.closeWaiters.push((c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
  }
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`candidate side of the proctor console on ${kind}`, { skip }, () => {
    let database: TestDatabase;
    let ctx: AppContext & { close(): Promise<void> };
    let t: App;
    const clock = new TestClock();
    const bus = new RecordingBus();
    let demo: DemoResult;
    const tokens: string[] = [];
    const registrations: string[] = [];
    const roomOf: string[] = [];
    let otherRoom: string;
    /** ws://127.0.0.1:<port>: the live socket goes through a real listening server. */
    let wsBase = '';

    before(async () => {
      database = await freshDatabase(kind);
      ctx = await openContext({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { clock, schema: database.schema, log: pino({ level: 'silent' }) });
      t = await buildApp(ctx, { logger: false, live: bus });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      wsBase = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      clock.set(T0 - 10 * MIN);
      demo = await createDemo(ctx, { candidates: 5, level: 'junior', startsAt: T0, school: true });
      for (const c of demo.candidates) {
        const row = await ctx.db
          .selectFrom('registrations')
          .innerJoin('seat_assignments', 'seat_assignments.registration_id', 'registrations.id')
          .select(['registrations.id', 'seat_assignments.room_id'])
          .where('registrations.ticket_no', '=', c.ticketNo)
          .executeTakeFirstOrThrow();
        registrations.push(row.id);
        roomOf.push(row.room_id);
      }
      const rooms = await ctx.db.selectFrom('rooms').select('id').where('id', '!=', roomOf[0]!).execute();
      assert.ok(rooms.length > 0, 'the demo site has another room');
      otherRoom = rooms[0]!.id;
    });
    after(async () => {
      await t?.app.close();
      await ctx?.close();
      await database?.drop();
    });

    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: number, client?: string, body?: unknown) => {
      const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
      if (client !== undefined) headers['x-kaowu-client'] = client;
      const res = await t.app.inject({ method, url, payload: body as object, headers, remoteAddress: `10.9.0.${who + 10}` });
      return { status: res.statusCode, body: res.json() as any, raw: res.body };
    };
    const enter = (who: number, client?: string) => call('POST', `/api/candidate/sittings/${demo.sittingId}/attempt`, who, client);
    const save = (who: number, attemptId: string, questionId: string, answer: unknown, seq: number, client?: string) =>
      call('PUT', `/api/candidate/attempts/${attemptId}/answers/${questionId}`, who, client, { answer, seq });
    const status = (who: number, attemptId: string, client?: string) => call('GET', `/api/candidate/attempts/${attemptId}/status`, who, client);
    const attempt = (id: string) => ctx.db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const switches = (attemptId: string) => ctx.db.selectFrom('machine_switches').selectAll().where('attempt_id', '=', attemptId).orderBy('requested_at').execute();
    const secondClientEvents = async (attemptId: string) =>
      (await ctx.db.selectFrom('attempt_events').select(['type', 'detail']).where('attempt_id', '=', attemptId).where('type', '=', 'second-client').execute());
    /** What a proctor's approval does to the database (the proctor route is written elsewhere). */
    const approve = async (attemptId: string, client: string) => {
      const at = nowIso(clock.now());
      await ctx.db.updateTable('machine_switches').set({ state: 'approved', decided_at: at }).where('attempt_id', '=', attemptId).where('client_id', '=', client).where('state', '=', 'pending').execute();
      await ctx.db.updateTable('attempts').set({ client_id: client }).where('id', '=', attemptId).execute();
    };
    const published = (from: number) => bus.published.slice(from).map((e) => ({ ...e }));

    test('log-in records when and from where, and tells the seat map (today\'s sitting, the candidate\'s room)', async () => {
      const mark = bus.published.length;
      for (const [i, c] of demo.candidates.entries()) {
        const res = await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber }, remoteAddress: `10.9.0.${i + 10}` });
        assert.equal(res.statusCode, 200, res.body);
        tokens.push(res.json().token);
      }
      const reg = await ctx.db.selectFrom('registrations').select(['last_login_at', 'last_login_ip']).where('id', '=', registrations[0]!).executeTakeFirstOrThrow();
      assert.deepEqual(reg, { last_login_at: new Date(T0 - 10 * MIN).toISOString(), last_login_ip: '10.9.0.10' });
      const logins = published(mark).filter((e) => e.kind === 'login');
      assert.equal(logins.length, demo.candidates.length);
      assert.deepEqual(logins[0], { sittingId: demo.sittingId, roomId: roomOf[0], registrationId: registrations[0], kind: 'login' });
    });

    let attemptId = '';
    let questions: any[] = [];
    const given = new Map<string, unknown>();

    test('the first client takes the attempt; the same client resumes; a malformed client id is refused', async () => {
      clock.set(T0 + MIN);
      const mark = bus.published.length;
      const first = await enter(0, A);
      assert.equal(first.status, 200, first.raw);
      attemptId = first.body.attemptId;
      questions = first.body.questions;
      assert.equal((await attempt(attemptId)).client_id, A);
      assert.deepEqual(published(mark), [{ sittingId: demo.sittingId, roomId: roomOf[0], registrationId: registrations[0], kind: 'enter' }]);

      const again = await enter(0, A);
      assert.equal(again.status, 200);
      assert.equal(again.body.attemptId, attemptId);
      const bad = await enter(0, 'bad id!');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'INVALID_CLIENT_ID');

      for (const q of questions.slice(0, 5)) {
        const answer = q.type === 'truefalse' ? true : q.type === 'multiple' ? [q.options[0].id, q.options[1].id] : q.options[1].id;
        const res = await save(0, attemptId, q.id, answer, 3, A);
        assert.equal(res.status, 200, res.raw);
        given.set(q.id, answer);
      }
      assert.equal(published(mark).filter((e) => e.kind !== 'enter').length, 0, 'saves publish nothing');
      assert.equal((await enter(4, C)).status, 200, 'candidate 4 enters (and hands in later)');
    });

    test('a second client: 409 SWITCH_PENDING, one pending row, a second-client event and a live event; asking again changes nothing', async () => {
      const mark = bus.published.length;
      const res = await enter(0, B);
      assert.equal(res.status, 409, res.raw);
      assert.equal(res.body.error.code, 'SWITCH_PENDING');
      assert.equal(res.body.error.message, '已向监考员申请换机，请等待监考员确认');
      assert.equal(res.body.questions, undefined);
      assert.doesNotMatch(res.raw, /stem/);
      const rows = await switches(attemptId);
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0]!.client_id, rows[0]!.state, rows[0]!.ip], [B, 'pending', '10.9.0.10']);
      assert.deepEqual(await secondClientEvents(attemptId), [{ type: 'second-client', detail: '10.9.0.10' }]);
      assert.deepEqual(published(mark), [{ sittingId: demo.sittingId, roomId: roomOf[0], registrationId: registrations[0], kind: 'switch-request' }]);

      for (let i = 0; i < 3; i++) assert.equal((await enter(0, B)).body.error.code, 'SWITCH_PENDING');
      assert.equal((await switches(attemptId)).length, 1, 'still one row');
      assert.equal((await secondClientEvents(attemptId)).length, 1, 'still one event');
      assert.equal(published(mark).length, 1, 'still one live event');

      // The waiting machine may not write, nor read the status.
      const q = questions[0];
      const refused = await save(0, attemptId, q.id, q.type === 'truefalse' ? false : q.options[2].id, 9, B);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'CLIENT_REPLACED');
      assert.equal((await status(0, attemptId, B)).body.error.code, 'CLIENT_REPLACED');
      // The machine that holds the attempt goes on.
      assert.equal((await status(0, attemptId, A)).status, 200);
      assert.equal((await attempt(attemptId)).client_id, A);
    });

    test('approved: the new client resumes with every answer; the old one gets CLIENT_REPLACED everywhere and its save does not land', async () => {
      await approve(attemptId, B);
      const resumed = await enter(0, B);
      assert.equal(resumed.status, 200, resumed.raw);
      assert.equal(resumed.body.attemptId, attemptId);
      assert.deepEqual(resumed.body.questions, questions);
      assert.deepEqual(Object.fromEntries(Object.entries(resumed.body.answers).map(([k, v]: [string, any]) => [k, v.answer])), Object.fromEntries(given));

      const q = questions[0];
      const stale = q.type === 'truefalse' ? false : q.options[3].id;
      const old = await save(0, attemptId, q.id, stale, 10, A);
      assert.equal(old.status, 409);
      assert.equal(old.body.error.code, 'CLIENT_REPLACED');
      assert.equal(old.body.error.message, '本场考试已在另一台计算机上继续作答');
      const stored = await ctx.db.selectFrom('answers').select(['answer', 'seq']).where('attempt_id', '=', attemptId).where('question_id', '=', q.id).executeTakeFirstOrThrow();
      assert.deepEqual([JSON.parse(stored.answer), stored.seq], [given.get(q.id), 3], 'the old machine\'s save did not land');
      for (const res of [
        await status(0, attemptId, A),
        await call('POST', `/api/candidate/attempts/${attemptId}/events`, 0, A, { type: 'focus-loss', at: new Date().toISOString() }),
        await call('POST', `/api/candidate/attempts/${attemptId}/submit`, 0, A),
        await save(0, attemptId, q.id, stale, 11), // no header: the anonymous client is another client too
      ]) {
        assert.equal(res.status, 409, res.raw);
        assert.equal(res.body.error.code, 'CLIENT_REPLACED');
      }
      const newer = await save(0, attemptId, q.id, stale, 12, B);
      assert.equal(newer.status, 200, newer.raw);
      given.set(q.id, stale);
      const events = await call('POST', `/api/candidate/attempts/${attemptId}/events`, 0, B, { type: 'focus-loss', at: new Date().toISOString() });
      assert.equal(events.status, 200);
      // The old machine entering again asks to switch back: a proctor decides.
      clock.advance(1000);
      assert.equal((await enter(0, A)).body.error.code, 'SWITCH_PENDING');
      assert.deepEqual((await switches(attemptId)).map((r) => [r.client_id, r.state]), [[B, 'approved'], [A, 'pending']]);
    });

    test('rejected: SWITCH_REJECTED with the reason; a third machine\'s request supersedes a pending one', async () => {
      const first = await enter(1, A);
      assert.equal(first.status, 200, first.raw);
      const id = first.body.attemptId;
      assert.equal((await enter(1, B)).body.error.code, 'SWITCH_PENDING');
      await ctx.db.updateTable('machine_switches').set({ state: 'rejected', reason: '请回原座位作答', decided_at: nowIso(clock.now()) }).where('attempt_id', '=', id).execute();
      const rejected = await enter(1, B);
      assert.equal(rejected.status, 409);
      assert.equal(rejected.body.error.code, 'SWITCH_REJECTED');
      assert.equal(rejected.body.error.reason, '请回原座位作答');
      assert.match(rejected.body.error.message, /监考员未同意换机：请回原座位作答/);
      assert.equal((await enter(1, A)).status, 200, 'the first machine goes on');

      const third = await enter(2, A);
      assert.equal(third.status, 200);
      const id2 = third.body.attemptId;
      clock.advance(1000);
      assert.equal((await enter(2, B)).body.error.code, 'SWITCH_PENDING');
      clock.advance(1000);
      assert.equal((await enter(2, C)).body.error.code, 'SWITCH_PENDING');
      const rows = await switches(id2);
      assert.deepEqual(rows.map((r) => [r.client_id, r.state]), [[B, 'rejected'], [C, 'pending']]);
      assert.equal(rows[0]!.decided_by, null);
      assert.equal((await enter(2, B)).body.error.code, 'SWITCH_REJECTED', 'the superseded machine stops asking');
    });

    test('status: the room\'s broadcasts, the sitting\'s reminder and this candidate\'s warnings, oldest first; submitReason and the proctor\'s reason', async () => {
      const at = (m: number) => new Date(T0 + m * MIN).toISOString();
      const action = (kind: string, reason: string, m: number, roomId: string | null, registrationId: string | null) =>
        ({ id: newId(), sitting_id: demo.sittingId, room_id: roomId, registration_id: registrationId, kind: kind as any, minutes: null, reason, by_user: null, at: at(m) });
      await ctx.db.insertInto('proctor_actions').values([
        action('warning', '请勿交头接耳', 4, roomOf[0]!, registrations[0]!),
        action('broadcast', '请检查准考证是否放在桌面左上角', 2, roomOf[0]!, null),
        action('broadcast', '别的考场的广播', 3, otherRoom, null),
        action('auto-warning', '距离考试结束还有 5 分钟', 3.5, null, null),
        action('warning', '别人的警告', 5, roomOf[0]!, registrations[1]!),
        action('compensation', '补时不是消息', 6, roomOf[0]!, registrations[0]!),
      ]).execute();
      const st = await status(0, attemptId, B);
      assert.equal(st.status, 200, st.raw);
      assert.equal(st.body.state, 'in_progress');
      assert.equal(st.body.submitReason, undefined);
      assert.deepEqual(st.body.messages.map((m: any) => [m.kind, m.text, m.at]), [
        ['broadcast', '请检查准考证是否放在桌面左上角', at(2)],
        ['auto-warning', '距离考试结束还有 5 分钟', at(3.5)],
        ['warning', '请勿交头接耳', at(4)],
      ]);
      assert.ok(st.body.messages.every((m: any) => typeof m.id === 'string' && m.id.length > 0));
      // Another candidate of the same room: the broadcast and the reminder, not the other's warning.
      const other = await status(1, (await enter(1, A)).body.attemptId, A);
      assert.deepEqual(other.body.messages.map((m: any) => m.text), ['请检查准考证是否放在桌面左上角', '距离考试结束还有 5 分钟', '别人的警告']);

      // Disqualified (as the proctor route does it: the action, then the hand-in).
      await ctx.db.insertInto('proctor_actions').values(action('disqualify', '携带手机进入考场', 7, roomOf[0]!, registrations[0]!)).execute();
      await ctx.db.updateTable('attempts').set({ state: 'submitted', submit_reason: 'disqualified', submitted_at: at(7) }).where('id', '=', attemptId).execute();
      const dq = await status(0, attemptId, B);
      assert.equal(dq.body.state, 'submitted');
      assert.equal(dq.body.submitReason, 'disqualified');
      assert.equal(dq.body.submitNote, '携带手机进入考场');
      assert.equal(dq.body.submittedAt, at(7));
      const again = await enter(0, B);
      assert.equal(again.body.error.code, 'ALREADY_SUBMITTED');
      assert.equal(again.body.error.submitReason, 'disqualified');
      assert.equal(again.body.error.submitNote, '携带手机进入考场');
    });

    test('a full-screen exit that hands in publishes submit; other events publish event; the status says fullscreen-exit', async () => {
      const entered = await enter(3);
      assert.equal(entered.status, 200, entered.raw);
      const id = entered.body.attemptId;
      assert.equal((await attempt(id)).client_id, '-', 'no header: the anonymous client');
      clock.set(T0 + 40 * MIN);
      const mark = bus.published.length;
      const focus = await call('POST', `/api/candidate/attempts/${id}/events`, 3, undefined, { type: 'focus-loss', at: new Date().toISOString() });
      assert.equal(focus.status, 200);
      const exit = await call('POST', `/api/candidate/attempts/${id}/events`, 3, undefined, { type: 'fullscreen-exit', at: new Date().toISOString() });
      assert.equal(exit.body.action, 'submitted');
      assert.deepEqual(published(mark).map((e) => [e.kind, e.registrationId, e.roomId]), [
        ['event', registrations[3], roomOf[3]],
        ['submit', registrations[3], roomOf[3]],
      ]);
      const st = await status(3, id);
      assert.equal(st.body.submitReason, 'fullscreen-exit');
      assert.equal(st.body.submitNote, undefined);
    });

    test('a candidate hand-in publishes submit; the status says candidate', async () => {
      const entered = await enter(4, C);
      assert.equal(entered.status, 200, entered.raw);
      const id = entered.body.attemptId;
      const mark = bus.published.length;
      const res = await call('POST', `/api/candidate/attempts/${id}/submit`, 4, C);
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(published(mark).map((e) => e.kind), ['submit']);
      assert.equal((await status(4, id, C)).body.submitReason, 'candidate');
    });

    // --- the live socket ----------------------------------------------------

    const open = async (hello: unknown, headers: Record<string, string> = {}) => {
      const ws = new WebSocket(`${wsBase}/api/candidate/live`, { headers });
      const inbox = new Inbox(ws);
      await new Promise<void>((resolve) => ws.once('open', resolve));
      if (hello !== undefined) ws.send(typeof hello === 'string' ? hello : JSON.stringify(hello));
      return inbox;
    };

    test('live socket: ready, then changed within 5 s (a push, not the 10 s poll) for the candidate\'s room, the whole sitting and the candidate; nothing for another room or another candidate', async () => {
      const id = (await enter(1, A)).body.attemptId;
      const listenersBefore = bus.listeners;
      const inbox = await open({ token: tokens[1], attemptId: id });
      assert.deepEqual(await inbox.next(), { type: 'ready' });
      assert.equal(bus.listeners, listenersBefore + 1);

      const publishAndWait = async (event: Omit<LiveEvent, 'sittingId'>) => {
        const sent = Date.now();
        bus.publish({ sittingId: demo.sittingId, ...event });
        const m = await inbox.next(PUSH_MS);
        return { m, ms: Date.now() - sent };
      };
      const room = await publishAndWait({ roomId: roomOf[1], registrationId: null, kind: 'broadcast' });
      assert.deepEqual(room.m, { type: 'changed', kind: 'broadcast' });
      assert.ok(room.ms < PUSH_MS, `pushed after ${room.ms} ms`);
      assert.deepEqual((await publishAndWait({ roomId: null, kind: 'auto-warning' })).m, { type: 'changed', kind: 'auto-warning' });
      assert.deepEqual((await publishAndWait({ roomId: roomOf[1], registrationId: registrations[1], kind: 'compensation' })).m, { type: 'changed', kind: 'compensation' });

      // Not for this candidate: another room's broadcast, another candidate's action, this candidate's own activity, another sitting.
      bus.publish({ sittingId: demo.sittingId, roomId: otherRoom, registrationId: null, kind: 'broadcast' });
      bus.publish({ sittingId: demo.sittingId, roomId: roomOf[1], registrationId: registrations[0], kind: 'warning' });
      bus.publish({ sittingId: demo.sittingId, roomId: roomOf[1], registrationId: registrations[1], kind: 'enter' });
      bus.publish({ sittingId: 'another-sitting', roomId: roomOf[1], registrationId: null, kind: 'broadcast' });
      bus.publish({ sittingId: demo.sittingId, roomId: roomOf[1], registrationId: null, kind: 'record' }); // the proctors' room record
      assert.equal(await inbox.next(500), null, 'nothing that does not concern the candidate');
      // An action of a proctor goes out to the candidate at once.
      await ctx.db.insertInto('proctor_actions').values({ id: newId(), sitting_id: demo.sittingId, room_id: roomOf[1]!, registration_id: registrations[1]!, kind: 'warning', minutes: null, reason: '请保持安静', by_user: null, at: nowIso(clock.now()) }).execute();
      bus.publish({ sittingId: demo.sittingId, roomId: roomOf[1], registrationId: registrations[1], kind: 'warning' });
      assert.deepEqual(await inbox.next(), { type: 'changed', kind: 'warning' });
      const st = await status(1, id, A);
      assert.ok(st.body.messages.some((m: any) => m.kind === 'warning' && m.text === '请保持安静'));

      inbox.ws.close();
      await inbox.whenClosed();
      for (let i = 0; i < 200 && bus.listeners !== listenersBefore; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(bus.listeners, listenersBefore, 'unsubscribed on close');
    });

    test('live socket: a bad token, another candidate\'s attempt, or a malformed first message are refused', async () => {
      const id = (await enter(1, A)).body.attemptId;
      const listenersBefore = bus.listeners;
      const forged = await open({ token: 'eyJraW5kIjoiY2FuZGlkYXRlIn0.xxx', attemptId: id });
      assert.equal((await forged.next()).code, 'INVALID_TOKEN');
      assert.equal((await forged.whenClosed())?.code, 4401);
      const notTheirs = await open({ token: tokens[0], attemptId: id });
      assert.equal((await notTheirs.next()).code, 'ATTEMPT_NOT_FOUND');
      assert.equal((await notTheirs.whenClosed())?.code, 4404);
      const garbage = await open('not json');
      assert.equal((await garbage.next()).code, 'BAD_MESSAGE');
      assert.equal((await garbage.whenClosed())?.code, 4400);
      assert.equal(bus.listeners, listenersBefore, 'nothing subscribed');
    });

    test('live socket: no first message within 5 s closes it (4408)', { skip: kind === 'postgres' && 'no database in it: once is enough' }, async () => {
      const listenersBefore = bus.listeners;
      // Timed from before the connection, so the server's 5 s timer starts after
      // `started`: load can only make `waited` longer, and the lower bound (not
      // early) stays tight. The upper bound only has to show that the hello timeout
      // closed it, not something else: nothing else would (pings are every 25 s and
      // answered); 12 s leaves room for a loaded CI machine.
      const started = Date.now();
      const silent = await open(undefined);
      assert.equal((await silent.next(12_000))?.code, 'HELLO_TIMEOUT');
      assert.equal((await silent.whenClosed())?.code, 4408);
      const waited = Date.now() - started;
      assert.ok(waited >= 4500 && waited < 12_000, `closed after ${waited} ms`);
      assert.equal(bus.listeners, listenersBefore);
    });

    test('live socket: a sitting that requires Safe Exam Browser needs the config-key hash on the upgrade request', async () => {
      const id = (await enter(1, A)).body.attemptId;
      const key = 'f'.repeat(64);
      await ctx.db.updateTable('sittings').set({ seb_config_key: key }).where('id', '=', demo.sittingId).execute();
      ctx.sittings.forget(demo.sittingId);
      try {
        const refused = await open({ token: tokens[1], attemptId: id });
        assert.equal((await refused.next()).code, 'SEB_REQUIRED');
        assert.equal((await refused.whenClosed())?.code, 4403);
        const hash = sebConfigKeyHash(`${wsBase}/api/candidate/live`, key);
        const ok = await open({ token: tokens[1], attemptId: id }, { 'x-safeexambrowser-configkeyhash': hash });
        assert.deepEqual(await ok.next(), { type: 'ready' });
        ok.ws.close();
      } finally {
        await ctx.db.updateTable('sittings').set({ seb_config_key: null }).where('id', '=', demo.sittingId).execute();
        ctx.sittings.forget(demo.sittingId);
      }
    });
  });
}
