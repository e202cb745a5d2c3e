// End to end, exam sites, rooms, plans and readiness: a coordinator applies
// for the institution's site → the operator approves it and records the signed
// 考务协议 → the coordinator adds two rooms (the second a 30-seat lab of 6
// rows × 5) and sees their layouts and the warning for the 30-seat one → the operator copies a 2024 plan to a new date → the readiness
// page lists the manual's timeline and the coordinator ticks off an item.
// The institution and its coordinator are written straight into the database
// (the organisations pages are not needed here). Screenshots go to
// $KAOWU_SCREENSHOTS/sites, or a fresh temp directory removed at the end (shotsDir).
//
//   node --import tsx --test web/console/test/sites.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { ensureConsoleBuilt, openConsolePage, signIn, signOut } from './helpers.ts';
import { freshDatabase, type TestDatabase } from '../../../packages/server/test/helpers.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/server-process.ts';
import { openDatabase } from '../../../packages/server/src/db/database.ts';
import { insertInstitution, insertStaff } from '../../../packages/server/test/admin-rows.ts';

const OPERATOR = { username: 'operator', password: 'kaowu-demo-2026' };
const COORDINATOR = { username: 'coord-e2e', password: 'e2eCoord2026' };
const SHOTS = shotsDir('sites');

describe('sites, rooms, plans and readiness, end to end', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let planName = '';
  const pageErrors: string[] = [];

  const shot = async (name: string, viewport?: { width: number; height: number }) => {
    if (viewport) await page.setViewportSize(viewport);
    await page.waitForTimeout(400); // let antd's animations settle
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    if (viewport) await page.setViewportSize({ width: 1280, height: 800 });
  };
  const confirmPop = (name: string) => page.locator('.ant-popconfirm:visible').getByRole('button', { name }).click();
  const modal = () => page.locator('.ant-modal:visible');

  before(async () => {
    ensureConsoleBuilt();
    database = await freshDatabase('sqlite');
    server = await startServerProcess(database, { GRADING: 'off' });
    // An approved institution and its coordinator, next to the running server (WAL: both may write).
    const { db, close } = await openDatabase(database.url);
    try {
      const institutionId = await insertInstitution(db, { code: '24680', name: '示范职业技术学院', province: '浙江省' });
      await insertStaff(db, { ...COORDINATOR, role: 'coordinator', displayName: '李负责人', institutionId });
    } finally {
      await close();
    }
    ({ browser, page } = await openConsolePage(pageErrors, 15_000));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('the coordinator applies for the institution\'s site', async () => {
    await signIn(page, server.base, COORDINATOR.username, COORDINATOR.password);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    await page.getByTestId('apply-card').waitFor();
    // The form checks before it sends.
    await page.getByTestId('apply-submit').click();
    await page.getByText('请填写站点名称').waitFor();
    await page.getByTestId('site-name').fill('示范职业技术学院考点');
    await page.getByTestId('site-address').fill('杭州市西湖区文三路 100 号');
    await page.getByTestId('site-contact').fill('李老师');
    await page.getByTestId('site-phone').fill('0571-88886666');
    await shot('01-apply-form');
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('site-title').filter({ hasText: '示范职业技术学院考点' }).waitFor();
    assert.equal(await page.getByTestId('site-status').first().innerText(), '审核中');
    const warnings = await page.getByTestId('site-warnings').innerText();
    assert.match(warnings, /考核站点申请正在审核中/);
    assert.match(warnings, /尚未签署考务协议/);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    await page.getByTestId('own-site').waitFor();
    assert.match(await page.getByTestId('own-site').innerText(), /等待运营管理员审核/);
    await shot('02-coordinator-pending');
    await signOut(page);
  });

  it('the operator approves it and records the signed agreement', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    const row = page.locator('[data-testid=sites-table] tr.ant-table-row').filter({ hasText: '示范职业技术学院考点' });
    await row.waitFor();
    assert.match(await page.getByTestId('site-filter').innerText(), /待审核（1）/);
    assert.match(await row.innerText(), /示范职业技术学院[\s\S]*李老师[\s\S]*0571-88886666[\s\S]*审核中/);
    await shot('03-operator-review');
    await row.getByTestId('approve-site').click();
    await confirmPop('通过');
    await page.getByText('已审核通过并启用').waitFor();
    await page.getByTestId('site-filter').getByText('已启用').click();
    const enabled = page.locator('[data-testid=sites-table] tr.ant-table-row').filter({ hasText: '示范职业技术学院考点' });
    await enabled.getByText('审核通过已启用').waitFor();
    await enabled.getByTestId('agreement-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '已签署' }).click();
    await page.getByText('考务协议：已签署').waitFor();
    await shot('04-operator-enabled');
    await signOut(page);
  });

  it('the coordinator adds rooms with their layouts; a 30-seat room is warned about', async () => {
    await signIn(page, server.base, COORDINATOR.username, COORDINATOR.password);
    await page.getByRole('menuitem', { name: '考核站点' }).click();
    assert.match(await page.getByTestId('own-site').innerText(), /审核通过已启用/);
    await page.getByTestId('manage-rooms').click();
    await page.getByTestId('add-room').waitFor();

    await page.getByTestId('add-room').click();
    await page.getByTestId('room-name').fill('第一考场');
    await page.getByTestId('room-location').fill('实训楼 3 楼 301 机房');
    await page.getByTestId('room-ips').fill('192.168.10.0/33');
    await page.getByTestId('room-save').click();
    await modal().getByText('“192.168.10.0/33”不是有效的 IP 地址或网段', { exact: false }).waitFor();
    await page.getByTestId('room-ips').fill('192.168.10.0/24');
    await shot('05-room-form');
    await page.getByTestId('room-save').click();
    await page.getByText('考场已添加').waitFor();

    await page.getByTestId('add-room').click();
    await page.getByTestId('room-name').fill('第二考场');
    await page.getByTestId('room-location').fill('实训楼 3 楼 302 机房');
    await page.getByTestId('room-seats').fill('30');
    assert.equal(await page.getByTestId('room-seats-per-row').inputValue(), '8', '8 to a row unless told');
    await page.getByTestId('room-seats-per-row').fill('');
    await page.getByTestId('room-save').click();
    await modal().getByText('请填写每排座位数').waitFor();
    await page.getByTestId('room-seats-per-row').fill('5');
    await page.getByTestId('room-ips').fill('192.168.11.0/24\n192.168.11.250');
    await page.getByTestId('room-save').click();
    await page.getByText('考场已添加').last().waitFor();

    const rows = page.locator('[data-testid=rooms-table] tr.ant-table-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const warning = page.getByTestId('room-warnings');
    await warning.waitFor();
    assert.match(await warning.innerText(), /标准考场应不少于 40 个考位（本考场 30 个）/);
    assert.match(await rows.nth(0).innerText(), /符合要求/);
    assert.deepEqual(
      (await page.getByTestId('room-seats-cell').allInnerTexts()).map((x) => x.replace(/\s+/g, ' ')),
      ['40 座 每排 8 座 / 5 排', '30 座 每排 5 座 / 6 排'],
    );
    assert.match(await page.locator('[data-testid=rooms-table]').innerText(), /192\.168\.11\.0\/24/);
    assert.equal(await page.getByTestId('site-warnings').count(), 0, 'no site warnings left');
    await shot('06-site-rooms');
    await shot('06b-site-rooms-1024', { width: 1024, height: 768 });
    await signOut(page);
  });

  it('the operator copies a 2024 plan to a new date', async () => {
    await signIn(page, server.base, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '考试计划' }).click();
    await page.getByTestId('copy-preset').click();
    await page.getByTestId('preset-2024-05').waitFor();
    const list = await modal().innerText();
    for (const date of ['2024-05-18', '2024-06-22', '2024-11-23', '2024-12-28']) assert.ok(list.includes(date), date);
    assert.match(list, /理论 08:30–10:00，实操 10:10–12:10/);
    await page.getByTestId('preset-2024-05').click();
    planName = await page.getByTestId('copy-name').inputValue();
    assert.match(planName, /^20\d\d 年 5 月 Python 程序开发职业技能等级证书全国统考$/);
    await shot('07-copy-preset');
    await page.getByTestId('copy-submit').click();
    await page.getByText(`已创建考试计划“${planName}”`).waitFor();
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: planName });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /\d{2}05\d{2}/, 'the plan code is the date yyMMdd');
    assert.equal((text.match(/08:30–10:00/g) ?? []).length, 3, 'three theory sittings at 08:30 Beijing time');
    assert.equal((text.match(/10:10–12:10/g) ?? []).length, 3);
    await shot('08-plans');
    await row.getByRole('button', { name: '修改' }).click();
    await modal().getByText('计划编号', { exact: false }).waitFor();
    assert.equal(await modal().getByLabel('计划名称').inputValue(), planName);
    await shot('08b-edit-plan');
    await modal().getByRole('button', { name: '取消' }).click();
    await modal().waitFor({ state: 'detached' }).catch(() => undefined);
    await page.getByTestId('new-plan').click();
    await modal().getByText('每个选中的等级各建理论、实操场次', { exact: false }).waitFor();
    await shot('09-new-plan-form');
    await modal().getByRole('button', { name: '取消' }).click();
  });

  it('the readiness page lists the manual\'s timeline for the plan and site', async () => {
    await page.getByRole('menuitem', { name: '考前准备' }).click();
    await page.getByTestId('readiness-plan').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: planName }).click();
    // The operator sees every site (the demo's too): pick this one.
    await page.getByTestId('readiness-site').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '示范职业技术学院考点' }).click();
    await page.getByTestId('readiness').waitFor();
    await page.getByTestId('item-rooms_ready').waitFor();
    for (const phase of ['考试前一周', '考试前三天', '考试前一天', '考前 60 分钟', '考前 30 分钟', '考前 5 分钟']) {
      assert.ok(await page.getByText(phase, { exact: true }).isVisible(), phase);
    }
    assert.equal(await page.getByTestId('item-rooms_ready').getAttribute('data-state'), 'done');
    assert.match(await page.getByTestId('item-rooms_ready').innerText(), /已设置 2 个考场，共 70 个考位/);
    assert.equal(await page.getByTestId('item-agreement_signed').getAttribute('data-state'), 'done');
    assert.equal(await page.getByTestId('item-tickets_printed').getAttribute('data-state'), 'upcoming');
    assert.match(await page.getByTestId('item-seats_enough').innerText(), /暂无报考考生/);
    await shot('10-readiness-operator');
    // The demo's plan at the demo's site: arranged, proctors assigned, the sitting under way.
    await page.getByTestId('readiness-plan').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '演示考试计划' }).first().click();
    await page.getByTestId('readiness-site').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '演示职业技术学院考核站点' }).click();
    await page.locator('[data-testid=item-login_theory]').filter({ hasText: /已登录开考|开考后统计|正在登录/ }).waitFor();
    await shot('10b-readiness-demo');
    await signOut(page);

    await signIn(page, server.base, COORDINATOR.username, COORDINATOR.password);
    await page.getByRole('menuitem', { name: '考前准备' }).click();
    await page.getByTestId('readiness-plan').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: planName }).click();
    await page.getByTestId('mark-monitoring_checked').click();
    await page.getByTestId('mark-note').fill('两个考场前后摄像头均已调试');
    await modal().getByRole('button', { name: '确认完成' }).click();
    await page.locator('[data-testid=item-monitoring_checked][data-state=done]').waitFor();
    assert.match(await page.getByTestId('item-monitoring_checked').innerText(), /已确认（李负责人，.*）：两个考场前后摄像头均已调试/);
    await shot('11-readiness-marked');
    assert.deepEqual(pageErrors, []);
  });
});
