// 考核站点 and 考场: apply, review, agreement, rooms with validation and the
// manual's warnings, and scopes (another institution's site is a 404).
//
//   node --import tsx --test packages/server/test/sites.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, nowIso } from '../src/ids.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { api, SITE_INPUT, standardPeople } from './sites-fixture.ts';
import { assertAuditFieldsNamed } from './audit-fields.ts';

const T0 = Date.parse('2026-06-01T02:00:00.000Z');

for (const { kind, skip } of await databaseKinds()) {
  describe(`sites and rooms on ${kind}`, { skip }, () => {
    let t: TestApp;
    const call = api(() => t);
    let inst: { a: string; b: string; c: string };
    let rejectedId: string;
    let siteId: string;

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(T0);
      inst = await standardPeople(t.ctx.db);
    });
    after(async () => t?.close());

    const audits = (action: string) =>
      t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('at').execute();

    test('a coordinator applies: pending, with a 4-digit code; audited', async () => {
      const res = await call('coordA', 'POST', '/api/console/sites', SITE_INPUT);
      assert.equal(res.status, 200, res.raw);
      const s = res.body.site;
      assert.equal(s.status, 'pending');
      assert.equal(s.statusName, '审核中');
      assert.match(s.code, /^[1-9]\d{3}$/);
      assert.equal(s.agreementStatus, 'none');
      assert.equal(s.institution.name, '甲职业技术学院');
      assert.equal(s.createdBy, '甲负责人（coordA）');
      assert.deepEqual(res.body.rooms, []);
      assert.deepEqual(res.body.warnings.map((w: any) => w.code), ['SITE_NOT_ENABLED', 'AGREEMENT_NOT_SIGNED', 'NO_ROOMS']);
      assert.deepEqual(res.body.permissions, { editRooms: true, review: false });
      rejectedId = s.id;
      const [a] = await audits('site.apply');
      assert.equal(a!.actor, 'coordA');
      assert.equal(a!.institution_id, inst.a);
      assert.equal(JSON.parse(a!.after!).name, SITE_INPUT.name);
    });

    test('a second application while one is pending is refused, in Chinese', async () => {
      const res = await call('adminA', 'POST', '/api/console/sites', { ...SITE_INPUT, name: '另一个考点' });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'SITE_APPLICATION_PENDING');
      assert.equal(res.body.error.message, '本院校已有正在审核的考核站点申请，请等待审核结果');
    });

    test('bad input, wrong roles, an institution not yet approved: refused', async () => {
      const bad = await call('coordB', 'POST', '/api/console/sites', { ...SITE_INPUT, contactPhone: '12345', name: ' ' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
      assert.match(bad.body.error.message, /请填写站点名称/);
      assert.match(bad.body.error.message, /联系电话应为 11 位手机号/);
      assert.equal((await call('teacherA', 'POST', '/api/console/sites', SITE_INPUT)).status, 403);
      assert.equal((await call('op', 'POST', '/api/console/sites', SITE_INPUT)).status, 403);
      assert.equal((await call('techA', 'POST', '/api/console/sites', SITE_INPUT)).status, 403);
      assert.equal((await call(null, 'POST', '/api/console/sites', SITE_INPUT)).status, 401);
      const pending = await call('coordC', 'POST', '/api/console/sites', SITE_INPUT);
      assert.equal(pending.status, 409);
      assert.equal(pending.body.error.code, 'INSTITUTION_NOT_APPROVED');
    });

    test('the operator rejects with a reason (a reason is required; only the operator reviews)', async () => {
      assert.equal((await call('coordA', 'POST', `/api/console/sites/${rejectedId}/approve`)).status, 403);
      const noReason = await call('op', 'POST', `/api/console/sites/${rejectedId}/reject`, { reason: '  ' });
      assert.equal(noReason.status, 400);
      assert.match(noReason.body.error.message, /请填写不通过的原因/);
      const res = await call('op', 'POST', `/api/console/sites/${rejectedId}/reject`, { reason: '联系电话无法接通' });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.site.status, 'rejected');
      assert.equal(res.body.site.reviewNote, '联系电话无法接通');
      assert.equal(res.body.site.reviewedAt, new Date(T0).toISOString());
      const again = await call('op', 'POST', `/api/console/sites/${rejectedId}/approve`);
      assert.equal(again.status, 409, 'a rejected application cannot be approved');
      const [a] = await audits('site.reject');
      assert.equal(JSON.parse(a!.before!).status, 'pending');
      assert.equal(JSON.parse(a!.after!).status, 'rejected');
      // Rooms of a rejected application cannot be set.
      const room = await call('coordA', 'POST', `/api/console/sites/${rejectedId}/rooms`, { name: '一号机房', location: '实训楼', seats: 40, spareMachines: 3 });
      assert.equal(room.status, 409);
      assert.equal(room.body.error.code, 'SITE_NOT_EDITABLE');
    });

    test('re-apply, approve: “审核通过已启用”; then a further application is refused', async () => {
      const res = await call('coordA', 'POST', '/api/console/sites', SITE_INPUT);
      assert.equal(res.status, 200, res.raw);
      siteId = res.body.site.id;
      const codes = await t.ctx.db.selectFrom('sites').select('code').execute();
      assert.equal(new Set(codes.map((c) => c.code)).size, codes.length, 'codes are unique');
      const ok = await call('op', 'POST', `/api/console/sites/${siteId}/approve`);
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.site.status, 'enabled');
      assert.equal(ok.body.site.statusName, '审核通过已启用');
      assert.equal((await call('op', 'POST', `/api/console/sites/${siteId}/approve`)).status, 409);
      const dup = await call('coordA', 'POST', '/api/console/sites', SITE_INPUT);
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.code, 'SITE_ALREADY_ENABLED');
      assert.equal(dup.body.error.message, '本院校已有审核通过并启用的考核站点，无需重复申请');
    });

    test('the database itself refuses a second open site for one institution', async () => {
      await assert.rejects(
        t.ctx.db.insertInto('sites').values({
          id: newId(), institution_id: inst.a, code: '0001', name: 'x', address: 'x', contact_name: 'x', contact_phone: 'x',
          status: 'pending', agreement_status: 'none', review_note: null, reviewed_by: null, reviewed_at: null, created_by: 'x', created_at: nowIso(),
        }).execute(),
      );
    });

    test('agreement: none → sent → signed, by the operator only; audited', async () => {
      assert.equal((await call('coordA', 'POST', `/api/console/sites/${siteId}/agreement`, { status: 'signed' })).status, 403);
      const bad = await call('op', 'POST', `/api/console/sites/${siteId}/agreement`, { status: 'maybe' });
      assert.equal(bad.status, 400);
      const sent = await call('op', 'POST', `/api/console/sites/${siteId}/agreement`, { status: 'sent' });
      assert.equal(sent.body.site.agreementName, '已发送待签署');
      assert.match(sent.body.warnings.find((w: any) => w.code === 'AGREEMENT_NOT_SIGNED').message, /已发送，尚未签署/);
      const signed = await call('op', 'POST', `/api/console/sites/${siteId}/agreement`, { status: 'signed' });
      assert.equal(signed.body.site.agreementStatus, 'signed');
      assert.deepEqual(signed.body.warnings.map((w: any) => w.code), ['NO_ROOMS']);
      const rows = await audits('site.agreement');
      assert.deepEqual(rows.map((r) => [JSON.parse(r.before!).agreementStatus, JSON.parse(r.after!).agreementStatus]), [['none', 'sent'], ['sent', 'signed']]);
      assert.equal((await call('op', 'POST', `/api/console/sites/${rejectedId}/agreement`, { status: 'sent' })).status, 409);
    });

    test('lists: the operator sees all (and filters); institution people only their own', async () => {
      const b = await call('coordB', 'POST', '/api/console/sites', { ...SITE_INPUT, name: '乙考点' });
      assert.equal(b.status, 200);
      const all = await call('op', 'GET', '/api/console/sites');
      assert.equal(all.body.sites.length, 3);
      const pending = await call('op', 'GET', '/api/console/sites?status=pending');
      assert.deepEqual(pending.body.sites.map((s: any) => s.name), ['乙考点']);
      assert.equal((await call('op', 'GET', '/api/console/sites?status=nonsense')).status, 400);
      const mine = await call('techA', 'GET', '/api/console/sites');
      assert.deepEqual(mine.body.sites.map((s: any) => s.status).sort(), ['enabled', 'rejected']);
      const theirs = await call('coordB', 'GET', '/api/console/sites');
      assert.deepEqual(theirs.body.sites.map((s: any) => s.name), ['乙考点']);
      assert.equal((await call('teacherA', 'GET', '/api/console/sites')).status, 403);
    });

    let room1: string;
    test('rooms: create with normalised IP ranges; validation errors in Chinese', async () => {
      const url = `/api/console/sites/${siteId}/rooms`;
      const ok = await call('coordA', 'POST', url, {
        name: '一号机房', location: '实训楼 301', seats: 40, roomType: '机考', spareMachines: 3,
        ipRanges: ['192.168.1.77/24', '192.168.1.0/24', ' 2001:DB8:0:0::/64 ', '10.0.0.9'],
      });
      assert.equal(ok.status, 200, ok.raw);
      const r = ok.body.rooms[0];
      room1 = r.id;
      assert.deepEqual(r.ipRanges, ['192.168.1.0/24', '2001:db8::/64', '10.0.0.9']);
      assert.equal(r.seatsPerRow, 8, '8 to a row unless told');
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(ok.body.warnings, []);

      const badCidr = await call('coordA', 'POST', url, { name: '二号机房', location: '实训楼 302', seats: 40, spareMachines: 3, ipRanges: ['192.168.2.0/33', '10.0.0.0/8'] });
      assert.equal(badCidr.status, 400);
      assert.equal(badCidr.body.error.code, 'INVALID_IP_RANGE');
      assert.match(badCidr.body.error.message, /“192\.168\.2\.0\/33”不是有效的 IP 地址或网段/);
      assert.match(badCidr.body.error.message, /“10\.0\.0\.0\/8”范围过大/);
      assert.equal(badCidr.body.error.problems.length, 2);

      const dup = await call('coordA', 'POST', url, { name: '一号机房', location: '别处', seats: 40, spareMachines: 3 });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.message, '本站点已有名为“一号机房”的考场，请换一个名称');

      for (const [body, pattern] of [
        [{ name: '三号', location: 'x', seats: 0, spareMachines: 3 }, /考位数至少为 1/],
        [{ name: '三号', location: 'x', seats: 301, spareMachines: 3 }, /考位数不能超过 300/],
        [{ name: '三号', location: 'x', seats: 40.5, spareMachines: 3 }, /考位数应为整数/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: -1 }, /备用机数不能为负数/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: 3, seatsPerRow: 0 }, /每排座位数至少为 1/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: 3, seatsPerRow: 21 }, /每排座位数不能超过 20/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: 3, seatsPerRow: 6.5 }, /每排座位数应为整数/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: 3, seatsPerRow: '6' }, /每排座位数应为整数/],
        [{ name: '三号', location: 'x', seats: 40, spareMachines: 3, roomType: '笔试' }, /考场类型只能选择“机考”/],
        [{ name: '', location: 'x', seats: 40, spareMachines: 3 }, /请填写考场名称/],
      ] as const) {
        const res = await call('coordA', 'POST', url, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error.message, pattern);
      }
      const rows = await t.ctx.db.selectFrom('rooms').select('name').where('site_id', '=', siteId).execute();
      assert.deepEqual(rows.map((x) => x.name), ['一号机房'], 'nothing written by refused requests');
    });

    let room2: string;
    test('warnings: a 30-seat room, too few spares, overlapping IP ranges (they never block)', async () => {
      const res = await call('coordA', 'POST', `/api/console/sites/${siteId}/rooms`, {
        name: '二号机房', location: '实训楼 302', seats: 30, seatsPerRow: 6, spareMachines: 1, ipRanges: ['192.168.1.128/25'],
      });
      assert.equal(res.status, 200, res.raw);
      const r = res.body.rooms.find((x: any) => x.name === '二号机房');
      room2 = r.id;
      assert.deepEqual(r.warnings.map((w: any) => w.message), [
        '标准考场应不少于 40 个考位（本考场 30 个）',
        '备用机不足：每个考场应配备 3 台备用机或按 10:1 的比例配备，本考场 30 个考位，应至少 3 台，现有 1 台',
      ]);
      assert.deepEqual(res.body.warnings.map((w: any) => w.code), ['IP_RANGES_OVERLAP']);
      const fixed = await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room2}`, { spareMachines: 3, ipRanges: ['192.168.3.0/24'] });
      assert.equal(fixed.status, 200, fixed.raw);
      const r2 = fixed.body.rooms.find((x: any) => x.id === room2);
      assert.deepEqual(r2.warnings.map((w: any) => w.code), ['SEATS_BELOW_STANDARD']);
      assert.deepEqual(fixed.body.warnings, []);
      const [a] = await audits('room.update');
      assert.equal(JSON.parse(a!.before!).spareMachines, 1);
      assert.equal(JSON.parse(a!.after!).spareMachines, 3);
    });

    test('每排座位数: saved on creation and on a change (a 30-seat lab of 6 rows × 5), audited; refused out of 1–20', async () => {
      const [made] = (await audits('room.create')).filter((x) => x.entity_id === room2);
      assert.equal(JSON.parse(made!.after!).seatsPerRow, 6);
      const url = `/api/console/sites/${siteId}/rooms/${room2}`;
      const res = await call('coordA', 'PATCH', url, { seatsPerRow: 5 });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.rooms.find((x: any) => x.id === room2).seatsPerRow, 5);
      const row = await t.ctx.db.selectFrom('rooms').select(['seats', 'seats_per_row']).where('id', '=', room2).executeTakeFirstOrThrow();
      assert.deepEqual([Number(row.seats), Number(row.seats_per_row)], [30, 5]);
      const updates = await audits('room.update');
      const last = updates.at(-1)!;
      assert.deepEqual([JSON.parse(last.before!).seatsPerRow, JSON.parse(last.after!).seatsPerRow], [6, 5]);

      for (const [seatsPerRow, pattern] of [[0, /每排座位数至少为 1/], [21, /每排座位数不能超过 20/], [4.5, /每排座位数应为整数/], [null, /每排座位数应为整数/]] as const) {
        const bad = await call('coordA', 'PATCH', url, { seatsPerRow });
        assert.equal(bad.status, 400, String(seatsPerRow));
        assert.match(bad.body.error.message, pattern);
      }
      assert.equal((await audits('room.update')).length, updates.length, 'refused changes write nothing');
    });

    test('scopes: another institution gets 404; the technician reads but cannot change rooms', async () => {
      for (const [method, url, body] of [
        ['GET', `/api/console/sites/${siteId}`, undefined],
        ['POST', `/api/console/sites/${siteId}/rooms`, { name: '乙的', location: 'x', seats: 40, spareMachines: 3 }],
        ['PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { seats: 10 }],
        ['DELETE', `/api/console/sites/${siteId}/rooms/${room1}`, undefined],
      ] as const) {
        const res = await call('coordB', method, url, body);
        assert.equal(res.status, 404, `${method} ${url}`);
        assert.equal(res.body.error.message, '记录不存在或无权访问');
      }
      const read = await call('techA', 'GET', `/api/console/sites/${siteId}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.rooms.length, 2);
      assert.deepEqual(read.body.permissions, { editRooms: false, review: false });
      assert.equal((await call('techA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { seats: 41 })).status, 403);
      assert.equal((await call('adminA', 'GET', `/api/console/sites/${siteId}`)).status, 200);
      assert.equal((await call('op', 'GET', `/api/console/sites/${siteId}`)).body.permissions.review, true);
      assert.equal((await call('op', 'GET', '/api/console/sites/nope')).status, 404);
      // A room of another site through this site's address: 404.
      const bSite = (await call('coordB', 'GET', '/api/console/sites')).body.sites[0].id;
      const bRoom = await call('coordB', 'POST', `/api/console/sites/${bSite}/rooms`, { name: '乙一', location: 'x', seats: 40, spareMachines: 3 });
      assert.equal(bRoom.status, 200, 'a pending site may set up its rooms');
      const bRoomId = bRoom.body.rooms[0].id;
      assert.equal((await call('op', 'PATCH', `/api/console/sites/${siteId}/rooms/${bRoomId}`, { seats: 41 })).status, 404);
    });

    test('seats cannot drop below the candidates placed; a room with an arrangement cannot be deleted', async () => {
      const db = t.ctx.db;
      const cert = await db.selectFrom('certificates').select('id').executeTakeFirstOrThrow();
      const planId = newId();
      await db.insertInto('plans').values({ id: planId, certificate_id: cert.id, name: '测试计划', exam_date: '2026-07-18', registration_deadline: null, created_at: nowIso(), code: '260718' }).execute();
      for (let i = 1; i <= 33; i++) {
        const candidateId = newId();
        const registrationId = newId();
        await db.insertInto('candidates').values({ id: candidateId, name: `考生${i}`, id_type: 'resident', id_number: `44010119900101${String(i).padStart(4, '0')}`, created_at: nowIso(), gender: null, institution_id: inst.a, major_id: null, class_id: null, phone: null, photo_name: null, created_by: null }).execute();
        await db.insertInto('registrations').values({ id: registrationId, plan_id: planId, candidate_id: candidateId, level: 'junior', ticket_no: `T${i}`, created_at: nowIso(), site_id: siteId, institution_id: inst.a, created_by: null }).execute();
        await db.insertInto('seat_assignments').values({ registration_id: registrationId, plan_id: planId, site_id: siteId, room_id: room1, seat_no: i + 2, created_at: nowIso() }).execute();
      }
      const low = await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { seats: 34 });
      assert.equal(low.status, 409);
      assert.equal(low.body.error.code, 'SEATS_BELOW_PLACED');
      assert.match(low.body.error.message, /已编排 33 名考生（最大座位号 35），考位数不能少于 35/);
      const ok = await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { seats: 35 });
      assert.equal(ok.status, 200, ok.raw);
      const r1 = ok.body.rooms.find((x: any) => x.id === room1);
      assert.equal(r1.placed, 33);
      assert.equal(ok.body.plan.name, '测试计划');
      const del = await call('coordA', 'DELETE', `/api/console/sites/${siteId}/rooms/${room1}`);
      assert.equal(del.status, 409);
      assert.match(del.body.error.message, /已有考场编排（33 名考生），不能删除/);
      // A plan long past no longer holds the seats.
      t.clock.set(Date.parse('2026-08-01T00:00:00Z'));
      assert.equal((await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { seats: 30 })).status, 200);
      t.clock.set(T0);
    });

    test('rename to a taken name is refused; delete a room without arrangement; audited', async () => {
      const taken = await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room2}`, { name: '一号机房' });
      assert.equal(taken.status, 409);
      const empty = await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room2}`, {});
      assert.equal(empty.status, 400);
      assert.match(empty.body.error.message, /没有要修改的内容/);
      const del = await call('coordA', 'DELETE', `/api/console/sites/${siteId}/rooms/${room2}`);
      assert.equal(del.status, 200, del.raw);
      assert.deepEqual(del.body.rooms.map((r: any) => r.name), ['一号机房']);
      const [a] = await audits('room.delete');
      assert.equal(JSON.parse(a!.before!).name, '二号机房');
      assert.equal(a!.institution_id, inst.a);
      assert.equal((await call('coordA', 'DELETE', `/api/console/sites/${siteId}/rooms/${room2}`)).status, 404);
    });

    test('disable, then enable again; a disabled site cannot change rooms', async () => {
      const off = await call('op', 'POST', `/api/console/sites/${siteId}/disable`, { reason: '暂停考务' });
      assert.equal(off.status, 200, off.raw);
      assert.equal(off.body.site.status, 'disabled');
      assert.equal((await call('coordA', 'PATCH', `/api/console/sites/${siteId}/rooms/${room1}`, { location: '新楼' })).status, 409);
      const on = await call('op', 'POST', `/api/console/sites/${siteId}/approve`);
      assert.equal(on.body.site.status, 'enabled');
    });

    test('every field of the audited before/after has a Chinese name', async () => {
      await assertAuditFieldsNamed(t.ctx.db);
    });
  });
}
