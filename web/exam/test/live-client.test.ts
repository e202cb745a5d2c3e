// The exam client's side of the proctor console: the client id it sends, the
// live link (reconnects, refusals, offline), proctors' messages shown once,
// and what the attempt does with the status (disqualified, handed in by a
// proctor, another computer took over) — without a browser.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, ApiError, isClientReplaced } from '../src/api.ts';
import { AttemptSession, type EndInfo, type LiveHandlers } from '../src/attempt.ts';
import { classifyFailure, pendingKey, setAsideKey } from '../src/autosave.ts';
import { CLIENT_KEY, ensureClientId, newClientId } from '../src/client-id.ts';
import { ServerClock } from '../src/clock.ts';
import { LiveLink, liveUrl, type LiveSocket } from '../src/live.ts';
import { MessageBook, messageTitle, seenKey } from '../src/messages.ts';
import { memoryKV } from '../src/storage.ts';
import type { EnterResponse, ProctorMessage, StatusResponse } from '../src/types.ts';
import { FakeTimers, settle } from './fake-timers.ts';

describe('client id (X-Kaowu-Client)', () => {
  it('is 24 letters and digits, random, kept in storage and reused', () => {
    const a = newClientId();
    const b = newClientId();
    assert.match(a, /^c[A-Za-z0-9]{23}$/);
    assert.notEqual(a, b);
    const kv = memoryKV();
    const id = ensureClientId(kv);
    assert.equal(kv.getItem(CLIENT_KEY), id);
    assert.equal(ensureClientId(kv), id, 'a reload is the same client');
    assert.notEqual(ensureClientId(memoryKV()), id, 'another computer is another client');
  });

  it('replaces a malformed stored id', () => {
    const kv = memoryKV();
    kv.setItem(CLIENT_KEY, 'x y');
    const id = ensureClientId(kv, () => 'cFRESH000000000000000000');
    assert.equal(id, 'cFRESH000000000000000000');
    assert.equal(kv.getItem(CLIENT_KEY), id);
  });

  it('goes with every request, with the token', async () => {
    const seen: Array<Record<string, string>> = [];
    const api = new Api({
      fetchImpl: (async (_url: string, init: { headers: Record<string, string> }) => {
        seen.push(init.headers);
        return new Response('{"serverNow":"2026-06-20T00:30:00.000Z"}', { status: 200 });
      }) as unknown as typeof fetch,
    });
    await api.time();
    api.setClientId('cABCDEFGH');
    api.setToken('tok');
    await api.time();
    assert.equal(seen[0]!['X-Kaowu-Client'], undefined);
    assert.equal(seen[1]!['X-Kaowu-Client'], 'cABCDEFGH');
    assert.equal(seen[1]!.Authorization, 'Bearer tok');
    assert.equal(api.getToken(), 'tok');
  });
});

describe('409 CLIENT_REPLACED', () => {
  it('stops autosave without dropping the pending changes', () => {
    assert.deepEqual(classifyFailure({ status: 409, code: 'CLIENT_REPLACED' }), { kind: 'closed', code: 'CLIENT_REPLACED' });
    assert.ok(isClientReplaced(new ApiError(409, { code: 'CLIENT_REPLACED', message: '…' }, 0, 0)));
    assert.ok(!isClientReplaced(new ApiError(409, { code: 'TIME_OVER', message: '…' }, 0, 0)));
  });
});

describe('proctors\' messages', () => {
  const msg = (id: string, kind: ProctorMessage['kind'], text = id): ProctorMessage => ({ id, kind, text, at: '2026-06-20T00:40:00.000Z' });

  it('are shown one at a time, oldest first, each once; dismissed ones stay dismissed after a reload', () => {
    const kv = memoryKV();
    const book = new MessageBook(kv, 'att-1');
    assert.equal(book.current, null);
    assert.equal(book.absorb([msg('m1', 'broadcast'), msg('m2', 'warning')]), true);
    assert.equal(book.absorb([msg('m1', 'broadcast'), msg('m2', 'warning')]), false, 'the same status again adds nothing');
    assert.equal(book.current!.id, 'm1');
    assert.equal(book.waiting, 2);
    book.dismiss('m1');
    assert.equal(book.current!.id, 'm2');
    assert.deepEqual(JSON.parse(kv.getItem(seenKey('att-1'))!), ['m1']);

    const reloaded = new MessageBook(kv, 'att-1');
    reloaded.absorb([msg('m1', 'broadcast'), msg('m2', 'warning'), msg('m3', 'auto-warning')]);
    assert.deepEqual([reloaded.current!.id, reloaded.waiting], ['m2', 2]);
    const other = new MessageBook(kv, 'att-2');
    other.absorb([msg('m1', 'broadcast')]);
    assert.equal(other.current!.id, 'm1', 'remembered per attempt');
    assert.equal(new MessageBook(kv, 'att-1').absorb(undefined), false, 'an older server sends no messages');
  });

  it('are titled in Chinese by kind', () => {
    assert.equal(messageTitle('broadcast'), '监考员广播');
    assert.equal(messageTitle('auto-warning'), '5 分钟提醒');
    assert.equal(messageTitle('warning'), '监考员警告');
    assert.equal(messageTitle('something-new'), '监考员消息');
  });
});

