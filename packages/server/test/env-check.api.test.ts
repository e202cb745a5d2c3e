import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDemo } from '../src/modules/demo/demo.ts';
import { browserOf, envFailures } from '../src/modules/env-check/rules.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const PASSWORD = 'kaowu-demo-2026';
const CHROME_75 = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36';
const CHROME_70 = CHROME_75.replace('Chrome/75', 'Chrome/70');
const EDGE = `${CHROME_75.replace('Chrome/75', 'Chrome/120')} Edg/120.0.0.0`;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0';

const good = { browser: 'Chrome', browserVersion: 75, screenWidth: 1024, screenHeight: 768, localStorage: true, fullscreen: true, clockOffsetMs: 1200, latencyMs: 20, outsideReachable: false };

test('rules: the browser from the User-Agent, and every failed requirement', () => {
  assert.deepEqual(browserOf(CHROME_75), { browser: 'Chrome', version: 75 });
  assert.deepEqual(browserOf(EDGE), { browser: 'Edge', version: 120 });
  assert.deepEqual(browserOf(FIREFOX), { browser: 'Firefox', version: 120 });
  assert.deepEqual(browserOf(''), { browser: '其他', version: null });
  assert.deepEqual(envFailures(good), []);
  assert.deepEqual(envFailures({ ...good, outsideReachable: null }), []);
  assert.match(envFailures({ ...good, browserVersion: 74 }).join(), /Chrome 75 或以上版本（当前：Chrome 74）/);
  assert.match(envFailures({ ...good, screenWidth: 1023 }).join(), /1024×768（当前：1023×768）/);
  assert.equal(envFailures({ ...good, localStorage: false, fullscreen: false, outsideReachable: true, latencyMs: 1500, clockOffsetMs: -400_000 }).length, 5);
  assert.match(envFailures({ ...good, clockOffsetMs: null }).join(), /无法测量/);
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`environment check (环境检测) on ${kind}`, { skip }, () => {
    let t: TestApp;
    let site: { id: string; code: string };
    let room: { id: string; name: string; seats: number };
    const staff = new Map<string, string>();

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      await createDemo(t.ctx, { candidates: 2, level: 'junior', startsAt: t.clock.now() + 3_600_000, school: true });
      site = await t.ctx.db.selectFrom('sites').select(['id', 'code']).where('status', '=', 'enabled').executeTakeFirstOrThrow();
      room = await t.ctx.db.selectFrom('rooms').select(['id', 'name', 'seats']).where('site_id', '=', site.id).orderBy('name').executeTakeFirstOrThrow();
      for (const username of ['operator', 'coordinator', 'technician', 'teacher1']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password: PASSWORD } });
        assert.equal(res.statusCode, 200, res.body);
        staff.set(username, res.json().token);
      }
    });
    after(async () => t?.close());

    const post = (body: object, ua = CHROME_75, ip = '10.20.1.9') =>
      t.app.inject({ method: 'POST', url: '/api/public/env-check', payload: body, remoteAddress: ip, headers: { 'user-agent': ua } });
    const result = (seatNo: number, over: object = {}) => ({
      siteCode: site.code, roomId: room.id, seatNo, screen: { width: 1366, height: 768 }, localStorage: true, fullscreen: true,
      clockOffsetMs: 800, latencyMs: 12, outsideReachable: false, ...over,
    });

    test('the server time and the rooms of an enabled site, without log-in', async () => {
      const time = await t.app.inject({ method: 'GET', url: '/api/public/time' });
      assert.equal(time.statusCode, 200);
      assert.equal(time.json().serverMs, t.clock.now());
      assert.equal(time.headers['cache-control'], 'no-store');
      const rooms = await t.app.inject({ method: 'GET', url: `/api/public/env-check/rooms?siteCode=${site.code}` });
      assert.equal(rooms.statusCode, 200, rooms.body);
      assert.ok(rooms.json().rooms.some((r: any) => r.id === room.id && r.seats === room.seats));
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/public/env-check/rooms?siteCode=9999' })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/public/env-check/rooms?siteCode=abc' })).statusCode, 400);
    });

    test('posting results: judged on the server from the User-Agent and the figures', async () => {
      const ok = await post(result(1));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().passed, true);
      const old = await post(result(2, { outsideReachable: true, screen: { width: 800, height: 600 } }), CHROME_70);
      assert.equal(old.statusCode, 200, old.body);
      assert.equal(old.json().passed, false);
      assert.equal(old.json().failures.length, 3);
      assert.equal((await post(result(3), FIREFOX)).json().passed, false);

      assert.equal((await post(result(room.seats + 1))).statusCode, 400);
      assert.equal((await post({ ...result(1), roomId: 'nope' })).statusCode, 404);
      assert.equal((await post({ ...result(1), latencyMs: 'fast' })).statusCode, 400);
      assert.equal((await post({ ...result(1), siteCode: '9999' })).statusCode, 404);
    });

    test('posting is rate-limited per address', async () => {
      let last = 0;
      for (let i = 0; i < 125 && last !== 429; i++) last = (await post(result(5), CHROME_75, '10.99.0.1')).statusCode;
      assert.equal(last, 429);
      assert.equal((await post(result(5), CHROME_75, '10.99.0.2')).statusCode, 200);
    });

    test('the console: latest result per room and seat, for operator, coordinator and technician only', async () => {
      // Seat 1 checked again, now failing: the latest one counts.
      t.clock.advance(60_000);
      await post(result(1, { fullscreen: false }));
      const get = (who: string, siteId = site.id) =>
        t.app.inject({ method: 'GET', url: `/api/console/env-checks?siteId=${siteId}`, headers: { authorization: `Bearer ${staff.get(who)}` } });
      for (const who of ['operator', 'coordinator', 'technician']) {
        const res = await get(who);
        assert.equal(res.statusCode, 200, res.body);
        const r = res.json().rooms.find((x: any) => x.id === room.id);
        assert.deepEqual(r.checks.map((c: any) => [c.seatNo, c.passed]), [[1, false], [2, false], [3, false], [5, true]]);
        assert.equal(r.checked, 4);
        assert.equal(r.failed, 3);
        assert.match(r.checks[0].failures.join(), /全屏/);
      }
      assert.equal((await get('teacher1')).statusCode, 403);
      assert.equal((await get('operator', 'no-such-site')).statusCode, 404);
    });
  });
}
