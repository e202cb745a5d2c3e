// End to end, the mock-practice platform's set-up (manual part 1): an
// institution signs up → the operator approves → its admin invites the
// coordinator → the coordinator registers from the link → the operator
// approves → the coordinator adds a major, a teacher and a class → logs in as
// the teacher (banner), imports students (a bad file, then a good one) → ends.
// Screenshots of each page go to $KAOWU_SCREENSHOTS/organizations, or a fresh temp directory
// removed at the end (shotsDir).
//
//   node --import tsx --test web/console/test/organizations.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { ensureConsoleBuilt, openConsolePage, signIn, signOut, startServer, type Server } from './helpers.ts';
import { studentFile } from '../../../packages/server/test/org-fixture.ts';

const OPERATOR = { username: 'operator', password: 'kaowu-demo-2026' };
const SHOTS = shotsDir('organizations');
const PW = 'e2ePass2026';

describe('institutions and people, end to end', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let inviteLink = '';
  const pageErrors: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-org-files-'));

  const shot = async (name: string) => {
    await page.waitForTimeout(300); // let antd's animations settle
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const confirmPop = (name: string) => page.locator('.ant-popconfirm:visible').getByRole('button', { name }).click();
  const pickOption = async (testId: string, label: string) => {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first().click();
  };

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    ({ browser, page } = await openConsolePage(pageErrors, 15_000));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('signs an institution up from the log-in page', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByTestId('signup-link').click();
    await page.getByRole('button', { name: '提交注册申请' }).waitFor();
    assert.match(page.url(), /#\/signup$/);
    // The form checks before it sends.
    await page.getByRole('button', { name: '提交注册申请' }).click();
    await page.getByText('请输入院校代码').waitFor();
    await page.getByLabel('院校代码').fill('86420');
    await page.getByLabel('院校名称').fill('示范职业技术学院');
    await page.getByTestId('signup-province').click();
    await page.keyboard.type('浙江');
    await page.keyboard.press('Enter');
    await page.getByLabel('用户名').fill('e2eadmin');
    await page.getByLabel('姓名').fill('周教务');
    await page.getByLabel('手机号码').fill('13812345678');
    await page.getByLabel('密码', { exact: true }).fill('short');
    await page.getByText('密码至少 8 位').waitFor();
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('确认密码').fill(PW);
    await shot('01-signup');
    await page.getByRole('button', { name: '提交注册申请' }).click();
    await page.getByTestId('signup-done').waitFor();
    assert.match(await page.getByTestId('signup-done').innerText(), /1–2 个工作日/);

    // Not before the review.
    await page.goto(`${server.base}/console/#/login`);
    await page.getByLabel('用户名').fill('e2eadmin');
    await page.getByLabel('密码').fill(PW);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('login-error').filter({ hasText: '审核中' }).waitFor();
  });

  it('the operator approves the institution', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '院校' }).click();
    const row = page.locator('[data-testid=institutions-table] tr.ant-table-row').filter({ hasText: '示范职业技术学院' });
    await row.waitFor();
    assert.match(await row.innerText(), /浙江省/);
    assert.match(await row.innerText(), /周教务/);
    await shot('02-review-pending');
    await page.getByTestId('approve-86420').click();
    await confirmPop('通过');
    await page.getByText('已通过：示范职业技术学院').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '已通过' }).click();
    await page.locator('[data-testid=institutions-table] tr.ant-table-row').filter({ hasText: '示范职业技术学院' }).waitFor();
    await signOut(page);
  });

  it('the admin sees the institution and creates an invitation link', async () => {
    await signIn(page, server.base, 'e2eadmin', PW);
    assert.match(page.url(), /#\/institutions$/);
    await page.getByTestId('own-institution').filter({ hasText: '86420' }).waitFor();
    await page.getByTestId('create-invitation').click();
    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    inviteLink = (await link.innerText()).trim();
    assert.match(inviteLink, /^http:\/\/127\.0\.0\.1:\d+\/console\/#\/invite\/[A-Za-z0-9_-]{43}$/);
    await page.locator('[data-testid=invitations-table] tr.ant-table-row').filter({ hasText: '有效' }).waitFor();
    await shot('03-admin-invitations');
    await signOut(page);
  });

  it('the coordinator registers from the link', async () => {
    await page.goto(inviteLink);
    await page.getByTestId('invite-institution').filter({ hasText: '示范职业技术学院' }).waitFor();
    await page.getByLabel('用户名').fill('e2ecoord');
    await page.getByLabel('姓名').fill('吴负责');
    await page.getByLabel('手机号码').fill('13912345678');
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('确认密码').fill(PW);
    await shot('04-invite');
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByTestId('invite-done').waitFor();
    // The link works once.
    await page.goto(`${server.base}/console/#/login`);
    await page.goto(inviteLink);
    await page.getByTestId('invite-invalid').filter({ hasText: '已被使用' }).waitFor();
  });

  it('the operator approves the coordinator', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '院校' }).click();
    await page.getByRole('tab', { name: /待审核证书负责人/ }).click();
    await page.locator('[data-testid=pending-accounts] tr.ant-table-row').filter({ hasText: '吴负责' }).waitFor();
    await shot('05-review-coordinators');
    await page.getByTestId('approve-account-e2ecoord').click();
    await confirmPop('通过');
    await page.getByText('已通过：吴负责').waitFor();
    await signOut(page);
  });

  it('the coordinator adds a major, a teacher and a class', async () => {
    await signIn(page, server.base, 'e2ecoord', PW);
    await page.getByRole('menuitem', { name: '人员与班级' }).click();

    await page.getByRole('tab', { name: '专业' }).click();
    await page.getByTestId('major-name').fill('软件技术');
    await page.getByTestId('major-add').click();
    await page.locator('[data-testid=majors-table] tr.ant-table-row').filter({ hasText: '软件技术' }).waitFor();
    await shot('06-majors');

    await page.getByRole('tab', { name: '教师' }).click();
    await page.getByTestId('teacher-add').click();
    await page.getByTestId('teacher-username').fill('e2eteacher');
    await page.getByTestId('teacher-name').fill('郑老师');
    await page.getByTestId('teacher-phone').fill('13712345678');
    await page.getByTestId('teacher-password-input').fill(PW);
    await pickOption('teacher-majors', '软件技术');
    await page.keyboard.press('Escape');
    await shot('07-teacher-form');
    await page.locator('.ant-modal:visible').getByRole('button', { name: '保存' }).click();
    await page.getByTestId('teacher-password').filter({ hasText: 'e2eteacher' }).waitFor();
    await page.getByRole('button', { name: '知道了' }).click();
    const teacherRow = page.locator('[data-testid=teachers-table] tr.ant-table-row').filter({ hasText: '郑老师' });
    await teacherRow.waitFor();
    assert.match(await teacherRow.innerText(), /软件技术/);

    await page.getByRole('tab', { name: '班级' }).click();
    await page.getByTestId('class-add').click();
    await page.getByTestId('class-name').fill('软件2301');
    await pickOption('class-major', '软件技术');
    await pickOption('class-head', '郑老师');
    await page.locator('.ant-modal:visible').getByRole('button', { name: '保存' }).click();
    const classRow = page.locator('[data-testid=classes-table] tr.ant-table-row').filter({ hasText: '软件2301' });
    await classRow.waitFor();
    assert.match(await classRow.innerText(), /郑老师/);
    await shot('08-classes');
    await page.getByRole('tab', { name: '教师' }).click();
    await teacherRow.waitFor();
    await shot('09-teachers');
  });

  it('logs in as the teacher (banner), imports students, and comes back', async () => {
    await page.getByTestId('act-as-e2eteacher').click();
    await confirmPop('登录');
    const banner = page.getByTestId('acting-as-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /吴负责（e2ecoord）正以教师 郑老师 的身份操作/);
    assert.match(await page.getByTestId('current-user').innerText(), /e2eteacher/);

    // A file with bad rows: every one is listed, nothing created.
    const bad = path.join(tmp, 'bad.xlsx');
    fs.writeFileSync(bad, await studentFile([['2023001', '赵一'], ['2023002', ''], ['2023001', '钱二'], ['2023004', '孙四', '123']]));
    await page.getByTestId('student-class').filter({ hasText: '软件2301' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByTestId('student-picked').filter({ hasText: 'bad.xlsx' }).waitFor();
    await page.getByTestId('student-import').click();
    const errors = page.getByTestId('student-import-errors');
    await errors.waitFor();
    const errorText = await errors.innerText();
    for (const row of ['第 3 行', '第 4 行', '第 5 行', '第 6 行']) assert.ok(errorText.includes(row), `${row} in ${errorText}`);
    assert.match(errorText, /未创建任何账号/);
    await shot('10-students-errors');

    const good = path.join(tmp, 'good.xlsx');
    fs.writeFileSync(good, await studentFile([['2023001', '赵一'], ['2023002', '钱二', '13612345678']]));
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByTestId('student-picked').filter({ hasText: 'good.xlsx' }).waitFor();
    await page.getByTestId('student-import').click();
    const result = page.getByTestId('student-import-result');
    await result.waitFor();
    assert.match(await result.innerText(), /新建 2 个学生账号/);
    assert.match(await result.innerText(), /864202023001/);
    await page.locator('[data-testid=students-table] tr.ant-table-row').nth(1).waitFor();
    await shot('11-students-created');

    await page.getByTestId('end-acting-as').click();
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('current-user').filter({ hasText: 'e2ecoord' }).waitFor();
  });

  it('the audit log shows the acting session and the changes', async () => {
    await page.getByRole('menuitem', { name: '操作日志' }).click();
    const rows = page.locator('[data-testid=audit-table] tr.ant-table-row');
    await rows.filter({ hasText: '导入学生账号' }).waitFor();
    assert.match(await rows.filter({ hasText: '导入学生账号' }).innerText(), /由 e2ecoord 代登录/);
    await rows.filter({ hasText: '新建班级' }).click();
    await page.getByTestId('audit-diff').first().waitFor();
    const diff = await page.getByTestId('audit-diff').first().innerText();
    assert.match(diff, /软件2301/);
    // Each field by its Chinese name, with the key small underneath.
    assert.match(diff, /班主任\s+headTeacher/);
    assert.match(diff, /辅导员\s+counsellor/);
    // Each line names the record it changed, not only its id.
    assert.ok((await rows.filter({ hasText: '新建班级' }).filter({ hasText: '班级：软件2301' }).count()) >= 1, 'the class is named on its line');
    await shot('12-audit');
    // The filters offer the server's Chinese names.
    await rows.filter({ hasText: '添加教师' }).first().waitFor();
    await pickOption('audit-action', '新建班级');
    await page.getByTestId('audit-search').click();
    await rows.filter({ hasText: '导入学生账号' }).waitFor({ state: 'detached' });
    assert.equal(await rows.filter({ hasText: '添加教师' }).count(), 0);
    assert.ok((await rows.filter({ hasText: '新建班级' }).count()) >= 1);
    await page.getByRole('button', { name: '重置' }).click();
    await rows.filter({ hasText: '导入学生账号' }).waitFor();
    // A coded value by the server's Chinese name, the code small underneath.
    await pickOption('audit-action', '院校审核通过');
    await page.getByTestId('audit-search').click();
    await rows.filter({ hasText: '导入学生账号' }).waitFor({ state: 'detached' });
    await rows.filter({ hasText: '院校审核通过' }).first().click();
    const approval = page.getByTestId('audit-diff').filter({ hasText: '已通过' });
    await approval.waitFor();
    assert.match(await approval.innerText(), /待审核\s+pending/);
    assert.match(await approval.innerText(), /已通过\s+approved/);
    await page.getByRole('button', { name: '重置' }).click();
    await rows.filter({ hasText: '导入学生账号' }).waitFor();
  });

  it('fits a 1024×768 screen (the smallest the manual allows)', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByRole('menuitem', { name: '人员与班级' }).click();
    await page.locator('[data-testid=teachers-table] tr.ant-table-row').filter({ hasText: '郑老师' }).waitFor();
    await shot('13-teachers-1024');
    await page.getByRole('menuitem', { name: '操作日志' }).click();
    await page.locator('[data-testid=audit-table] tr.ant-table-row').first().waitFor();
    await shot('14-audit-1024');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 1024 px`);
    assert.deepEqual(pageErrors, []);
  });
});
