// Account security through the API on both databases: one's own password
// change (policy, wrong current password, sessions ended, audit), forced
// changes after generated or reset passwords, and log-in throttling.
//
//   node --import tsx --test packages/server/test/accounts.api.test.ts

import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, nowIso } from '../src/ids.ts';
import { TokenSigner } from '../src/http/tokens.ts';
import { shanghaiTime } from '../src/time-format.ts';
import { staffFromToken } from '../src/modules/accounts/staff-auth.ts';
import { createUser } from '../src/modules/accounts/users.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { caller, studentFile } from './org-fixture.ts';

const PASSWORD = 'secret123';
const MINUTE = 60_000;

for (const { kind, skip } of await databaseKinds()) {
  describe(`account security on ${kind}`, { skip }, () => {
    let t: TestApp;
    const call = caller(() => t);
    const ids = { institution: '', coordinator: '', teacher: '', classId: '' };
    const logIn = (username: string, password: string) => call('POST', '/api/staff/login', { body: { username, password } });
    const login = async (username: string, password = PASSWORD) => {
      const res = await logIn(username, password);
      assert.equal(res.status, 200, `${username}: ${res.raw}`);
      return res.body as { token: string; user: { mustChangePassword: boolean } };
    };
    const change = (token: string, currentPassword: string, newPassword: string) =>
      call('POST', '/api/staff/me/password', { token, body: { currentPassword, newPassword } });
    const row = (username: string) => t.ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const failureRow = (username: string) => t.ctx.db.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst();
    /** Wrong passwords counted for a username now (no row: none). */
    const failures = async (username: string) => (await failureRow(username))?.failures ?? 0;
    /** A staff member of the fixture institution (created with a password of their own choosing). */
    const person = async (username: string, role: 'coordinator' | 'teacher') => {
      const id = await createUser(t.ctx.db, { username, password: PASSWORD, role, displayName: `${role} ${username}` });
      await t.ctx.db.updateTable('users').set({ institution_id: ids.institution }).where('id', '=', id).execute();
      return id;
    };

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      const now = nowIso(t.clock.now());
      ids.institution = newId();
      await t.ctx.db.insertInto('institutions').values({
        id: ids.institution, code: '40001', name: '安全测试学院', province: '江苏省', status: 'approved', review_note: null, reviewed_by: null, reviewed_at: now, created_at: now,
      }).execute();
      ids.coordinator = await person('coord', 'coordinator');
      ids.teacher = await person('teacher', 'teacher');
      const majorId = newId();
      await t.ctx.db.insertInto('majors').values({ id: majorId, institution_id: ids.institution, name: '软件技术', created_at: now }).execute();
      ids.classId = newId();
      await t.ctx.db.insertInto('classes').values({
        id: ids.classId, institution_id: ids.institution, major_id: majorId, name: '软件2401', head_teacher_id: ids.teacher, counsellor_id: null, created_at: now,
      }).execute();
    });
    after(async () => t?.close());

    test('a weak new password is refused with the rule; a wrong current one is refused and counted', async () => {
      await person('weak', 'teacher');
      const { token, user } = await login('weak');
      assert.equal(user.mustChangePassword, false, 'a password chosen by its owner');
      const cases: [string, string][] = [
        ['abc123', '密码至少 8 位'],
        ['onlyletters', '密码须同时包含字母和数字'],
        ['12345678', '密码须同时包含字母和数字'],
        [`a1${'x'.repeat(63)}`, '密码最多 64 位'],
        [PASSWORD, '新密码不能与当前密码相同'],
        ['WEAK', '密码至少 8 位'],
      ];
      for (const [newPassword, rule] of cases) {
        const res = await change(token, PASSWORD, newPassword);
        assert.equal(res.status, 400, `${newPassword}: ${res.raw}`);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
        assert.ok(res.body.error.message.includes(rule), `${rule} in ${res.body.error.message}`);
      }
      await person('abcd1234', 'teacher');
      const named = await change((await login('abcd1234')).token, PASSWORD, 'ABCD1234');
      assert.equal(named.status, 400);
      assert.match(named.body.error.message, /新密码不能与用户名相同/);
      assert.deepEqual(named.body.error.details, [{ path: 'newPassword', message: '新密码不能与用户名相同' }]);

      const wrong = await change(token, 'not-mine-1', 'Better2026x');
      assert.equal(wrong.status, 400, wrong.raw);
      assert.deepEqual([wrong.body.error.code, wrong.body.error.message], ['WRONG_PASSWORD', '当前密码不正确']);
      assert.equal((await failures('weak')), 1, 'counted like a failed log-in');
      assert.equal((await call('POST', '/api/staff/me/password', { body: { currentPassword: PASSWORD, newPassword: 'Better2026x' } })).status, 401);
      await login('weak'); // unchanged, and the right password starts the count again
      assert.equal((await failures('weak')), 0);
    });

    test('a change ends every older session, returns a fresh one, and is audited without any password', async () => {
      const old = await login('teacher');
      const hashBefore = (await row('teacher')).password_hash;
      t.clock.advance(MINUTE);
      const res = await change(old.token, PASSWORD, 'Changed2026');
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.user.username, 'teacher');
      assert.equal(res.body.user.mustChangePassword, false);
      assert.notEqual(res.body.token, old.token);

      const stale = await call('GET', '/api/staff/me', { token: old.token });
      assert.equal(stale.status, 401);
      assert.equal(stale.body.error.code, 'INVALID_TOKEN');
      const me = await call('GET', '/api/staff/me', { token: res.body.token });
      assert.equal(me.status, 200, me.raw);
      assert.deepEqual([me.body.username, me.body.mustChangePassword], ['teacher', false]);
      assert.equal((await call('GET', '/api/console/students', { token: res.body.token })).status, 200, 'the new session works');
      assert.equal((await logIn('teacher', PASSWORD)).status, 401);
      await login('teacher', 'Changed2026');

      const stored = await row('teacher');
      assert.equal(stored.password_changed_at, nowIso(t.clock.now()));
      assert.notEqual(stored.password_hash, hashBefore);
      const line = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.changePassword').executeTakeFirstOrThrow();
      assert.deepEqual([line.actor, line.entity_id, line.acting_for, line.institution_id], ['teacher', ids.teacher, null, ids.institution]);
      const text = JSON.stringify(line);
      for (const secret of [PASSWORD, 'Changed2026', hashBefore, stored.password_hash, 'scrypt']) assert.ok(!text.includes(secret), `the audit line holds ${secret}`);
    });

    test('acting as a teacher (登录此账号), the coordinator cannot change the teacher\'s password', async () => {
      const coord = await login('coord');
      const acting = await call('POST', '/api/staff/act-as', { token: coord.token, body: { userId: ids.teacher } });
      assert.equal(acting.status, 200, acting.raw);
      assert.equal(acting.body.user.mustChangePassword, false);
      const hash = (await row('teacher')).password_hash;
      for (const current of ['Changed2026', PASSWORD]) {
        const res = await change(acting.body.token, current, 'Coordinator2026');
        assert.equal(res.status, 403, res.raw);
        assert.match(res.body.error.message, /代登录状态下不能修改密码/);
      }
      assert.equal((await row('teacher')).password_hash, hash);
      assert.equal((await failures('teacher')), 0);
      assert.equal((await call('GET', '/api/staff/me', { token: acting.body.token })).body.mustChangePassword, false);
    });

    test('a reset or generated password must be changed: teacher reset, new teachers, sheet students, student reset', async () => {
      const coord = (await login('coord')).token;
      const before = (await login('teacher', 'Changed2026')).token;
      t.clock.advance(MINUTE);
      const reset = await call('POST', `/api/console/teachers/${ids.teacher}/reset-password`, { token: coord });
      assert.equal(reset.status, 200, reset.raw);
      assert.equal((await call('GET', '/api/staff/me', { token: before })).status, 401, 'the teacher\'s open sessions end');
      const teacher = await login('teacher', reset.body.password);
      assert.equal(teacher.user.mustChangePassword, true);
      assert.equal((await call('GET', '/api/staff/me', { token: teacher.token })).body.mustChangePassword, true);
      // Until then the server itself refuses everything but /me and 修改密码.
      const refused = await call('GET', `/api/console/students?classId=${ids.classId}`, { token: teacher.token });
      assert.deepEqual([refused.status, refused.body.error.code], [403, 'PASSWORD_CHANGE_REQUIRED']);
      assert.match(refused.body.error.message, /请先修改密码/);
      t.clock.advance(MINUTE);
      const changed = await change(teacher.token, reset.body.password, 'Teacher2026');
      assert.equal(changed.status, 200, changed.raw);
      assert.equal(changed.body.user.mustChangePassword, false);
      assert.equal((await call('GET', '/api/staff/me', { token: changed.body.token })).body.mustChangePassword, false);
      assert.equal((await login('teacher', 'Teacher2026')).user.mustChangePassword, false);
      assert.equal((await call('GET', `/api/console/students?classId=${ids.classId}`, { token: changed.body.token })).status, 200);

      const created = await call('POST', '/api/console/teachers', {
        token: coord, body: { username: 'newteacher', password: 'Initial2026', displayName: '新老师', phone: '13700137000' },
      });
      assert.equal(created.status, 200, created.raw);
      assert.equal((await login('newteacher', 'Initial2026')).user.mustChangePassword, true, 'a password the coordinator chose');

      const imported = await call('POST', `/api/console/students/import?classId=${ids.classId}`, {
        token: changed.body.token, xlsx: await studentFile([['2024001', '赵一'], ['2024002', '钱二']]),
      });
      assert.equal(imported.status, 200, imported.raw);
      const first = imported.body.accounts[0] as { username: string; password: string };
      const student = await login(first.username, first.password);
      assert.equal(student.user.mustChangePassword, true);
      t.clock.advance(MINUTE);
      const studentId = (await row(first.username)).id;
      const studentReset = await call('POST', `/api/console/students/${studentId}/reset-password`, { token: changed.body.token });
      assert.equal(studentReset.status, 200, studentReset.raw);
      assert.equal(studentReset.body.username, first.username);
      assert.notEqual(studentReset.body.password, first.password);
      assert.equal((await call('GET', '/api/staff/me', { token: student.token })).status, 401);
      assert.equal((await logIn(first.username, first.password)).status, 401);
      const again = await login(first.username, studentReset.body.password);
      assert.equal(again.user.mustChangePassword, true);
      assert.equal((await change(again.token, studentReset.body.password, 'Student2026')).body.user.mustChangePassword, false);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'student.resetPassword').executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'teacher');
      assert.ok(!JSON.stringify(audit).includes(studentReset.body.password));
      assert.equal((await call('POST', `/api/console/students/${ids.teacher}/reset-password`, { token: coord })).status, 404, 'only students');
    });

    test('five wrong passwords lock the account for 15 minutes, even for the right one; then it works and the count restarts', async () => {
      await person('locky', 'teacher');
      for (let i = 1; i <= 4; i++) {
        const res = await logIn('locky', `wrong-${i}x`);
        assert.equal(res.status, 401, res.raw);
        assert.equal(res.body.error.message, '用户名或密码不正确');
      }
      const fifth = await logIn('locky', 'wrong-5x');
      assert.equal(fifth.status, 429, fifth.raw);
      assert.equal(fifth.body.error.code, 'ACCOUNT_LOCKED');
      const until = shanghaiTime(t.clock.now() + 15 * MINUTE).slice(11);
      assert.equal(fifth.body.error.message, `密码错误次数过多，账号已暂时锁定，请于 ${until}（北京时间，约 15 分钟后）再试`);
      assert.equal(fifth.body.error.retryAfterSec, 15 * 60);
      const right = await logIn('locky', PASSWORD);
      assert.equal(right.status, 429, 'locked even with the right password');
      t.clock.advance(10 * MINUTE);
      assert.match((await logIn('locky', PASSWORD)).body.error.message, /约 5 分钟后/);
      assert.equal((await failures('locky')), 5, 'attempts while locked are not counted');

      t.clock.advance(5 * MINUTE);
      const unlocked = await login('locky');
      assert.equal(unlocked.user.mustChangePassword, false);
      assert.equal(await failureRow('locky'), undefined, 'the count is gone');

      // Failures spread over more than the window never add up to a lock.
      for (let i = 0; i < 4; i++) assert.equal((await logIn('locky', 'wrong-again1')).status, 401);
      t.clock.advance(16 * MINUTE);
      assert.equal((await logIn('locky', 'wrong-again1')).status, 401);
      assert.equal((await failures('locky')), 1, 'a new window');
      await login('locky');
    });

    test('concurrent wrong passwords each count (one guarded UPDATE)', async () => {
      await person('racer', 'teacher');
      const replies = await Promise.all(Array.from({ length: 7 }, (_, i) => logIn('racer', `wrong-${i}y`)));
      const stored = await failureRow('racer');
      assert.equal(stored?.failures, 5);
      assert.equal(stored?.locked_until, nowIso(t.clock.now() + 15 * MINUTE));
      assert.ok(replies.some((r) => r.status === 429), replies.map((r) => r.status).join(','));
      assert.equal((await logIn('racer', PASSWORD)).status, 429);
    });

    test('the current password checked by 修改密码 counts toward the same lock', async () => {
      await person('changer', 'teacher');
      const { token } = await login('changer');
      for (let i = 0; i < 4; i++) assert.equal((await change(token, `wrong-${i}z`, 'Better2026y')).status, 400);
      const locked = await change(token, 'wrong-4z', 'Better2026y');
      assert.equal(locked.status, 429, locked.raw);
      assert.equal(locked.body.error.code, 'ACCOUNT_LOCKED');
      assert.equal((await change(token, PASSWORD, 'Better2026y')).status, 429, 'no guessing through 修改密码 while locked');
      assert.equal((await logIn('changer', PASSWORD)).status, 429);
    });

    test('an unknown username answers like a wrong password, costs the same scrypt, and locks the same', async () => {
      const timed = async (username: string, password: string) => {
        const started = performance.now();
        const res = await logIn(username, password);
        return { res, ms: performance.now() - started };
      };
      await person('known', 'teacher');
      const known: Awaited<ReturnType<typeof timed>>[] = [];
      const unknown: Awaited<ReturnType<typeof timed>>[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await timed('known', `wrong-${i}q`));
        unknown.push(await timed('nobody-here', `wrong-${i}q`));
      }
      for (const [i, k] of known.entries()) {
        const u = unknown[i]!;
        assert.equal(k.res.status, i < 4 ? 401 : 429, k.res.raw);
        assert.equal(u.res.status, k.res.status, `attempt ${i + 1}: ${u.res.raw}`);
        assert.deepEqual(u.res.body, k.res.body, `attempt ${i + 1}: the same answer`);
      }
      assert.equal(known[0]!.res.body.error.message, '用户名或密码不正确');
      assert.equal(known[4]!.res.body.error.code, 'ACCOUNT_LOCKED');
      // Medians of the four 401s each: one slow answer on a busy machine must not decide.
      const median = (runs: { ms: number }[]) => {
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
        return (ms[1]! + ms[2]!) / 2;
      };
      const [unknownMs, knownMs] = [median(unknown.slice(0, 4)), median(known.slice(0, 4))];
      assert.ok(unknownMs > knownMs * 0.4, `unknown usernames answer in ${unknownMs.toFixed(1)} ms, a wrong password in ${knownMs.toFixed(1)} ms (medians)`);

      // Once window and lock have passed, the next failure anywhere sweeps the rows away.
      t.clock.advance(16 * MINUTE);
      assert.equal((await logIn('someone-else', 'wrong-xq')).status, 401);
      assert.equal(await failureRow('nobody-here'), undefined);
      assert.equal(await failureRow('known'), undefined);
      assert.equal(await failures('someone-else'), 1);
      await login('known');
    });

    test('a token signed before tokens carried iat works until the password is next set', async () => {
      const secret = 'legacy-secret';
      const signer = new TokenSigner(secret);
      const id = await person('legacy', 'teacher');
      const body = Buffer.from(JSON.stringify({ kind: 'staff', sub: id, exp: Math.floor(t.clock.now() / 1000) + 3600 })).toString('base64url');
      const legacy = `${body}.${crypto.createHmac('sha256', secret).update(body).digest('base64url')}`;
      const ctx = { db: t.ctx.db, tokens: signer, clock: t.clock };
      assert.equal((await staffFromToken(ctx, legacy))?.username, 'legacy');
      await t.ctx.db.updateTable('users').set({ password_changed_at: nowIso(t.clock.now() - 3600_000) }).where('id', '=', id).execute();
      assert.equal(await staffFromToken(ctx, legacy), null);
      assert.equal((await staffFromToken(ctx, signer.sign('staff', id, 3600, t.clock.now())))?.username, 'legacy');
    });
  });
}
