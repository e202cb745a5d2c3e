// End to end, account security in the console: a teacher whose password the
// coordinator reset must change it before working; 修改密码 from the header;
// the log-in page says when a locked account may try again. Screenshots go to
// $KAOWU_SCREENSHOTS/accounts, or a fresh temp directory removed at the end (shotsDir).
//
//   node --import tsx --test web/console/test/accounts.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { call, changePassword, ensureConsoleBuilt, openConsolePage, signIn, signOut, startServer, submitLogIn, type Server } from './helpers.ts';

const DEMO_PASSWORD = 'kaowu-demo-2026';
const SHOTS = shotsDir('accounts');

describe('account security in the console', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = async (name: string) => {
    await page.waitForTimeout(400); // let antd's animations settle
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  const logInStatus = async (username: string, password: string) =>
    (await fetch(`${server.base}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status;

  /** The demo coordinator resets a demo teacher's password (the console's 重置密码, through the API). */
  async function resetTeacher(username: string): Promise<string> {
    const { token } = await call<{ token: string }>(server.base, 'POST', '/api/staff/login', { username: 'coordinator', password: DEMO_PASSWORD });
    const { teachers } = await call<{ teachers: { id: string; username: string }[] }>(server.base, 'GET', '/api/console/teachers', undefined, token);
    const teacher = teachers.find((t) => t.username === username)!;
    return (await call<{ password: string }>(server.base, 'POST', `/api/console/teachers/${teacher.id}/reset-password`, undefined, token)).password;
  }

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    ({ browser, page } = await openConsolePage(pageErrors, 15_000));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a teacher whose password was reset must change it before working, and then works', async () => {
    const reset = await resetTeacher('teacher1');
    await page.goto(`${server.base}/console/#/login`);
    await page.getByLabel('用户名').fill('teacher1');
    await page.getByLabel('密码').fill(reset);
    await page.getByRole('button', { name: '登录' }).click();

    const forced = page.getByTestId('password-change-forced');
    await forced.waitFor();
    assert.match(await forced.innerText(), /首次登录或密码被重置后，请先修改密码/);
    assert.match(await forced.innerText(), /8–64 位，须同时包含字母和数字，不能与用户名或当前密码相同/);
    const dialog = page.locator('.ant-modal').filter({ has: forced });
    assert.equal(await dialog.getByRole('button', { name: '取消' }).count(), 0, 'no cancel');
    assert.equal(await dialog.locator('.ant-modal-close').count(), 0, 'no close button');
    await shot('forced-password-change');
    await page.keyboard.press('Escape');
    await page.mouse.click(5, 400); // the mask, over the menu
    assert.ok(await forced.isVisible(), 'Escape and the mask do not close it');
    assert.equal(await page.locator('.ant-layout-content').innerText(), '', 'no page behind it');

    // The form's own checks, then the server's: a wrong current password is shown under its field.
    await page.getByTestId('password-current').fill('not-the-password1');
    await page.getByTestId('password-new').fill('short1');
    await page.getByTestId('password-repeat').fill('short2');
    await page.getByTestId('password-save').click();
    await dialog.getByText('密码至少 8 位').waitFor();
    await dialog.getByText('两次输入的密码不一致').waitFor();
    await page.getByTestId('password-new').fill('teacher1');
    await dialog.getByText('新密码不能与用户名相同').waitFor();
    await page.getByTestId('password-new').fill('Teacher2026');
    await page.getByTestId('password-repeat').fill('Teacher2026');
    await page.getByTestId('password-save').click();
    await dialog.getByText('当前密码不正确').waitFor();
    await shot('forced-password-change-errors');

    await page.getByTestId('password-current').fill(reset);
    await page.getByTestId('password-save').click();
    await forced.waitFor({ state: 'detached' });
    await page.getByRole('menuitem', { name: '人员与班级' }).click();
    await page.getByRole('tab', { name: '学生账号' }).waitFor();
    assert.equal(await logInStatus('teacher1', reset), 401);
    assert.equal(await logInStatus('teacher1', 'Teacher2026'), 200);
    await signOut(page);

    // The shared log-in helper does the same for tests that sign in with a generated password.
    const again = await resetTeacher('teacher1');
    await signIn(page, server.base, 'teacher1', again, { newPassword: 'Teacher2027' });
    await page.getByRole('menuitem', { name: '人员与班级' }).waitFor();
    await signOut(page);
  });

  it('修改密码 from the header: the old password stops working, the session goes on', async () => {
    await submitLogIn(page, 'coordinator', DEMO_PASSWORD);
    await page.getByTestId('change-password').click();
    const dialog = page.getByTestId('password-change');
    await dialog.waitFor();
    assert.doesNotMatch(await dialog.innerText(), /请先修改密码/);
    // The page asks for reduced motion (openConsolePage): the dialog opened without an animation.
    const dialogClasses = await page.locator('.ant-modal:visible').evaluate((el) => `${el.className} ${el.parentElement?.className ?? ''}`);
    assert.doesNotMatch(dialogClasses, /zoom|fade|motion/, dialogClasses);
    await page.locator('.ant-modal:visible').getByRole('button', { name: '取消' }).waitFor();
    await changePassword(page, DEMO_PASSWORD, 'Coordinator2026');
    await page.getByText('密码已修改，下次登录请使用新密码').first().waitFor();
    await page.getByRole('menuitem', { name: '操作日志' }).click();
    await page.locator('[data-testid=audit-table] tr.ant-table-row').filter({ hasText: '修改本人密码' }).first().waitFor();
    assert.equal(await logInStatus('coordinator', DEMO_PASSWORD), 401);
    await signOut(page);
    await submitLogIn(page, 'coordinator', 'Coordinator2026');
    await signOut(page);
  });

  it('the log-in page says when a locked account may try again', async () => {
    for (let i = 0; i < 4; i++) assert.equal(await logInStatus('teacher2', `wrong-${i}-pass`), 401);
    await page.getByLabel('用户名').fill('teacher2');
    await page.getByLabel('密码').fill('wrong-4-pass');
    await page.getByRole('button', { name: '登录' }).click();
    const error = page.getByTestId('login-error');
    await error.filter({ hasText: '账号已暂时锁定' }).waitFor();
    assert.match(await error.innerText(), /密码错误次数过多，账号已暂时锁定，请于 \d\d:\d\d（北京时间，约 15 分钟后）再试/);
    await shot('login-locked');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/staff/login')),
      page.getByRole('button', { name: '登录' }).click(),
    ]);
    assert.equal(refused.status(), 429, 'locked even with the right password');
    assert.deepEqual(pageErrors, []);
  });
});
