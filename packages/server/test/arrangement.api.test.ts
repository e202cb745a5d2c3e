// 考场编排, 监考安排 and the printed papers through the API, on SQLite and
// PostgreSQL, over a fixture written straight into the database
// (test/arrangement-fixture.ts: 100 candidates in 4 classes, 3 rooms of 40
// laid out 5, 8 and 6 seats to a row).
// The PDFs are read back with poppler (pdfinfo, pdftotext); `kaowu print`
// runs as a child process against the same database.
//
//   node --import tsx --test packages/server/test/arrangement.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { proctorsNeeded } from '@kaowu/core';
import { createArrangementFixture, staffToken, type ArrangementFixture } from './arrangement-fixture.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp, type TestDatabase } from './helpers.ts';
import { kaowu } from './cli-process.ts';
import { assertAuditFieldsNamed } from './audit-fields.ts';

/** 每排座位数 of the fixture's three rooms. */
const LAYOUTS = [5, 8, 6];

/** Same-class pairs left/right or front/back in a room of `cols` to a row, counted from seat rows (independently of the server's code). */
function sameClassPairs(seats: { seatNo: number; classId: string }[], cols: number): number {
  const at = new Map(seats.map((s) => [s.seatNo, s.classId]));
  let n = 0;
  for (const s of seats) {
    const right = (s.seatNo - 1) % cols < cols - 1 ? at.get(s.seatNo + 1) : undefined;
    const back = at.get(s.seatNo + cols);
    if (right === s.classId) n++;
    if (back === s.classId) n++;
  }
  return n;
}

function pdfPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
}
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

