// End to end, the whole administration path in one flow against one real
// server (a child process on a fresh SQLite file, nothing written to the
// database by hand): a new institution signs up (院校注册) → the operator
// approves it → its admin creates an invitation link → the coordinator
// registers from it → the operator approves the coordinator → the coordinator
// applies for an exam site → the operator approves it (审核通过已启用) → the
// coordinator adds two rooms of 40 seats → the operator copies a 2024 plan to a
// new date in the future → the coordinator adds a major, two classes and two
// teachers, downloads the candidate template, imports a bad file (every bad row
// listed, nothing imported) and a good one (50 candidates in 2 classes) →
// registers them at a level (ticket numbers) → arranges and publishes →
// assigns proctors → downloads the admission tickets PDF (one page per
// candidate, with a candidate's name and ticket number in it).
// The selectors and steps are those of organizations, sites, registration and
// arrangement.e2e.test.ts.
//
//   node scripts/test.mjs web/console/test/administration-flow.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { ensureConsoleBuilt, openConsolePage, signIn, signOut, startServer, type Server, noVisibleModal } from './helpers.ts';
import { candidateRows, candidateWorkbook, HEADERS, readWorkbook, XLSX } from '../../../packages/server/test/registration-fixture.ts';

const OPERATOR = { username: 'operator', password: 'kaowu-demo-2026' };
const PW = 'e2ePass2026';
const INSTITUTION = { code: '86421', name: '示范信息职业技术学院' };
const ADMIN = { username: 'flowadmin', name: '周教务' };
const COORD = { username: 'flowcoord', name: '吴负责' };
const SITE = '示范信息职业技术学院考点';
const CLASSES: [string, string][] = [['软件2401', '软件技术'], ['软件2402', '软件技术']];

