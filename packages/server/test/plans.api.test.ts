// 考试计划: the 2024 presets of the manual, copying one to a new date, plans
// made by hand with their checks, plan codes, edits before the start.
//
//   node --import tsx --test packages/server/test/plans.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDemo } from '../src/modules/demo/demo.ts';
import { nonDatePlanCode } from '../src/modules/plans/plan-code.ts';
import { parseShanghaiDateTime, sameWeekdayOnOrAfter } from '../src/modules/plans/plan-time.ts';
import { assertAuditFieldsNamed } from './audit-fields.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { api, standardPeople } from './sites-fixture.ts';

const NOW = Date.parse('2026-11-26T02:00:00.000Z'); // 10:00 Beijing
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

test('times: Beijing by default, offsets respected, bad ones refused', () => {
  assert.equal(parseShanghaiDateTime('2024-05-04 17:00'), Date.parse('2024-05-04T09:00:00Z'));
  assert.equal(parseShanghaiDateTime('2024-05-04T17:00'), Date.parse('2024-05-04T09:00:00Z'));
  assert.equal(parseShanghaiDateTime('2024-05-04T17:00:00+08:00'), Date.parse('2024-05-04T09:00:00Z'));
  assert.equal(parseShanghaiDateTime('2024-05-04T09:00:00.000Z'), Date.parse('2024-05-04T09:00:00Z'));
  assert.equal(parseShanghaiDateTime('08:30', '2024-05-18'), Date.parse('2024-05-18T00:30:00Z'));
  for (const bad of ['08:30', '2024-02-30 08:00', '2024-05-04 24:00', 'tomorrow', '2024-05-04', '2024-13-01T00:00Z']) {
    assert.equal(parseShanghaiDateTime(bad), null, bad);
  }
});

