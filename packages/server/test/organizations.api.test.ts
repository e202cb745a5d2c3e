// Institutions and their people, end to end through the API on both databases:
// sign-up → review → invitation → coordinator → majors, classes, teachers →
// student import → log-in-as → audit log.
//
//   node --import tsx --test packages/server/test/organizations.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_ACTION_NAMES, AUDIT_ENTITY_NAMES, AUDIT_FIELD_NAMES, AUDIT_VALUE_NAMES } from '../src/modules/accounts/audit-names.ts';
import { ROLE_NAMES } from '../src/modules/accounts/staff-auth.ts';
import { ACCOUNT_STATUS_NAMES } from '@kaowu/core';
import { createUser } from '../src/modules/accounts/users.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { caller, sheetRows, studentFile, XLSX } from './org-fixture.ts';
import { assertAuditFieldsNamed } from './audit-fields.ts';

const DAY = 24 * 3600_000;
const PASSWORD = 'secret123';
const HAN = /[\u4e00-\u9fff]/;

test('every audited action, entity and snapshot field has a Chinese name', () => {
  for (const [key, name] of [...Object.entries(AUDIT_ACTION_NAMES), ...Object.entries(AUDIT_ENTITY_NAMES), ...Object.entries(AUDIT_FIELD_NAMES)]) {
    assert.match(name, HAN, `${key}: ${name}`);
  }
  // An `entity.key` name is of a known entity.
  for (const key of Object.keys(AUDIT_FIELD_NAMES).filter((k) => k.includes('.'))) assert.ok(Object.hasOwn(AUDIT_ENTITY_NAMES, key.split('.')[0]!), key);
  // Every coded value has a Chinese name, of a named field (`entity.key` of a known entity).
  assert.ok(Object.keys(AUDIT_VALUE_NAMES).length > 0);
  for (const [field, names] of Object.entries(AUDIT_VALUE_NAMES)) {
    const [entity, key] = field.includes('.') ? field.split('.') : [null, field];
    if (entity !== null) assert.ok(Object.hasOwn(AUDIT_ENTITY_NAMES, entity!), field);
    assert.ok(Object.hasOwn(AUDIT_FIELD_NAMES, field) || Object.hasOwn(AUDIT_FIELD_NAMES, key!), `field named: ${field}`);
    assert.ok(Object.keys(names).length > 0, field);
    for (const [value, name] of Object.entries(names)) assert.match(name, HAN, `${field}=${value}: ${name}`);
  }
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`institutions and people on ${kind}`, { skip }, () => {
    let t: TestApp;
    const call = caller(() => t);
    let operator: string;
    /** Signs in; an account that must choose its own password first (a new teacher, a reset) changes it away and back, so the test keeps one password. */
    const login = async (username: string, password = PASSWORD) => {
      const res = await call('POST', '/api/staff/login', { body: { username, password } });
      assert.equal(res.status, 200, `${username}: ${res.raw}`);
      if (!res.body.user.mustChangePassword) return res.body.token as string;
      const away = await call('POST', '/api/staff/me/password', { token: res.body.token, body: { currentPassword: password, newPassword: 'Interim2026x' } });
      assert.equal(away.status, 200, away.raw);
      const back = await call('POST', '/api/staff/me/password', { token: away.body.token, body: { currentPassword: 'Interim2026x', newPassword: password } });
      assert.equal(back.status, 200, back.raw);
      assert.equal(back.body.user.mustChangePassword, false);
      return back.body.token as string;
    };
    const signup = (code: string, username: string, name = `测试职业技术学院${code}`) =>
      call('POST', '/api/public/institutions/signup', {
        body: { code, name, province: '浙江省', admin: { username, password: PASSWORD, displayName: `${name}教务`, phone: '13800138000' } },
      });
    const inviteLink = async (adminToken: string) => {
      const res = await call('POST', '/api/console/invitations', { token: adminToken });
      assert.equal(res.status, 200, res.raw);
      assert.match(res.body.link, /^\/console\/#\/invite\/[A-Za-z0-9_-]{43}$/);
      return { id: res.body.id as string, token: res.body.link.split('/').pop() as string };
    };
    const accept = (token: string, username: string) =>
      call('POST', `/api/public/invitations/${token}/accept`, { body: { username, password: PASSWORD, displayName: `负责人${username}`, phone: '13900139000' } });
    const userId = async (username: string) =>
      (await t.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

    /** A whole institution through the API: approved, with an approved coordinator. */
    async function readyInstitution(code: string, prefix: string) {
      assert.equal((await signup(code, `${prefix}admin`)).status, 200);
      const inst = await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      assert.equal((await call('POST', `/api/console/institutions/${inst.id}/approve`, { token: operator })).status, 200);
      const admin = await login(`${prefix}admin`);
      const inv = await inviteLink(admin);
      assert.equal((await accept(inv.token, `${prefix}coord`)).status, 200);
      assert.equal((await call('POST', `/api/console/accounts/${await userId(`${prefix}coord`)}/approve`, { token: operator })).status, 200);
      return { id: inst.id, admin, coordinator: await login(`${prefix}coord`) };
    }

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      await createUser(t.ctx.db, { username: 'operator', password: PASSWORD, role: 'operator', displayName: '运营' });
      operator = await login('operator');
    });
    after(async () => t?.close());

    let instA: string;
    let adminA: string;

    test('sign-up: provinces, validation in Chinese, pending institution and admin, duplicates refused', async () => {
      const provinces = await call('GET', '/api/public/provinces');
      assert.equal(provinces.body.provinces.length, 34);
      assert.ok(provinces.body.provinces.includes('新疆维吾尔自治区'));

      const bad = await call('POST', '/api/public/institutions/signup', {
        body: { code: '12', name: '某学院', province: '火星', admin: { username: 'x', password: 'onlyletters', displayName: '', phone: '123' } },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
      for (const m of ['院校代码为 5–10 位数字', '请从列表中选择省份', '用户名为', '密码须同时包含字母和数字', '请填写姓名', '11 位手机号码']) {
        assert.ok(bad.body.error.message.includes(m), `${m} in ${bad.body.error.message}`);
      }

      const ok = await signup('10001', 'adminA', '甲职业技术学院');
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.status, 'pending');
      instA = ok.body.institutionId;
      const inst = await t.ctx.db.selectFrom('institutions').selectAll().where('id', '=', instA).executeTakeFirstOrThrow();
      assert.equal(inst.status, 'pending');
      const admin = await t.ctx.db.selectFrom('users').selectAll().where('username', '=', 'adminA').executeTakeFirstOrThrow();
      assert.deepEqual([admin.role, admin.status, admin.institution_id], ['institution_admin', 'pending', instA]);

      const pendingLogin = await call('POST', '/api/staff/login', { body: { username: 'adminA', password: PASSWORD } });
      assert.equal(pendingLogin.status, 403);
      assert.match(pendingLogin.body.error.message, /审核中/);

      const dupCode = await signup('10001', 'someoneElse');
      assert.equal(dupCode.status, 409);
      assert.equal(dupCode.body.error.code, 'INSTITUTION_CODE_TAKEN');
      assert.match(dupCode.body.error.message, /院校代码 10001 已注册/);
      const dupUser = await signup('10002', 'adminA');
      assert.equal(dupUser.status, 409);
      assert.equal(dupUser.body.error.code, 'USERNAME_TAKEN');
      assert.equal(await t.ctx.db.selectFrom('institutions').select('id').where('code', '=', '10002').executeTakeFirst(), undefined, 'nothing half-created');
    });

    test('review: the operator rejects with a reason (shown at log-in) and approves (admin activated)', async () => {
      assert.equal((await signup('10009', 'adminX', '乙学院')).status, 200);
      const pending = await call('GET', '/api/console/institutions?status=pending', { token: operator });
      assert.equal(pending.status, 200);
      assert.deepEqual(pending.body.institutions.map((i: any) => i.code).sort(), ['10001', '10009']);
      const x = pending.body.institutions.find((i: any) => i.code === '10009');
      assert.equal(x.admins[0].username, 'adminX');

      const noReason = await call('POST', `/api/console/institutions/${x.id}/reject`, { token: operator, body: { reason: ' ' } });
      assert.equal(noReason.status, 400);
      assert.match(noReason.body.error.message, /请填写驳回原因/);
      const rejected = await call('POST', `/api/console/institutions/${x.id}/reject`, { token: operator, body: { reason: '院校代码与名称不符' } });
      assert.equal(rejected.status, 200, rejected.raw);
      const xLogin = await call('POST', '/api/staff/login', { body: { username: 'adminX', password: PASSWORD } });
      assert.equal(xLogin.status, 403);
      assert.equal(xLogin.body.error.message, '账号注册申请未通过审核：院校代码与名称不符');
      assert.equal((await call('POST', `/api/console/institutions/${x.id}/reject`, { token: operator, body: { reason: '再次' } })).status, 409);
      // A rejected institution applies again, with its name fixed; someone else's username is still refused.
      assert.equal((await signup('10009', 'adminA', '乙职业学院')).body.error.code, 'USERNAME_TAKEN');
      const again = await signup('10009', 'adminX', '乙职业学院');
      assert.equal(again.status, 200, again.raw);
      assert.equal(again.body.institutionId, x.id);
      const resubmitted = await t.ctx.db.selectFrom('institutions').selectAll().where('id', '=', x.id).executeTakeFirstOrThrow();
      assert.deepEqual([resubmitted.status, resubmitted.name, resubmitted.review_note], ['pending', '乙职业学院', null]);
      assert.match((await call('POST', '/api/staff/login', { body: { username: 'adminX', password: PASSWORD } })).body.error.message, /审核中/);
      assert.equal((await signup('10001', 'adminZ')).body.error.code, 'INSTITUTION_CODE_TAKEN', 'a pending or approved code stays taken');
      assert.equal((await call('POST', `/api/console/institutions/${x.id}/reject`, { token: operator, body: { reason: '仍不符合条件' } })).status, 200);

      const approved = await call('POST', `/api/console/institutions/${instA}/approve`, { token: operator });
      assert.equal(approved.status, 200, approved.raw);
      assert.equal(approved.body.activatedAdmins, 1);
      assert.equal((await call('POST', `/api/console/institutions/${instA}/approve`, { token: operator })).status, 409);
      adminA = await login('adminA');

      const own = await call('GET', '/api/console/institutions', { token: adminA });
      assert.deepEqual(own.body.institutions.map((i: any) => i.code), ['10001']);
      assert.equal((await call('GET', `/api/console/institutions/${x.id}`, { token: adminA })).status, 404);
      assert.equal((await call('POST', `/api/console/institutions/${instA}/approve`, { token: adminA })).status, 403);
      const detail = await call('GET', `/api/console/institutions/${instA}`, { token: adminA });
      assert.equal(detail.body.status, 'approved');
    });

    test('invitations: accept once; reuse, expiry and revocation refused; two accepts at once → one wins', async () => {
      const inv = await inviteLink(adminA);
      const look = await call('GET', `/api/public/invitations/${inv.token}`);
      assert.deepEqual(look.body, { institutionName: '甲职业技术学院', role: 'coordinator', roleName: '证书负责人', valid: true });
      assert.equal((await call('GET', `/api/public/invitations/${'x'.repeat(43)}`)).status, 404);

      const weak = await call('POST', `/api/public/invitations/${inv.token}/accept`, { body: { username: 'coordA', password: '1234567', displayName: '张三', phone: '13900139000' } });
      assert.equal(weak.status, 400);
      assert.match(weak.body.error.message, /密码至少 8 位/);
      const ok = await accept(inv.token, 'coordA');
      assert.equal(ok.status, 200, ok.raw);
      const coord = await t.ctx.db.selectFrom('users').selectAll().where('username', '=', 'coordA').executeTakeFirstOrThrow();
      assert.deepEqual([coord.role, coord.status, coord.institution_id], ['coordinator', 'pending', instA]);

      const again = await accept(inv.token, 'coordA2');
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'INVITATION_USED');
      assert.equal((await call('GET', `/api/public/invitations/${inv.token}`)).body.valid, false);

      // Expired after 7 days.
      const old = await inviteLink(adminA);
      const t0 = t.clock.now();
      t.clock.advance(7 * DAY + 1000);
      try {
        const look2 = await call('GET', `/api/public/invitations/${old.token}`);
        assert.equal(look2.body.valid, false);
        assert.match(look2.body.reason, /已过期/);
        const late = await accept(old.token, 'lateCoord');
        assert.equal(late.status, 409);
        assert.equal(late.body.error.code, 'INVITATION_EXPIRED');
      } finally {
        t.clock.set(t0);
      }

      // Revoked.
      const revoked = await inviteLink(adminA);
      assert.equal((await call('DELETE', `/api/console/invitations/${revoked.id}`, { token: adminA })).status, 200);
      assert.equal((await call('DELETE', `/api/console/invitations/${revoked.id}`, { token: adminA })).status, 409);
      assert.equal((await accept(revoked.token, 'revokedCoord')).body.error.code, 'INVITATION_REVOKED');

      // A race: both requests pass the first check; the guarded UPDATE lets one through.
      const raced = await inviteLink(adminA);
      const [r1, r2] = await Promise.all([accept(raced.token, 'raceOne'), accept(raced.token, 'raceTwo')]);
      assert.deepEqual([r1.status, r2.status].sort(), [200, 409], `${r1.raw} / ${r2.raw}`);
      const racers = await t.ctx.db.selectFrom('users').select('username').where('username', 'in', ['raceOne', 'raceTwo']).execute();
      assert.equal(racers.length, 1);

      const list = await call('GET', '/api/console/invitations', { token: adminA });
      assert.equal(list.status, 200);
      const byId = new Map(list.body.invitations.map((i: any) => [i.id, i.statusName]));
      assert.equal(byId.get(inv.id), '已使用');
      assert.equal(byId.get(old.id), '有效', 'the clock is back: not yet expired');
      assert.equal(byId.get(revoked.id), '已撤销');
      assert.equal(list.body.invitations.find((i: any) => i.id === inv.id).usedBy.username, 'coordA');
      // Only an institution admin invites.
      assert.equal((await call('POST', '/api/console/invitations', { token: operator })).status, 403);
    });

    let coordA: string;
    test('coordinators: pending until the operator approves; a rejected one sees why', async () => {
      const pending = await call('GET', '/api/console/accounts/pending', { token: operator });
      assert.equal(pending.status, 200);
      const names = pending.body.accounts.map((a: any) => a.username).sort();
      assert.ok(names.includes('coordA'));
      assert.equal(pending.body.accounts.find((a: any) => a.username === 'coordA').institution.name, '甲职业技术学院');
      assert.equal((await call('POST', '/api/staff/login', { body: { username: 'coordA', password: PASSWORD } })).status, 403);
      const approveCoord = await call('POST', `/api/console/accounts/${await userId('coordA')}/approve`, { token: operator });
      assert.equal(approveCoord.status, 200, approveCoord.raw);
      assert.equal((await call('POST', `/api/console/accounts/${await userId('coordA')}/approve`, { token: operator })).status, 409);
      coordA = await login('coordA');
      const racer = pending.body.accounts.find((a: any) => a.username.startsWith('race'));
      assert.equal((await call('POST', `/api/console/accounts/${racer.id}/reject`, { token: operator, body: { reason: '重复注册' } })).status, 200);
      const refused = await call('POST', '/api/staff/login', { body: { username: racer.username, password: PASSWORD } });
      assert.match(refused.body.error.message, /未通过审核：重复注册/);
      // Only coordinators are reviewed here.
      assert.equal((await call('POST', `/api/console/accounts/${await userId('adminA')}/approve`, { token: operator })).status, 404);
    });

    const ids: Record<string, string> = {};
    test('majors, teachers and classes (coordinator); the institution admin reads them', async () => {
      const m1 = await call('POST', '/api/console/majors', { token: coordA, body: { name: '软件技术' } });
      assert.equal(m1.status, 200, m1.raw);
      ids.major = m1.body.id;
      assert.equal((await call('POST', '/api/console/majors', { token: coordA, body: { name: '软件技术' } })).body.error.code, 'MAJOR_EXISTS');
      const m2 = await call('POST', '/api/console/majors', { token: coordA, body: { name: '大数据技术' } });
      ids.major2 = m2.body.id;
      assert.equal((await call('PATCH', `/api/console/majors/${ids.major2}`, { token: coordA, body: { name: '软件技术' } })).status, 409);
      assert.equal((await call('PATCH', `/api/console/majors/${ids.major2}`, { token: coordA, body: { name: '大数据技术应用' } })).status, 200);

      const t1 = await call('POST', '/api/console/teachers', {
        token: coordA, body: { username: 'teacherA', password: PASSWORD, displayName: '王老师', phone: '13700137000', majorIds: [ids.major] },
      });
      assert.equal(t1.status, 200, t1.raw);
      assert.deepEqual(t1.body.majors.map((m: any) => m.name), ['软件技术']);
      ids.teacher = t1.body.id;
      const t2 = await call('POST', '/api/console/teachers', {
        token: coordA, body: { username: 'teacherA2', password: PASSWORD, displayName: '李老师', phone: '13700137001', majorIds: [ids.major, ids.major2] },
      });
      ids.teacher2 = t2.body.id;
      assert.equal((await call('POST', '/api/console/teachers', { token: coordA, body: { username: 'teacherA', password: PASSWORD, displayName: '重名', phone: '13700137002' } })).status, 409);

      const notTeacher = await call('POST', '/api/console/classes', {
        token: coordA, body: { name: '软件2301', majorId: ids.major, headTeacherId: await userId('coordA') },
      });
      assert.equal(notTeacher.status, 400);
      assert.equal(notTeacher.body.error.message, '班主任必须是本院校的教师');
      const c1 = await call('POST', '/api/console/classes', {
        token: coordA, body: { name: '软件2301', majorId: ids.major, headTeacherId: ids.teacher, counsellorId: ids.teacher2 },
      });
      assert.equal(c1.status, 200, c1.raw);
      assert.deepEqual([c1.body.major.name, c1.body.headTeacher.name, c1.body.counsellor.name], ['软件技术', '王老师', '李老师']);
      ids.class = c1.body.id;
      assert.equal((await call('POST', '/api/console/classes', { token: coordA, body: { name: '软件2301', majorId: ids.major } })).body.error.code, 'CLASS_EXISTS');

      const inUse = await call('DELETE', `/api/console/majors/${ids.major}`, { token: coordA });
      assert.equal(inUse.status, 409);
      assert.match(inUse.body.error.message, /还有 1 个班级，不能删除/);

      const teachers = await call('GET', '/api/console/teachers', { token: adminA });
      assert.equal(teachers.status, 200);
      assert.deepEqual(teachers.body.teachers.find((x: any) => x.username === 'teacherA2').majors.map((m: any) => m.name).sort(), ['大数据技术应用', '软件技术'].sort());
      assert.equal((await call('GET', '/api/console/classes', { token: adminA })).body.classes.length, 1);
      assert.equal((await call('POST', '/api/console/majors', { token: adminA, body: { name: '新专业' } })).status, 403, 'the admin only reads');

      // Disable, enable, reset the password.
      assert.equal((await call('POST', `/api/console/teachers/${ids.teacher2}/disable`, { token: coordA })).body.status, 'disabled');
      assert.match((await call('POST', '/api/staff/login', { body: { username: 'teacherA2', password: PASSWORD } })).body.error.message, /已停用/);
      assert.equal((await call('POST', `/api/console/teachers/${ids.teacher2}/enable`, { token: coordA })).body.status, 'active');
      const reset = await call('POST', `/api/console/teachers/${ids.teacher2}/reset-password`, { token: coordA });
      assert.equal(reset.status, 200);
      assert.match(reset.body.password, /^(?=.*[A-Za-z])(?=.*\d).{8}$/);
      await login('teacherA2', reset.body.password);
    });

    test('student import: template, all-or-nothing with every bad row listed, initial passwords once', async () => {
      const teacher = await login('teacherA');
      const template = await call('GET', `/api/console/students/template?classId=${ids.class}`, { token: teacher });
      assert.equal(template.status, 200);
      assert.equal(template.headers['content-type'], XLSX);
      const rowsOfTemplate = await sheetRows(template.rawPayload);
      assert.ok(rowsOfTemplate.some((r) => r.includes('学号') && r.includes('姓名')));
      assert.ok(rowsOfTemplate.some((r) => r[0] === '30'), '30 numbered rows by default');

      const before = await t.ctx.db.selectFrom('users').select('id').where('role', '=', 'student').execute();
      const bad = await call('POST', `/api/console/students/import?classId=${ids.class}`, {
        token: teacher,
        xlsx: await studentFile([['2023001', '赵一'], ['2023002', ''], ['2023001', '钱二'], ['20 23$', '孙三'], ['2023005', '李四', '12345']]),
      });
      assert.equal(bad.status, 400, bad.raw);
      assert.equal(bad.body.error.code, 'STUDENTS_INVALID');
      const badRows = [...new Set(bad.body.error.errors.map((e: any) => e.row))].sort();
      assert.deepEqual(badRows, [3, 4, 5, 6, 7], JSON.stringify(bad.body.error.errors));
      for (const e of bad.body.error.errors) assert.ok(e.column && e.reason, JSON.stringify(e));
      const after1 = await t.ctx.db.selectFrom('users').select('id').where('role', '=', 'student').execute();
      assert.equal(after1.length, before.length, 'nothing created');

      const good = await call('POST', `/api/console/students/import?classId=${ids.class}`, {
        token: teacher, xlsx: await studentFile([['2023001', '赵一'], ['2023002', '钱二', '13600136000'], ['a2023003', '孙三']]),
      });
      assert.equal(good.status, 200, good.raw);
      assert.equal(good.body.created, 3);
      assert.deepEqual(good.body.accounts.map((a: any) => a.username), ['100012023001', '100012023002', '10001A2023003']);
      for (const a of good.body.accounts) assert.match(a.password, /^[A-Za-z0-9]{8}$/);
      const sheet = await sheetRows(Buffer.from(good.body.passwordSheet.base64, 'base64'));
      assert.ok(sheet.some((r) => r.includes('100012023002') && r.includes(good.body.accounts[1].password)), 'the 初始密码 list');
      const student = await login('100012023001', good.body.accounts[0].password);
      assert.ok(student);

      const clash = await call('POST', `/api/console/students/import?classId=${ids.class}`, { token: teacher, xlsx: await studentFile([['2023009', '周九'], ['2023001', '赵一']]) });
      assert.equal(clash.status, 400);
      assert.deepEqual(clash.body.error.errors, [{ row: 4, column: '学号', reason: '账号 100012023001 已存在（该学号已导入过）' }]);
      assert.equal(await t.ctx.db.selectFrom('users').select('id').where('username', '=', '100012023009').executeTakeFirst(), undefined);

      const notXlsx = await call('POST', `/api/console/students/import?classId=${ids.class}`, { token: teacher, xlsx: Buffer.from('not a spreadsheet') });
      assert.equal(notXlsx.status, 400);
      const list = await call('GET', `/api/console/students?classId=${ids.class}`, { token: teacher });
      assert.deepEqual(list.body.students.map((s: any) => s.studentNo), ['2023001', '2023002', 'A2023003']);
      assert.equal((await call('DELETE', `/api/console/classes/${ids.class}`, { token: coordA })).body.error.code, 'CLASS_IN_USE');
    });

    test('log-in-as: a coordinator acts as their teacher (audited with acting_for) and comes back', async () => {
      const start = await call('POST', '/api/staff/act-as', { token: coordA, body: { userId: ids.teacher } });
      assert.equal(start.status, 200, start.raw);
      assert.equal(start.body.user.username, 'teacherA');
      assert.equal(start.body.user.role, 'teacher');
      assert.equal(start.body.user.actingFor.username, 'coordA');
      const acting = start.body.token as string;
      const me = await call('GET', '/api/staff/me', { token: acting });
      assert.deepEqual([me.body.username, me.body.actingFor.username], ['teacherA', 'coordA']);

      // Acting as the teacher: import a student; the log says who really did it.
      const imported = await call('POST', `/api/console/students/import?classId=${ids.class}`, { token: acting, xlsx: await studentFile([['2023010', '吴十']]) });
      assert.equal(imported.status, 200, imported.raw);
      const line = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'student.import').orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual([line.actor, line.acting_for, line.institution_id], ['teacherA', 'coordA', instA]);

      // Never twice, never by others.
      assert.equal((await call('POST', '/api/staff/act-as', { token: acting, body: { userId: ids.teacher2 } })).status, 403);
      const teacher2 = await login('teacherA2', (await call('POST', `/api/console/teachers/${ids.teacher2}/reset-password`, { token: coordA, body: { password: PASSWORD } })).body.password);
      assert.equal((await call('POST', '/api/staff/act-as', { token: teacher2, body: { userId: ids.teacher } })).status, 403, 'a teacher cannot act as anyone');
      assert.equal((await call('POST', '/api/staff/act-as', { token: adminA, body: { userId: ids.teacher } })).status, 403);
      assert.equal((await call('POST', '/api/staff/act-as', { token: coordA, body: { userId: await userId('adminA') } })).status, 404, 'only teachers');
      assert.equal((await call('POST', '/api/staff/act-as/end', { token: teacher2 })).body.error.code, 'NOT_ACTING');
      const b = await readyInstitution('20002', 'b');
      const foreign = await call('POST', '/api/staff/act-as', { token: b.coordinator, body: { userId: ids.teacher } });
      assert.equal(foreign.status, 404, 'a coordinator of another institution');
      assert.equal(foreign.body.error.message, '记录不存在或无权访问');

      const end = await call('POST', '/api/staff/act-as/end', { token: acting });
      assert.equal(end.status, 200, end.raw);
      assert.deepEqual([end.body.user.username, end.body.user.role, end.body.user.actingFor], ['coordA', 'coordinator', null]);
      assert.equal((await call('GET', '/api/staff/me', { token: end.body.token })).body.actingFor, null);

      const log = await call('GET', '/api/console/audit?entity=user', { token: coordA });
      const actions = log.body.entries.map((e: any) => e.action);
      assert.ok(actions.includes('actAs.start') && actions.includes('actAs.end'), actions.join());
      const ended = log.body.entries.find((e: any) => e.action === 'actAs.end');
      assert.deepEqual([ended.actor, ended.actingFor], ['teacherA', 'coordA']);

      // A disabled teacher cannot be acted as; a disabled coordinator's acting session ends at once.
      await call('POST', `/api/console/teachers/${ids.teacher2}/disable`, { token: coordA });
      assert.equal((await call('POST', '/api/staff/act-as', { token: coordA, body: { userId: ids.teacher2 } })).body.error.code, 'ACCOUNT_NOT_ACTIVE');
      await call('POST', `/api/console/teachers/${ids.teacher2}/enable`, { token: coordA });
      const again = (await call('POST', '/api/staff/act-as', { token: coordA, body: { userId: ids.teacher } })).body.token;
      await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('username', '=', 'coordA').execute();
      assert.equal((await call('GET', '/api/staff/me', { token: again })).status, 401);
      await t.ctx.db.updateTable('users').set({ status: 'active' }).where('username', '=', 'coordA').execute();
    });

    test('audit log: operator sees all; institution staff only their own; filters; before and after', async () => {
      const all = await call('GET', '/api/console/audit?pageSize=200', { token: operator });
      assert.equal(all.status, 200);
      const actionsAll = new Set(all.body.entries.map((e: any) => e.action));
      for (const a of ['institution.signup', 'institution.resubmit', 'institution.approve', 'institution.reject', 'invitation.create', 'invitation.accept', 'invitation.revoke', 'account.approve', 'account.reject', 'major.create', 'major.update', 'class.create', 'teacher.create', 'teacher.disable', 'teacher.enable', 'teacher.resetPassword', 'student.import', 'actAs.start', 'actAs.end']) {
        assert.ok(actionsAll.has(a), `audited: ${a}`);
      }
      // Every line and every filter choice carries the server's Chinese name.
      for (const e of all.body.entries) {
        assert.match(e.actionName, HAN, e.action);
        assert.match(e.entityName, HAN, e.entity);
      }
      const line = (action: string) => all.body.entries.find((e: any) => e.action === action);
      assert.deepEqual([line('actAs.start').actionName, line('actAs.start').entityName], ['登录教师账号', '账号']);
      assert.deepEqual([line('major.update').actionName, line('major.update').entityName], ['修改专业', '专业']);
      const inDb = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity']).distinct().execute();
      const actionNames = new Map(all.body.actions.map((o: any) => [o.key, o.name]));
      const entityNames = new Map(all.body.entities.map((o: any) => [o.key, o.name]));
      for (const { action, entity } of inDb) {
        assert.equal(actionNames.get(action), AUDIT_ACTION_NAMES[action as keyof typeof AUDIT_ACTION_NAMES], `named: ${action}`);
        assert.match(String(actionNames.get(action)), HAN, action);
        assert.equal(entityNames.get(entity), AUDIT_ENTITY_NAMES[entity as keyof typeof AUDIT_ENTITY_NAMES], `named: ${entity}`);
      }
      assert.deepEqual([...actionNames.keys()].sort(), [...new Set(inDb.map((r) => r.action))].sort());
      // Every field of every stored before/after is named, and the page gives those names.
      const stored = await assertAuditFieldsNamed(t.ctx.db);
      assert.equal(all.body.entries.length, all.body.total, 'one page holds the whole log');
      const fieldNames = new Map(all.body.fields.map((o: any) => [o.key, o.name]));
      assert.deepEqual([...fieldNames.keys()].sort(), [...stored].sort());
      for (const f of stored) assert.equal(fieldNames.get(f), AUDIT_FIELD_NAMES[f as keyof typeof AUDIT_FIELD_NAMES], `named: ${f}`);
      assert.deepEqual(['headTeacher', 'counsellor', 'majorId', 'displayName', 'passwordReset'].map((f) => fieldNames.get(f)), ['班主任', '辅导员', '专业 ID', '姓名', '已重置密码']);
      // Coded values come named (an institution's status apart from an account's); free text and ids do not.
      const valueNames = new Map(all.body.values.map((v: any) => [`${v.field}=${v.value}`, v.name]));
      assert.deepEqual(line('institution.approve').after, { status: 'approved' });
      assert.equal(valueNames.get('institution.status=approved'), '已通过');
      assert.equal(valueNames.get('institution.status=pending'), '待审核');
      assert.equal(line('account.approve').after.status, 'active');
      assert.equal(valueNames.get('user.status=active'), ACCOUNT_STATUS_NAMES.active);
      assert.equal(line('actAs.start').after.role, 'teacher');
      assert.equal(valueNames.get('role=teacher'), ROLE_NAMES.teacher);
      assert.equal(valueNames.get('role=coordinator'), ROLE_NAMES.coordinator);
      assert.equal(valueNames.get('invitation.status=revoked'), '已撤销');
      for (const v of all.body.values) {
        assert.match(v.name, HAN, `${v.field}=${v.value}`);
        assert.equal(v.name, AUDIT_VALUE_NAMES[v.field]![v.value], `${v.field}=${v.value}`);
      }
      assert.ok(!all.body.values.some((v: any) => v.field === 'status' || v.field === 'username' || v.field === 'name'), 'only coded fields, keyed by entity where the code depends on it');
      // A line written by an older version, with a key no longer named, shows the key.
      await t.ctx.db.insertInto('audit_log').values({
        id: 'old-line', at: new Date().toISOString(), actor: 'operator', action: 'legacy.thing', entity: 'legacy_table', entity_id: 'x', before: null, after: '{"oldField":1}', acting_for: null, institution_id: null,
      }).execute();
      const legacy = await call('GET', '/api/console/audit?action=legacy.thing', { token: operator });
      assert.deepEqual([legacy.body.entries[0].actionName, legacy.body.entries[0].entityName], ['legacy.thing', 'legacy_table']);
      assert.ok(legacy.body.actions.some((o: any) => o.key === 'legacy.thing' && o.name === 'legacy.thing'));
      assert.deepEqual(legacy.body.fields, [{ key: 'oldField', name: 'oldField' }]);
      assert.deepEqual(legacy.body.values, []);
      await t.ctx.db.deleteFrom('audit_log').where('id', '=', 'old-line').execute();
      const mine = await call('GET', '/api/console/audit?pageSize=200', { token: adminA });
      assert.equal(mine.status, 200);
      assert.ok(mine.body.entries.length > 0);
      assert.ok(mine.body.entries.every((e: any) => !/乙学院|乙职业学院|10009|20002/.test(JSON.stringify(e))), 'no other institution');
      assert.equal(mine.body.total, mine.body.entries.length);
      assert.ok(mine.body.total < all.body.total);

      const majors = await call('GET', '/api/console/audit?entity=major&action=major.update', { token: coordA });
      assert.equal(majors.body.entries.length, 1);
      assert.deepEqual([majors.body.entries[0].before, majors.body.entries[0].after], [{ name: '大数据技术' }, { name: '大数据技术应用' }]);
      assert.match(majors.body.entries[0].at, /^\d{4}-\d\d-\d\dT.*Z$/);
      const byActor = await call('GET', '/api/console/audit?actor=coordA&pageSize=200', { token: coordA });
      assert.ok(byActor.body.entries.some((e: any) => e.actor === 'teacherA' && e.actingFor === 'coordA'), 'acting lines found by the real actor');
      const page2 = await call('GET', '/api/console/audit?pageSize=2&page=2', { token: adminA });
      assert.equal(page2.body.entries.length, 2);
      assert.notEqual(page2.body.entries[0].id, mine.body.entries[0].id);
      const future = await call('GET', `/api/console/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`, { token: operator });
      assert.equal(future.body.total, 0);
      assert.equal((await call('GET', '/api/console/audit?from=yesterday', { token: operator })).status, 400);
      assert.equal((await call('GET', '/api/console/audit', { token: await login('teacherA') })).status, 403);
      assert.ok(!JSON.stringify(all.body).includes(PASSWORD), 'no password in the log');
    });
  });
}
