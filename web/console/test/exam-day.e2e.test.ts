// End to end, exam day from both sides at once (docs/proctoring.md,
// docs/api-candidate.md): two Chromium browsers, one for the candidates (the
// exam client at /exam/, one browser context per computer, so each has its
// own local storage and its own client id) and one for a proctor (the console
// at /console/, signed in as the proctor of the room). The proctor acts only
// through the console, the candidates only through the exam client; the test
// reads the database and the APIs to check what the screens say.
//
// One server for the whole file: the real app in this process on a port, a
// fresh SQLite database, the demo school (16 junior candidates in one room,
// with its proctors; one theory sitting started a minute ago, full screen
// required with 2 forgiven exits), and a server clock that runs with real time
// and can be moved forward (to close the entry).
//
//   1. 换机: machine A answers; machine B logs in as the same candidate and
//      waits; the seat turns 申请换机 live; the proctor approves with a
//      reason; A shows the locked screen live, B opens the paper with
//      every answer A saved; A's later clicks reach nothing on the server.
//   2. 取消考试资格 (reason, asked twice): the candidate's screen says so with
//      the reason, live; the paper is handed in as `disqualified`; the
//      seat shows 取消资格.
//   3. 补时 N minutes: the deadline moves by exactly N·60 s (the client's, the
//      candidate API's, the proctor API's, the database's) and the countdown
//      shown moves by N minutes less only the seconds that passed.
//   4. Leaving full screen beyond the forgiven exits hands the theory paper in;
//      the seat map shows 已交卷 and the exit count live, without reload.
//   5. After entry closes (the clock moved): the console suggests exactly the
//      seats never signed in, the proctor registers them, they show 缺考, and
//      one of them logging in on the exam client cannot enter. (Last, since
//      nobody can enter after the clock has moved.)
//
// "Live" is within LIVE_MS (5 s), measured from the moment the action's HTTP
// response arrived: the wait that follows gets what is left of it as its
// timeout.
//
// Screenshots: candidates 1024×768, the console 1280×800, into
// $KAOWU_SCREENSHOTS/exam-day, or a fresh temp directory removed at the end (shotsDir).
//
//   node --test --import tsx web/console/test/exam-day.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { freshDatabase, startTestApp, TestClock, type TestApp } from '../../../packages/server/test/helpers.ts';
import { createDemo, DEMO_OPERATOR, type DemoResult } from '../../../packages/server/src/modules/demo/demo.ts';
import { countdownSeconds, ensureExamBuilt, eventually, normalize, pngSize, serverNow, storedAnswers, type AnswerValue } from '../../exam/test/e2e.ts';
import { call, ensureConsoleBuilt, openConsolePage, signIn, noVisibleModal } from './helpers.ts';

const SHOTS = shotsDir('exam-day');
const PASSWORD = DEMO_OPERATOR.password;
/**
 * How soon the other side must show what one side did. The bound proves the
 * change was pushed (the live sockets) rather than picked up by the periodic
 * reads, which come far later: the exam client's status read every 10 s
 * (STATUS_EVERY_MS, web/exam/src/attempt.ts), the console's room read every
 * 15 s (LIVE_REFRESH_MS, web/console/src/proctor/live.ts). It stays well below
 * both, with room for a loaded machine; the strict latency figures are
 * measured in bench/, not here.
 */
const LIVE_MS = 5_000;
const CANDIDATES = 16;
const FORGIVEN_EXITS = 2;
const MINUTES = 7;

// Failed loads the candidates' browsers log when the client meets an expected refusal.
const SWITCH_PENDING = /status of 409 .*\/api\/candidate\/sittings\/[^/]+\/attempt$/;
const CLIENT_REPLACED = /status of 409 .*\/api\/candidate\/attempts\/[^/]+\/(answers\/[^/]+|status|events)$/;

/** The server's clock: real time, plus whatever the test moved it by. */
class RunningClock extends TestClock {
  private shift = 0;
  constructor() {
    super(Date.now());
  }
  override now(): number {
    return Date.now() + this.shift;
  }
  override set(iso: string | number): void {
    this.shift = (typeof iso === 'string' ? Date.parse(iso) : iso) - Date.now();
  }
  override advance(ms: number): void {
    this.shift += ms;
  }
}

interface Person {
  ticketNo: string;
  idNumber: string;
  name: string;
  registrationId: string;
  seatNo: number;
}
interface Question {
  id: string;
  type: 'single' | 'multiple' | 'truefalse';
  options: { id: string }[];
}
interface EnterBody {
  attemptId: string;
  deadline: string;
  questions: Question[];
}
interface RoomApi {
  sitting: { entryClosesAt: string; entryClosed: boolean };
  seats: {
    registrationId: string;
    state: string;
    attemptId: string | null;
    deadline: string | null;
    extensionMin: number;
    submitReason: string | null;
    events: { fullscreenExit: number };
  }[];
  suggestedAbsent: string[];
  actions: { kind: string; reason: string; registrationId: string | null; minutes: number | null }[];
}