/** A WebSocket the test drives by hand. */
class FakeSocket implements LiveSocket {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: string[] = [];
  closedWith: number | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: object): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe('live link', () => {
  function link(opts: { online?: () => boolean; hello?: () => { token: string; attemptId: string } | null } = {}) {
    const timers = new FakeTimers();
    const sockets: FakeSocket[] = [];
    const changed: string[] = [];
    let reconnected = 0;
    const l = new LiveLink({
      url: 'ws://exam.example.cn/api/candidate/live',
      hello: opts.hello || (() => ({ token: 'tok', attemptId: 'att-1' })),
      onChanged: (k) => changed.push(k),
      onReconnected: () => reconnected++,
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers,
      random: () => 0.5,
      isOnline: opts.online,
    });
    return { l, timers, sockets, changed, reconnected: () => reconnected };
  }

  it('builds the URL of this page\'s server', () => {
    assert.equal(liveUrl({ protocol: 'http:', host: '10.1.2.3:3000' }), 'ws://10.1.2.3:3000/api/candidate/live');
    assert.equal(liveUrl({ protocol: 'https:', host: 'exam.example.cn' }), 'wss://exam.example.cn/api/candidate/live');
  });

  it('sends { token, attemptId } first, then passes each change on', () => {
    const { l, sockets, changed } = link();
    l.start();
    assert.equal(sockets.length, 1);
    sockets[0]!.open();
    assert.deepEqual(JSON.parse(sockets[0]!.sent[0]!), { token: 'tok', attemptId: 'att-1' });
    sockets[0]!.receive({ type: 'ready' });
    assert.equal(l.connected, true);
    sockets[0]!.receive({ type: 'changed', kind: 'broadcast' });
    sockets[0]!.receive({ type: 'changed', kind: 'compensation' });
    assert.deepEqual(changed, ['broadcast', 'compensation']);
    l.stop();
    assert.equal(sockets[0]!.closedWith, 1000);
  });

  it('reconnects with growing backoff (1 s, 2 s, 4 s … ≤ 30 s), and reports a reconnection after a break', async () => {
    const { l, timers, sockets, reconnected } = link();
    l.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'ready' });
    sockets[0]!.drop();
    assert.equal(sockets.length, 1);
    await timers.advance(999);
    assert.equal(sockets.length, 1);
    await timers.advance(1);
    assert.equal(sockets.length, 2, 'after a working link: back in about 1 s');
    // The server is down: each try fails before ready.
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = timers.now;
      sockets[sockets.length - 1]!.drop();
      const n = sockets.length;
      while (sockets.length === n) await timers.advance(100);
      gaps.push(Math.round((timers.now - before) / 1000));
    }
    assert.deepEqual(gaps, [1, 2, 4, 8, 16, 30, 30]);
    const last = sockets[sockets.length - 1]!;
    last.open();
    last.receive({ type: 'ready' });
    assert.equal(reconnected(), 1);
    l.stop();
  });

  it('gives up for good when refused (bad token, Safe Exam Browser, unknown attempt)', async () => {
    for (const code of [4401, 4403, 4404]) {
      const { l, timers, sockets } = link();
      l.start();
      sockets[0]!.open();
      sockets[0]!.receive({ type: 'error', code: 'X' });
      sockets[0]!.drop(code);
      await timers.advance(120_000);
      assert.equal(sockets.length, 1, `no reconnection after ${code}`);
      assert.equal(l.refused, code);
      l.online();
      assert.equal(sockets.length, 1);
    }
  });

  it('does not try while the browser is offline; connects when it is back', async () => {
    let online = true;
    const { l, timers, sockets } = link({ online: () => online });
    l.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'ready' });
    online = false;
    sockets[0]!.drop();
    await timers.advance(60_000);
    assert.equal(sockets.length, 1, 'no connection attempt while offline');
    online = true;
    l.online();
    assert.equal(sockets.length, 2);
    l.stop();
    await timers.advance(60_000);
    assert.equal(sockets.length, 2, 'stopped: no more');
  });

  it('stops without a token', () => {
    const { l, sockets } = link({ hello: () => null });
    l.start();
    assert.equal(sockets.length, 0);
  });
});

