// End to end: 考生管理, 报考 and 结算 in the console. The app runs in this
// process over a fresh SQLite file (institutions, majors, classes, sites and
// a plan made directly in the database); the built console is driven in
// Debian's Chromium. A coordinator imports a good file and a bad one (every
// bad row listed), uploads photos in a .zip (and a bad .zip, every bad file
// listed), registers candidates at a level, sees a second level refused, and
// reads and exports the settlement.
//
//   node --import tsx --test web/console/test/registration.e2e.test.ts
//
// Screenshots (1280×800) go to $KAOWU_SCREENSHOTS/registration when it is set.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { keptShotsDir } from '../../test-support/shots.ts';
import { freshDatabase, startTestApp, type TestApp } from '../../../packages/server/test/helpers.ts';
import {
  candidateRows, candidateWorkbook, createAdministration, PASSWORD, person, PLAN_CODE, readWorkbook, staffToken, type AdminFixture,
} from '../../../packages/server/test/registration-fixture.ts';
import { zipOf } from '../../../packages/server/test/zip-writer.ts';
import { call, ensureConsoleBuilt, openConsolePage, signIn, signOut, submitLogIn } from './helpers.ts';

const SHOTS = keptShotsDir('registration');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('考生管理、报考与结算, end to end', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let t: TestApp;
  let f: AdminFixture;
  let base: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const classes: [string, string][] = [['软件2301', '软件技术'], ['软件2302', '软件技术'], ['网络2301', '计算机网络技术']];

  async function shot(name: string, fullPage = true) {
    if (!SHOTS) return;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
  }

  async function importFile(name: string, content: Buffer) {
    await page.getByTestId('import-button').waitFor();
    await page.locator('input[type=file][accept=".xlsx"]').setInputFiles({ name, mimeType: XLSX, buffer: content });
  }

  async function uploadPhotos(name: string, content: Buffer) {
    await page.getByTestId('photos-button').waitFor();
    await page.locator('input[type=file][accept=".zip"]').setInputFiles({ name, mimeType: 'application/zip', buffer: content });
  }

  before(async () => {
    ensureConsoleBuilt();
    t = await startTestApp(await freshDatabase('sqlite'));
    f = await createAdministration(t.ctx);
    // Institution B: 12 candidates registered at A's site, so A's settlement has two institutions.
    const coordB = staffToken(t.ctx, f.users.coordB.id);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const bFile = await candidateWorkbook(candidateRows(12, { from: 700, region: '320505', institution: f.institutions.B.name, classes: [['软件2301', '软件技术']] }));
    const res = await fetch(`${base}/api/console/candidates/import`, { method: 'POST', headers: { authorization: `Bearer ${coordB}`, 'content-type': XLSX }, body: new Uint8Array(bFile) });
    assert.equal(res.status, 200, await res.text());
    const bList = await call<{ rows: { id: string }[] }>(base, 'GET', '/api/console/candidates?pageSize=100', undefined, coordB);
    await call(base, 'POST', '/api/console/registrations', { planId: f.planId, siteId: f.sites.A.id, level: 'intermediate', candidateIds: bList.rows.map((r) => r.id) }, coordB);

    ({ browser, page } = await openConsolePage(pageErrors, 20_000));
    await signIn(page, base, f.users.coordA.username, PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('imports a good file: every candidate is in the table', async () => {
    await page.goto(`${base}/console/#/candidates`);
    await page.getByText('暂无考生，请下载模板填写后导入').waitFor();
    await importFile('考生信息-软件学院.xlsx', await candidateWorkbook(candidateRows(30, { from: 0, region: '320102', institution: f.institutions.A.name, classes })));
    const result = page.getByTestId('import-result');
    await result.waitFor();
    assert.match(await result.innerText(), /导入成功：考生信息-软件学院\.xlsx，共 30 名考生/);
    await page.getByText('共 30 名考生', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('candidates-table').locator('tr.ant-table-row').count(), 20);
    await shot('candidates-imported');
  });

  it('imports a bad file: nothing is imported and every bad row is listed with its column and reason', async () => {
    const rows = candidateRows(8, { from: 100, region: '320102', institution: f.institutions.A.name, classes });
    const id = rows[0]!.证件号码 as string;
    rows[0]!.证件号码 = id.slice(0, 17) + (id[17] === '1' ? '2' : '1'); // row 2
    rows[2]!.手机号 = '1380013'; // row 4
    delete rows[3]!.姓名; // row 5
    rows[5]!.班级 = '软件9999'; // row 7
    rows[6]!.证件号码 = candidateRows(1, { from: 0, region: '320102', institution: '', classes })[0]!.证件号码!; // row 8: already on file
    await importFile('有错误的名单.xlsx', await candidateWorkbook(rows));
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    assert.match(await errors.innerText(), /文件中有 5 行共 5 处错误，未导入任何考生/);
    const cells = await errors.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    assert.deepEqual(cells.map((c) => [c[0], c[1]]), [['第 2 行', '证件号码'], ['第 4 行', '手机号'], ['第 5 行', '姓名'], ['第 7 行', '班级'], ['第 8 行', '证件号码']]);
    assert.match(cells[0]![2]!, /校验位/);
    assert.match(cells[3]![2]!, /软件9999/);
    assert.match(cells[4]![2]!, /证件号码已存在/);
    await page.getByText('共 30 名考生', { exact: true }).waitFor();
    await shot('candidates-import-errors');
  });

  it('edits a candidate in the drawer', async () => {
    await page.getByTestId('import-errors').locator('.ant-alert-close-icon').click();
    const row = page.getByTestId('candidates-table').locator('tr.ant-table-row').first();
    const name = (await row.locator('td').first().innerText()).trim();
    await row.getByRole('button', { name: '编辑' }).click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText(`编辑考生：${name}`).waitFor();
    await drawer.getByLabel('手机号').fill('13912345678');
    await page.waitForTimeout(600); // the drawer's slide-in
    await shot('candidates-edit-drawer', false);
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    await page.getByTestId('candidates-table').getByText('13912345678').waitFor();
  });

  it('uploads photos in a .zip: the count; a bad .zip stores nothing and lists every bad file', async () => {
    const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, n), Buffer.from([0xff, 0xd9])]);
    const ids = [0, 1, 2].map((i) => person(i, '320102').idNumber);
    assert.ok(ids[0]!.endsWith('X'));
    await page.getByTestId('photos-help').getByText('以考生的证件号码命名').waitFor();
    await uploadPhotos('软件学院照片.zip', zipOf([
      { name: '照片/' },
      { name: `照片/${ids[0]!.toLowerCase()}.jpg`, data: jpeg(0) },
      { name: `照片/${ids[1]}.jpg`, data: jpeg(1) },
      { name: `照片/${ids[2]}.jpg`, data: jpeg(2) },
      { name: `__MACOSX/照片/._${ids[0]}.jpg`, data: 'resource fork' },
    ]));
    const result = page.getByTestId('photos-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /照片上传成功：软件学院照片\.zip，共保存 3 张照片/);
    assert.match(text, /其中 0 张替换了原有照片；还有 27 名考生没有照片/);
    const stored = await t.ctx.db.selectFrom('candidate_photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 3);
    await shot('candidates-photos-stored', false);

    const otherInstitution = person(700, '320505').idNumber;
    await uploadPhotos('有问题的照片.zip', zipOf([
      { name: `${ids[0]}.jpg`, data: jpeg(3) },
      { name: '照片/名单.xlsx', data: 'not a photo' },
      { name: `照片/${otherInstitution}.jpg`, data: jpeg(4) },
      { name: '照片/截图.png', data: 'GIF89a' },
    ]));
    const errors = page.getByTestId('photos-errors');
    await errors.waitFor();
    assert.match(await errors.innerText(), /未保存照片：有问题的照片\.zip/);
    assert.match(await errors.innerText(), /压缩包中有 3 个文件有问题，未保存任何照片/);
    const cells = await errors.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    assert.deepEqual(cells, [
      ['照片/名单.xlsx', '不是照片：文件名应以 .jpg、.jpeg 或 .png 结尾'],
      [`照片/${otherInstitution}.jpg`, '没有对应的考生：文件名应与考生信息中的照片文件名一致，或为考生的证件号码'],
      ['照片/截图.png', '照片应为 JPEG 或 PNG 图片'],
    ]);
    assert.equal(await page.getByTestId('photos-result').count(), 0);
    await shot('candidates-photos-errors');
    await errors.locator('.ant-alert-close-icon').click();
  });

  it('registers the candidates of one class at a level; tickets are shown', async () => {
    await page.goto(`${base}/console/#/registrations`);
    await page.getByTestId('plan-facts').getByText(PLAN_CODE).waitFor();
    await page.locator('label.ant-radio-button-wrapper', { hasText: '初级' }).click();
    await page.getByLabel('按班级筛选').first().click();
    await page.locator('.ant-select-dropdown:visible').getByText('软件2301', { exact: true }).click();
    const table = page.getByTestId('register-candidates');
    await page.getByText('共 10 名考生', { exact: true }).waitFor();
    await table.locator('thead .ant-checkbox-input').check();
    assert.equal(await page.getByTestId('selected-count').innerText(), '10');
    await page.getByTestId('register-button').click();
    const result = page.getByTestId('register-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /报考成功：10 名考生报考初级/);
    assert.match(text, new RegExp(`准考证号 ${PLAN_CODE}${f.sites.A.code}0013 至 ${PLAN_CODE}${f.sites.A.code}0022`));
    await table.locator('tr.ant-table-row').first().getByText('初级').waitFor();
    const list = page.getByTestId('registrations-table');
    await list.getByText(`${PLAN_CODE}${f.sites.A.code}0013`).waitFor();
    await shot('registrations-registered');
  });

  it('refuses a second level in the same plan, naming the candidate and the level taken', async () => {
    // Someone else registers a candidate of 软件2302 at 初级 while this page still shows them as free.
    await page.getByLabel('按班级筛选').first().click();
    await page.locator('.ant-select-dropdown:visible').getByText('软件2302', { exact: true }).click();
    await page.getByText('共 10 名考生', { exact: true }).waitFor();
    const table = page.getByTestId('register-candidates');
    const first = table.locator('tr.ant-table-row').first();
    const name = (await first.locator('td').nth(1).innerText()).trim();
    const target = await t.ctx.db.selectFrom('candidates').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    await call(base, 'POST', '/api/console/registrations', { planId: f.planId, siteId: f.sites.A.id, level: 'junior', candidateIds: [target.id] }, staffToken(t.ctx, f.users.coordA.id));

    await page.locator('label.ant-radio-button-wrapper', { hasText: '中级' }).click();
    await first.locator('.ant-checkbox-input').check();
    await table.locator('tr.ant-table-row').nth(1).locator('.ant-checkbox-input').check();
    await page.getByTestId('register-button').click();
    const refused = page.getByTestId('register-refused');
    await refused.waitFor();
    assert.match(await refused.innerText(), new RegExp(`${name} 已报考本计划的初级，同一考试计划只能报考一个等级`));
    assert.match(await refused.innerText(), /本批未报考任何考生/);
    await shot('registrations-second-level-refused');
    const n = await t.ctx.db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 'intermediate').where('institution_id', '=', f.institutions.A.id).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  });

  it('shows the settlement: A pays 240 directly, B pays 300 and gets 60 back; exports it', async () => {
    await page.getByRole('tab', { name: '结算' }).click();
    const card = page.getByTestId('site-settlement').filter({ hasText: f.sites.A.name });
    await card.waitFor();
    const rows = await card.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    assert.deepEqual(rows.map((r) => r.slice(1, 5)), [
      ['11', '¥2,640.00', '¥0.00', '¥2,640.00'],
      ['12', '¥3,600.00', '¥720.00', '¥2,880.00'],
    ]);
    assert.match(rows[0]![0]!, new RegExp(f.institutions.A.name));
    assert.match(rows[1]![0]!, new RegExp(f.institutions.B.name));
    const total = await card.getByTestId('settlement-total').innerText();
    assert.match(total, /合计\s+23\s+¥6,240.00\s+¥720.00\s+¥5,520.00/);
    await shot('settlement');
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: '导出 Excel' }).click()]);
    assert.match(download.suggestedFilename(), /^结算单-.+\.xlsx$/);
    const cells = await readWorkbook(fs.readFileSync((await download.path())!), '结算');
    const totals = cells.find((r) => r?.[1] === '合计')!;
    assert.deepEqual(totals.slice(2, 6), ['23', '6240', '720', '5520']);
  });

  it('the operator sees every institution\'s candidates', async () => {
    await signOut(page);
    await submitLogIn(page, f.users.operator.username, PASSWORD);
    await page.goto(`${base}/console/#/candidates`);
    await page.getByText('共 42 名考生', { exact: true }).waitFor();
    const header = await page.getByTestId('candidates-table').locator('thead th').allInnerTexts();
    assert.ok(header.map((h) => h.trim()).includes('院校'));
    await shot('candidates-operator', false);
    assert.deepEqual(pageErrors, []);
  });
});
