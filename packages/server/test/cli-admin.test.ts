// The CLI's 考务 batch commands (candidates, register, arrange, proctors,
// settlement) as real child processes, on SQLite and PostgreSQL: a candidate
// file imported, registered from a list of ID numbers, arranged, published,
// proctored, settled and printed, with the refusals the console gives. The
// outcome is read from the database and the written files.
//
//   node --import tsx --test packages/server/test/cli-admin.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import { insertStaff } from './admin-rows.ts';
import { kaowu, type CliRun } from './cli-process.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from './helpers.ts';
import { candidateRows, candidateWorkbook, createAdministration, PLAN_CODE, readWorkbook, type AdminFixture } from './registration-fixture.ts';

/** Asserts the exit code, showing the output when it is not the one expected. */
function exited(run: CliRun, code: number): void {
  assert.equal(run.code, code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`kaowu 考务批量命令 on ${kind}`, { skip, timeout: 300_000 }, () => {
    let database: TestDatabase;
    let ctx: AppContext & { close(): Promise<void> };
    let f: AdminFixture;
    let dir: string;
    const file = (name: string) => path.join(dir, name);
    const run = (...args: string[]) => kaowu(database, args);
    const count = async (table: 'candidates' | 'registrations' | 'seat_assignments' | 'proctor_assignments') =>
      Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    const A_ROWS = () => candidateRows(12, { institution: '南京信息职业技术学院', classes: [['软件2301', '软件技术'], ['网络2301', '计算机网络技术']] });
    const B_ROWS = () => candidateRows(1, { from: 300, institution: '苏州工业职业技术学院', classes: [['软件2301', '软件技术']] });

    before(async () => {
      database = await freshDatabase(kind);
      ctx = await openContext({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { schema: database.schema, log: pino({ level: 'silent' }) });
      // Registration stays open for the processes, which run on the real clock.
      f = await createAdministration(ctx, { deadline: Date.now() + 30 * 86_400_000 });
      const now = nowIso();
      await ctx.db.insertInto('rooms').values({
        id: newId(), site_id: f.sites.A.id, name: '第01考场', location: '实训楼 B 座 301 机房', seats: 40, room_type: '机考', spare_machines: 3, ip_ranges: '[]', created_at: now,
      }).execute();
      // A teacher of 软件技术: must not proctor a room with 软件技术 candidates (回避).
      const soft = await insertStaff(ctx.db, { username: 't-soft', password: 'test-password-2026', role: 'teacher', displayName: '软件教师孙', institutionId: f.institutions.A.id });
      await ctx.db.insertInto('teacher_majors').values({ user_id: soft, major_id: f.majors.softA }).execute();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-cli-admin-'));
    });
    after(async () => {
      await ctx?.close();
      await database?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    // Process start-up dominates: the refusals and reports run on SQLite; the main path on both.
    const sqliteOnly = { skip: kind === 'sqlite' ? false : 'run on SQLite only' };

    test('refusals change nothing: a bad file (every bad row listed), another institution, a teacher, a usage error; the template', sqliteOnly, async () => {
      const bad = A_ROWS().slice(0, 5);
      const id = String(bad[1]!.证件号码);
      bad[1]!.证件号码 = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      bad[3]!.手机号 = '2345';
      bad[4]!.院校 = '不存在职业学院';
      fs.writeFileSync(file('bad.xlsx'), await candidateWorkbook(bad));
      fs.writeFileSync(file('a.xlsx'), await candidateWorkbook(A_ROWS()));

      const [template, badRun, foreign, teacher, usage] = await Promise.all([
        run('candidates', 'template', '--as', 'coord-a', '--out', file('template.xlsx')),
        run('candidates', 'import', file('bad.xlsx'), '--as', 'coord-a'),
        run('candidates', 'import', file('a.xlsx'), '--as', 'coord-b'),
        run('candidates', 'import', file('a.xlsx'), '--as', 'teacher-a'),
        run('candidates', 'import', file('a.xlsx')),
      ]);
      exited(template, 0);
      assert.match(template.stdout, /^已生成考生信息导入模板（可选院校 1 所、专业 2 个、班级 3 个）→ /);
      assert.deepEqual((await readWorkbook(fs.readFileSync(file('template.xlsx'))))[0]!.slice(0, 3), ['姓名', '证件类型', '证件号码']);

      exited(badRun, 1);
      const lines = badRun.stderr.trim().split('\n');
      assert.equal(lines.length, 4, badRun.stderr);
      assert.match(lines[0]!, /^第 3 行「证件号码」：.*校验/);
      assert.match(lines[1]!, /^第 5 行「手机号」：/);
      assert.equal(lines[2], '第 6 行「院校」：院校“不存在职业学院”不存在');
      assert.equal(lines[3], '错误：文件中有 3 行共 3 处错误，未导入任何考生；请改正后重新上传');

      exited(foreign, 1);
      assert.match(foreign.stderr, /第 2 行「院校」：不能导入其他院校（南京信息职业技术学院）的考生：只能导入本院校（苏州工业职业技术学院）的考生/);
      exited(teacher, 1);
      assert.equal(teacher.stderr.trim(), '错误：员工账号 teacher-a（教师）无权执行此操作：须为运营管理员或证书负责人');
      exited(usage, 2);
      assert.match(usage.stderr, /^错误：缺少 --as（以哪个员工账号执行）\n\n用法:\n {2}candidates template/);
      assert.equal(await count('candidates'), 0);
    });

    test('import → register from ID numbers → arrange --publish → print tickets', async () => {
      fs.writeFileSync(file('a.xlsx'), await candidateWorkbook(A_ROWS()));
      fs.writeFileSync(file('b.xlsx'), await candidateWorkbook(B_ROWS()));
      const a = await run('candidates', 'import', file('a.xlsx'), '--as', 'coord-a');
      exited(a, 0);
      assert.equal(a.stdout.trim(), '已导入 12 名考生：南京信息职业技术学院 12 名。');
      exited(await run('candidates', 'import', file('b.xlsx'), '--as', 'coord-b'), 0);
      assert.equal(await count('candidates'), 13);

      // A text file with a header, a blank line and a repeat; B's as an .xlsx, registered at A's site.
      const ids = A_ROWS().map((r) => String(r.证件号码));
      const b = String(B_ROWS()[0]!.证件号码);
      fs.writeFileSync(file('a-ids.txt'), `证件号码\n${ids.join('\n')}\n\n${ids[0]}\n`);
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('名单').addRows([['证件号码'], [b]]);
      fs.writeFileSync(file('b-ids.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
      const target = ['--plan', PLAN_CODE, '--site', f.sites.A.code, '--level', 'junior'];
      exited(await run('register', ...target, '--ids', file('b-ids.xlsx'), '--as', 'coord-b'), 0);
      const fromA = await run('register', ...target, '--ids', file('a-ids.txt'), '--as', 'coord-a');
      exited(fromA, 0);
      assert.equal(fromA.stdout.trim(), `已报考 12 名考生：${f.planName}，${f.sites.A.name}，初级；准考证号 ${PLAN_CODE}10010002 至 ${PLAN_CODE}10010013。`);
      const regs = await ctx.db
        .selectFrom('registrations')
        .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
        .innerJoin('users', 'users.id', 'registrations.created_by')
        .select(['candidates.id_number', 'registrations.ticket_no', 'registrations.level', 'users.username'])
        .orderBy('registrations.ticket_no')
        .execute();
      assert.deepEqual(regs.map((r) => r.id_number), [b, ...ids]);
      assert.deepEqual(regs.map((r) => r.ticket_no), Array.from({ length: 13 }, (_, i) => `${PLAN_CODE}1001${String(i + 1).padStart(4, '0')}`));
      assert.ok(regs.every((r) => r.level === 'junior'));
      assert.deepEqual(regs.map((r) => r.username), ['coord-b', ...ids.map(() => 'coord-a')]);

      const arranged = await run('arrange', '--plan', PLAN_CODE, '--site', f.sites.A.code, '--as', 'coord-a', '--publish');
      exited(arranged, 0);
      assert.deepEqual(arranged.stdout.trim().split('\n'), [
        `考场编排：${f.planName} · ${f.sites.A.name}（${f.sites.A.code}）`,
        '已编排 13 名考生。请核对后发布。',
        '  第01考场（实训楼 B 座 301 机房）：初级，13/40 人',
        '共 13 名考生：已安排座位 13 名，未安排 0 名；1 个考场，可容纳 40 人。',
        '已发布考场编排：13 名考生，1 个考场。',
      ]);
      const arrangement = await ctx.db.selectFrom('arrangements').selectAll().where('plan_id', '=', f.planId).executeTakeFirstOrThrow();
      assert.equal(arrangement.state, 'published');
      assert.equal(await count('seat_assignments'), 13);

      const tickets = await run('print', 'tickets', '--plan', PLAN_CODE, '--out', file('tickets.pdf'));
      exited(tickets, 0);
      assert.equal(tickets.stdout.trim(), `已打印准考证：13 页，13 名考生，1 个考场，1 个考核站点 → ${file('tickets.pdf')}`);
      assert.deepEqual(await ctx.db.selectFrom('print_log').select(['kind', 'printed_by']).execute(), [{ kind: 'tickets', printed_by: 'cli' }]);
    });

    test('then: unknown IDs and a second level refused, proctors, settlement, export; the audit log', sqliteOnly, async () => {
      const ids = A_ROWS().map((r) => String(r.证件号码));
      const b = String(B_ROWS()[0]!.证件号码);
      const unknown = '11010519491231002X';
      fs.writeFileSync(file('mixed-ids.txt'), [ids[0], b, ids[1], unknown].join('\r\n'));
      // An 18-digit number Excel kept as a number has lost its last digits.
      const rounded = new ExcelJS.Workbook();
      rounded.addWorksheet('名单').addRows([['证件号码'], [ids[2]], [Number('110105199001011234')]]);
      fs.writeFileSync(file('number-ids.xlsx'), Buffer.from(await rounded.xlsx.writeBuffer()));
      const [mixed, secondLevel, proctors, numbers] = await Promise.all([
        run('register', '--plan', PLAN_CODE, '--site', f.sites.A.code, '--level', 'intermediate', '--ids', file('mixed-ids.txt'), '--as', 'coord-a'),
        run('register', '--plan', PLAN_CODE, '--site', f.sites.A.code, '--level', 'intermediate', '--ids', file('a-ids.txt'), '--as', 'coord-a'),
        run('proctors', 'assign', '--plan', f.planId, '--site', f.sites.A.id, '--as', 'coord-a'),
        run('register', '--plan', PLAN_CODE, '--site', f.sites.A.code, '--level', 'intermediate', '--ids', file('number-ids.xlsx'), '--as', 'coord-a'),
      ]);
      exited(numbers, 1);
      assert.deepEqual(numbers.stderr.trim().split('\n'), [
        '第 3 行：证件号码被 Excel 存成了数字，长号码的末几位可能已经丢失：请把该列设置为“文本”格式，重新填写证件号码后再上传',
        '错误：文件中有 1 个单元格不是可用的证件号码，本批未报考任何考生',
      ]);
      // B's candidate is out of coord-a's scope: listed with the unknown number, and nothing registered.
      exited(mixed, 1);
      assert.deepEqual(mixed.stderr.trim().split('\n'), [
        `证件号码 ${b}：考生不存在或无权访问`,
        `证件号码 ${unknown}：考生不存在或无权访问`,
        '错误：有 2 个证件号码找不到可报考的考生，本批未报考任何考生',
      ]);
      exited(secondLevel, 1);
      assert.match(secondLevel.stderr, /已报考本计划的初级，同一考试计划只能报考一个等级/);
      assert.equal(secondLevel.stderr.trim().split('\n').length, 13, 'every candidate refused is listed, then the message');
      assert.equal(await count('registrations'), 13);

      exited(proctors, 0);
      assert.match(proctors.stdout, /^ {2}第01考场（初级，13 名考生，需 2 名）：教师甲$/m);
      assert.match(proctors.stdout, /^ {4}回避：软件教师孙——任教“软件技术”专业，本考场考生 .+ 等 6 人为该专业$/m);
      assert.match(proctors.stdout, /^问题：考场 第01考场（13 名考生，需 2 名监考员）缺 1 名：/m);
      assert.match(proctors.stdout, /^问题：尚未指定本考点的主考$/m);
      const assigned = await ctx.db.selectFrom('proctor_assignments').innerJoin('users', 'users.id', 'proctor_assignments.user_id').select(['users.username', 'proctor_assignments.duty']).execute();
      assert.deepEqual(assigned, [{ username: 'teacher-a', duty: 'proctor' }]);

      const [settleOp, settleB, exported] = await Promise.all([
        run('settlement', 'export', '--plan', PLAN_CODE, '--site', f.sites.A.code, '--as', 'op', '--out', file('settlement.xlsx')),
        run('settlement', 'export', '--plan', PLAN_CODE, '--as', 'coord-b', '--out', file('settlement-b.xlsx')),
        run('candidates', 'export', '--as', 'coord-a', '--plan', PLAN_CODE, '--class', '软件2301', '--out', file('export.xlsx')),
      ]);
      exited(settleOp, 0);
      assert.equal(settleOp.stdout.trim(), `已导出结算单：${f.sites.A.name}，13 人次，应缴 3180 元，返还 60 元，实缴 3120 元 → ${file('settlement.xlsx')}`);
      const sheet = await readWorkbook(fs.readFileSync(file('settlement.xlsx')));
      assert.equal(sheet[2]![0], '每人每次 300 元：培训评价组织 240 元，考核站点 60 元');
      assert.deepEqual(sheet[6]!.slice(1, 6), ['南京信息职业技术学院', '12', '2880', '0', '2880']);
      assert.deepEqual(sheet[7]!.slice(1, 6), ['苏州工业职业技术学院', '1', '300', '60', '240']);
      assert.deepEqual(sheet[8]!.slice(1, 6), ['合计', '13', '3180', '60', '3120']);
      // Another institution's coordinator sees only their own line of the site.
      exited(settleB, 0);
      const partial = await readWorkbook(fs.readFileSync(file('settlement-b.xlsx')));
      assert.match(partial[1]![0]!, /（仅本院校）/);
      assert.deepEqual(partial.slice(6, 8).map((r) => r.slice(1, 6)), [['苏州工业职业技术学院', '1', '300', '60', '240'], ['合计', '1', '300', '60', '240']]);

      exited(exported, 0);
      assert.equal(exported.stdout.trim(), `已导出 6 名考生 → ${file('export.xlsx')}`);
      const rows = await readWorkbook(fs.readFileSync(file('export.xlsx')));
      const col = (h: string) => rows[0]!.indexOf(h);
      assert.equal(rows.length, 7);
      for (const r of rows.slice(1)) {
        assert.equal(r[col('班级')], '软件2301');
        assert.match(r[col('准考证号')]!, new RegExp(`^${PLAN_CODE}1001\\d{4}$`));
        assert.equal(r[col('考场')], '第01考场');
      }

      const audit = await ctx.db.selectFrom('audit_log').select(['actor', 'action', 'acting_for', 'via']).orderBy('at').orderBy('id').execute();
      const of = (actor: string) => audit.filter((l) => l.actor === actor).map((l) => l.action);
      assert.deepEqual(of('coord-a'), ['candidate.import', 'registration.create', 'arrangement.run', 'arrangement.publish', 'proctors.run']);
      assert.deepEqual(of('coord-b'), ['candidate.import', 'registration.create']);
      assert.ok(audit.every((l) => l.acting_for === null));
      assert.deepEqual([...new Set(audit.map((l) => l.via))], ['cli'], 'each line says it came from the command line');
    });
  });
}
