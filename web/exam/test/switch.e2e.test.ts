// End to end, two computers (two browser contexts, each its own local storage
// and so its own client id) and the real server in this process (so the test
// can publish on its live bus, as the proctor routes do):
//   - machine A enters and answers; machine B logs in as the same candidate and
//     waits (换机申请); a proctor's approval (written to the database here)
//     locks A out at its next save, which does not land; B opens the paper by
//     itself with every answer;
//   - a broadcast and a warning reach B at once through the live socket and are
//     shown once each, not again after a reload;
//   - a disqualification reaches B at once: the end screen gives the reason;
//   - with a second candidate, the approval published on the live bus locks the
//     old machine out by itself, within seconds.
// Screenshots (1024×768): switch-wait, locked, broadcast, warning, disqualified.
//
//   node --import tsx --test web/exam/test/switch.e2e.test.ts
// KAOWU_SCREENSHOTS=<dir> keeps the screenshots in <dir>/switch (otherwise a temp dir, removed).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromiumDuring } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { openContext } from '../../../packages/server/src/bootstrap.ts';
import { buildApp, type App } from '../../../packages/server/src/app.ts';
import { newId, nowIso } from '../../../packages/server/src/ids.ts';
import { createDemo, type DemoResult } from '../../../packages/server/src/modules/demo/demo.ts';
import { freshDatabase, type TestDatabase } from '../../../packages/server/test/helpers.ts';
import { ensureExamBuilt, eventually, normalize, pngSize, storedAnswers, type AnswerValue, type Ctx } from './e2e.ts';

const MIN = 60_000;
// Failed loads the browser logs when the client meets an expected error.
const SWITCH_PENDING = /status of 409 .*\/api\/candidate\/sittings\/[^/]+\/attempt$/;
const REPLACED_SAVE = /status of 409 .*\/api\/candidate\/attempts\/[^/]+\/(answers\/[^/]+|status)$/;

interface Machine {
  context: BrowserContext;
  page: Page;
  errors: string[];
  allowed: RegExp[];
  /** { type: 'ready' } frames the page's live sockets received */
  ready: number;
}