for (const { kind, skip } of await databaseKinds()) {
  describe(`考场编排、监考安排与打印 on ${kind}`, { skip, timeout: 600_000 }, () => {
    let database: TestDatabase;
    let t: TestApp;
    let f: ArrangementFixture;
    let dir: string;
    const tokens: Record<string, string> = {};

    before(async () => {
      database = await freshDatabase(kind);
      t = await startTestApp(database);
      t.clock.set('2026-07-10T02:00:00.000Z');
      f = await createArrangementFixture(t.ctx, { photos: true, seatsPerRow: LAYOUTS });
      tokens.coordA = staffToken(t.ctx, f.users.coordA.id);
      tokens.coordB = staffToken(t.ctx, f.users.coordB.id);
      tokens.op = staffToken(t.ctx, f.users.operator.id);
      tokens.teacher = staffToken(t.ctx, f.teachers.free[0]!.id);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-arrange-'));
    });
    after(async () => {
      await t?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => {
      const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(body !== undefined ? { payload: body as object } : {}) });
      let json: any = null;
      try {
        json = res.json();
      } catch {
        json = null;
      }
      return { status: res.statusCode, body: json, raw: res.rawPayload, headers: res.headers };
    };
    const q = () => `planId=${f.planId}&siteId=${f.siteId}`;
    /** Seat rows with each candidate's class and level, from the database. */
    const seatRows = async () =>
      t.ctx.db
        .selectFrom('seat_assignments as s')
        .innerJoin('registrations as r', 'r.id', 's.registration_id')
        .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
        .select(['s.registration_id', 's.room_id', 's.seat_no', 'r.level', 'c.class_id', 'c.major_id'])
        .where('s.plan_id', '=', f.planId)
        .execute();
    /** A room's seats as sameClassPairs takes them. */
    const classSeats = (rows: Awaited<ReturnType<typeof seatRows>>, roomId: string) =>
      rows.filter((r) => r.room_id === roomId).map((r) => ({ seatNo: Number(r.seat_no), classId: r.class_id! }));
    const savePdf = (name: string, raw: Buffer) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, raw);
      return file;
    };

    test('scope: another institution\'s coordinator gets 404, a teacher 403; printing before arranging is refused', async () => {
      assert.equal((await call('coordB', 'GET', `/api/console/arrangements?${q()}`)).status, 404);
      assert.equal((await call('coordB', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId })).status, 404);
      assert.equal((await call('coordB', 'POST', '/api/console/arrangements/publish', { planId: f.planId, siteId: f.siteId })).status, 404);
      assert.equal((await call('coordB', 'GET', `/api/console/proctor-assignments?${q()}`)).status, 404);
      assert.equal((await call('coordB', 'POST', '/api/console/proctor-assignments/run', { planId: f.planId, siteId: f.siteId })).status, 404);
      assert.equal((await call('coordB', 'PUT', '/api/console/proctor-assignments', { planId: f.planId, roomId: f.rooms[0]!.id, userIds: [] })).status, 404);
      assert.equal((await call('coordB', 'PUT', '/api/console/proctor-assignments/chief', { planId: f.planId, siteId: f.siteId, userId: null })).status, 404);
      assert.equal((await call('coordB', 'GET', `/api/console/print/tickets?${q()}`)).status, 404);
      assert.equal((await call('teacher', 'GET', `/api/console/arrangements?${q()}`)).status, 403);
      const targets = await call('coordB', 'GET', '/api/console/arrangements/targets');
      assert.equal(targets.status, 200);
      assert.deepEqual(targets.body.sites, []);
      const mine = await call('coordA', 'GET', '/api/console/arrangements/targets');
      assert.deepEqual(mine.body.sites.map((s: any) => s.id), [f.siteId]);
      assert.ok(mine.body.plans.some((p: any) => p.id === f.planId));

      const early = await call('coordA', 'GET', `/api/console/print/tickets?${q()}`);
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'ARRANGEMENT_NOT_PUBLISHED');
      assert.match(early.body.error.message, /尚未进行考场编排.*请先在“考场编排”中编排并发布/);
      const none = await call('coordA', 'GET', `/api/console/arrangements?${q()}`);
      assert.equal(none.status, 200);
      assert.equal(none.body.state, 'none');
      assert.equal(none.body.totals.registered, 100);
      assert.equal(none.body.canPublish, false);
    });

    test('隔位就座: odd seats only, 20 per room; 40 candidates left over, so 发布 is refused with the reason', async () => {
      const res = await call('coordA', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId, everyOtherSeat: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.state, 'draft');
      assert.deepEqual(res.body.options, { everyOtherSeat: true });
      assert.deepEqual(res.body.rooms.map((r: any) => r.seatsPerRow), LAYOUTS);
      assert.deepEqual(res.body.rooms.map((r: any) => r.capacity), [20, 20, 20]);
      for (const r of res.body.rooms) for (const s of r.seats) assert.equal(s.seatNo % 2, 1, `seat ${s.seatNo} is even`);
      assert.equal(res.body.totals.placed, 60);
      assert.equal(res.body.unplaced.length, 40);
      assert.ok(res.body.problems.some((p: string) => /考场座位不足/.test(p)), res.body.problems.join('\n'));
      assert.equal(res.body.canPublish, false);
      const refused = await call('coordA', 'POST', '/api/console/arrangements/publish', { planId: f.planId, siteId: f.siteId });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'UNPLACED_CANDIDATES');
      assert.match(refused.body.error.message, /^不能发布：还有 40 名考生未安排座位：考场座位不足.*未安排座位：.+（\d{14}）/);

      // Options stored before rooms had their own layout carried a plan-wide seatsPerRow: it is ignored.
      await t.ctx.db.updateTable('arrangements').set({ options: JSON.stringify({ everyOtherSeat: true, seatsPerRow: 12 }) }).where('plan_id', '=', f.planId).execute();
      const old = await call('coordA', 'GET', `/api/console/arrangements?${q()}`);
      assert.deepEqual(old.body.options, { everyOtherSeat: true });
      assert.deepEqual(old.body.rooms.map((r: any) => r.seatsPerRow), LAYOUTS);
    });

    test('编排: capacity respected, one level per room, no same-class neighbours; the seat map; audited', async () => {
      const res = await call('coordA', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId, everyOtherSeat: false });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.totals.placed, 100);
      assert.deepEqual(res.body.unplaced, []);
      assert.deepEqual(res.body.problems, []);
      assert.equal(res.body.canPublish, true);
      assert.match(res.body.run.message, /已编排 100 名考生/);

      const rows = await seatRows();
      assert.equal(rows.length, 100);
      const byRoom = new Map<string, typeof rows>();
      for (const r of rows) byRoom.set(r.room_id, [...(byRoom.get(r.room_id) ?? []), r]);
      for (const room of f.rooms) {
        const list = byRoom.get(room.id) ?? [];
        assert.ok(list.length <= room.seats, `${room.name}: ${list.length} > ${room.seats}`);
        assert.equal(new Set(list.map((s) => Number(s.seat_no))).size, list.length, `${room.name}: a seat used twice`);
        for (const s of list) assert.ok(Number(s.seat_no) >= 1 && Number(s.seat_no) <= room.seats);
        assert.ok(new Set(list.map((s) => s.level)).size <= 1, `${room.name} holds more than one level`);
        assert.equal(sameClassPairs(classSeats(rows, room.id), room.seatsPerRow), 0, `${room.name}: same-class neighbours`);
      }
      // The room of 5 to a row is full: seat 6 is behind seat 1 there, so their candidates are of different classes.
      const five = classSeats(rows, f.rooms[0]!.id);
      assert.equal(five.length, 40);
      const classAt = (n: number) => five.find((s) => s.seatNo === n)!.classId;
      assert.notEqual(classAt(1), classAt(6));
      assert.notEqual(classAt(6), classAt(11));
      // 70 junior in two rooms, 30 intermediate in one.
      assert.deepEqual(res.body.rooms.map((r: any) => r.level).sort(), ['intermediate', 'junior', 'junior']);

      const view = await call('coordA', 'GET', `/api/console/arrangements?${q()}`);
      assert.equal(view.status, 200);
      assert.deepEqual(view.body.rooms.map((r: any) => r.seatsPerRow), LAYOUTS);
      const seat = view.body.rooms[0].seats[0];
      const c = f.candidates.find((x) => x.registrationId === seat.registrationId)!;
      assert.deepEqual([seat.ticketNo, seat.name, seat.className, seat.row, seat.column], [c.ticketNo, c.name, f.classes.find((k) => k.id === c.classId)!.name, Math.ceil(seat.seatNo / 5), ((seat.seatNo - 1) % 5) + 1]);
      assert.deepEqual(view.body.rooms[0].seats.filter((s: any) => [5, 6].includes(s.seatNo)).map((s: any) => [s.row, s.column]), [[1, 5], [2, 1]]);
      for (const r of view.body.rooms) {
        assert.equal(r.adjacentSameClass, 0);
        assert.ok(r.seats.every((s: any) => !s.sameClassNeighbour));
      }
      const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor', 'after', 'institution_id']).where('action', '=', 'arrangement.run').orderBy('at').execute();
      assert.equal(audit.length, 2);
      assert.equal(audit[1]!.actor, 'coord-a');
      assert.equal(audit[1]!.institution_id, f.institutionA);
      assert.deepEqual(JSON.parse(audit[1]!.after!).placed, 100);
    });

    let published: Map<string, string>;
    test('发布; a re-run after adding and withdrawing registrations keeps every seat', async () => {
      const pub = await call('coordA', 'POST', '/api/console/arrangements/publish', { planId: f.planId, siteId: f.siteId });
      assert.equal(pub.status, 200, JSON.stringify(pub.body));
      assert.equal(pub.body.state, 'published');
      assert.equal(pub.body.publishedBy, '证书负责人甲');
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'arrangement.publish').execute()).length, 1);

      // A re-run with nothing changed: still published, not one seat moved.
      const same = await call('coordA', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId });
      assert.equal(same.status, 200);
      assert.equal(same.body.state, 'published');
      assert.deepEqual([same.body.run.kept, same.body.run.moved, same.body.run.added], [100, 0, 0]);

      published = new Map((await seatRows()).map((s) => [s.registration_id, `${s.room_id}/${s.seat_no}`]));
      t.clock.advance(60_000);
      const added = [await f.register(0, 'junior'), await f.register(1, 'junior'), await f.register(2, 'intermediate')];
      // Withdrawn (as the registration module does it: the seat goes with the registration).
      const withdrawn = [f.candidates[3]!, f.candidates[80]!];
      for (const w of withdrawn) {
        await t.ctx.db.deleteFrom('seat_assignments').where('registration_id', '=', w.registrationId).execute();
        await t.ctx.db.deleteFrom('registrations').where('id', '=', w.registrationId).execute();
      }
      const before = await call('coordA', 'GET', `/api/console/arrangements?${q()}`);
      assert.equal(before.body.unplaced.length, 3);
      assert.ok(before.body.unplaced.every((u: any) => u.registeredSinceRun));
      assert.match(before.body.publishBlocker, /3 名考生是编排之后报考的，请先重新编排/);

      const rerun = await call('coordA', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId });
      assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
      assert.equal(rerun.body.state, 'draft');
      assert.deepEqual([rerun.body.run.kept, rerun.body.run.moved, rerun.body.run.added], [98, 0, 3]);
      assert.match(rerun.body.run.message, /编排有变化，已转为草稿/);
      const after = new Map((await seatRows()).map((s) => [s.registration_id, `${s.room_id}/${s.seat_no}`]));
      for (const [id, seat] of published) {
        if (withdrawn.some((w) => w.registrationId === id)) assert.equal(after.has(id), false);
        else assert.equal(after.get(id), seat, `registration ${id} moved`);
      }
      for (const a of added) assert.ok(after.has(a.registrationId), `${a.name} has no seat`);
      const rows = await seatRows();
      for (const room of f.rooms) assert.ok(new Set(rows.filter((r) => r.room_id === room.id).map((r) => r.level)).size <= 1);

      // Printing waits for the changes to be published.
      const draft = await call('coordA', 'GET', `/api/console/print/tickets?${q()}`);
      assert.equal(draft.status, 409);
      assert.match(draft.body.error.message, /有改动尚未发布/);
      const again = await call('op', 'POST', '/api/console/arrangements/publish', { planId: f.planId, siteId: f.siteId });
      assert.equal(again.status, 200);
      assert.equal(again.body.state, 'published');
      assert.equal(again.body.totals.placed, 101);
    });

    test('a room laid out anew after publishing: nobody moves; its seat map and same-class check follow the new layout', async () => {
      const room = f.rooms[0]!;
      const seated = new Map((await seatRows()).map((s) => [s.registration_id, `${s.room_id}/${s.seat_no}`]));
      const patched = await call('coordA', 'PATCH', `/api/console/sites/${f.siteId}/rooms/${room.id}`, { seatsPerRow: 8 });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.rooms.find((r: any) => r.id === room.id).seatsPerRow, 8);

      const view = (await call('coordA', 'GET', `/api/console/arrangements?${q()}`)).body;
      assert.equal(view.state, 'published');
      const r = view.rooms.find((x: any) => x.id === room.id);
      assert.equal(r.seatsPerRow, 8);
      assert.deepEqual(r.seats.filter((s: any) => [6, 9].includes(s.seatNo)).map((s: any) => [s.row, s.column]), [[1, 6], [2, 1]]);
      // Laid out for 5 to a row, the room has same-class neighbours at 8 to a row (seats s and s + 8 were the same colour of its checkerboard).
      const pairs = sameClassPairs(classSeats(await seatRows(), room.id), 8);
      assert.ok(pairs > 0);
      assert.equal(r.adjacentSameClass, pairs);

      // 重新编排 keeps every seat: the arrangement stays published, only no longer free of same-class neighbours.
      const rerun = await call('coordA', 'POST', '/api/console/arrangements/run', { planId: f.planId, siteId: f.siteId });
      assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
      assert.deepEqual([rerun.body.run.moved, rerun.body.run.added, rerun.body.run.freed, rerun.body.state], [0, 0, 0, 'published']);
      assert.deepEqual(new Map((await seatRows()).map((s) => [s.registration_id, `${s.room_id}/${s.seat_no}`])), seated);
      assert.ok(rerun.body.problems.some((p: string) => p.includes(room.name) && p.includes('同班考生')), rerun.body.problems.join('\n'));
    });

    /** Checks 回避 for every (proctor, candidate) pair of the room, from the database. */
    const assertAvoidance = async () => {
      const assignments = await t.ctx.db.selectFrom('proctor_assignments').selectAll().where('plan_id', '=', f.planId).where('duty', '=', 'proctor').execute();
      const teaches = await t.ctx.db.selectFrom('teacher_majors').selectAll().execute();
      const classes = await t.ctx.db.selectFrom('classes').select(['id', 'head_teacher_id', 'counsellor_id']).execute();
      const seats = await seatRows();
      let pairs = 0;
      for (const a of assignments) {
        const majors = new Set(teaches.filter((x) => x.user_id === a.user_id).map((x) => x.major_id));
        const mine = new Set(classes.filter((k) => k.head_teacher_id === a.user_id || k.counsellor_id === a.user_id).map((k) => k.id));
        for (const s of seats.filter((x) => x.room_id === a.room_id)) {
          pairs++;
          assert.ok(!majors.has(s.major_id!), `proctor ${a.user_id} teaches the major of ${s.registration_id}`);
          assert.ok(!mine.has(s.class_id!), `proctor ${a.user_id} is class teacher or counsellor of ${s.registration_id}`);
        }
      }
      return { assignments, pairs };
    };

    test('监考安排: 2 per 40 candidates, one room per person, 回避 honoured for every pair; 主考', async () => {
      const res = await call('coordA', 'POST', '/api/console/proctor-assignments/run', { planId: f.planId, siteId: f.siteId });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const r of res.body.rooms) {
        assert.equal(r.needed, proctorsNeeded(r.candidates));
        assert.equal(r.proctors.length, r.needed, `${r.name}: ${r.proctors.length} of ${r.needed}`);
        for (const p of r.proctors) assert.deepEqual(p.avoid, []);
      }
      assert.deepEqual(res.body.problems.map((p: any) => p.message), ['尚未指定本考点的主考']);
      const { assignments, pairs } = await assertAvoidance();
      assert.equal(assignments.length, 6);
      assert.equal(new Set(assignments.map((a) => a.user_id)).size, 6);
      assert.ok(pairs >= 101);
      // Somebody conflicted is never in a room of their own class or major; the views say who must avoid which room.
      const room0 = res.body.rooms[0];
      assert.ok(room0.avoiders.length > 0);
      assert.ok(room0.avoiders.every((a: any) => a.reasons.every((x: string) => /任教“.+”专业|班主任|辅导员/.test(x))));

      const chiefId = res.body.pool.find((p: any) => !p.roomId)!.userId;
      const chief = await call('coordA', 'PUT', '/api/console/proctor-assignments/chief', { planId: f.planId, siteId: f.siteId, userId: chiefId });
      assert.equal(chief.status, 200, JSON.stringify(chief.body));
      assert.equal(chief.body.chief.userId, chiefId);
      assert.deepEqual(chief.body.problems, []);
      const busy = res.body.rooms[0].proctors[0].userId;
      const twice = await call('coordA', 'PUT', '/api/console/proctor-assignments/chief', { planId: f.planId, siteId: f.siteId, userId: busy });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error.message, /已安排在考场 第0\d考场 监考，不能同时担任主考/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'proctors.%').execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['proctors.chief', 'proctors.run']);
    });

    test('手工调整: 回避 refused naming the proctor and the candidate; one room per plan; a valid change is kept', async () => {
      const view = (await call('coordA', 'GET', `/api/console/proctor-assignments?${q()}`)).body;
      const room = view.rooms[0];
      // The class teacher of a class seated in this room.
      const seats = (await seatRows()).filter((s) => s.room_id === room.id);
      const klass = f.classes.find((k) => seats.some((s) => s.class_id === k.id))!;
      const bad = await call('coordA', 'PUT', '/api/console/proctor-assignments', { planId: f.planId, roomId: room.id, userIds: [room.proctors[0].userId, klass.headTeacher.id] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'AVOIDANCE');
      assert.match(bad.body.error.message, new RegExp(`${klass.headTeacher.name} 须回避考场 ${room.name}：是“${klass.name}”的班主任，本考场考生 .+（准考证号 \\d{14}）`));
      const soft = await call('coordA', 'PUT', '/api/console/proctor-assignments', { planId: f.planId, roomId: room.id, userIds: [f.teachers.conflicted[0]!.id] });
      if (seats.some((s) => s.major_id === f.majors.soft)) {
        assert.equal(soft.status, 400);
        assert.match(soft.body.error.message, /软件教师孙 须回避考场 .+：任教“软件技术”专业，本考场考生 .+为该专业/);
      }
      const other = view.rooms[1].proctors[0];
      const moved = await call('coordA', 'PUT', '/api/console/proctor-assignments', { planId: f.planId, roomId: room.id, userIds: [room.proctors[0].userId, other.userId] });
      assert.equal(moved.status, 409);
      assert.match(moved.body.error.message, new RegExp(`${other.name} 已安排在考场 ${view.rooms[1].name} 监考（同一考试计划中每人只能监考一个考场）`));

      // A free, allowed person replaces the second proctor.
      const avoiding = new Set(room.avoiders.map((a: any) => a.userId));
      const spare = view.pool.find((p: any) => !p.roomId && !p.chief && !avoiding.has(p.userId));
      assert.ok(spare, 'a spare proctor');
      const ok = await call('coordA', 'PUT', '/api/console/proctor-assignments', { planId: f.planId, roomId: room.id, userIds: [room.proctors[0].userId, spare.userId] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.rooms[0].proctors.map((p: any) => p.userId).sort(), [room.proctors[0].userId, spare.userId].sort());
      await assertAvoidance();
      const audit = await t.ctx.db.selectFrom('audit_log').select(['after']).where('action', '=', 'proctors.set').execute();
      assert.equal(audit.length, 1);
      assert.ok(JSON.parse(audit[0]!.after!).proctors.includes(spare.name));
    });

    test('an infeasible case names the room and why', async () => {
      // Only the 班主任 and 辅导员 of 软件2301 stay available: every room holding that class cannot use them.
      const k0 = f.classes[0]!;
      const keep = new Set([k0.headTeacher.id, k0.counsellor.id]);
      const others = [...f.teachers.conflicted, ...f.teachers.free, ...f.proctors, ...f.classes.slice(1).flatMap((k) => [k.headTeacher, k.counsellor])].filter((p) => !keep.has(p.id));
      const chief = (await call('coordA', 'GET', `/api/console/proctor-assignments?${q()}`)).body.chief;
      await call('coordA', 'PUT', '/api/console/proctor-assignments/chief', { planId: f.planId, siteId: f.siteId, userId: null });
      const ids = others.map((p) => p.id);
      await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', 'in', ids).execute();
      try {
        const res = await call('coordA', 'POST', '/api/console/proctor-assignments/run', { planId: f.planId, siteId: f.siteId });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const seats = await seatRows();
        const withK0 = f.rooms.filter((r) => seats.some((s) => s.room_id === r.id && s.class_id === k0.id));
        assert.ok(withK0.length > 0);
        for (const room of withK0) {
          const p = res.body.problems.find((x: any) => x.roomId === room.id);
          assert.ok(p, `no problem for ${room.name}: ${JSON.stringify(res.body.problems)}`);
          assert.match(p.message, new RegExp(`^考场 ${room.name}（\\d+ 名考生，需 2 名监考员）缺 2 名：全部 2 名教师和监考员均需回避.*需回避的有 班主任甲（“软件2301”班主任）、辅导员甲（“软件2301”辅导员）`));
        }
        await assertAvoidance();
      } finally {
        await t.ctx.db.updateTable('users').set({ status: 'active' }).where('id', 'in', ids).execute();
      }
      const back = await call('coordA', 'POST', '/api/console/proctor-assignments/run', { planId: f.planId, siteId: f.siteId });
      assert.ok(back.body.rooms.every((r: any) => r.proctors.length === r.needed), JSON.stringify(back.body.problems));
      await call('coordA', 'PUT', '/api/console/proctor-assignments/chief', { planId: f.planId, siteId: f.siteId, userId: chief.userId });
      await assertAvoidance();
    });

    test('打印: tickets, door and desk stickers, sign-in sheets as PDFs; print_log rows', async () => {
      const view = (await call('coordA', 'GET', `/api/console/arrangements?${q()}`)).body;
      const proctors = (await call('coordA', 'GET', `/api/console/proctor-assignments?${q()}`)).body;
      const placed = view.totals.placed as number;

      const tickets = await call('coordA', 'GET', `/api/console/print/tickets?${q()}`);
      assert.equal(tickets.status, 200);
      assert.equal(tickets.headers['content-type'], 'application/pdf');
      assert.match(String(tickets.headers['content-disposition']), /^attachment; filename="tickets-1001-260718\.pdf"; filename\*=UTF-8''%E5%87%86%E8%80%83%E8%AF%81-/);
      assert.equal(
        decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(String(tickets.headers['content-disposition']))![1]!),
        '准考证-南京信息职业技术学院考点-260718.pdf',
      );
      const ticketFile = savePdf('tickets.pdf', tickets.raw);
      assert.equal(pdfPages(ticketFile), placed);
      const text = pdfText(ticketFile);
      for (const room of view.rooms) {
        for (const s of [room.seats[0], room.seats.at(-1)]) {
          assert.ok(text.includes(s.name), `tickets lack ${s.name}`);
          assert.ok(text.includes(s.ticketNo), `tickets lack ${s.ticketNo}`);
        }
      }
      // Page by page: the candidate, their room and their seat.
      const first = view.rooms[1].seats[2];
      const page = execFileSync('pdftotext', ['-layout', '-f', String(view.rooms[0].used + 3), '-l', String(view.rooms[0].used + 3), ticketFile, '-'], { encoding: 'utf8' });
      assert.ok(page.includes(first.name) && page.includes(first.ticketNo), page);
      assert.match(page, new RegExp(`${view.rooms[1].name}[\\s\\S]*座位号\\s+${String(first.seatNo).padStart(2, '0')}`));
      assert.match(text, /理论考试/);
      assert.match(text, /实操考试/);

      const roomOnly = await call('op', 'GET', `/api/console/print/tickets?${q()}&roomId=${view.rooms[2].id}`);
      assert.equal(roomOnly.status, 200);
      assert.equal(pdfPages(savePdf('room.pdf', roomOnly.raw)), view.rooms[2].used);
      assert.match(decodeURIComponent(String(roomOnly.headers['content-disposition'])), /准考证-南京信息职业技术学院考点-第03考场-260718\.pdf/);

      const door = await call('coordA', 'GET', `/api/console/print/door?${q()}`);
      assert.equal(door.status, 200);
      const doorFile = savePdf('door.pdf', door.raw);
      assert.equal(pdfPages(doorFile), 3);
      const doorText = pdfText(doorFile);
      for (const room of view.rooms) assert.ok(doorText.includes(room.name) && doorText.includes(room.seats[0].name));

      const desk = await call('coordA', 'GET', `/api/console/print/desk?${q()}`);
      assert.equal(desk.status, 200);
      const deskFile = savePdf('desk.pdf', desk.raw);
      assert.equal(pdfPages(deskFile), Math.ceil(placed / 8));
      assert.ok(pdfText(deskFile).includes(view.rooms[0].seats[0].ticketNo));

      const signin = await call('coordA', 'GET', `/api/console/print/signin?${q()}`);
      assert.equal(signin.status, 200);
      const signinFile = savePdf('signin.pdf', signin.raw);
      const expected = view.rooms.reduce((n: number, r: any) => n + 2 * Math.ceil(r.used / 25), 0);
      assert.equal(pdfPages(signinFile), expected);
      const signText = pdfText(signinFile);
      assert.equal(signText.match(/理论考试/g)!.length >= 3, true);
      assert.ok(signText.includes(proctors.rooms[0].proctors[0].name), 'the sign-in sheet names the proctors');

      const log = await t.ctx.db.selectFrom('print_log').selectAll().where('plan_id', '=', f.planId).orderBy('printed_at').execute();
      assert.deepEqual(log.map((l) => [l.kind, Number(l.pages), l.site_id]), [
        ['tickets', placed, f.siteId], ['tickets', view.rooms[2].used, f.siteId], ['door', 3, f.siteId], ['desk', Math.ceil(placed / 8), f.siteId], ['signin', expected, f.siteId],
      ]);
      assert.equal(log[0]!.printed_by, f.users.coordA.id);
    });

    test('kaowu print: a PDF for the plan from the command line; errors in Chinese with a non-zero exit', { timeout: 180_000 }, async () => {
      const out = path.join(dir, 'cli-tickets.pdf');
      const [ok, bad, usage] = await Promise.all([
        kaowu(database, ['print', 'tickets', '--plan', '260718', '--out', out]),
        kaowu(database, ['print', 'door', '--plan', 'no-such-plan', '--out', path.join(dir, 'x.pdf')]),
        kaowu(database, ['print', 'tickets', '--plan', f.planId]),
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      const placed = (await seatRows()).length;
      assert.equal(ok.stdout.trim(), `已打印准考证：${placed} 页，${placed} 名考生，3 个考场，1 个考核站点 → ${out}`);
      assert.equal(pdfPages(out), placed);
      assert.ok(pdfText(out).includes(f.candidates[0]!.ticketNo));
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^错误：考试计划不存在：no-such-plan/);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /缺少 --out/);
      const cli = await t.ctx.db.selectFrom('print_log').selectAll().where('printed_by', '=', 'cli').execute();
      assert.deepEqual(cli.map((l) => [l.kind, Number(l.pages), l.site_id]), [['tickets', placed, f.siteId]]);
    });

    test('every field of the audited before/after has a Chinese name', async () => {
      await assertAuditFieldsNamed(t.ctx.db);
    });
  });
}