/** One computer on the candidate side. */
interface Machine {
  name: string;
  context: BrowserContext;
  page: Page;
  /** page errors and console errors nobody expected */
  errors: string[];
  /** failed loads the step expects ("<message> <url>" must match one) */
  allowed: RegExp[];
  /** { type: 'ready' } frames received on the page's live sockets */
  ready: number;
  /** every request the page made: "METHOD url", with the local time */
  requests: { at: number; line: string }[];
}

describe('exam day, candidate and proctor side by side', { skip: chromiumMissing, timeout: 600_000 }, () => {
  let t: TestApp;
  let demo: DemoResult;
  let base: string;
  let sittingId: string;
  let roomId: string;
  let people: Person[];
  let proctor: { username: string; displayName: string };
  let staffToken: string;
  let candidateBrowser: Browser;
  let consoleBrowser: Browser;
  let console_: Page;
  const consoleErrors: string[] = [];
  const machines: Machine[] = [];
  const timings: string[] = [];

  // ---- helpers --------------------------------------------------------------

  const roomApi = () => call<RoomApi>(base, 'GET', `/api/console/proctor/sittings/${sittingId}/rooms/${roomId}`, undefined, staffToken);
  const seatApi = async (p: Person) => (await roomApi()).seats.find((s) => s.registrationId === p.registrationId)!;
  const attemptRow = (p: Person) =>
    t.ctx.db
      .selectFrom('attempts')
      .select(['id', 'state', 'submit_reason', 'deadline_at', 'finalize_at', 'extension_sec', 'fullscreen_exits', 'client_id'])
      .where('registration_id', '=', p.registrationId)
      .where('sitting_id', '=', sittingId)
      .executeTakeFirst();

  const seat = (p: Person) => console_.locator(`[data-testid=proctor-seat][data-seat-no="${p.seatNo}"]`);
  const seatIn = (p: Person, state: string) => console_.locator(`[data-testid=proctor-seat][data-seat-no="${p.seatNo}"][data-state="${state}"]`);

  /**
   * Waits for `locator` with what is left of LIVE_MS since `since` (when the
   * action's response arrived), and records how long it took.
   */
  async function within(what: string, since: number, locator: Locator): Promise<number> {
    const left = LIVE_MS - (Date.now() - since);
    assert.ok(left > 0, `${what}: no time left to wait (${Date.now() - since} ms already)`);
    await locator.waitFor({ timeout: left });
    const took = Date.now() - since;
    timings.push(`${what}: ${took} ms`);
    return took;
  }

  /** Runs `act` and resolves with the local time the matching response arrived, and the response. */
  async function responseOf(page: Page, match: (r: Response) => boolean, act: () => Promise<unknown>): Promise<{ at: number; response: Response }> {
    let at = 0;
    const waiting = page.waitForResponse((r) => {
      const m = match(r);
      if (m && !at) at = Date.now();
      return m;
    });
    await act();
    const response = await waiting;
    return { at, response };
  }
  const isPost = (r: Response, tail: RegExp) => r.request().method() === 'POST' && tail.test(new URL(r.url()).pathname);

  async function consoleShot(name: string, fullPage = false): Promise<void> {
    await console_.waitForTimeout(400); // antd's animations
    const png = await console_.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
    if (!fullPage) assert.deepEqual(pngSize(png), { width: 1280, height: 800 }, `${name}.png is 1280×800`);
  }
  async function candidateShot(m: Machine, name: string): Promise<void> {
    const png = await m.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 }, `${name}.png is 1024×768`);
  }

  async function machine(name: string): Promise<Machine> {
    const context = await candidateBrowser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const m: Machine = { name, context, page, errors: [], allowed: [], ready: 0, requests: [] };
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('"ready"')) m.ready++;
      }),
    );
    page.on('request', (r) => m.requests.push({ at: Date.now(), line: `${r.method()} ${r.url()}` }));
    collectPageErrors(page, m.errors, m.allowed);
    machines.push(m);
    return m;
  }

  async function logIn(m: Machine, p: Person): Promise<void> {
    await m.page.goto(`${base}/exam/`);
    await m.page.getByTestId('login-ticket').fill(p.ticketNo);
    await m.page.getByTestId('login-id').fill(p.idNumber);
    await m.page.getByTestId('login-submit').click();
  }

  /** Logs in (the only sitting is open: straight in), enters full screen; the paper as the server sent it. */
  async function openPaper(m: Machine, p: Person): Promise<EnterBody> {
    const entered = m.page.waitForResponse((r) => isPost(r, /\/attempt$/) && r.status() === 200);
    await logIn(m, p);
    const body = (await (await entered).json()) as EnterBody;
    await m.page.getByTestId('paper').waitFor();
    assert.equal(await m.page.getByTestId('paper').getAttribute('data-attempt-id'), body.attemptId);
    await m.page.getByTestId('fullscreen-overlay').waitFor();
    await m.page.getByTestId('enter-fullscreen').click();
    await m.page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });
    assert.equal(await m.page.evaluate(() => !!document.fullscreenElement), true);
    return body;
  }

  /** The live socket of the page is subscribed (an event published before would only be seen by the 10-s poll). */
  const liveReady = (m: Machine) => eventually(`${m.name}: the live socket is ready`, async () => m.ready > 0);
  const waitSaved = (m: Machine) => m.page.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor();

  async function goTo(m: Machine, questionId: string): Promise<void> {
    await m.page.locator(`[data-testid^=nav-][data-question-id="${questionId}"]`).click();
    await m.page.locator(`[data-testid=question][data-question-id="${questionId}"]`).waitFor();
  }

  /** The answer the current question shows, from the checked inputs. */
  async function shownAnswer(m: Machine, q: Question): Promise<AnswerValue> {
    if (q.type === 'truefalse') {
      const yes = await m.page.getByTestId('truefalse-true').isChecked();
      const no = await m.page.getByTestId('truefalse-false').isChecked();
      assert.ok(!(yes && no));
      return yes ? true : no ? false : null;
    }
    const ids = await m.page.locator('[data-testid=question] input:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-option-id') as string));
    if (q.type === 'single') {
      assert.ok(ids.length <= 1);
      return ids[0] ?? null;
    }
    return ids.length ? normalize(ids) : null;
  }

  /** Answers the question through the screen: a single choice with `label`, a multiple choice with A and C, a true/false with `true`. */
  async function answer(m: Machine, q: Question, label = 'B'): Promise<AnswerValue> {
    await goTo(m, q.id);
    if (q.type === 'truefalse') await m.page.getByTestId('truefalse-true').click();
    else if (q.type === 'multiple') {
      await m.page.getByTestId('option-A').click();
      await m.page.getByTestId('option-C').click();
    } else await m.page.getByTestId(`option-${label}`).click();
    return shownAnswer(m, q);
  }

  /** The candidate API as this machine calls it: its token and its client id. */
  async function asMachine(m: Machine, method: string, urlPath: string, body?: unknown): Promise<globalThis.Response> {
    const { token, client } = await m.page.evaluate(() => ({
      token: (JSON.parse(localStorage.getItem('kaowu.exam.session') ?? 'null') as { token?: string } | null)?.token ?? null,
      client: localStorage.getItem('kaowu.exam.client'),
    }));
    assert.ok(token && client, `${m.name} holds a token and a client id`);
    return fetch(base + urlPath, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-kaowu-client': client, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Opens a seat's details in the console. */
  async function openSeat(p: Person): Promise<Locator> {
    await seat(p).click();
    const drawer = console_.getByTestId('seat-details');
    await drawer.waitFor();
    await console_.locator('.ant-drawer-title').filter({ hasText: p.name }).waitFor();
    return drawer;
  }
  async function closeSeat(): Promise<void> {
    await console_.locator('.ant-drawer .ant-drawer-close').click();
    await console_.getByTestId('seat-details').waitFor({ state: 'detached' });
  }

  // ---- set-up ---------------------------------------------------------------

  before(async () => {
    ensureExamBuilt();
    ensureConsoleBuilt();
    t = await startTestApp(await freshDatabase('sqlite'), new RunningClock());
    demo = await createDemo(t.ctx, {
      candidates: CANDIDATES,
      level: 'junior',
      startsAt: t.clock.now() - 60_000,
      durationMin: 90,
      papers: 'theory',
      school: true,
      rules: { earliestSubmitMin: 0, fullscreenRequired: true, fullscreenWarnings: FORGIVEN_EXITS },
    });
    sittingId = demo.sittingId;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

    // Who sits where (the published arrangement), and the room's proctor.
    const seats = await t.ctx.db
      .selectFrom('seat_assignments as sa')
      .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
      .select(['sa.room_id', 'sa.seat_no', 'r.id as registration_id', 'r.ticket_no'])
      .where('sa.plan_id', '=', demo.planId)
      .orderBy('sa.seat_no')
      .execute();
    const rooms = [...new Set(seats.map((s) => s.room_id))];
    assert.equal(rooms.length, 1, `the ${CANDIDATES} candidates sit in one room`);
    roomId = rooms[0]!;
    const byTicket = new Map(demo.candidates.map((c) => [c.ticketNo, c]));
    people = seats.map((s) => ({ ...byTicket.get(s.ticket_no)!, registrationId: s.registration_id, seatNo: Number(s.seat_no) }));
    assert.equal(people.length, CANDIDATES);
    const proctors = await t.ctx.db
      .selectFrom('proctor_assignments as pa')
      .innerJoin('users as u', 'u.id', 'pa.user_id')
      .select(['u.username', 'u.role', 'u.display_name'])
      .where('pa.plan_id', '=', demo.planId)
      .where('pa.room_id', '=', roomId)
      .where('pa.duty', '=', 'proctor')
      .execute();
    const p = proctors.find((x) => x.role === 'proctor') ?? proctors[0];
    assert.ok(p, 'the room has a proctor');
    proctor = { username: p.username, displayName: p.display_name };
    staffToken = (await call<{ token: string }>(base, 'POST', '/api/staff/login', { username: proctor.username, password: PASSWORD })).token;

    candidateBrowser = await launchChromium();
    ({ browser: consoleBrowser, page: console_ } = await openConsolePage(consoleErrors, 15_000));
    console_.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && !/Failed to load resource/.test(m.text())) consoleErrors.push(`console.${m.type()}: ${m.text()}`);
    });

    // The proctor opens the room through the console, and keeps it open for the whole file.
    await signIn(console_, base, proctor.username, PASSWORD);
    await console_.getByTestId('proctor-room-row').first().waitFor();
    await console_.getByTestId('proctor-room-row').filter({ hasText: '理论' }).getByTestId('open-proctor-room').click();
    await console_.getByTestId('proctor-seat-map').waitFor();
    await console_.locator('[data-testid=live-status][data-status=live]').waitFor();
    assert.equal(await console_.getByTestId('proctor-seat').count(), CANDIDATES);
    for (const q of people) assert.equal(await seatIn(q, 'not-signed-in').count(), 1, `seat ${q.seatNo} is 未登录`);
    // Marks the document: every "without reload" below checks it is still there.
    await console_.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  });

  after(async () => {
    if (timings.length) console.log(`# ${timings.join('\n# ')}`);
    try {
      await candidateBrowser?.close();
      await consoleBrowser?.close();
    } finally {
      await t?.close();
    }
  });

  const sameDocument = () => console_.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

  // ---- 1. machine switch -------------------------------------------------------

  it(`换机: B waits, the seat shows 申请换机 within ${LIVE_MS / 1000} s, the proctor approves, A locks within ${LIVE_MS / 1000} s, B resumes with every answer, A's clicks reach nothing`, async () => {
    const p = people[0]!;
    const A = await machine('A');
    const paper = await openPaper(A, p);
    const byId = new Map(paper.questions.map((q) => [q.id, q]));
    // One question of each kind, through the screen.
    const chosen = (['single', 'multiple', 'truefalse'] as const).map((type) => paper.questions.find((q) => q.type === type)!);
    const answered = new Map<string, AnswerValue>();
    for (const q of chosen) answered.set(q.id, await answer(A, q));
    await waitSaved(A);
    assert.deepEqual(await storedAnswers(t.ctx, paper.attemptId), Object.fromEntries(answered), 'the server holds what A answered');
    assert.equal(await A.page.getByTestId('answered-count').innerText(), '3');
    await seatIn(p, 'answering').waitFor();
    await liveReady(A);
    const clientA = await A.page.evaluate(() => localStorage.getItem('kaowu.exam.client'));
    assert.equal((await attemptRow(p))!.client_id, clientA, 'A holds the attempt');
    await candidateShot(A, '01-A-answered');
    // Where A's inputs are, to click there again once A is locked.
    await goTo(A, chosen[0]!.id);
    const spots = await Promise.all(['option-A', 'option-C', 'option-D', `nav-${paper.questions.length}`, 'handin-button'].map(async (id) => (await A.page.getByTestId(id).boundingBox())!));

    // Machine B: the same candidate on another computer.
    const B = await machine('B');
    B.allowed.push(SWITCH_PENDING);
    const { at: asked, response: refused } = await responseOf(B.page, (r) => isPost(r, /\/attempt$/), () => logIn(B, p));
    assert.equal(refused.status(), 409);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'SWITCH_PENDING');
    await within('seat 申请换机 after B asked', asked, seatIn(p, 'switch-pending'));
    assert.match(await seat(p).innerText(), /申请换机/);
    assert.match(await seat(p).getByTestId('seat-badges').innerText(), /另一台机器/);
    const banner = console_.getByTestId('switch-requests');
    await banner.waitFor();
    assert.match(await banner.innerText(), new RegExp(`${p.name}（准考证号 ${p.ticketNo}）`));
    await B.page.getByTestId('switch-wait').waitFor();
    assert.equal(await B.page.getByTestId('switch-wait-message').innerText(), '已向监考员申请换机，请等待监考员确认');
    assert.match(await B.page.getByTestId('switch-wait').innerText(), new RegExp(p.ticketNo));
    const clientB = (await B.page.evaluate(() => localStorage.getItem('kaowu.exam.client')))!;
    assert.notEqual(clientB, clientA);
    await candidateShot(B, '02-B-switch-wait');
    await consoleShot('03-console-switch-pending');

    // The proctor approves, with a reason.
    A.allowed.push(CLIENT_REPLACED);
    await banner.getByTestId('switch-approve').click();
    const modal = console_.locator('.ant-modal:visible');
    await modal.getByText('批准换机').first().waitFor();
    const reason = '原计算机死机，已核对考生身份证件';
    await modal.getByTestId('action-reason').fill(reason);
    const { at: approved, response: approval } = await responseOf(console_, (r) => isPost(r, /\/switch\/approve$/), () => modal.getByTestId('action-ok').click());
    assert.equal(approval.status(), 200, await approval.text());
    await within('A locked after the approval', approved, A.page.getByTestId('client-replaced'));
    assert.equal(await A.page.getByTestId('client-replaced-message').innerText(), '本场考试已在另一台计算机上继续作答，本机已停止作答');
    assert.equal(await A.page.getByTestId('unsaved-warning').count(), 0, 'A had nothing unsaved');
    const lockedAt = Date.now();
    await candidateShot(A, '04-A-locked');
    await noVisibleModal(console_);
    await banner.waitFor({ state: 'detached' });
    await seatIn(p, 'answering').waitFor();
    const row = console_.getByTestId('action-row').filter({ hasText: '批准换机' });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(reason));
    const sw = await t.ctx.db.selectFrom('machine_switches').selectAll().where('attempt_id', '=', paper.attemptId).execute();
    assert.equal(sw.length, 1);
    assert.equal(sw[0]!.state, 'approved');
    assert.equal(sw[0]!.client_id, clientB);
    assert.equal((await attemptRow(p))!.client_id, clientB, 'B holds the attempt');

    // B opens the paper by itself (it asks every 2 s) with every answer A saved, on screen.
    await B.page.getByTestId('paper').waitFor({ timeout: 10_000 });
    B.allowed.splice(B.allowed.indexOf(SWITCH_PENDING), 1);
    assert.equal(await B.page.getByTestId('paper').getAttribute('data-attempt-id'), paper.attemptId);
    await B.page.getByTestId('enter-fullscreen').click();
    await B.page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });
    assert.equal(await B.page.getByTestId('answered-count').innerText(), String(answered.size));
    for (const [qid, a] of answered) {
      await goTo(B, qid);
      assert.deepEqual(await shownAnswer(B, byId.get(qid)!), a, `question ${qid} (${byId.get(qid)!.type}) on B`);
      assert.equal(await B.page.locator(`[data-testid^=nav-][data-question-id="${qid}"]`).getAttribute('data-answered'), 'true');
    }
    await goTo(B, chosen[1]!.id);
    await candidateShot(B, '05-B-resumed');

    // A, locked, is clicked where its answers and buttons were, and typed on: nothing reaches the server.
    const seqs = async () =>
      Object.fromEntries((await t.ctx.db.selectFrom('answers').select(['question_id', 'seq', 'saved_at']).where('attempt_id', '=', paper.attemptId).execute()).map((r) => [r.question_id, `${r.seq}@${r.saved_at}`]));
    const before = await seqs();
    for (const s of spots) await A.page.mouse.click(s.x + s.width / 2, s.y + s.height / 2);
    await A.page.keyboard.press('Space');
    await A.page.keyboard.press('Enter');
    await A.page.getByTestId('client-replaced').waitFor(); // still locked
    // B saves a change after A's clicks: once it is stored, anything A had sent would be too.
    const changed = chosen[0]!;
    await goTo(B, changed.id);
    await B.page.getByTestId('option-D').click();
    answered.set(changed.id, (await B.page.getByTestId('option-D').getAttribute('data-option-id'))!);
    await waitSaved(B);
    assert.deepEqual(await storedAnswers(t.ctx, paper.attemptId), Object.fromEntries(answered), 'exactly what A saved before, and B\'s change');
    const after = await seqs();
    for (const q of chosen.slice(1)) assert.equal(after[q.id], before[q.id], `question ${q.id} untouched since the lock`);
    const sentByA = A.requests.filter((r) => r.at >= lockedAt && /\/api\/candidate\//.test(r.line));
    assert.deepEqual(sentByA, [], 'A sent nothing after it locked');
    // And were A to send a save anyway, as A (its token, its client id): refused, nothing written.
    const forged = await asMachine(A, 'PUT', `/api/candidate/attempts/${paper.attemptId}/answers/${chosen[2]!.id}`, { answer: false, seq: 99 });
    assert.equal(forged.status, 409);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'CLIENT_REPLACED');
    assert.deepEqual(await storedAnswers(t.ctx, paper.attemptId), Object.fromEntries(answered), 'the refused save wrote nothing');
    assert.equal(await A.page.evaluate((id) => localStorage.getItem(`kaowu.exam.pending.${id}`), paper.attemptId), null, 'nothing queued on A either');
    assert.equal((await attemptRow(p))!.state, 'in_progress');
    assert.ok(await sameDocument(), 'the console was not reloaded');
    assert.deepEqual(A.errors, []);
    assert.deepEqual(B.errors, []);
  });

  // ---- 2. disqualification ----------------------------------------------------

  it(`取消考试资格: reason, asked twice; the candidate sees it with the reason within ${LIVE_MS / 1000} s; handed in as disqualified; the seat shows 取消资格`, async () => {
    const p = people[1]!;
    const m = await machine('disqualified');
    const paper = await openPaper(m, p);
    await answer(m, paper.questions[0]!);
    await waitSaved(m);
    await liveReady(m);
    await seatIn(p, 'answering').waitFor();

    const drawer = await openSeat(p);
    await drawer.getByTestId('act-disqualify').click();
    const modal = console_.locator('.ant-modal:visible').filter({ hasText: '违纪：取消考试资格' });
    await modal.waitFor();
    const reason = '考试中使用手机查阅资料，经两名监考员确认';
    await modal.getByTestId('action-reason').fill(reason);
    await modal.getByTestId('action-ok').click();
    // The second question: nothing is sent before it is answered.
    const confirm = console_.locator('.ant-modal-confirm:visible');
    await confirm.locator('.ant-modal-confirm-title').filter({ hasText: `确定取消 ${p.name} 的考试资格吗？` }).waitFor();
    assert.equal((await attemptRow(p))!.state, 'in_progress', 'not before the second confirmation');
    await consoleShot('06-console-disqualify-confirm');
    const { at, response } = await responseOf(console_, (r) => isPost(r, /\/disqualify$/), () => confirm.getByRole('button', { name: '确定取消资格' }).click());
    assert.equal(response.status(), 200, await response.text());

    await within('candidate sees the disqualification', at, m.page.locator('[data-testid=submitted][data-reason=disqualified]'));
    assert.equal(await m.page.getByTestId('submitted-message').innerText(), '您已被取消本场考试资格');
    assert.equal(await m.page.getByTestId('submitted-note').innerText(), `原因：${reason}`);
    await within('seat 取消资格', at, seatIn(p, 'disqualified'));
    assert.match(await seat(p).getByTestId('seat-state').innerText(), /^取消资格$/);
    await m.page.getByTestId('submitted-at').filter({ hasText: '北京时间' }).waitFor();
    await candidateShot(m, '07-candidate-disqualified');

    const row = await attemptRow(p);
    assert.equal(row!.state, 'submitted');
    assert.equal(row!.submit_reason, 'disqualified');
    const api = await seatApi(p);
    assert.equal(api.state, 'disqualified');
    assert.equal(api.submitReason, 'disqualified');
    const logged = console_.getByTestId('action-row').filter({ hasText: reason });
    await logged.waitFor();
    assert.match(await logged.innerText(), /取消考试资格/);
    await consoleShot('08-console-disqualified');
    await closeSeat();
    assert.ok(await sameDocument(), 'the console was not reloaded');
    assert.deepEqual(m.errors, []);
  });

  // ---- 3. time compensation ---------------------------------------------------

  it(`补时 ${MINUTES} minutes: the countdown moves by exactly that, less the seconds that passed; every deadline moves by ${MINUTES * 60} s`, async () => {
    const p = people[2]!;
    const m = await machine('compensated');
    const paper = await openPaper(m, p);
    await liveReady(m);
    await seatIn(p, 'answering').waitFor();
    const countdown = m.page.getByTestId('countdown');
    const deadline0 = Date.parse(paper.deadline);
    assert.equal(Date.parse((await countdown.getAttribute('data-deadline'))!), deadline0);
    const status0 = (await (await asMachine(m, 'GET', `/api/candidate/attempts/${paper.attemptId}/status`)).json()) as { deadline: string };
    assert.equal(Date.parse(status0.deadline), deadline0);
    const seat0 = await seatApi(p);
    assert.equal(Date.parse(seat0.deadline!), deadline0);
    const row0 = (await attemptRow(p))!;

    const drawer = await openSeat(p);
    await drawer.getByTestId('act-compensation').click();
    const modal = console_.locator('.ant-modal:visible').filter({ hasText: '补时' });
    await modal.waitFor();
    await modal.getByTestId('action-minutes').fill(String(MINUTES));
    const reason = `计算机故障，更换备用机耗时 ${MINUTES} 分钟`;
    await modal.getByTestId('action-reason').fill(reason);
    // The countdown as shown, read at its next tick (it is redrawn at every server second), with the
    // page's own time of that tick: each reading is then exact to the rounding of the second.
    const read = () =>
      m.page.evaluate(
        () =>
          new Promise<{ text: string; at: number }>((resolve) => {
            const el = document.querySelector('[data-testid=countdown]')!;
            const seen = new MutationObserver(() => {
              seen.disconnect();
              resolve({ text: el.textContent!, at: performance.now() });
            });
            seen.observe(el, { childList: true, characterData: true, subtree: true });
          }),
      );
    const shown0 = await read();
    await candidateShot(m, '09-countdown-before');
    const { at, response } = await responseOf(console_, (r) => isPost(r, /\/compensation$/), () => modal.getByTestId('action-ok').click());
    assert.equal(response.status(), 200, await response.text());
    const expected = new Date(deadline0 + MINUTES * 60_000).toISOString();
    assert.equal(((await response.json()) as { deadline: string }).deadline, expected);

    await within('candidate countdown moved', at, m.page.locator(`[data-testid=countdown][data-deadline="${expected}"]`));
    const shown1 = await read();
    const passed = (shown1.at - shown0.at) / 1000;
    const moved = countdownSeconds(shown1.text) - countdownSeconds(shown0.text);
    // Both readings are the remaining time rounded up to the second, taken at a tick: off by less than 1 s, plus
    // however late each tick was drawn and observed, which a loaded machine stretches; 3 s allows for that and
    // stays far below what a wrong extension would show (a whole minute at least: 补时 is given in minutes).
    assert.ok(
      Math.abs(moved - (MINUTES * 60 - passed)) < 3,
      `the countdown went from ${shown0.text} to ${shown1.text} (${moved} s) in ${passed.toFixed(2)} s: expected ${MINUTES * 60} s less the seconds that passed`,
    );
    timings.push(`countdown ${shown0.text} → ${shown1.text} in ${passed.toFixed(2)} s`);
    // And it counts down to the new deadline on the server's clock.
    const left = (Date.parse(expected) - (await serverNow(base))) / 1000;
    const shownNow = countdownSeconds(await countdown.innerText());
    assert.ok(Math.abs(shownNow - left) <= 2, `shows ${shownNow} s left, the server says ${left.toFixed(1)} s`);
    await candidateShot(m, '10-countdown-after');

    // The deadline, by every account, moved by exactly N·60 s.
    const status1 = (await (await asMachine(m, 'GET', `/api/candidate/attempts/${paper.attemptId}/status`)).json()) as { deadline: string; state: string };
    assert.equal(Date.parse(status1.deadline) - Date.parse(status0.deadline), MINUTES * 60_000, 'the candidate API\'s deadline');
    assert.equal(status1.state, 'in_progress');
    const seat1 = await seatApi(p);
    assert.equal(Date.parse(seat1.deadline!) - Date.parse(seat0.deadline!), MINUTES * 60_000, 'the proctor API\'s deadline');
    assert.equal(seat1.extensionMin, MINUTES);
    const row1 = (await attemptRow(p))!;
    assert.equal(Date.parse(row1.deadline_at) - Date.parse(row0.deadline_at), MINUTES * 60_000);
    assert.equal(Date.parse(row1.finalize_at) - Date.parse(row0.finalize_at), MINUTES * 60_000);
    assert.equal(row1.extension_sec - row0.extension_sec, MINUTES * 60);

    await drawer.getByTestId('drawer-extension').filter({ hasText: `已补时 ${MINUTES} 分钟` }).waitFor();
    await seat(p).getByText(`补时 ${MINUTES} 分`).waitFor();
    await console_.getByTestId('action-row').filter({ hasText: reason }).waitFor();
    await consoleShot('11-console-compensation');
    await closeSeat();
    assert.deepEqual(m.errors, []);
  });

  // ---- 4. leaving full screen -------------------------------------------------

  it(`leaving full screen more than ${FORGIVEN_EXITS} times hands the theory paper in; the seat map shows 已交卷 and the exits within ${LIVE_MS / 1000} s, without reload`, async () => {
    const p = people[3]!;
    const m = await machine('fullscreen');
    const paper = await openPaper(m, p);
    await answer(m, paper.questions[0]!);
    await waitSaved(m);
    await seatIn(p, 'answering').waitFor();
    const exitEvent = (r: Response) => isPost(r, /\/events$/) && r.request().postDataJSON()?.type === 'fullscreen-exit';

    // The forgiven exits: a warning each, and back to full screen.
    for (let n = 1; n <= FORGIVEN_EXITS; n++) {
      const { response } = await responseOf(m.page, exitEvent, () => m.page.evaluate(() => document.exitFullscreen()));
      const body = (await response.json()) as { action: string; warningsLeft?: number };
      assert.equal(body.action, 'warning', `exit ${n}`);
      assert.equal(body.warningsLeft, FORGIVEN_EXITS - n);
      await m.page.getByTestId('fullscreen-warning').filter({ hasText: '警告：您离开了全屏' }).waitFor();
      if (n === 1) await candidateShot(m, '12-fullscreen-warning');
      await seat(p).getByTestId('seat-badges').filter({ hasText: `离开全屏 ${n}` }).waitFor({ timeout: LIVE_MS });
      await m.page.getByTestId('enter-fullscreen').click();
      await m.page.getByTestId('fullscreen-overlay').waitFor({ state: 'detached' });
    }
    assert.equal((await attemptRow(p))!.state, 'in_progress', 'forgiven exits do not hand in');

    // One more: handed in.
    const { at, response } = await responseOf(m.page, exitEvent, () => m.page.evaluate(() => document.exitFullscreen()));
    assert.equal(((await response.json()) as { action: string }).action, 'submitted');
    const exits = FORGIVEN_EXITS + 1;
    await within('seat 已交卷 after the last exit', at, seatIn(p, 'submitted'));
    await within('seat shows the exits', at, seat(p).getByTestId('seat-badges').filter({ hasText: `离开全屏 ${exits}` }));
    assert.match(await seat(p).getByTestId('seat-state').innerText(), /^已交卷$/);
    assert.ok(await sameDocument(), 'the console was not reloaded');
    await m.page.locator('[data-testid=submitted][data-reason=fullscreen]').waitFor();
    assert.equal(await m.page.getByTestId('submitted-message').innerText(), '您离开了全屏，按考试规定试卷已提交');
    await m.page.getByTestId('submitted-at').filter({ hasText: '北京时间' }).waitFor();
    await candidateShot(m, '13-fullscreen-submitted');
    await consoleShot('14-console-fullscreen-submitted');

    const row = (await attemptRow(p))!;
    assert.equal(row.state, 'submitted');
    assert.equal(row.submit_reason, 'fullscreen-exit');
    assert.equal(row.fullscreen_exits, exits);
    const api = await seatApi(p);
    assert.equal(api.state, 'submitted');
    assert.equal(api.events.fullscreenExit, exits);
    // The details say it too.
    const drawer = await openSeat(p);
    assert.match(await drawer.getByTestId('drawer-events').innerText(), new RegExp(`离开全屏 ${exits}`));
    await closeSeat();
    assert.deepEqual(m.errors, []);
  });

  // ---- 5. absences after entry closes ----------------------------------------

  it('after entry closes: the console suggests the seats never signed in, the proctor registers them, they show 缺考, and one of them cannot enter', async () => {
    const { sitting } = await roomApi();
    assert.equal(sitting.entryClosed, false);
    t.clock.set(Date.parse(sitting.entryClosesAt) + 60_000);
    // Nothing the candidates do announces the clock: the proctor refreshes.
    await console_.getByRole('button', { name: '刷新' }).click();
    const banner = console_.getByTestId('absence-banner');
    await banner.waitFor();
    const entered = people.slice(0, 4);
    const absent = people.slice(4);
    // The banner lists "<seat> <name>" entries joined by 、: compared entry by entry, since demo names are
    // random and one may repeat or be part of another (王伟 in 王伟芳); the seat tells the entries apart.
    const names = await banner.locator('.ant-alert-description').innerText();
    const suggested = names.split('、').map((e) => e.trim());
    const entry = (q: Person) => `${String(q.seatNo).padStart(2, '0')} ${q.name}`;
    for (const q of absent) assert.ok(suggested.includes(entry(q)), `${entry(q)} is suggested: ${names}`);
    for (const q of entered) assert.ok(!suggested.includes(entry(q)), `${entry(q)} entered and is not suggested: ${names}`);
    assert.deepEqual([...suggested].sort(), absent.map(entry).sort(), `exactly the absent, once each: ${names}`);
    assert.match(await banner.innerText(), new RegExp(`以下 ${absent.length} 名考生未入场`));
    assert.deepEqual((await roomApi()).suggestedAbsent.sort(), absent.map((q) => q.registrationId).sort());
    for (const q of absent) assert.equal(await seatIn(q, 'not-signed-in').count(), 1, `seat ${q.seatNo} is 未登录`);
    await consoleShot('15-console-absence-banner');

    await banner.getByTestId('register-absences').click();
    const modal = console_.locator('.ant-modal:visible').filter({ hasText: `登记缺考（${absent.length} 人）` });
    await modal.waitFor();
    assert.equal(await modal.getByTestId('action-reason').inputValue(), '开考 30 分钟后未入场');
    const { at, response } = await responseOf(console_, (r) => isPost(r, /\/absences$/), () => modal.getByTestId('action-ok').click());
    assert.equal(response.status(), 200, await response.text());
    assert.deepEqual(await response.json(), { registered: absent.length });
    for (const q of absent) await within(`seat ${q.seatNo} 缺考`, at, seatIn(q, 'absent'));
    for (const q of absent) assert.match(await seat(q).getByTestId('seat-state').innerText(), /^缺考$/);
    await banner.waitFor({ state: 'detached' });
    for (const q of entered) assert.equal(await seatIn(q, 'absent').count(), 0, `seat ${q.seatNo} is not absent`);
    const rows = await t.ctx.db.selectFrom('absences').select('registration_id').where('sitting_id', '=', sittingId).execute();
    assert.deepEqual(rows.map((r) => r.registration_id).sort(), absent.map((q) => q.registrationId).sort());
    await consoleShot('16-console-absent');
    await consoleShot('16b-console-absent-full-page', true);

    // A late candidate of them arrives and logs in: the sitting cannot be entered.
    const late = absent[0]!;
    const m = await machine('late');
    const { response: login } = await responseOf(m.page, (r) => isPost(r, /\/api\/candidate\/login$/), () => logIn(m, late));
    assert.equal(login.status(), 200);
    const listed = ((await login.json()) as { sittings: { id: string; state: string }[] }).sittings;
    assert.deepEqual(listed.map((s) => [s.id, s.state]), [[sittingId, 'closed']]);
    const item = m.page.getByTestId(`sitting-${sittingId}`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-state'), 'closed');
    // Told that entry has closed (the sitting runs on), with no way in.
    assert.equal(await m.page.getByTestId(`state-${sittingId}`).innerText(), '入场已截止');
    assert.equal(await m.page.getByTestId('no-sittings').innerText(), '已超过开考后允许入场的时间，您不能再进入考试。如有疑问，请联系监考人员。');
    const enter = m.page.getByTestId(`enter-${sittingId}`);
    assert.ok(await enter.isDisabled(), 'no way in from the list');
    assert.equal(await enter.innerText(), '不能进入');
    assert.doesNotMatch(await m.page.locator('body').innerText(), /已结束/);
    await candidateShot(m, '17-late-refused');
    assert.equal(await attemptRow(late), undefined, 'no attempt was made');
    assert.equal(await seatIn(late, 'absent').count(), 1, 'still 缺考');
    // The server says the same to an entry asked for directly, as this machine.
    const direct = await asMachine(m, 'POST', `/api/candidate/sittings/${sittingId}/attempt`);
    assert.equal(direct.status, 409);
    assert.equal(((await direct.json()) as { error: { code: string } }).error.code, 'ENTRY_CLOSED');
    assert.deepEqual(m.errors, []);
  });

  it('no page error and no unexpected console error, on either side', () => {
    for (const m of machines) assert.deepEqual(m.errors, [], `machine ${m.name}`);
    assert.deepEqual(consoleErrors, []);
  });
});
