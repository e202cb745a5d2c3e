// 考前准备: the manual's exam-day timeline as a checklist, whose items change
// state as rooms, registrations, the arrangement, proctors, prints and marks
// appear (rows of other modules are inserted directly), and with the clock.
//
//   node --import tsx --test packages/server/test/readiness.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, nowIso } from '../src/ids.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { api, enabledSite, standardPeople } from './sites-fixture.ts';

const NOW = Date.parse('2026-06-01T02:00:00.000Z');
const T = Date.parse('2026-07-18T00:30:00.000Z'); // the first sitting: 08:30 Beijing
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

for (const { kind, skip } of await databaseKinds()) {
  describe(`readiness on ${kind}`, { skip }, () => {
    let t: TestApp;
    const call = api(() => t);
    let inst: { a: string; b: string };
    let siteId: string;
    let planId: string;
    let rooms: { id: string; name: string }[];
    /** A room by name, not by its place in the site's list of rooms. */
    const room = (name: string) => {
      const found = rooms.find((x) => x.name === name);
      assert.ok(found, `room ${name}`);
      return found;
    };
    const registrations: string[] = [];

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(NOW);
      inst = await standardPeople(t.ctx.db);
      siteId = await enabledSite(call);
      const plan = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-06', examDate: '2026-07-18' });
      assert.equal(plan.status, 200, plan.raw);
      planId = plan.body.id;
    });
    after(async () => t?.close());

    const readiness = async (who = 'coordA') => {
      const res = await call(who, 'GET', `/api/console/readiness?planId=${planId}&siteId=${siteId}`);
      assert.equal(res.status, 200, res.raw);
      return res.body;
    };
    const item = (r: any, key: string) => {
      const found = r.items.find((i: any) => i.key === key);
      assert.ok(found, `item ${key}`);
      return found;
    };
    const states = (r: any) => Object.fromEntries(r.items.map((i: any) => [i.key, i.state]));

    test('before anything: the manual\'s timeline, due times counted back from 08:30', async () => {
      const r = await readiness();
      assert.equal(r.plan.firstStartsAt, new Date(T).toISOString());
      assert.equal(r.site.statusName, '审核通过已启用');
      assert.equal(r.now, new Date(NOW).toISOString());
      assert.equal(r.canMark, true);
      assert.deepEqual(r.phases.map((p: any) => p.title), ['考试前一周', '考试前三天', '考试前一天', '考前 60 分钟', '考前 30 分钟', '考前 5 分钟']);
      assert.deepEqual(r.items.map((i: any) => i.key), [
        'agreement_signed', 'rooms_ready', 'seats_enough', 'arrangement_published', 'proctors_assigned',
        'tickets_printed', 'stickers_printed',
        'rooms_sealed', 'monitoring_checked',
        'signin_printed', 'signin_collected',
        'entry_checked',
        'login_theory', 'login_practical',
      ]);
      assert.deepEqual(states(r), {
        agreement_signed: 'done', rooms_ready: 'missing', seats_enough: 'missing', arrangement_published: 'missing', proctors_assigned: 'missing',
        tickets_printed: 'upcoming', stickers_printed: 'upcoming', rooms_sealed: 'upcoming', monitoring_checked: 'upcoming',
        signin_printed: 'upcoming', signin_collected: 'upcoming', entry_checked: 'upcoming', login_theory: 'upcoming', login_practical: 'upcoming',
      });
      assert.equal(item(r, 'rooms_ready').due, new Date(T - 7 * DAY).toISOString());
      assert.equal(item(r, 'tickets_printed').due, new Date(T - 3 * DAY).toISOString());
      assert.equal(item(r, 'rooms_sealed').due, new Date(T - DAY).toISOString());
      assert.equal(item(r, 'signin_collected').due, new Date(T - 60 * MIN).toISOString());
      assert.equal(item(r, 'entry_checked').due, new Date(T - 30 * MIN).toISOString());
      assert.equal(item(r, 'login_theory').due, new Date(T - 5 * MIN).toISOString());
      assert.equal(item(r, 'login_practical').due, new Date(T + 100 * MIN - 5 * MIN).toISOString(), 'practical starts 10:10');
      assert.equal(item(r, 'rooms_ready').detail, '尚未设置考场');
      assert.equal(item(r, 'seats_enough').detail, '本站点在该计划暂无报考考生');
      assert.deepEqual(r.items.filter((i: any) => i.manual).map((i: any) => i.key), ['rooms_sealed', 'monitoring_checked', 'signin_collected', 'entry_checked']);
      assert.equal(item(r, 'agreement_signed').detail, '考务协议已签署');
    });

    test('scopes and input: another institution 404, a teacher 403, plan and site required', async () => {
      assert.equal((await call('coordB', 'GET', `/api/console/readiness?planId=${planId}&siteId=${siteId}`)).status, 404);
      assert.equal((await call('teacherA', 'GET', `/api/console/readiness?planId=${planId}&siteId=${siteId}`)).status, 403);
      const noPlan = await call('coordA', 'GET', `/api/console/readiness?siteId=${siteId}`);
      assert.equal(noPlan.status, 400);
      assert.equal(noPlan.body.error.message, '请选择考试计划');
      assert.equal((await call('coordA', 'GET', `/api/console/readiness?planId=nope&siteId=${siteId}`)).status, 404);
      assert.equal((await readiness('techA')).canMark, true);
      assert.equal((await readiness('adminA')).canMark, false);
      assert.equal((await readiness('op')).items.length, 14);
      const plans = await call('techA', 'GET', '/api/console/readiness/plans');
      assert.deepEqual(plans.body.plans.map((p: any) => [p.id, p.firstStartsAt]), [[planId, new Date(T).toISOString()]]);
    });

    test('rooms and registrations: rooms set, seats against candidates', async () => {
      for (const [name, seats] of [['一号机房', 40], ['二号机房', 30]] as const) {
        // The checklist lists rooms as the site page does, by created_at (real clock, ms)
        // then id (random within a ms): each room gets a millisecond of its own, so 一号
        // comes before 二号.
        for (const last = nowIso(); nowIso() === last; ) await new Promise((r) => setTimeout(r, 1));
        const res = await call('coordA', 'POST', `/api/console/sites/${siteId}/rooms`, { name, location: '实训楼', seats, spareMachines: 3 });
        assert.equal(res.status, 200, res.raw);
        rooms = res.body.rooms.map((x: any) => ({ id: x.id, name: x.name }));
      }
      let r = await readiness();
      assert.equal(item(r, 'rooms_ready').state, 'done');
      assert.equal(item(r, 'rooms_ready').detail, '已设置 2 个考场，共 70 个考位');

      const db = t.ctx.db;
      const register = async (n: number, site: string, institution: string) => {
        for (let i = 0; i < n; i++) {
          const candidateId = newId();
          const registrationId = newId();
          const no = `${site === siteId ? 'A' : 'B'}${String(registrations.length + i).padStart(4, '0')}`;
          await db.insertInto('candidates').values({ id: candidateId, name: `考生${no}`, id_type: 'resident', id_number: `ID${no}${newId()}`, created_at: nowIso(), gender: null, institution_id: institution, major_id: null, class_id: null, phone: null, photo_name: null, created_by: null }).execute();
          await db.insertInto('registrations').values({ id: registrationId, plan_id: planId, candidate_id: candidateId, level: 'junior', ticket_no: no, created_at: nowIso(), site_id: site, institution_id: institution, created_by: null }).execute();
          if (site === siteId) registrations.push(registrationId);
        }
      };
      await register(45, siteId, inst.a);
      await register(3, newId(), inst.b); // candidates of another site do not count
      r = await readiness();
      assert.equal(r.registered, 45);
      assert.equal(item(r, 'seats_enough').state, 'done');
      assert.equal(item(r, 'seats_enough').detail, '考位 70 个，报考 45 人');
      assert.equal(item(r, 'arrangement_published').detail, '尚未编排（报考 45 人）');
    });

    test('the arrangement: draft, then published; proctors 2 per 40', async () => {
      const db = t.ctx.db;
      await db.insertInto('arrangements').values({ plan_id: planId, site_id: siteId, state: 'draft', options: '{"everyOtherSeat":false}', problems: '[]', published_at: null, published_by: null, updated_at: nowIso() }).execute();
      for (const [i, reg] of registrations.entries()) {
        const seatRoom = i < 40 ? room('一号机房') : room('二号机房');
        await db.insertInto('seat_assignments').values({ registration_id: reg, plan_id: planId, site_id: siteId, room_id: seatRoom.id, seat_no: i < 40 ? i + 1 : i - 39, created_at: nowIso() }).execute();
      }
      let r = await readiness();
      assert.equal(item(r, 'arrangement_published').state, 'missing');
      assert.equal(item(r, 'arrangement_published').detail, '已安排 45/45 人，尚未发布');
      await db.updateTable('arrangements').set({ state: 'published', published_at: '2026-06-01T03:00:00.000Z' }).where('plan_id', '=', planId).execute();
      r = await readiness();
      assert.equal(item(r, 'arrangement_published').state, 'done');
      assert.equal(item(r, 'arrangement_published').detail, '已安排 45/45 人，已发布（2026-06-01 11:00）');
      assert.equal(item(r, 'proctors_assigned').detail, '2 个考场需监考员 4 名，已安排 0 名；一号机房缺 2 名，二号机房缺 2 名');

      const proctor = async (roomId: string, n: number) => {
        const id = newId();
        await db.insertInto('users').values({ id, username: `p${id}`, password_hash: 'x', role: 'proctor', display_name: `监考${n}`, created_at: nowIso(), institution_id: inst.a, phone: null, review_note: null, class_id: null, student_no: null }).execute();
        await db.insertInto('proctor_assignments').values({ id: newId(), plan_id: planId, site_id: siteId, room_id: roomId, user_id: id, duty: 'proctor', created_at: nowIso() }).execute();
      };
      await proctor(room('一号机房').id, 1);
      await proctor(room('一号机房').id, 2);
      await proctor(room('二号机房').id, 3);
      r = await readiness();
      assert.equal(item(r, 'proctors_assigned').state, 'missing');
      assert.equal(item(r, 'proctors_assigned').detail, '2 个考场需监考员 4 名，已安排 3 名；二号机房缺 1 名');
      // The site page shows the same as a room warning.
      const site = await call('coordA', 'GET', `/api/console/sites/${siteId}`);
      assert.equal(site.body.plan.id, planId);
      const room2 = site.body.rooms.find((x: any) => x.name === '二号机房');
      assert.equal(room2.placed, 5);
      assert.equal(room2.proctors, 1);
      assert.deepEqual(room2.warnings.map((w: any) => w.code), ['SEATS_BELOW_STANDARD', 'PROCTORS_TOO_FEW']);
      await proctor(room('二号机房').id, 4);
      r = await readiness();
      assert.equal(item(r, 'proctors_assigned').state, 'done');
    });

    test('prints: tickets, then door and desk stickers', async () => {
      const db = t.ctx.db;
      const print = (kind: 'tickets' | 'door' | 'desk' | 'signin', at: string, site: string = siteId) =>
        db.insertInto('print_log').values({ id: newId(), plan_id: planId, site_id: site, kind, pages: 45, printed_by: 'x', printed_at: at }).execute();
      await print('tickets', '2026-06-02T01:00:00.000Z', newId()); // another site's print does not count
      let r = await readiness();
      assert.equal(item(r, 'tickets_printed').state, 'upcoming');
      await print('tickets', '2026-06-02T01:00:00.000Z');
      await print('door', '2026-06-02T01:10:00.000Z');
      r = await readiness();
      assert.equal(item(r, 'tickets_printed').state, 'done');
      assert.equal(item(r, 'tickets_printed').detail, '准考证已打印 1 次，最近 2026-06-02 09:00');
      assert.equal(item(r, 'stickers_printed').state, 'upcoming');
      assert.equal(item(r, 'stickers_printed').detail, '门贴已打印 1 次，最近 2026-06-02 09:10；桌贴未打印');
      await print('desk', '2026-06-02T01:20:00.000Z');
      assert.equal(item(await readiness(), 'stickers_printed').state, 'done');
    });

    test('the clock: a phase begins (missing), then its due time passes (overdue)', async () => {
      t.clock.set(T - 2 * DAY);
      let r = await readiness();
      assert.equal(item(r, 'rooms_sealed').state, 'missing');
      assert.equal(item(r, 'signin_printed').state, 'upcoming');
      t.clock.set(T - 12 * 60 * MIN);
      r = await readiness();
      assert.equal(item(r, 'rooms_sealed').state, 'overdue');
      assert.equal(item(r, 'monitoring_checked').state, 'overdue');
      assert.equal(item(r, 'signin_printed').state, 'missing');
      assert.equal(item(r, 'signin_collected').state, 'missing');
      assert.equal(item(r, 'entry_checked').state, 'upcoming');
    });

    test('marks by hand: set by the technician, cleared by the coordinator; audited; scopes', async () => {
      const mark = (who: string, body: Record<string, unknown>) => call(who, 'POST', '/api/console/readiness/marks', { planId, siteId, ...body });
      const res = await mark('techA', { item: 'rooms_sealed', note: '横幅已挂好' });
      assert.equal(res.status, 200, res.raw);
      const sealed = item(res.body, 'rooms_sealed');
      assert.equal(sealed.state, 'done');
      assert.deepEqual(sealed.mark, { by: '甲技术员', at: new Date(T - 12 * 60 * MIN).toISOString(), note: '横幅已挂好' });
      assert.equal(sealed.detail, '已确认（甲技术员，2026-07-17 20:30）：横幅已挂好');
      const again = await mark('coordA', { item: 'rooms_sealed' });
      assert.equal(item(again.body, 'rooms_sealed').mark.by, '甲负责人', 'marking again replaces the mark');

      const auto = await mark('coordA', { item: 'tickets_printed' });
      assert.equal(auto.status, 400);
      assert.equal(auto.body.error.code, 'NOT_A_MANUAL_ITEM');
      assert.equal((await mark('coordA', { item: 'xyz' })).status, 400);
      assert.equal((await mark('coordB', { item: 'rooms_sealed' })).status, 404);
      assert.equal((await mark('adminA', { item: 'rooms_sealed' })).status, 403);
      assert.equal((await mark('teacherA', { item: 'rooms_sealed' })).status, 403);
      assert.equal((await mark('op', { item: 'monitoring_checked' })).status, 200);
      assert.equal((await call('coordB', 'DELETE', `/api/console/readiness/marks?planId=${planId}&siteId=${siteId}&item=rooms_sealed`)).status, 404);

      const cleared = await call('coordA', 'DELETE', `/api/console/readiness/marks?planId=${planId}&siteId=${siteId}&item=rooms_sealed`);
      assert.equal(cleared.status, 200, cleared.raw);
      assert.equal(item(cleared.body, 'rooms_sealed').state, 'overdue');
      assert.equal(item(cleared.body, 'rooms_sealed').mark, null);
      assert.equal(item(cleared.body, 'monitoring_checked').state, 'done');

      const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'readiness').orderBy('at').orderBy('id').execute();
      assert.deepEqual(log.map((l) => [l.action, l.actor]), [
        ['readiness.mark', 'techA'], ['readiness.mark', 'coordA'], ['readiness.mark', 'op'], ['readiness.unmark', 'coordA'],
      ]);
      assert.equal(JSON.parse(log[1]!.before!).note, '横幅已挂好');
      assert.equal(log[0]!.institution_id, inst.a);
    });

    test('exam day: log-ins counted once the sitting begins, then absences', async () => {
      t.clock.set(T - 10 * MIN);
      let r = await readiness();
      assert.equal(item(r, 'login_theory').state, 'upcoming');
      assert.equal(item(r, 'login_theory').detail, '开考后统计登录人数（应考 45 人）');
      t.clock.set(T - 3 * MIN);
      assert.equal(item(await readiness(), 'login_theory').state, 'missing');

      const db = t.ctx.db;
      const theory = await db.selectFrom('sittings').select('id').where('plan_id', '=', planId).where('level', '=', 'junior').where('paper', '=', 'theory').executeTakeFirstOrThrow();
      for (const reg of registrations.slice(0, 40)) {
        await db.insertInto('attempts').values({
          id: newId(), sitting_id: theory.id, registration_id: reg, state: 'in_progress', started_at: new Date(T).toISOString(),
          deadline_at: new Date(T + 90 * MIN).toISOString(), finalize_at: new Date(T + 90 * MIN + 30_000).toISOString(), extension_sec: 0,
          submitted_at: null, submit_reason: null, score: null, max_score: null, fullscreen_exits: 0, paper: '[]',
          grading_state: null, auto_score: null, manual_score: null,
        }).execute();
      }
      t.clock.set(T + MIN);
      r = await readiness();
      assert.equal(item(r, 'login_theory').state, 'missing');
      assert.equal(item(r, 'login_theory').detail, '已登录开考 40/45 人，5 人尚未登录');
      assert.equal(item(r, 'login_practical').state, 'upcoming');
      t.clock.set(T + 31 * MIN);
      r = await readiness();
      assert.equal(item(r, 'login_theory').state, 'done');
      assert.equal(item(r, 'login_theory').detail, '已登录开考 40/45 人，缺考 5 人');
      assert.equal(item(r, 'entry_checked').state, 'overdue');
      t.clock.set(T + 100 * MIN + 31 * MIN);
      assert.equal(item(await readiness(), 'login_practical').state, 'overdue', 'nobody started the practical paper');
    });
  });
}
