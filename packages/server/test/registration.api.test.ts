// 考生管理, 报考 and 结算 through the HTTP API, on SQLite and PostgreSQL.
//
//   node --import tsx --test packages/server/test/registration.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCandidateSheet } from '../src/modules/sheets/index.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import {
  candidateRows, candidateWorkbook, createAdministration, DEADLINE, fixtureTokens, person, PLAN_CODE, readWorkbook, XLSX, type AdminFixture, type SheetRow,
} from './registration-fixture.ts';
import { assertAuditFieldsNamed } from './audit-fields.ts';

const PNG_1PX = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

for (const { kind, skip } of await databaseKinds()) {
  describe(`考生管理、报考与结算 API on ${kind}`, { skip, timeout: 180_000 }, () => {
    let t: TestApp;
    let f: AdminFixture;
    let tok: Record<'operator' | 'coordA' | 'coordB' | 'teacherA', string>;

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      f = await createAdministration(t.ctx);
      tok = fixtureTokens(t.ctx, f);
    });
    after(async () => t?.close());

    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, who: keyof typeof tok, body?: unknown) => {
      const res = await t.app.inject({ method, url, payload: body as object, headers: { authorization: `Bearer ${tok[who]}` } });
      return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? (res.json() as any) : null, raw: res.rawPayload, headers: res.headers };
    };
    const upload = async (url: string, who: keyof typeof tok, content: Buffer, type = XLSX, method: 'POST' | 'PUT' = 'POST') => {
      const res = await t.app.inject({ method, url, payload: content, headers: { authorization: `Bearer ${tok[who]}`, 'content-type': type } });
      return { status: res.statusCode, body: res.json() as any };
    };
    const countCandidates = async () => Number((await t.ctx.db.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const aRows = (count: number, from = 0) =>
      candidateRows(count, { from, region: '320102', institution: f.institutions.A.name, classes: [['软件2301', '软件技术'], ['软件2302', '软件技术'], ['网络2301', '计算机网络技术']] });
    const bRows = (count: number, from = 0) => candidateRows(count, { from, region: '320505', institution: f.institutions.B.code, classes: [['软件2301', '软件技术']] });
    const idsOf = async (institutionId: string, limit = 10_000) =>
      (await t.ctx.db.selectFrom('candidates').select(['id', 'name']).where('institution_id', '=', institutionId).orderBy('id_number').limit(limit).execute());

    test('the template downloads as .xlsx with the upload columns', async () => {
      const res = await call('GET', '/api/console/candidates/template', 'coordA');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], XLSX);
      assert.match(String(res.headers['content-disposition']), /filename\*=UTF-8''/);
      const cells = await readWorkbook(res.raw, '考生信息');
      assert.deepEqual(cells[0]!.slice(0, 9), ['姓名', '证件类型', '证件号码', '性别', '院校', '专业', '班级', '手机号', '照片文件名']);
    });

    test('a good file of 200 rows is imported in full, with one audit line', async () => {
      const res = await upload('/api/console/candidates/import', 'coordA', await candidateWorkbook(aRows(200)));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.imported, 200);
      assert.deepEqual(res.body.institutions, [{ institutionId: f.institutions.A.id, institutionName: f.institutions.A.name, count: 200 }]);
      assert.equal(await countCandidates(), 200);
      const inClass = await t.ctx.db.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).where('class_id', '=', f.classes.net1A).executeTakeFirstOrThrow();
      assert.equal(Number(inClass.n), 66);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'candidate.import').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.after!).imported, 200);
      assert.equal(audit[0]!.institution_id, f.institutions.A.id);
    });

    test('a file with 5 different problems: 400 listing all 5 (row, column, reason), nothing imported', async () => {
      const rows: SheetRow[] = aRows(10, 1000);
      const goodId = rows[1]!.证件号码 as string;
      rows[1]!.证件号码 = goodId.slice(0, 17) + (goodId[17] === '0' ? '1' : '0'); // row 3: check digit
      delete rows[3]!.姓名; // row 5: no name
      rows[5]!.手机号 = '12345'; // row 7: phone
      rows[7]!.性别 = rows[7]!.性别 === '男' ? '女' : '男'; // row 9: gender against the ID number
      rows[9]!.班级 = '不存在的班级'; // row 11: class
      const before = await countCandidates();
      const res = await upload('/api/console/candidates/import', 'coordA', await candidateWorkbook(rows));
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'IMPORT_INVALID');
      assert.match(res.body.error.message, /5 行共 5 处错误，未导入任何考生/);
      const got = res.body.error.rows.map((r: any) => [r.row, r.column]);
      assert.deepEqual(got, [[3, '证件号码'], [5, '姓名'], [7, '手机号'], [9, '性别'], [11, '班级']]);
      for (const r of res.body.error.rows) assert.ok(r.reason.length > 0);
      assert.match(res.body.error.rows[0].reason, /校验位/);
      assert.match(res.body.error.rows[3].reason, /性别与身份证号不符/);
      assert.match(res.body.error.rows[4].reason, /不存在的班级/);
      assert.equal(await countCandidates(), before);
    });

    test('duplicates in the file and against people on file are reported; another institution\'s people are not named', async () => {
      const existing = aRows(1)[0]!;
      const fresh = aRows(2, 2000);
      const res = await upload('/api/console/candidates/import', 'coordA', await candidateWorkbook([existing, fresh[0]!, fresh[0]!, fresh[1]!]));
      assert.equal(res.status, 400);
      const rows = res.body.error.rows as { row: number; column: string; reason: string }[];
      assert.deepEqual(rows.map((r) => r.row), [2, 3, 4]);
      assert.equal(rows[0]!.reason, `证件号码已存在（${existing.姓名}）`);
      assert.match(rows[1]!.reason, /与第 4 行证件号码重复/);

      // Coordinator B: A's person is “someone else's”, and rows of institution A are refused.
      const asB = await upload('/api/console/candidates/import', 'coordB', await candidateWorkbook([{ ...existing, 院校: f.institutions.B.name, 专业: '软件技术', 班级: '软件2301' }, aRows(1, 3000)[0]!]));
      assert.equal(asB.status, 400);
      const bRowsErr = asB.body.error.rows as { row: number; column: string; reason: string }[];
      assert.equal(bRowsErr[0]!.reason, '证件号码已存在（其他院校的考生）');
      assert.equal(bRowsErr[1]!.column, '院校');
      assert.match(bRowsErr[1]!.reason, /不能导入其他院校（南京信息职业技术学院）的考生/);
      assert.equal(await countCandidates(), 200);

      const notXlsx = await upload('/api/console/candidates/import', 'coordA', Buffer.from('姓名,证件号码\n'));
      assert.equal(notXlsx.status, 400);
      assert.equal(notXlsx.body.error.rows[0].row, 0);
    });

    test('institution B imports its own 50; the operator may import for any institution', async () => {
      const res = await upload('/api/console/candidates/import', 'coordB', await candidateWorkbook(bRows(50)));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const op = await upload('/api/console/candidates/import', 'operator', await candidateWorkbook(candidateRows(3, { from: 500, region: '320211', institution: f.institutions.C.name, classes: [] })));
      assert.equal(op.status, 200, JSON.stringify(op.body));
      assert.equal(await countCandidates(), 253);
      assert.equal((await upload('/api/console/candidates/import', 'teacherA', await candidateWorkbook(aRows(1, 4000)))).status, 403);
    });

    test('the list: filters, pages, and scope (another institution\'s ids answer 404)', async () => {
      const all = await call('GET', '/api/console/candidates?pageSize=500', 'operator');
      assert.equal(all.body.total, 253);
      const a = await call('GET', '/api/console/candidates?page=2&pageSize=50', 'coordA');
      assert.equal(a.status, 200);
      assert.equal(a.body.total, 200);
      assert.equal(a.body.rows.length, 50);
      assert.ok(a.body.rows.every((r: any) => r.institutionId === f.institutions.A.id));
      const byClass = await call('GET', `/api/console/candidates?classId=${f.classes.net1A}`, 'teacherA');
      assert.equal(byClass.body.total, 66);
      assert.equal(byClass.body.rows[0].className, '网络2301');
      assert.equal(byClass.body.rows[0].majorName, '计算机网络技术');
      const p = person(0, '320102');
      const q = await call('GET', `/api/console/candidates?q=${encodeURIComponent(p.idNumber.slice(0, 14))}`, 'coordA');
      assert.ok(q.body.rows.some((r: any) => r.idNumber === p.idNumber));

      const b = await call('GET', '/api/console/candidates?pageSize=100', 'coordB');
      assert.equal(b.body.total, 50);
      assert.equal((await call('GET', `/api/console/candidates?institutionId=${f.institutions.A.id}`, 'coordB')).status, 404);
      assert.equal((await call('GET', `/api/console/candidates?classId=${f.classes.soft1A}`, 'coordB')).status, 404);
      const [someA] = await idsOf(f.institutions.A.id, 1);
      assert.equal((await call('GET', `/api/console/candidates/${someA!.id}`, 'coordB')).status, 404);
      assert.equal((await call('PATCH', `/api/console/candidates/${someA!.id}`, 'coordB', { phone: '13911112222' })).status, 404);
      assert.equal((await call('DELETE', `/api/console/candidates/${someA!.id}`, 'coordB')).status, 404);
      assert.equal((await call('GET', `/api/console/candidates/${someA!.id}/photo`, 'coordB')).status, 404);
      assert.equal((await call('PATCH', `/api/console/candidates/${someA!.id}`, 'teacherA', { phone: '13911112222' })).status, 403);
      const bad = await call('GET', '/api/console/candidates?pageSize=100000', 'coordA');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
    });

    test('edits: phone, class (with its major), the ID number re-validated', async () => {
      const [c, other] = await idsOf(f.institutions.A.id, 2);
      const r1 = await call('PATCH', `/api/console/candidates/${c!.id}`, 'coordA', { phone: '13911112222', classId: f.classes.net1A });
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      assert.equal(r1.body.phone, '13911112222');
      assert.equal(r1.body.className, '网络2301');
      assert.equal(r1.body.majorName, '计算机网络技术');
      const badPhone = await call('PATCH', `/api/console/candidates/${c!.id}`, 'coordA', { phone: '123' });
      assert.equal(badPhone.status, 400);
      assert.match(badPhone.body.error.message, /手机号/);
      const badId = await call('PATCH', `/api/console/candidates/${c!.id}`, 'coordA', { idNumber: '320102200301010000' });
      assert.equal(badId.status, 400);
      assert.equal(badId.body.error.code, 'ID_NUMBER_INVALID');
      const otherId = (await t.ctx.db.selectFrom('candidates').select('id_number').where('id', '=', other!.id).executeTakeFirstOrThrow()).id_number;
      const taken = await call('PATCH', `/api/console/candidates/${c!.id}`, 'coordA', { idNumber: otherId });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.message, `证件号码已存在（${other!.name}）`);
      const foreignClass = await call('PATCH', `/api/console/candidates/${c!.id}`, 'coordA', { classId: f.classes.soft1B });
      assert.equal(foreignClass.status, 404);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'candidate.update').where('entity_id', '=', c!.id).execute();
      assert.equal(audit.length, 1);
    });

    test('photos: JPEG/PNG up to 200 KB by their bytes', async () => {
      const [c] = await idsOf(f.institutions.A.id, 1);
      const url = `/api/console/candidates/${c!.id}/photo`;
      const ok = await upload(url, 'coordA', PNG_1PX, 'image/png', 'PUT');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.mime, 'image/png');
      const got = await call('GET', url, 'teacherA');
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-type'], 'image/png');
      assert.deepEqual(Buffer.from(got.raw), PNG_1PX);
      const fake = await upload(url, 'coordA', Buffer.from('GIF89a not a jpeg'), 'image/jpeg', 'PUT');
      assert.equal(fake.status, 400);
      assert.equal(fake.body.error.code, 'PHOTO_NOT_IMAGE');
      const big = await upload(url, 'coordA', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(201 * 1024)]), 'image/jpeg', 'PUT');
      assert.equal(big.status, 400);
      assert.equal(big.body.error.code, 'PHOTO_TOO_LARGE');
      const list = await call('GET', `/api/console/candidates?q=${encodeURIComponent(c!.name)}`, 'coordA');
      assert.ok(list.body.rows.find((r: any) => r.id === c!.id).hasPhoto);
    });

    let registeredA: { id: string; candidateId: string; name: string; ticketNo: string }[] = [];
    test('registration in batch: tickets are plan code + site code + serial, unique', async () => {
      const ids = (await idsOf(f.institutions.A.id)).slice(0, 100).map((c) => c.id);
      const res = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.A.id, level: 'junior', candidateIds: ids });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.registered, 100);
      registeredA = res.body.registrations;
      const tickets = registeredA.map((r) => r.ticketNo);
      assert.equal(new Set(tickets).size, 100);
      for (const [i, tn] of tickets.entries()) assert.equal(tn, `${PLAN_CODE}${f.sites.A.code}${String(i + 1).padStart(4, '0')}`);
      const rows = await t.ctx.db.selectFrom('registrations').selectAll().where('plan_id', '=', f.planId).execute();
      assert.equal(rows.length, 100);
      assert.ok(rows.every((r) => r.site_id === f.sites.A.id && r.institution_id === f.institutions.A.id && r.created_by === f.users.coordA.id));

      // A registered candidate logs in on exam day with the new ticket number and their ID number.
      const c = await t.ctx.db.selectFrom('candidates').select('id_number').where('id', '=', registeredA[0]!.candidateId).executeTakeFirstOrThrow();
      const login = await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: registeredA[0]!.ticketNo, idNumber: c.id_number } });
      assert.equal(login.statusCode, 200, login.body);
      assert.equal(login.json().candidate.level, 'junior');

      const list = await call('GET', `/api/console/registrations?planId=${f.planId}&siteId=${f.sites.A.id}&level=junior&pageSize=10`, 'coordA');
      assert.equal(list.body.total, 100);
      assert.equal(list.body.rows[0].ticketNo, tickets[0]);
      assert.equal(list.body.rows[0].name, registeredA[0]!.name);
    });

    test('a second level in the same plan is refused by name; the whole batch is refused', async () => {
      const first = registeredA[0]!;
      const fresh = (await idsOf(f.institutions.A.id)).slice(150, 152).map((c) => c.id);
      const res = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.A.id, level: 'intermediate', candidateIds: [fresh[0], first.candidateId, fresh[1]] });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'REGISTRATION_INVALID');
      assert.equal(res.body.error.message, `${first.name} 已报考本计划的初级，同一考试计划只能报考一个等级；本批未报考任何考生`);
      assert.deepEqual(res.body.error.problems.map((p: any) => p.candidateId), [first.candidateId]);
      const again = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.A.id, level: 'junior', candidateIds: [first.candidateId] });
      assert.equal(again.status, 400);
      assert.match(again.body.error.message, new RegExp(`${first.name} 已报考本计划的初级（准考证号 ${first.ticketNo}），不能重复报考`));
      const count = await t.ctx.db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 100);
    });

    test('refused: a site not enabled, another institution\'s candidates, a level not in the plan', async () => {
      const [c] = (await idsOf(f.institutions.A.id)).slice(160, 161);
      const pending = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.pending.id, level: 'junior', candidateIds: [c!.id] });
      assert.equal(pending.status, 400);
      assert.equal(pending.body.error.code, 'SITE_NOT_ENABLED');
      const foreign = await call('POST', '/api/console/registrations', 'coordB', { planId: f.planId, siteId: f.sites.B.id, level: 'junior', candidateIds: [c!.id] });
      assert.equal(foreign.status, 404);
      const badLevel = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.A.id, level: 'expert', candidateIds: [c!.id] });
      assert.equal(badLevel.status, 400);
      assert.equal(badLevel.body.error.code, 'VALIDATION_FAILED');
      assert.equal((await call('POST', '/api/console/registrations', 'teacherA', { planId: f.planId, siteId: f.sites.A.id, level: 'junior', candidateIds: [c!.id] })).status, 403);
      const bList = await call('GET', `/api/console/registrations?planId=${f.planId}`, 'coordB');
      assert.equal(bList.body.total, 0, 'B sees nothing of A at A\'s site');
    });

    test('concurrent batches of different candidates at one site get distinct serials', async () => {
      const ids = (await idsOf(f.institutions.A.id)).slice(100, 200).map((c) => c.id);
      const batches = [0, 1, 2, 3, 4].map((i) => ids.slice(i * 20, i * 20 + 20));
      const results = await Promise.all(batches.map((b) => call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.B.id, level: 'advanced', candidateIds: b })));
      for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
      const serials = results.flatMap((r) => r.body.registrations.map((x: any) => Number(x.ticketNo.slice(10))));
      assert.deepEqual([...serials].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
      for (const r of results) for (const x of r.body.registrations) assert.match(x.ticketNo, new RegExp(`^${PLAN_CODE}${f.sites.B.code}\\d{4}$`));
    });

    test('B registers 30 of its own at A\'s site; withdrawing; a registered candidate cannot be deleted', async () => {
      const ids = (await idsOf(f.institutions.B.id)).slice(0, 31).map((c) => c.id);
      const res = await call('POST', '/api/console/registrations', 'coordB', { planId: f.planId, siteId: f.sites.A.id, level: 'intermediate', candidateIds: ids });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.registrations[0].ticketNo, `${PLAN_CODE}${f.sites.A.code}0101`);
      const last = res.body.registrations[30];
      // A (the site) sees B's registrations at its site, but cannot withdraw them.
      const atA = await call('GET', `/api/console/registrations?planId=${f.planId}&siteId=${f.sites.A.id}&institutionId=${f.institutions.B.id}`, 'coordA');
      assert.equal(atA.body.total, 31);
      assert.equal(atA.body.rows[0].mine, false);
      assert.equal((await call('DELETE', `/api/console/registrations/${last.id}`, 'coordA')).status, 404);
      const del = await call('DELETE', `/api/console/registrations/${last.id}`, 'coordB');
      assert.equal(del.status, 200, JSON.stringify(del.body));
      const c = await call('DELETE', `/api/console/candidates/${registeredA[1]!.candidateId}`, 'coordA');
      assert.equal(c.status, 409);
      assert.equal(c.body.error.code, 'CANDIDATE_REGISTERED');
      // An unregistered one can go (with its photo).
      const [free] = (await idsOf(f.institutions.B.id)).slice(45, 46);
      assert.equal((await call('DELETE', `/api/console/candidates/${free!.id}`, 'coordB')).status, 200);
    });

    test('withdrawing is refused once the site\'s arrangement is published', async () => {
      await t.ctx.db.insertInto('arrangements').values({ plan_id: f.planId, site_id: f.sites.B.id, state: 'published', options: '{}', problems: '[]', published_at: new Date().toISOString(), published_by: f.users.operator.id, updated_at: new Date().toISOString() }).execute();
      const reg = await t.ctx.db.selectFrom('registrations').select('id').where('site_id', '=', f.sites.B.id).executeTakeFirstOrThrow();
      const res = await call('DELETE', `/api/console/registrations/${reg.id}`, 'coordA');
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'ARRANGEMENT_PUBLISHED');
    });

    test('settlement: the site\'s institution pays 240 directly; others pay 300 and get 60 back', async () => {
      const op = await call('GET', `/api/console/settlements?planId=${f.planId}`, 'operator');
      assert.equal(op.status, 200, JSON.stringify(op.body));
      const atA = op.body.sites.find((s: any) => s.siteId === f.sites.A.id);
      assert.deepEqual(atA.lines.map((l: any) => [l.institutionName, l.registrations, l.payable, l.refund, l.net]), [
        [f.institutions.A.name, 100, 24_000, 0, 24_000],
        [f.institutions.B.name, 30, 9_000, 1_800, 7_200],
      ]);
      assert.deepEqual(atA.totals, { registrations: 130, payable: 33_000, refund: 1_800, net: 31_200, operatorShare: 31_200, siteShare: 7_800 });
      const atB = op.body.sites.find((s: any) => s.siteId === f.sites.B.id);
      assert.deepEqual(atB.lines.map((l: any) => [l.institutionName, l.registrations, l.payable, l.refund]), [[f.institutions.A.name, 100, 30_000, 6_000]]);
      assert.equal(op.body.totals.registrations, 230);

      // Coordinator B: their own site in full, and only their own line at A's site.
      const b = await call('GET', `/api/console/settlements?planId=${f.planId}`, 'coordB');
      const bAtA = b.body.sites.find((s: any) => s.siteId === f.sites.A.id);
      assert.equal(bAtA.partial, true);
      assert.deepEqual(bAtA.lines.map((l: any) => l.institutionName), [f.institutions.B.name]);
      const bAtB = b.body.sites.find((s: any) => s.siteId === f.sites.B.id);
      assert.equal(bAtB.partial, false);
      assert.equal(bAtB.lines[0].institutionName, f.institutions.A.name);

      const xlsx = await call('GET', `/api/console/settlements/export?planId=${f.planId}&siteId=${f.sites.A.id}`, 'operator');
      assert.equal(xlsx.status, 200);
      const cells = await readWorkbook(xlsx.raw, '结算');
      const header = cells.findIndex((r) => r?.[1] === '院校');
      assert.deepEqual(cells[header + 1]!.slice(1, 6), [f.institutions.A.name, '100', '24000', '0', '24000']);
      assert.deepEqual(cells[header + 2]!.slice(1, 6), [f.institutions.B.name, '30', '9000', '1800', '7200']);
      assert.deepEqual(cells[header + 3]!.slice(1, 6), ['合计', '130', '33000', '1800', '31200']);
      const none = await call('GET', `/api/console/settlements/export?planId=${f.planId}&siteId=${f.sites.pending.id}`, 'operator');
      assert.equal(none.status, 404);
      assert.equal((await call('GET', `/api/console/settlements?planId=${f.planId}&siteId=${f.sites.pending.id}`, 'coordB')).status, 404);
    });

    test('export round trip: the exported file reads back as the same people, with their tickets', async () => {
      const res = await call('GET', `/api/console/candidates/export?classId=${f.classes.soft1A}&planId=${f.planId}`, 'coordA');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const institutions = [f.institutions.A].map((i) => ({ ...i }));
      const back = await parseCandidateSheet(res.raw, { institutions, today: new Date(t.clock.now()) });
      assert.ok('rows' in back, JSON.stringify(back));
      const list = await call('GET', `/api/console/candidates?classId=${f.classes.soft1A}&pageSize=500`, 'coordA');
      assert.equal(back.rows.length, list.body.total);
      const byId = new Map(list.body.rows.map((r: any) => [r.idNumber, r]));
      for (const r of back.rows) {
        const c: any = byId.get(r.idNumber);
        assert.ok(c, r.idNumber);
        assert.deepEqual([r.name, r.gender, r.phone, r.className, r.institutionId], [c.name, c.gender, c.phone, c.className, c.institutionId]);
      }
      const cells = await readWorkbook(res.raw);
      const ticketCol = cells[0]!.indexOf('准考证号');
      assert.ok(ticketCol > 0);
      assert.ok(cells.slice(1).some((row) => /^\d{14}$/.test(row[ticketCol] ?? '')));
      // Uploading it again: every row is already on file, nothing changes.
      const before = await countCandidates();
      const again = await upload('/api/console/candidates/import', 'coordA', Buffer.from(res.raw));
      assert.equal(again.status, 400);
      assert.equal(again.body.error.rows.length, back.rows.length);
      assert.ok(again.body.error.rows.every((e: any) => /已存在/.test(e.reason)));
      assert.equal(await countCandidates(), before);
    });

    test('after the deadline: no registration, no withdrawal, with the deadline in Beijing time', async () => {
      const saved = t.clock.now();
      t.clock.set(DEADLINE);
      try {
        const [c] = (await idsOf(f.institutions.A.id)).slice(199, 200);
        const res = await call('POST', '/api/console/registrations', 'coordA', { planId: f.planId, siteId: f.sites.A.id, level: 'junior', candidateIds: [c!.id] });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'REGISTRATION_CLOSED');
        assert.equal(res.body.error.message, '报名已截止（截止时间 2026-07-01 17:00），不能再报考');
        const del = await call('DELETE', `/api/console/registrations/${registeredA[5]!.id}`, 'coordA');
        assert.equal(del.status, 400);
        assert.match(del.body.error.message, /报名已截止/);
        const opts = await call('GET', '/api/console/registrations/options', 'coordA');
        assert.equal(opts.body.plans.find((p: any) => p.id === f.planId).open, false);
      } finally {
        t.clock.set(saved);
      }
    });

    test('every field of the audited before/after has a Chinese name; a candidate\'s name is 姓名', async () => {
      const stored = await assertAuditFieldsNamed(t.ctx.db);
      assert.ok(stored.includes('candidate.name') && stored.includes('registration.name'), stored.join());
      const log = await call('GET', '/api/console/audit?action=candidate.delete', 'operator');
      assert.deepEqual(log.body.fields.filter((o: any) => o.key.endsWith('name')), [{ key: 'candidate.name', name: '姓名' }]);
    });
  });
}