// --- the attempt and its status ---------------------------------------------

const T0 = Date.parse('2026-06-20T00:30:00.000Z');
const MIN = 60_000;

function enterResponse(): EnterResponse {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    attemptId: 'att-1',
    serverNow: iso(T0 + MIN),
    startsAt: iso(T0),
    endsAt: iso(T0 + 90 * MIN),
    deadline: iso(T0 + 90 * MIN),
    sitting: { id: 'sit-1', name: '理论考试', paper: 'theory', level: 'junior' },
    candidate: { name: '王小明', ticketNo: '2600011000001' },
    rules: { submitOpensAt: iso(T0 + 30 * MIN), submitClosesAt: iso(T0 + 85 * MIN), warningAt: iso(T0 + 85 * MIN), fullscreenRequired: false, fullscreenWarnings: 0 },
    fullscreenExits: 0,
    questions: [
      { id: 'q1', type: 'single', stem: '1 + 1 = ?', options: [{ id: 'A', text: '1' }, { id: 'B', text: '2' }], points: 2 },
      { id: 'q2', type: 'truefalse', stem: '地球是圆的。', options: [], points: 2 },
    ],
    answers: {},
  };
}

/** A stand-in server: status and saves answer what the test says. */
function fakeServer() {
  const calls: string[] = [];
  const server = {
    calls,
    status: { state: 'in_progress', deadline: new Date(T0 + 90 * MIN).toISOString(), serverNow: new Date(T0 + MIN).toISOString(), messages: [] } as StatusResponse | { error: { code: string; message: string }; http: number },
    save: null as null | { error: { code: string; message: string }; http: number },
  };
  const fetchImpl = (async (url: string, init: { method: string }) => {
    const path = url.replace(/^.*\/api\//, '/api/');
    calls.push(`${init.method} ${path}`);
    const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    if (path.endsWith('/status')) {
      const s = server.status as { http?: number };
      return s.http ? reply({ error: (server.status as { error: unknown }).error }, s.http) : reply(server.status);
    }
    if (path.includes('/answers/')) {
      if (server.save) return reply({ error: server.save.error }, server.save.http);
      return reply({ seq: 1, savedAt: new Date(T0 + MIN).toISOString() });
    }
    if (path === '/api/time') return reply({ serverNow: new Date(T0 + MIN).toISOString() });
    return reply({ recorded: true, action: 'none' });
  }) as unknown as typeof fetch;
  return { server, api: new Api({ fetchImpl }) };
}

function session(opts: { kv?: ReturnType<typeof memoryKV>; openLive?: (h: LiveHandlers) => { stop(): void } } = {}) {
  const { server, api } = fakeServer();
  const ends: EndInfo[] = [];
  const kv = opts.kv || memoryKV();
  const clock = new ServerClock(() => T0 + MIN);
  const s = new AttemptSession(enterResponse(), {
    api,
    clock,
    kv,
    resumed: false,
    onEnd: (info) => ends.push(info),
    onUnauthorized: () => ends.push({ reason: 'remote' }),
    openLive: opts.openLive,
    random: () => 0,
  });
  return { s, server, ends, kv };
}

describe('attempt status', () => {
  const broadcast: ProctorMessage = { id: 'm1', kind: 'broadcast', text: '请检查准考证是否放在桌面左上角', at: new Date(T0 + 5 * MIN).toISOString() };
  const warning: ProctorMessage = { id: 'm2', kind: 'warning', text: '请勿交头接耳', at: new Date(T0 + 6 * MIN).toISOString() };

  it('shows new messages once, and not again after a reload once dismissed', async () => {
    const { s, server, kv } = session();
    server.status = { ...(server.status as StatusResponse), messages: [broadcast, warning] };
    await s.refreshStatus();
    assert.equal(s.currentMessage!.id, 'm1');
    s.dismissMessage('m1');
    assert.equal(s.currentMessage!.id, 'm2');
    s.dismissMessage('m2');
    assert.equal(s.currentMessage, null);
    await s.refreshStatus();
    assert.equal(s.currentMessage, null, 'the same messages are not shown twice');
    const again = session({ kv });
    again.server.status = server.status;
    await again.s.refreshStatus();
    assert.equal(again.s.currentMessage, null, 'nor after a reload');
    s.dispose();
    again.s.dispose();
  });

  it('disqualified: ends with the proctor\'s reason; handed in by a proctor: ends as such', async () => {
    const dq = session();
    dq.server.status = { state: 'submitted', deadline: new Date(T0 + 90 * MIN).toISOString(), serverNow: new Date(T0 + 10 * MIN).toISOString(), submittedAt: new Date(T0 + 10 * MIN).toISOString(), submitReason: 'disqualified', submitNote: '携带手机进入考场', messages: [] };
    await dq.s.refreshStatus();
    assert.deepEqual(dq.ends, [{ reason: 'disqualified', submittedAt: new Date(T0 + 10 * MIN).toISOString(), note: '携带手机进入考场' }]);
    const fs = session();
    fs.server.status = { ...(dq.server.status as StatusResponse), submitReason: 'proctor', submitNote: undefined };
    await fs.s.refreshStatus();
    assert.equal(fs.ends[0]!.reason, 'proctor');
    const other = session();
    other.server.status = { ...(dq.server.status as StatusResponse), submitReason: 'deadline', submitNote: undefined };
    await other.s.refreshStatus();
    assert.equal(other.ends[0]!.reason, 'remote');
  });

  it('CLIENT_REPLACED on the status: locked; on a save: locked, the change kept on this machine and not sent again', async () => {
    const st = session();
    st.server.status = { error: { code: 'CLIENT_REPLACED', message: '本场考试已在另一台计算机上继续作答' }, http: 409 };
    await st.s.refreshStatus();
    assert.deepEqual(st.ends, [{ reason: 'replaced' }]);

    const sv = session();
    sv.server.save = { error: { code: 'CLIENT_REPLACED', message: '本场考试已在另一台计算机上继续作答' }, http: 409 };
    sv.s.setAnswer('q1', 'B');
    assert.equal(await sv.s.flushSaves(2000), false);
    await settle();
    assert.equal(sv.ends.length, 1);
    assert.deepEqual(sv.ends[0], { reason: 'replaced', unsaved: 1 });
    assert.deepEqual(Object.keys(JSON.parse(sv.kv.getItem(setAsideKey('att-1'))!)), ['q1'], 'the change is set aside in local storage');
    assert.equal(sv.kv.getItem(pendingKey('att-1')), null, 'and no longer queued');
    const puts = sv.server.calls.filter((c) => c.startsWith('PUT')).length;
    sv.s.setAnswer('q2', true); // ignored: the attempt ended
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(sv.server.calls.filter((c) => c.startsWith('PUT')).length, puts, 'nothing more is sent');
  });
});

describe('attempt and the live link', () => {
  // start() listens to the window and the document: minimal stand-ins.
  const g = globalThis as unknown as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  before(() => {
    const target = { addEventListener() {}, removeEventListener() {} };
    for (const k of ['window', 'document']) saved[k] = g[k];
    g.window = target;
    g.document = { ...target, visibilityState: 'visible', hasFocus: () => true, activeElement: null };
  });
  after(() => {
    for (const k of ['window', 'document']) g[k] = saved[k];
  });

  it('opens the link while the attempt is open; a change reads the status at once; closed at the end', async () => {
    const opened: LiveHandlers[] = [];
    let stopped = 0;
    const { s, server, ends } = session({
      openLive: (h) => {
        opened.push(h);
        return { stop: () => stopped++ };
      },
    });
    s.start();
    assert.equal(opened.length, 1, 'the link is opened');
    const handlers = opened[0]!;
    const statusCalls = () => server.calls.filter((c) => c.endsWith('/status')).length;
    const before = statusCalls();
    server.status = { ...(server.status as StatusResponse), messages: [{ id: 'w1', kind: 'warning', text: '请保持安静', at: new Date(T0 + 2 * MIN).toISOString() }] };
    handlers.onChanged('warning');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(statusCalls(), before + 1, 'status read at once');
    assert.equal(s.currentMessage!.text, '请保持安静');

    server.status = { state: 'submitted', deadline: new Date(T0 + 90 * MIN).toISOString(), serverNow: new Date(T0 + 3 * MIN).toISOString(), submittedAt: new Date(T0 + 3 * MIN).toISOString(), submitReason: 'proctor', submitNote: '考生身体不适', messages: [] };
    handlers.onChanged('force-submit');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(ends.map((e) => [e.reason, e.note]), [['proctor', '考生身体不适']]);
    assert.equal(stopped, 1, 'the link is closed when the attempt ends');
  });
});