describe('two computers, one attempt: machine switch, proctors\' messages, disqualification', { skip: chromiumMissing, timeout: 150_000 }, () => {
  let db: TestDatabase;
  let ctx: Ctx;
  let server: App;
  let base = '';
  let demo: DemoResult;
  let browser: Browser;
  const machines: Machine[] = [];
  const shots = shotsDir('switch');

  before(async () => {
    ensureExamBuilt();
    browser = await launchChromiumDuring(async () => {
      db = await freshDatabase('sqlite');
      ctx = await openContext({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { log: pino({ level: 'silent' }) });
      demo = await createDemo(ctx, {
        candidates: 2, level: 'junior', startsAt: Date.now() - 2 * MIN, durationMin: 60, school: true,
        rules: { earliestSubmitMin: 0, finalLockMin: 0, fullscreenRequired: false },
      });
      server = await buildApp(ctx, { logger: false });
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.app.close();
      await ctx?.close();
      await db?.drop();
    }
  });

  async function machine(): Promise<Machine> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const m: Machine = { context, page, errors: [], allowed: [], ready: 0 };
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('"ready"')) m.ready++;
      });
    });
    collectPageErrors(page, m.errors, m.allowed);
    machines.push(m);
    return m;
  }

  async function shot(page: Page, name: string): Promise<void> {
    const png = await page.screenshot({ path: path.join(shots, `${name}.png`) });
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 }, `${name}.png is 1024×768`);
  }

  async function logIn(page: Page, c: { ticketNo: string; idNumber: string }): Promise<void> {
    await page.goto(`${base}/exam/`);
    await page.getByTestId('login-ticket').fill(c.ticketNo);
    await page.getByTestId('login-id').fill(c.idNumber);
    await page.getByTestId('login-submit').click();
  }

  const clientIdOf = (page: Page) => page.evaluate(() => localStorage.getItem('kaowu.exam.client'));
  const placeOf = async (ticketNo: string) =>
    ctx.db
      .selectFrom('registrations')
      .innerJoin('seat_assignments', 'seat_assignments.registration_id', 'registrations.id')
      .innerJoin('attempts', 'attempts.registration_id', 'registrations.id')
      .select(['registrations.id as registrationId', 'seat_assignments.room_id as roomId', 'attempts.id as attemptId'])
      .where('registrations.ticket_no', '=', ticketNo)
      .executeTakeFirstOrThrow();
  /** What the proctor's approval writes (the route is written elsewhere). */
  const approve = async (attemptId: string, clientId: string) => {
    await ctx.db.updateTable('machine_switches').set({ state: 'approved', decided_at: nowIso(Date.now()) }).where('attempt_id', '=', attemptId).where('state', '=', 'pending').execute();
    await ctx.db.updateTable('attempts').set({ client_id: clientId }).where('id', '=', attemptId).execute();
  };
  /** Distinct times, so that the order of the messages is known. */
  let lastAt = 0;
  const proctorAction = (kind: string, reason: string, place: { roomId: string; registrationId: string }, toCandidate: boolean) => {
    lastAt = Math.max(Date.now(), lastAt + 1);
    return ctx.db
      .insertInto('proctor_actions')
      .values({ id: newId(), sitting_id: demo.sittingId, room_id: place.roomId, registration_id: toCandidate ? place.registrationId : null, kind: kind as never, minutes: null, reason, by_user: null, at: nowIso(lastAt) })
      .execute();
  };

  /** The answer the current question shows. */
  async function shownAnswer(page: Page, type: string): Promise<AnswerValue> {
    if (type === 'truefalse') {
      if (await page.getByTestId('truefalse-true').isChecked()) return true;
      return (await page.getByTestId('truefalse-false').isChecked()) ? false : null;
    }
    const ids = await page.locator('[data-testid=question] input:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-option-id') as string));
    if (type === 'single') return ids[0] ?? null;
    return ids.length ? normalize(ids) : null;
  }

  /** Waits until the page's live socket is subscribed (an event published before would be seen by the status poll only). */
  async function liveReady(m: Machine): Promise<void> {
    await eventually('the live socket is ready', async () => m.ready > 0);
  }

  async function waitSaved(page: Page): Promise<void> {
    await page.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor();
  }

  let A: Machine;
  let B: Machine;
  let place: { registrationId: string; roomId: string; attemptId: string };
  /** question id → what machine A answered (and the server stored) */
  const answered = new Map<string, AnswerValue>();
  const typeOf = new Map<string, string>();

  it('a second computer waits for a proctor; the approval locks the first out at its next save, which does not land; the second opens the paper with every answer', async () => {
    const c = demo.candidates[0]!;
    A = await machine();
    await logIn(A.page, c);
    await A.page.getByTestId('paper').waitFor(); // the sitting is open: straight in
    place = await placeOf(c.ticketNo);
    for (const n of [1, 2, 3]) {
      await A.page.getByTestId(`nav-${n}`).click();
      const q = A.page.getByTestId('question');
      const qid = (await q.getAttribute('data-question-id'))!;
      const type = (await q.getAttribute('data-type'))!;
      typeOf.set(qid, type);
      if (type === 'truefalse') await A.page.getByTestId('truefalse-true').click();
      else await A.page.getByTestId('option-B').click();
      answered.set(qid, await shownAnswer(A.page, type));
    }
    await waitSaved(A.page);
    assert.deepEqual(await storedAnswers(ctx, place.attemptId), Object.fromEntries(answered));
    const clientA = await clientIdOf(A.page);
    assert.match(clientA ?? '', /^c[A-Za-z0-9]{23}$/);
    assert.equal((await ctx.db.selectFrom('attempts').select('client_id').where('id', '=', place.attemptId).executeTakeFirstOrThrow()).client_id, clientA);

    // Machine B: the same candidate on another computer.
    B = await machine();
    B.allowed.push(SWITCH_PENDING);
    const enters: number[] = [];
    B.page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/attempt')) enters.push(Date.now());
    });
    await logIn(B.page, c);
    await B.page.getByTestId('switch-wait').waitFor();
    assert.equal(await B.page.getByTestId('switch-wait-message').innerText(), '已向监考员申请换机，请等待监考员确认');
    const clientB = (await clientIdOf(B.page))!;
    assert.notEqual(clientB, clientA);
    const pending = await eventually('a pending switch request', async () =>
      ctx.db.selectFrom('machine_switches').selectAll().where('attempt_id', '=', place.attemptId).where('state', '=', 'pending').executeTakeFirst(),
    );
    assert.equal(pending.client_id, clientB);
    // B asks again 2 s (SWITCH_RETRY_MS, web/exam/src/app.tsx) after each refusal arrived, so a gap is 2 s plus
    // a round trip. The lower bound proves B does not hammer the server; the upper one only that it keeps
    // asking on that timer rather than stopping or backing off: 6 s, since on a loaded machine the round trip
    // and the timer itself can run late by seconds.
    await eventually('B asks again every 2 s', async () => enters.length >= 3, 12_000);
    const gaps = enters.slice(1).map((t, i) => t - enters[i]!);
    assert.ok(gaps.every((g) => g >= 1500 && g <= 6000), `asked again every ~2 s: ${gaps.join(', ')} ms`);
    assert.equal((await ctx.db.selectFrom('machine_switches').select('id').where('attempt_id', '=', place.attemptId).execute()).length, 1, 'one request, however often B asks');
    await shot(B.page, 'switch-wait');

    // The proctor approves; machine A, not told, changes an answer: refused, locked, kept on A.
    await approve(place.attemptId, clientB);
    A.allowed.push(REPLACED_SAVE);
    const [firstId] = [...answered.keys()];
    await A.page.getByTestId('nav-1').click();
    const firstType = typeOf.get(firstId!)!;
    if (firstType === 'truefalse') await A.page.getByTestId('truefalse-false').click();
    else await A.page.getByTestId('option-C').click();
    await A.page.getByTestId('client-replaced').waitFor();
    assert.equal(await A.page.getByTestId('client-replaced-message').innerText(), '本场考试已在另一台计算机上继续作答，本机已停止作答');
    assert.match(await A.page.getByTestId('unsaved-warning').innerText(), /1 道题的修改没有上传/);
    const [kept, queued] = await A.page.evaluate((id) => [localStorage.getItem(`kaowu.exam.set-aside.${id}`), localStorage.getItem(`kaowu.exam.pending.${id}`)], place.attemptId);
    assert.deepEqual(Object.keys(JSON.parse(kept ?? '{}')), [firstId], 'the change is set aside on machine A');
    assert.equal(queued, null, 'and no longer queued: coming back to A would not send it over B\'s answers');
    assert.deepEqual(await storedAnswers(ctx, place.attemptId), Object.fromEntries(answered), 'and did not reach the server');
    await shot(A.page, 'locked');

    // Machine B opens the paper by itself, with every saved answer.
    await B.page.getByTestId('paper').waitFor({ timeout: 10_000 });
    assert.equal(await B.page.getByTestId('paper').getAttribute('data-attempt-id'), place.attemptId);
    assert.equal(await B.page.getByTestId('answered-count').innerText(), String(answered.size));
    for (const [qid, a] of answered) {
      await B.page.locator(`[data-testid^=nav-][data-question-id="${qid}"]`).click();
      await B.page.locator(`[data-testid=question][data-question-id="${qid}"]`).waitFor();
      assert.deepEqual(await shownAnswer(B.page, typeOf.get(qid)!), a, `question ${qid} on machine B`);
    }
    B.allowed.splice(B.allowed.indexOf(SWITCH_PENDING), 1);
    assert.deepEqual(B.errors, []);
    assert.deepEqual(A.errors, []);
  });

  it('a broadcast and a warning reach the candidate at once, each shown once; not again after a reload', async () => {
    const { page } = B;
    await liveReady(B);
    await proctorAction('broadcast', '请各位考生检查准考证是否放在桌面左上角，考试期间不得交头接耳。', place, false);
    await proctorAction('warning', '请勿左顾右盼，再次违反将取消考试资格。', place, true);
    const sent = Date.now();
    server.live.publish({ sittingId: demo.sittingId, roomId: place.roomId, registrationId: null, kind: 'broadcast' });
    await page.locator('[data-testid=proctor-message][data-kind=broadcast]').waitFor({ timeout: 5000 });
    const ms = Date.now() - sent;
    assert.ok(ms < 4000, `shown ${ms} ms after the event (the status poll alone takes up to 11 s)`);
    assert.match(await page.getByTestId('proctor-message-title').innerText(), /监考员广播/);
    assert.match(await page.getByTestId('proctor-message-text').innerText(), /检查准考证/);
    assert.match(await page.getByTestId('proctor-message').innerText(), /还有 1 条消息/);
    await shot(page, 'broadcast');
    await page.getByTestId('proctor-message-ok').click();
    await page.locator('[data-testid=proctor-message][data-kind=warning]').waitFor();
    assert.match(await page.getByTestId('proctor-message-title').innerText(), /监考员警告/);
    await shot(page, 'warning');
    await page.getByTestId('proctor-message-ok').click();
    await page.getByTestId('proctor-message').waitFor({ state: 'detached' });

    await page.reload();
    await page.getByTestId('paper').waitFor();
    const status = page.waitForResponse((r) => r.url().endsWith(`/attempts/${place.attemptId}/status`));
    await eventually('the live socket of the reloaded page', async () => {
      server.live.publish({ sittingId: demo.sittingId, roomId: place.roomId, registrationId: place.registrationId, kind: 'compensation' });
      return Promise.race([status.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 500))]);
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await page.getByTestId('proctor-message').count(), 0, 'dismissed messages are not shown again');
    assert.deepEqual(B.errors, []);
  });

  it('a disqualification reaches the candidate at once: the end screen gives the reason', async () => {
    const { page } = B;
    await proctorAction('disqualify', '考试期间使用手机', place, true);
    await ctx.db.updateTable('attempts').set({ state: 'submitted', submit_reason: 'disqualified', submitted_at: nowIso(Date.now()) }).where('id', '=', place.attemptId).execute();
    server.live.publish({ sittingId: demo.sittingId, roomId: place.roomId, registrationId: place.registrationId, kind: 'disqualify' });
    await page.locator('[data-testid=submitted][data-reason=disqualified]').waitFor({ timeout: 5000 });
    assert.equal(await page.getByTestId('submitted-message').innerText(), '您已被取消本场考试资格');
    assert.equal(await page.getByTestId('submitted-note').innerText(), '原因：考试期间使用手机');
    await page.getByTestId('submitted-at').filter({ hasText: '北京时间' }).waitFor();
    await shot(page, 'disqualified');
    // After a reload: the sitting is listed as handed in and cannot be entered again.
    await page.reload();
    const sitting = page.getByTestId(`sitting-${demo.sittingId}`);
    await sitting.waitFor();
    assert.equal(await sitting.getAttribute('data-state'), 'submitted');
    assert.ok(await page.getByTestId(`enter-${demo.sittingId}`).isDisabled());
    assert.deepEqual(B.errors, []);
  });

  it('the approval published on the live bus locks the old machine out by itself, within seconds', async () => {
    const c = demo.candidates[1]!;
    const old = await machine();
    await logIn(old.page, c);
    await old.page.getByTestId('paper').waitFor();
    const p = await placeOf(c.ticketNo);
    const next = await machine();
    next.allowed.push(SWITCH_PENDING);
    await logIn(next.page, c);
    await next.page.getByTestId('switch-wait').waitFor();
    old.allowed.push(REPLACED_SAVE);
    await liveReady(old);
    await approve(p.attemptId, (await clientIdOf(next.page))!);
    const sent = Date.now();
    server.live.publish({ sittingId: demo.sittingId, roomId: p.roomId, registrationId: p.registrationId, kind: 'switch-approve' });
    await old.page.getByTestId('client-replaced').waitFor({ timeout: 5000 });
    const ms = Date.now() - sent;
    assert.ok(ms < 4000, `locked ${ms} ms after the event`);
    assert.equal(await old.page.getByTestId('unsaved-warning').count(), 0, 'nothing was pending');
    await next.page.getByTestId('paper').waitFor({ timeout: 10_000 });
    assert.deepEqual(old.errors, []);
    assert.deepEqual(next.errors.filter((e) => !SWITCH_PENDING.test(e)), []);
  });

  it('a rejected request says why, and the computer may ask again as a new request', async () => {
    const c = demo.candidates[1]!;
    const p = await placeOf(c.ticketNo);
    const m = await machine();
    m.allowed.push(SWITCH_PENDING);
    await logIn(m.page, c);
    await m.page.getByTestId('switch-wait').waitFor();
    const first = (await clientIdOf(m.page))!;
    await ctx.db
      .updateTable('machine_switches')
      .set({ state: 'rejected', reason: '原计算机工作正常，请回原座位', decided_at: nowIso(Date.now()) })
      .where('attempt_id', '=', p.attemptId)
      .where('state', '=', 'pending')
      .execute();
    await m.page.locator('[data-testid=notice-screen][data-code=SWITCH_REJECTED]').waitFor({ timeout: 5000 });
    assert.match(await m.page.getByTestId('notice-message').innerText(), /原计算机工作正常，请回原座位/);
    await shot(m.page, 'switch-rejected');
    await m.page.getByTestId('switch-again').click();
    await m.page.getByTestId('switch-wait').waitFor();
    const second = (await clientIdOf(m.page))!;
    assert.notEqual(second, first, 'asking again is a new client');
    const pending = await ctx.db.selectFrom('machine_switches').select('client_id').where('attempt_id', '=', p.attemptId).where('state', '=', 'pending').execute();
    assert.deepEqual(pending.map((r) => r.client_id), [second]);
  });

  it('no page error and no unexpected console error on any machine', () => {
    for (const m of machines) assert.deepEqual(m.errors, []);
  });
});
