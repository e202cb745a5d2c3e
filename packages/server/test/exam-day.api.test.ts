import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { sebConfigKeyHash } from '../src/modules/delivery/seb.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const T0 = Date.parse('2026-06-20T00:30:00.000Z'); // 08:30 in Asia/Shanghai
const MIN = 60_000;
const PASSWORD = 'kaowu-demo-2026';
const SEB_KEY = '0123456789abcdef'.repeat(4);
const HOST = 'exam.example.cn';

for (const { kind, skip } of await databaseKinds()) {
  describe(`exam day: sign-in addresses and Safe Exam Browser on ${kind}`, { skip }, () => {
    let t: TestApp;
    let demo: DemoResult;
    let unseated: DemoResult;
    const staff = new Map<string, string>();
    /** Candidate index → room of their seat. */
    const rooms: { id: string; siteId: string; ranges: string[] }[] = [];

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(T0 - 10 * MIN);
      demo = await createDemo(t.ctx, { candidates: 4, level: 'junior', startsAt: T0, school: true });
      unseated = await createDemo(t.ctx, { candidates: 1, level: 'junior', startsAt: T0, school: false });
      for (const c of demo.candidates) {
        const row = await t.ctx.db
          .selectFrom('registrations')
          .innerJoin('seat_assignments', 'seat_assignments.registration_id', 'registrations.id')
          .innerJoin('rooms', 'rooms.id', 'seat_assignments.room_id')
          .select(['rooms.id', 'rooms.site_id', 'rooms.ip_ranges'])
          .where('registrations.ticket_no', '=', c.ticketNo)
          .executeTakeFirstOrThrow();
        rooms.push({ id: row.id, siteId: row.site_id, ranges: JSON.parse(row.ip_ranges) as string[] });
      }
      for (const username of ['operator', 'coordinator']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password: PASSWORD } });
        assert.equal(res.statusCode, 200, res.body);
        staff.set(username, res.json().token);
      }
    });
    after(async () => t?.close());

    const login = (c: { ticketNo: string; idNumber: string }, ip: string) =>
      t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber }, remoteAddress: ip });
    const enter = (token: string, sittingId: string, ip: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${sittingId}/attempt`, remoteAddress: ip, headers: { authorization: `Bearer ${token}`, host: HOST, ...headers } });
    /** An address inside a /24 range such as 10.20.1.0/24. */
    const inside = (range: string) => range.replace(/\.0\/24$/, '.77');
    const refusals = (ip: string) => t.ctx.db.selectFrom('sign_in_refusals').selectAll().where('ip', '=', ip).execute();

    test('room edit: the coordinator switches on 仅允许本考场 IP 登录; the site view shows it', async () => {
      const room = rooms[0]!;
      assert.ok(room.ranges.length > 0);
      const res = await t.app.inject({
        method: 'PATCH', url: `/api/console/sites/${room.siteId}/rooms/${room.id}`,
        headers: { authorization: `Bearer ${staff.get('coordinator')}` }, payload: { restrictSignIn: true },
      });
      assert.equal(res.statusCode, 200, res.body);
      const view = res.json().rooms.find((r: any) => r.id === room.id);
      assert.equal(view.restrictSignIn, true);
      assert.ok(res.json().rooms.filter((r: any) => r.id !== room.id).every((r: any) => r.restrictSignIn === false));
      const audit = await t.ctx.db.selectFrom('audit_log').select(['after']).where('action', '=', 'room.update').where('entity_id', '=', room.id).executeTakeFirstOrThrow();
      assert.match(String(audit.after), /"restrictSignIn":true/);
    });

    test('log-in from inside the room\'s ranges: allowed; from outside: 403 and a refusal row', async () => {
      const c = demo.candidates[0]!;
      const ok = await login(c, inside(rooms[0]!.ranges[0]!));
      assert.equal(ok.statusCode, 200, ok.body);

      const bad = await login(c, '192.168.9.9');
      assert.equal(bad.statusCode, 403, bad.body);
      assert.equal(bad.json().error.code, 'SIGN_IN_ADDRESS_NOT_ALLOWED');
      assert.equal(bad.json().error.message, '当前计算机（IP 192.168.9.9）不在本考场允许的地址范围内，请联系监考员');
      assert.equal(bad.json().token, undefined);
      const rows = await refusals('192.168.9.9');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.sitting_id, null);
      assert.equal(rows[0]!.reason, 'address-not-allowed');

      // Wrong credentials from outside stay 401: nothing is told about the seat.
      const wrong = await login({ ticketNo: c.ticketNo, idNumber: '110101200001011234' }, '192.168.9.10');
      assert.equal(wrong.statusCode, 401);
    });

    test('entering from outside the ranges with a valid token: 403, recorded with the sitting', async () => {
      const c = demo.candidates[0]!;
      const token = (await login(c, inside(rooms[0]!.ranges[0]!))).json().token as string;
      t.clock.set(T0 + MIN);
      const bad = await enter(token, demo.sittingId, '172.16.0.5');
      assert.equal(bad.statusCode, 403, bad.body);
      assert.equal(bad.json().error.code, 'SIGN_IN_ADDRESS_NOT_ALLOWED');
      const rows = await refusals('172.16.0.5');
      assert.equal(rows[0]!.sitting_id, demo.sittingId);
      const ok = await enter(token, demo.sittingId, inside(rooms[0]!.ranges[0]!));
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a room that does not restrict, and a candidate without a seat, are not affected', async () => {
      const room = rooms[0]!;
      const setRestrict = async (restrictSignIn: boolean) => {
        const res = await t.app.inject({
          method: 'PATCH', url: `/api/console/sites/${room.siteId}/rooms/${room.id}`,
          headers: { authorization: `Bearer ${staff.get('coordinator')}` }, payload: { restrictSignIn },
        });
        assert.equal(res.statusCode, 200, res.body);
      };
      await setRestrict(false);
      const open = await login(demo.candidates[0]!, '203.0.113.8');
      assert.equal(open.statusCode, 200, open.body);
      await setRestrict(true);
      assert.equal((await login(demo.candidates[0]!, '203.0.113.8')).statusCode, 403);
      // The restricted room with its ranges emptied: nothing to check against.
      await t.ctx.db.updateTable('rooms').set({ ip_ranges: '[]' }).where('id', '=', rooms[0]!.id).execute();
      assert.equal((await login(demo.candidates[0]!, '203.0.113.9')).statusCode, 200);
      await t.ctx.db.updateTable('rooms').set({ ip_ranges: JSON.stringify(rooms[0]!.ranges) }).where('id', '=', rooms[0]!.id).execute();

      const res = await login(unseated.candidates[0]!, '203.0.113.10');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await refusals('203.0.113.10')).length, 0);
    });

    const setSeb = (configKey: string | null, who = 'operator') =>
      t.app.inject({ method: 'PATCH', url: `/api/console/sittings/${demo.sittingId}/seb`, headers: { authorization: `Bearer ${staff.get(who)}` }, payload: { configKey } });

    test('SEB: only the operator sets the key; it is checked and never returned', async () => {
      assert.equal((await setSeb(SEB_KEY, 'coordinator')).statusCode, 403);
      const bad = await setSeb('not-a-key');
      assert.equal(bad.statusCode, 400);
      const res = await setSeb(SEB_KEY.toUpperCase());
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { sittingId: demo.sittingId, sebRequired: true });
      const audit = await t.ctx.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'sitting.seb').execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(JSON.stringify(audit), /0123456789abcdef/i);
      const stored = await t.ctx.db.selectFrom('sittings').select('seb_config_key').where('id', '=', demo.sittingId).executeTakeFirstOrThrow();
      assert.equal(stored.seb_config_key, SEB_KEY);
      const missing = await t.app.inject({ method: 'PATCH', url: '/api/console/sittings/nope/seb', headers: { authorization: `Bearer ${staff.get('operator')}` }, payload: { configKey: null } });
      assert.equal(missing.statusCode, 404);
    });

    test('SEB: no header or a wrong hash → 403 SEB_REQUIRED; the right hash passes on every attempt route', async () => {
      const c = demo.candidates[0]!;
      const ip = inside(rooms[0]!.ranges[0]!);
      const token = (await login(c, ip)).json().token as string;
      const url = `/api/candidate/sittings/${demo.sittingId}/attempt`;
      const none = await enter(token, demo.sittingId, ip);
      assert.equal(none.statusCode, 403, none.body);
      assert.equal(none.json().error.code, 'SEB_REQUIRED');
      assert.equal(none.json().error.message, '本场考试须使用安全考试浏览器（Safe Exam Browser）参加');
      const wrong = await enter(token, demo.sittingId, ip, { 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`http://${HOST}${url}`, 'f'.repeat(64)) });
      assert.equal(wrong.statusCode, 403);
      // Hashed over another URL (the scheme behind a TLS proxy differs): refused.
      const otherUrl = await enter(token, demo.sittingId, ip, { 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`https://${HOST}${url}`, SEB_KEY) });
      assert.equal(otherUrl.statusCode, 403);
      const ok = await enter(token, demo.sittingId, ip, { 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`http://${HOST}${url}`, SEB_KEY) });
      assert.equal(ok.statusCode, 200, ok.body);
      // Behind a proxy that says https, the browser's URL is https.
      const proxied = await enter(token, demo.sittingId, ip, { 'x-forwarded-proto': 'https', 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`https://${HOST}${url}`, SEB_KEY) });
      assert.equal(proxied.statusCode, 200, proxied.body);

      const attemptId = ok.json().attemptId as string;
      const q = ok.json().questions[0];
      const saveUrl = `/api/candidate/attempts/${attemptId}/answers/${q.id}`;
      const save = (headers: Record<string, string>, seq: number) =>
        t.app.inject({ method: 'PUT', url: saveUrl, remoteAddress: ip, headers: { authorization: `Bearer ${token}`, host: HOST, ...headers }, payload: { answer: null, seq } });
      const saveNone = await save({}, 1);
      assert.equal(saveNone.statusCode, 403);
      assert.equal(saveNone.json().error.code, 'SEB_REQUIRED');
      const saveOk = await save({ 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`http://${HOST}${saveUrl}`, SEB_KEY) }, 1);
      assert.equal(saveOk.statusCode, 200, saveOk.body);

      const statusUrl = `/api/candidate/attempts/${attemptId}/status`;
      const status = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: statusUrl, headers: { authorization: `Bearer ${token}`, host: HOST, ...headers } });
      assert.equal((await status({})).statusCode, 403);
      assert.equal((await status({ 'x-safeexambrowser-configkeyhash': sebConfigKeyHash(`http://${HOST}${statusUrl}`, SEB_KEY) })).statusCode, 200);
      const eventsUrl = `/api/candidate/attempts/${attemptId}/events`;
      const ev = await t.app.inject({ method: 'POST', url: eventsUrl, headers: { authorization: `Bearer ${token}`, host: HOST }, payload: { type: 'reconnect', at: new Date(T0).toISOString() } });
      assert.equal(ev.statusCode, 403);
      const submit = await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${attemptId}/submit`, headers: { authorization: `Bearer ${token}`, host: HOST } });
      assert.equal(submit.statusCode, 403);
      assert.equal(submit.json().error.code, 'SEB_REQUIRED');
    });

    test('SEB: a sitting without a key is not affected; clearing the key lifts the requirement', async () => {
      const c = unseated.candidates[0]!;
      const token = (await login(c, '203.0.113.20')).json().token as string;
      const res = await enter(token, unseated.sittingId, '203.0.113.20');
      assert.equal(res.statusCode, 200, res.body);

      const cleared = await setSeb(null);
      assert.deepEqual(cleared.json(), { sittingId: demo.sittingId, sebRequired: false });
      const c0 = demo.candidates[0]!;
      const ip = inside(rooms[0]!.ranges[0]!);
      const token0 = (await login(c0, ip)).json().token as string;
      assert.equal((await enter(token0, demo.sittingId, ip)).statusCode, 200);
    });
  });
}