test('a copied preset suggests the same Saturday of a coming year', () => {
  const table: [string, string, string][] = [
    ['2024-05-18', '2026-12-11', '2027-05-15'], // 3rd Saturday of May
    ['2024-06-22', '2026-12-11', '2027-06-26'], // 4th Saturday of June
    ['2024-11-23', '2026-12-11', '2027-11-27'],
    ['2024-12-28', '2026-12-11', '2026-12-26'], // this year's is still to come
    ['2024-12-28', '2026-12-27', '2027-12-25'],
    ['2024-06-22', '2024-06-01', '2024-06-22'], // not yet past: itself
  ];
  for (const [date, from, expected] of table) {
    const got = sameWeekdayOnOrAfter(date, from);
    assert.equal(got, expected, `${date} from ${from}`);
    assert.equal(new Date(`${got}T00:00:00Z`).getUTCDay(), 6, 'a Saturday');
  }
  for (let i = 0; i < 200; i++) assert.match(nonDatePlanCode(), /^\d{2}(1[3-9]|[2-9]\d)\d{2}$/);
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`plans on ${kind}`, { skip }, () => {
    let t: TestApp;
    const call = api(() => t);

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(NOW);
      await standardPeople(t.ctx.db);
    });
    after(async () => t?.close());

    test('the four 2024 plans of the manual, every level at 08:30 and 10:10', async () => {
      const res = await call('op', 'GET', '/api/console/plan-presets');
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(res.body.presets.map((p: any) => p.examDate), ['2024-05-18', '2024-06-22', '2024-11-23', '2024-12-28']);
      const may = res.body.presets[0];
      assert.equal(may.name, '2024 年 5 月 Python 程序开发职业技能等级证书全国统考');
      assert.equal(may.sittings.length, 6);
      for (const s of may.sittings) {
        const span = `${beijing(s.startsAt)}–${beijing(s.endsAt).slice(11)}`;
        assert.equal(span, s.paper === 'theory' ? '2024-05-18 08:30–10:00' : '2024-05-18 10:10–12:10');
      }
      assert.deepEqual([...new Set(may.sittings.map((s: any) => s.level))], ['junior', 'intermediate', 'advanced']);
      assert.equal(beijing(may.registrationDeadline), '2024-05-04 17:00');
      assert.match(res.body.deadlineRule, /考试日前 14 天 17:00/);
      assert.equal(may.suggestedDate, '2027-05-15');
      assert.equal(may.suggestedName, '2027 年 5 月 Python 程序开发职业技能等级证书全国统考');
      assert.equal(res.body.presets[3].suggestedDate, '2026-12-26');
      assert.equal((await call('coordA', 'GET', '/api/console/plan-presets')).status, 403);
    });

    let planId: string;
    test('copy a preset to a new date: sittings move with it; the code is the date', async () => {
      const res = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-12', examDate: '2026-12-26' });
      assert.equal(res.status, 200, res.raw);
      const p = res.body;
      planId = p.id;
      assert.equal(p.name, '2026 年 12 月 Python 程序开发职业技能等级证书全国统考');
      assert.equal(p.code, '261226');
      assert.equal(p.examDate, '2026-12-26');
      assert.equal(beijing(p.registrationDeadline), '2026-12-12 17:00');
      assert.equal(p.started, false);
      assert.equal(p.sittings.length, 6);
      assert.deepEqual([...new Set(p.sittings.map((s: any) => beijing(s.startsAt)))], ['2026-12-26 08:30', '2026-12-26 10:10']);
      assert.ok(p.sittings.every((s: any) => (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000 === (s.paper === 'theory' ? 90 : 120)));
      const stored = await t.ctx.db.selectFrom('sittings').select(['name']).where('plan_id', '=', planId).execute();
      assert.ok(stored.some((s) => s.name === 'Python 程序开发 初级 理论考试'));
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'plan.create').executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.after!).preset, '2024-12');
      assert.equal(audit.actor, 'op');
      // The listing (console routes) shows it.
      const list = await call('op', 'GET', '/api/console/plans');
      assert.equal(list.body.plans[0].name, p.name);
    });

    test('copies that cannot be: the same name twice, a past date, an unknown preset', async () => {
      const same = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-12', examDate: '2026-12-26' });
      assert.equal(same.status, 409);
      assert.equal(same.body.error.code, 'PLAN_NAME_TAKEN');
      const past = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-05' });
      assert.equal(past.status, 400);
      assert.equal(past.body.error.message, '开考时间已过：请选择今后的考试日期');
      const soon = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-05', examDate: '2026-12-05' });
      assert.equal(soon.status, 400);
      assert.equal(soon.body.error.code, 'DEADLINE_PASSED', 'the default deadline (14 days before) has passed');
      const fixed = await call('op', 'POST', '/api/console/plans/from-preset', {
        preset: '2024-05', examDate: '2026-12-05', registrationDeadline: '2026-11-28 12:00', name: '2026 年 12 月加考',
      });
      assert.equal(fixed.status, 200, fixed.raw);
      assert.equal(fixed.body.name, '2026 年 12 月加考');
      assert.equal(beijing(fixed.body.registrationDeadline), '2026-11-28 12:00');
      assert.equal(beijing(fixed.body.sittings[0].startsAt), '2026-12-05 08:30');
      assert.equal((await call('op', 'POST', '/api/console/plans/from-preset', { preset: 'nope' })).status, 400);
      const badDate = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-05', examDate: '2026-02-30' });
      assert.equal(badDate.status, 400);
      assert.match(badDate.body.error.message, /考试日期应为有效日期/);
    });

    test('two plans on one date: the second gets a code no date can have', async () => {
      const res = await call('op', 'POST', '/api/console/plans/from-preset', { preset: '2024-12', examDate: '2026-12-26', name: '2026 年 12 月补考' });
      assert.equal(res.status, 200, res.raw);
      assert.match(res.body.code, /^\d{2}(1[3-9]|[2-9]\d)\d{2}$/);
      assert.notEqual(res.body.code, '261226');
    });

    test('a plan by hand: Beijing times, checks on sittings and the deadline', async () => {
      const base = {
        name: '2027 年 3 月专项考试',
        examDate: '2027-03-20',
        registrationDeadline: '2027-03-06 17:00',
        sittings: [
          { level: 'junior', paper: 'theory', startsAt: '08:30' },
          { level: 'junior', paper: 'practical', startsAt: '2027-03-20 10:10', durationMin: 120 },
        ],
      };
      const cases: [unknown, number, string][] = [
        [{ ...base, sittings: [] }, 400, '至少需要一个场次'],
        [{ ...base, examDate: '2027-3-20' }, 400, '考试日期应为有效日期'],
        [{ ...base, registrationDeadline: 'next week' }, 400, '报名截止时间格式不正确'],
        [{ ...base, sittings: [{ level: 'junior', paper: 'theory', startsAt: '8.30' }] }, 400, '开考时间格式不正确'],
        [{ ...base, sittings: [{ level: 'expert', paper: 'theory', startsAt: '08:30' }] }, 400, '等级应为'],
        [{ ...base, sittings: [base.sittings[0], base.sittings[0]] }, 400, '初级理论场次重复'],
        [{ ...base, sittings: [{ level: 'junior', paper: 'theory', startsAt: '2027-03-21 08:30' }] }, 400, '不在考试日期 2027-03-20 当天'],
        [{ ...base, sittings: [base.sittings[0], { level: 'junior', paper: 'practical', startsAt: '09:30' }] }, 400, '初级的理论与实操场次时间重叠'],
        [{ ...base, registrationDeadline: '2027-03-20 09:00' }, 400, '报名截止时间必须早于第一场考试的开考时间'],
        [{ ...base, examDate: '2026-11-26', registrationDeadline: '2026-11-25 17:00', sittings: [{ level: 'junior', paper: 'theory', startsAt: '08:30' }] }, 400, '开考时间已过'],
        [{ ...base, certificateCode: 'java' }, 400, '证书 java 不存在'],
      ];
      for (const [body, status, message] of cases) {
        const res = await call('op', 'POST', '/api/console/plans', body);
        assert.equal(res.status, status, `${JSON.stringify(body)} → ${res.raw}`);
        assert.ok(res.body.error.message.includes(message), `${res.body.error.message} should say ${message}`);
      }
      assert.equal((await call('coordA', 'POST', '/api/console/plans', base)).status, 403);
      const ok = await call('op', 'POST', '/api/console/plans', base);
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.code, '270320');
      assert.deepEqual(ok.body.sittings.map((s: any) => [s.paper, beijing(s.startsAt), beijing(s.endsAt)]), [
        ['theory', '2027-03-20 08:30', '2027-03-20 10:00'],
        ['practical', '2027-03-20 10:10', '2027-03-20 12:10'],
      ]);
      assert.equal(ok.body.registrationDeadline, '2027-03-06T09:00:00.000Z');
      const got = await call('op', 'GET', `/api/console/plans/${ok.body.id}`);
      assert.deepEqual(got.body, ok.body);
      assert.equal((await call('op', 'GET', '/api/console/plans/none')).status, 404);
    });

    test('name and deadline change until the first sitting starts; audited', async () => {
      const url = `/api/console/plans/${planId}`;
      const res = await call('op', 'PATCH', url, { name: '2026 年 12 月全国统考（调整）', registrationDeadline: '2026-12-15T18:00:00+08:00' });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.name, '2026 年 12 月全国统考（调整）');
      assert.equal(beijing(res.body.registrationDeadline), '2026-12-15 18:00');
      const late = await call('op', 'PATCH', url, { registrationDeadline: '2026-12-26 09:00' });
      assert.equal(late.status, 400);
      assert.equal((await call('op', 'PATCH', url, {})).status, 400);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'plan.update').executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.before!).name, '2026 年 12 月 Python 程序开发职业技能等级证书全国统考');
      // 操作日志 names the fields and coded values of the sittings nested in plan.create's snapshot too.
      await assertAuditFieldsNamed(t.ctx.db);
      const log = await call('op', 'GET', '/api/console/audit?entity=plan');
      assert.equal(log.status, 200, log.raw);
      assert.deepEqual([...new Set(log.body.entries.map((e: { via: string | null }) => e.via))], [null], 'made in the console, not on the command line');
      const fields = new Map(log.body.fields.map((f: { key: string; name: string }) => [f.key, f.name]));
      assert.deepEqual(['sittings', 'paper', 'startsAt', 'durationMin'].map((k) => fields.get(k)), ['场次', '试卷', '开考时间', '时长（分钟）']);
      assert.ok(log.body.values.some((v: { field: string; value: string; name: string }) => v.field === 'paper' && v.value === 'practical' && v.name === '实操'));
      t.clock.set(Date.parse('2026-12-26T00:30:00.000Z')); // 08:30 Beijing: the first sitting starts
      const started = await call('op', 'PATCH', url, { name: '太晚了' });
      assert.equal(started.status, 409);
      assert.equal(started.body.error.message, '考试已开始，不能再修改计划名称或报名截止时间');
      assert.equal((await call('op', 'GET', url)).body.started, true);
      t.clock.set(NOW);
    });

    test('the demo gets plan codes too, one per plan', async () => {
      const a = await createDemo(t.ctx, { candidates: 2, level: 'junior', startsAt: Date.parse('2026-12-01T00:30:00Z') });
      const b = await createDemo(t.ctx, { candidates: 2, level: 'junior', startsAt: Date.parse('2026-12-01T00:30:00Z') });
      const codes = await t.ctx.db.selectFrom('plans').select(['id', 'code']).where('id', 'in', [a.planId, b.planId]).execute();
      assert.equal(codes.find((c) => c.id === a.planId)!.code, '261201');
      assert.match(codes.find((c) => c.id === b.planId)!.code!, /^\d{6}$/);
      assert.notEqual(codes[0]!.code, codes[1]!.code);
    });
  });
}