/** A Saturday at least 45 days after `now` (the server's own clock: it runs on the real time), as YYYY-MM-DD. */
function futureSaturday(now: number): string {
  const d = new Date(now + 8 * 3600_000 + 45 * 86_400_000); // Beijing date, 45 days on
  d.setUTCDate(d.getUTCDate() + ((6 - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

describe('the administration path, sign-up to admission tickets, end to end', { skip: chromiumMissing, timeout: 900_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let inviteLink = '';
  let planName = '';
  let planCode = '';
  const examDate = futureSaturday(Date.now());
  const pageErrors: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-admin-flow-'));
  const good = candidateRows(50, { from: 200, region: '330106', institution: INSTITUTION.name, classes: CLASSES });

  const confirmPop = (name: string) => page.locator('.ant-popconfirm:visible').getByRole('button', { name }).click();
  const modal = () => page.locator('.ant-modal:visible');
  const pickOption = async (testId: string, label: string) => {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first().click();
  };
  const download = async (click: () => Promise<void>): Promise<Download> => {
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), click()]);
    return d;
  };
  const importFile = async (name: string, buffer: Buffer) => {
    await page.getByTestId('import-button').waitFor();
    await page.locator('input[type=file][accept=".xlsx"]').setInputFiles({ name, mimeType: XLSX, buffer });
  };

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    ({ browser, page } = await openConsolePage(pageErrors, 30_000));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('an institution signs up from the public page', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByTestId('signup-link').click();
    await page.getByRole('button', { name: '提交注册申请' }).waitFor();
    assert.match(page.url(), /#\/signup$/);
    await page.getByLabel('院校代码').fill(INSTITUTION.code);
    await page.getByLabel('院校名称').fill(INSTITUTION.name);
    await page.getByTestId('signup-province').click();
    await page.keyboard.type('浙江');
    await page.keyboard.press('Enter');
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel('姓名').fill(ADMIN.name);
    await page.getByLabel('手机号码').fill('13812345670');
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('确认密码').fill(PW);
    await page.getByRole('button', { name: '提交注册申请' }).click();
    await page.getByTestId('signup-done').waitFor();
  });

  it('the operator approves the institution', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '院校' }).click();
    const row = page.locator('[data-testid=institutions-table] tr.ant-table-row').filter({ hasText: INSTITUTION.name });
    await row.waitFor();
    assert.match(await row.innerText(), /浙江省[\s\S]*周教务|周教务[\s\S]*浙江省/);
    await page.getByTestId(`approve-${INSTITUTION.code}`).click();
    await confirmPop('通过');
    await page.getByText(`已通过：${INSTITUTION.name}`).waitFor();
    await row.waitFor({ state: 'detached' });
    await signOut(page);
  });

  it('the institution admin signs in and creates an invitation link', async () => {
    await signIn(page, server.base, ADMIN.username, PW);
    await page.getByTestId('own-institution').filter({ hasText: INSTITUTION.code }).waitFor();
    await page.getByTestId('create-invitation').click();
    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    inviteLink = (await link.innerText()).trim();
    assert.match(inviteLink, /^http:\/\/127\.0\.0\.1:\d+\/console\/#\/invite\/[A-Za-z0-9_-]{43}$/);
    await signOut(page);
  });

  it('the coordinator registers from the link', async () => {
    await page.goto(inviteLink);
    await page.getByTestId('invite-institution').filter({ hasText: INSTITUTION.name }).waitFor();
    await page.getByLabel('用户名').fill(COORD.username);
    await page.getByLabel('姓名').fill(COORD.name);
    await page.getByLabel('手机号码').fill('13912345670');
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('确认密码').fill(PW);
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByTestId('invite-done').waitFor();
  });

  it('the operator approves the coordinator', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '院校' }).click();
    await page.getByRole('tab', { name: /待审核证书负责人/ }).click();
    await page.locator('[data-testid=pending-accounts] tr.ant-table-row').filter({ hasText: COORD.name }).waitFor();
    await page.getByTestId(`approve-account-${COORD.username}`).click();
    await confirmPop('通过');
    await page.getByText(`已通过：${COORD.name}`).waitFor();
    await signOut(page);
  });

  it('the coordinator applies for an exam site', async () => {
    await signIn(page, server.base, COORD.username, PW);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    await page.getByTestId('apply-card').waitFor();
    await page.getByTestId('site-name').fill(SITE);
    await page.getByTestId('site-address').fill('杭州市西湖区文一路 8 号');
    await page.getByTestId('site-contact').fill('吴老师');
    await page.getByTestId('site-phone').fill('0571-88881234');
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('site-title').filter({ hasText: SITE }).waitFor();
    assert.equal(await page.getByTestId('site-status').first().innerText(), '审核中');
    await signOut(page);
  });

  it('the operator approves the site (审核通过已启用) and records the agreement', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    const row = page.locator('[data-testid=sites-table] tr.ant-table-row').filter({ hasText: SITE });
    await row.waitFor();
    await row.getByTestId('approve-site').click();
    await confirmPop('通过');
    await page.getByText('已审核通过并启用').waitFor();
    await page.getByTestId('site-filter').getByText('已启用').click();
    const enabled = page.locator('[data-testid=sites-table] tr.ant-table-row').filter({ hasText: SITE });
    await enabled.getByText('审核通过已启用').waitFor();
    await enabled.getByTestId('agreement-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '已签署' }).click();
    await page.getByText('考务协议：已签署').waitFor();
    await signOut(page);
  });

  it('the coordinator adds two rooms of 40 seats', async () => {
    await signIn(page, server.base, COORD.username, PW);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    await page.getByTestId('own-site').filter({ hasText: '审核通过已启用' }).waitFor();
    await page.getByTestId('manage-rooms').click();
    await page.getByTestId('add-room').waitFor();
    for (const [i, name] of ['第一考场', '第二考场'].entries()) {
      await page.getByTestId('add-room').click();
      await page.getByTestId('room-name').fill(name);
      await page.getByTestId('room-location').fill(`信息楼 2 楼 20${i + 1} 机房`);
      await page.getByTestId('room-seats').fill('40');
      await page.getByTestId('room-save').click();
      await page.locator('[data-testid=rooms-table] tr.ant-table-row').nth(i).waitFor();
    }
    const rows = page.locator('[data-testid=rooms-table] tr.ant-table-row');
    assert.equal(await rows.count(), 2);
    for (const r of await rows.all()) assert.match(await r.innerText(), /符合要求/);
    assert.equal(await page.getByTestId('room-warnings').count(), 0);
    await signOut(page);
  });

  it('the operator copies a 2024 plan to a new date in the future', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '考试计划' }).click();
    await page.getByTestId('copy-preset').click();
    await page.getByTestId('preset-2024-05').click();
    const dateInput = page.locator('input[data-testid=copy-date], [data-testid=copy-date] input').first();
    await dateInput.click();
    await dateInput.fill(examDate);
    await dateInput.press('Enter');
    const [y, m, d] = examDate.split('-');
    planName = `${y} 年 ${Number(m)} 月 Python 程序开发职业技能等级证书全国统考`;
    await page.waitForFunction(
      (want) => (document.querySelector('[data-testid=copy-name]') as HTMLInputElement | null)?.value === want,
      planName,
    );
    await page.getByTestId('copy-submit').click();
    await page.getByText(`已创建考试计划“${planName}”`).waitFor();
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: planName });
    await row.waitFor();
    planCode = `${y!.slice(2)}${m}${d}`;
    assert.ok((await row.innerText()).includes(planCode), `the plan code ${planCode} (yyMMdd of ${examDate})`);
    await signOut(page);
  });

  it('the coordinator adds a major, two classes and two teachers', async () => {
    await signIn(page, server.base, COORD.username, PW);
    await page.getByRole('menuitem', { name: '人员与班级' }).click();
    await page.getByRole('tab', { name: '专业' }).click();
    await page.getByTestId('major-name').fill('软件技术');
    await page.getByTestId('major-add').click();
    await page.locator('[data-testid=majors-table] tr.ant-table-row').filter({ hasText: '软件技术' }).waitFor();

    await page.getByRole('tab', { name: '班级' }).click();
    for (const [className] of CLASSES) {
      await page.getByTestId('class-add').click();
      await page.getByTestId('class-name').fill(className);
      await pickOption('class-major', '软件技术');
      await modal().getByRole('button', { name: '保存' }).click();
      await page.locator('[data-testid=classes-table] tr.ant-table-row').filter({ hasText: className }).waitFor();
      await noVisibleModal(page);
    }

    await page.getByRole('tab', { name: '教师' }).click();
    for (const [i, name] of ['郑老师', '钱老师'].entries()) {
      await page.getByTestId('teacher-add').click();
      await page.getByTestId('teacher-username').fill(`flowteacher${i + 1}`);
      await page.getByTestId('teacher-name').fill(name);
      await page.getByTestId('teacher-phone').fill(`1371234567${i}`);
      await page.getByTestId('teacher-password-input').fill(PW);
      await modal().getByRole('button', { name: '保存' }).click();
      await page.getByTestId('teacher-password').filter({ hasText: `flowteacher${i + 1}` }).waitFor();
      await page.getByRole('button', { name: '知道了' }).click();
      await page.locator('[data-testid=teachers-table] tr.ant-table-row').filter({ hasText: name }).waitFor();
      await noVisibleModal(page);
    }
  });

  it('downloads the candidate template', async () => {
    await page.getByRole('menuitem', { name: '考生管理' }).click();
    await page.getByText('暂无考生，请下载模板填写后导入').waitFor();
    const template = await download(() => page.getByRole('button', { name: '下载模板' }).click());
    assert.equal(template.suggestedFilename(), '考生信息导入模板.xlsx');
    const cells = await readWorkbook(fs.readFileSync((await template.path())!));
    for (const h of HEADERS.filter((x) => x !== '照片文件名')) assert.ok(cells[0]!.some((c) => c.includes(h)), `${h} in ${cells[0]}`);
  });

  it('imports a bad file: every bad row is listed with row, column and reason; nothing is imported', async () => {
    const rows = candidateRows(8, { from: 200, region: '330106', institution: INSTITUTION.name, classes: CLASSES });
    const id = rows[0]!.证件号码 as string;
    rows[0]!.证件号码 = id.slice(0, 17) + (id[17] === '1' ? '2' : '1'); // row 2: check digit
    rows[2]!.手机号 = '1380013'; // row 4
    delete rows[3]!.姓名; // row 5
    rows[5]!.班级 = '软件9999'; // row 7: no such class
    rows[6]!.证件号码 = rows[1]!.证件号码; // row 8: twice in the file
    await importFile('有错误的名单.xlsx', await candidateWorkbook(rows));
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    assert.match(await errors.innerText(), /未导入任何考生/);
    const cells = await errors.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    const where = cells.map((c) => `${c[0]} ${c[1]}`);
    for (const want of ['第 2 行 证件号码', '第 4 行 手机号', '第 5 行 姓名', '第 7 行 班级', '第 8 行 证件号码']) assert.ok(where.includes(want), `${want} in ${JSON.stringify(cells)}`);
    for (const c of cells) assert.ok((c[2] ?? '').length > 0, `a reason for ${c[0]} ${c[1]}`);
    assert.match(cells.find((c) => c[0] === '第 2 行')![2]!, /校验位/);
    assert.match(cells.find((c) => c[0] === '第 7 行')![2]!, /软件9999/);
    assert.equal(await page.getByTestId('candidates-table').locator('tr.ant-table-row').count(), 0);
    await page.getByText('暂无考生，请下载模板填写后导入').waitFor();
    await errors.locator('.ant-alert-close-icon').click();
  });

  it('imports a good file: 50 candidates in 2 classes', async () => {
    await importFile('考生信息-软件技术.xlsx', await candidateWorkbook(good));
    const result = page.getByTestId('import-result');
    await result.waitFor();
    assert.match(await result.innerText(), /导入成功：考生信息-软件技术\.xlsx，共 50 名考生/);
    await page.getByText('共 50 名考生', { exact: true }).waitFor();
  });

  let firstTicket = '';
  it('registers the 50 at 初级 for the plan and the site; ticket numbers are shown', async () => {
    await page.getByRole('menuitem', { name: '报考与结算' }).click();
    await pickOption('plan-select', planName);
    await page.getByTestId('plan-facts').getByText(planCode).waitFor();
    await page.getByTestId('site-select').filter({ hasText: SITE }).waitFor();
    await page.locator('label.ant-radio-button-wrapper', { hasText: '初级' }).click();
    await page.getByText('共 50 名考生', { exact: true }).waitFor();
    const table = page.getByTestId('register-candidates');
    await table.locator('thead .ant-checkbox-input').check();
    assert.equal(await page.getByTestId('selected-count').innerText(), '50');
    await page.getByTestId('register-button').click();
    const result = page.getByTestId('register-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /报考成功：50 名考生报考初级/);
    const m = new RegExp(`准考证号 (${planCode}(\\d{4})0001) 至 ${planCode}(\\d{4})0050`).exec(text);
    assert.ok(m && m[2] === m[3], text);
    firstTicket = m[1]!;
    await page.getByTestId('registrations-table').getByText(firstTicket).waitFor();
  });

  it('arranges (考场编排) the 50 in the two rooms and publishes', async () => {
    await page.getByRole('menuitem', { name: '考场编排' }).click();
    await page.getByTestId('arrangement-plan').click();
    await page.keyboard.type(planName.slice(0, 8));
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: planName }).click();
    await page.getByTestId('arrangement-plan').filter({ hasText: planName }).waitFor();
    await page.getByTestId('arrangement-site').filter({ hasText: SITE }).waitFor();
    await page.getByTestId('arrangement-state').filter({ hasText: '未编排' }).waitFor();
    await page.getByTestId('run-arrangement').click();
    await page.getByTestId('run-message').filter({ hasText: '已编排 50 名考生' }).waitFor();
    await page.getByTestId('arrangement-placed').filter({ hasText: /^50 人$/ }).waitFor();
    assert.equal(await page.getByTestId('seat').count(), 50);
    assert.equal(await page.locator('[data-testid=seat][data-same-class=yes]').count(), 0);
    assert.equal(await page.getByTestId('arrangement-problem').count(), 0);
    const usage = (await page.getByTestId('room-usage').allInnerTexts()).map((u) => u.trim());
    const seated = usage.map((u) => Number(/^(\d+)\/40 人$/.exec(u)?.[1]));
    assert.equal(seated.reduce((a, b) => a + b, 0), 50, usage.join(', '));
    await page.getByTestId('publish-arrangement').click();
    await confirmPop('发布');
    await page.getByTestId('arrangement-state').filter({ hasText: '已发布' }).waitFor();
  });

  it('assigns proctors: two teachers are not enough for two rooms, and the page says which room lacks whom', async () => {
    await page.getByRole('tab', { name: '监考安排' }).click();
    await page.getByTestId('run-proctors').click();
    // 50 candidates in two rooms need 2 + 2 proctors; only the two teachers can be used.
    await page.getByTestId('proctor-tab').filter({ hasText: '可用 2 人，已安排 2/4' }).waitFor();
    const problem = page.getByTestId('proctor-problem').filter({ hasText: /缺 2 名/ });
    await problem.waitFor();
    assert.match(await problem.innerText(), /^考场 第[一二]考场（\d+ 名考生，需 2 名监考员）缺 2 名：2 名教师和监考员中 2 名无需回避，其中 2 名已安排在其他考场（各考场共需 4 名）$/);
    await page.getByTestId('proctor-problem').filter({ hasText: '尚未指定本考点的主考' }).waitFor();
    const counts = (await page.getByTestId('proctor-count').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual([...counts].sort(), ['0 / 2', '2 / 2']);
    const staffed = await page.getByTestId('room-proctors').allInnerTexts();
    assert.equal(staffed.length, 1, staffed.join(' | '));
    assert.match(staffed[0]!, /郑老师[\s\S]*钱老师|钱老师[\s\S]*郑老师/);
  });

  it('downloads the admission tickets: a PDF, one page per candidate, with a name and ticket number', async () => {
    await page.getByRole('tab', { name: '打印' }).click();
    await page.getByTestId('print-tab').waitFor();
    const tickets = await download(() => page.getByTestId('print-tickets').click());
    assert.equal(tickets.suggestedFilename(), `准考证-${SITE}-${planCode}.pdf`);
    const file = path.join(tmp, 'tickets.pdf');
    await tickets.saveAs(file);
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.equal(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), 50);
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '50', file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes(firstTicket), `ticket ${firstTicket} in the PDF`);
    const names = good.map((r) => String(r.姓名));
    assert.ok(names.some((n) => text.includes(n)), 'a candidate\'s name in the PDF');
    await page.getByText(`已生成 准考证-${SITE}-${planCode}.pdf`).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
