// End to end, 考场编排 → 监考安排 → 打印 in the console: a coordinator arranges
// the site's 100 candidates (test fixture written straight into a fresh SQLite
// database: 4 classes, 3 rooms of 40, the first laid out 6 to a row), sees the
// seat maps (each with its room's columns) without same-class neighbours,
// publishes, assigns proctors with 回避 and a 主考, and downloads the
// admission tickets (a PDF with one page per candidate) and the other papers.
// Screenshots (1280×800 and 1024×768) and page 1 of each PDF go to
// $KAOWU_SCREENSHOTS/arrangement, or a fresh temp directory removed at the end (shotsDir).
//
//   node --import tsx --test web/console/test/arrangement.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { shotsDir } from '../../test-support/shots.ts';
import { freshDatabase, startTestApp, type TestApp } from '../../../packages/server/test/helpers.ts';
import { createArrangementFixture, PASSWORD, type ArrangementFixture } from '../../../packages/server/test/arrangement-fixture.ts';
import { ensureConsoleBuilt, openConsolePage, seatMapColumns, signIn } from './helpers.ts';

const SHOTS = shotsDir('arrangement');

/**
 * Appended to an antd overlay's selector (a dialog, a pop-confirm, a select's
 * list): the overlay once its opening animation is over. rc-motion marks an
 * opening overlay with `*-appear` / `*-enter` classes and first holds it still
 * in its final place for a frame or two (its "prepare" step) before it zooms in
 * from elsewhere: Playwright sees it stable and clicks, and on a loaded machine
 * the animation starts between the press and the release, which then land on
 * different elements, so the control gets a mousedown but no click (antd's
 * Select opens on the one and focuses its input on the other).
 */
const SETTLED = ':not([class*="-appear"]):not([class*="-enter"])';

describe('考场编排、监考安排、打印, end to end', { skip: chromiumMissing, timeout: 600_000 }, () => {
  let t: TestApp;
  let f: ArrangementFixture;
  let base: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = async (name: string, viewport?: { width: number; height: number }, fullPage = true) => {
    if (viewport) await page.setViewportSize(viewport);
    await page.waitForTimeout(400); // antd's animations
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
    if (viewport) await page.setViewportSize({ width: 1280, height: 800 });
  };
  /** Saves a download, checks it is a PDF, renders page 1 for a look; returns its page count. */
  const keepPdf = async (download: import('playwright-core').Download, name: string): Promise<number> => {
    const file = path.join(SHOTS, `${name}.pdf`);
    await download.saveAs(file);
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(SHOTS, `${name}-p1`)]);
    return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  };

  before(async () => {
    ensureConsoleBuilt();
    t = await startTestApp(await freshDatabase('sqlite'));
    f = await createArrangementFixture(t.ctx, { photos: true, seatsPerRow: [6] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

    ({ browser, page } = await openConsolePage(pageErrors, 30_000));
    await signIn(page, base, f.users.coordA.username, PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('arranges the site: three rooms, one level each, no same-class neighbours', async () => {
    await page.getByRole('menuitem', { name: '考场编排' }).click();
    await page.getByTestId('arrangement-state').filter({ hasText: '未编排' }).waitFor();
    assert.match(await page.getByTestId('arrangement-site').innerText(), /南京信息职业技术学院考点（1001）/);
    await shot('01-not-arranged');

    await page.getByTestId('every-other-seat').click(); // 隔位就座 first: 60 seats for 100 candidates
    await page.getByTestId('run-arrangement').click();
    await page.getByTestId('run-message').waitFor();
    await page.getByTestId('arrangement-problem').filter({ hasText: '考场座位不足' }).first().waitFor();
    assert.match(await page.getByTestId('publish-blocker').innerText(), /还有 40 名考生未安排座位：考场座位不足/);
    assert.equal(await page.getByTestId('publish-arrangement').isDisabled(), true);
    assert.equal(await page.getByTestId('seat-skipped').count(), 60);
    await page.getByTestId('unplaced').waitFor();
    await shot('02-every-other-seat-short');

    await page.getByTestId('every-other-seat').click();
    await page.getByTestId('run-arrangement').click();
    await page.getByTestId('run-message').filter({ hasText: '已编排 100 名考生' }).waitFor();
    await page.getByTestId('arrangement-placed').filter({ hasText: /^100 人$/ }).waitFor();
    assert.equal(await page.getByTestId('seat-map').count(), 3);
    assert.equal(await page.getByTestId('seat').count(), 100);
    assert.equal(await page.locator('[data-testid=seat][data-same-class=yes]').count(), 0);
    assert.equal(await page.getByTestId('arrangement-problem').count(), 0);
    const usage = await page.getByTestId('room-usage').allInnerTexts();
    assert.deepEqual(usage.map((u) => u.trim()).sort(), ['30/40 人', '30/40 人', '40/40 人']);
    const first = page.getByTestId('seat').first();
    assert.match(await first.innerText(), /^01\n.+\n(软件|网络|大数据)\d{4}$/);
    // Each map has its room's columns: 6 to a row in 第01考场, 8 in the others.
    const maps = page.getByTestId('seat-map');
    assert.deepEqual(await seatMapColumns(maps.nth(0)), { template: 6, firstRow: 6 });
    assert.deepEqual(await seatMapColumns(maps.nth(1)), { template: 8, firstRow: 8 });
    assert.match(await page.getByTestId('room-card').first().innerText(), /每排 6 座 \/ 7 排/);
    await shot('03-seat-maps');
    await shot('03-seat-maps-1024', { width: 1024, height: 768 }, false);
  });

  it('shows a same-class neighbour in red (one made by hand in the database), and 重新编排 removes it', async () => {
    const rows = await t.ctx.db
      .selectFrom('seat_assignments as s')
      .innerJoin('registrations as r', 'r.id', 's.registration_id')
      .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
      .select(['s.registration_id', 's.room_id', 's.seat_no', 'c.class_id'])
      .where('s.plan_id', '=', f.planId)
      .execute();
    const full = rows.filter((r) => r.room_id === f.rooms[0]!.id);
    const at = (n: number) => full.find((r) => Number(r.seat_no) === n)!;
    const other = full.find((r) => r.class_id === at(1).class_id && Number(r.seat_no) > 20)!;
    const moved = at(2);
    await t.ctx.db.updateTable('seat_assignments').set({ seat_no: -1 }).where('registration_id', '=', other.registration_id).execute();
    await t.ctx.db.updateTable('seat_assignments').set({ seat_no: Number(other.seat_no) }).where('registration_id', '=', moved.registration_id).execute();
    await t.ctx.db.updateTable('seat_assignments').set({ seat_no: 2 }).where('registration_id', '=', other.registration_id).execute();
    await page.reload();
    await page.getByTestId('seat-map').first().waitFor();
    assert.ok((await page.locator('[data-testid=seat][data-same-class=yes]').count()) >= 2);
    await page.getByTestId('room-card').first().getByText(/同班相邻 \d+ 对/).waitFor();
    await shot('03b-same-class-highlighted', undefined, false);
    await page.getByTestId('run-arrangement').click();
    await page.getByTestId('run-message').waitFor();
    await page.getByTestId('room-card').first().getByText('无同班相邻').waitFor();
    assert.equal(await page.locator('[data-testid=seat][data-same-class=yes]').count(), 0);
  });

  it('publishes the arrangement', async () => {
    await page.getByTestId('publish-arrangement').click();
    await page.locator(`.ant-popconfirm:visible${SETTLED}`).getByRole('button', { name: '发布' }).click();
    await page.getByTestId('arrangement-state').filter({ hasText: '已发布' }).waitFor();
    assert.equal(await page.getByTestId('publish-arrangement').isDisabled(), true);
    await shot('04-published', undefined, false);
  });

  it('assigns proctors with 回避 and a 主考', async () => {
    await page.getByRole('tab', { name: '监考安排' }).click();
    await page.getByTestId('run-proctors').click();
    await page.getByText(/已安排 6 名监考员（共需 6 名）/).waitFor();
    const counts = await page.getByTestId('proctor-count').allInnerTexts();
    assert.deepEqual(counts.map((c) => c.trim()), ['2 / 2', '2 / 2', '2 / 2']);
    await page.getByTestId('proctor-problem').filter({ hasText: '尚未指定本考点的主考' }).waitFor();

    await page.getByTestId('chief-select').click();
    // Typed into the Select's own search box, wherever the keyboard's focus is.
    await page.getByRole('combobox', { name: '主考', exact: true }).pressSequentially('证书负责人');
    await page.locator(`.ant-select-dropdown:visible${SETTLED} .ant-select-item-option:not(.ant-select-item-option-disabled)`).filter({ hasText: '证书负责人甲' }).click();
    await page.locator('.ant-message').getByText('主考：证书负责人甲').waitFor();
    assert.match(await page.getByTestId('chief-select').innerText(), /证书负责人甲/);
    await page.getByTestId('proctor-problem').first().waitFor({ state: 'detached' });
    await shot('05-proctors');

    // The edit dialog: people who must avoid the room cannot be picked, and say why.
    await page.getByTestId('edit-proctors').first().click();
    try {
      const modal = page.locator(`.ant-modal:visible${SETTLED}`); // not while it zooms in: see SETTLED
      await modal.getByText(/本考场 \d+ 名考生/).waitFor();
      await modal.getByTestId('proctor-select').click();
      // Those who can be picked come first.
      const dropdown = page.locator(`.ant-select-dropdown:visible${SETTLED}`);
      const options = dropdown.locator('.ant-select-item-option');
      await options.first().waitFor();
      assert.equal(await options.first().evaluate((el) => el.classList.contains('ant-select-item-option-disabled')), false);
      await shot('06-edit-proctors', undefined, false);
      // The class teachers: those of a class seated here must avoid the room, and say why.
      const search = modal.getByRole('combobox', { name: '监考员', exact: true });
      await search.pressSequentially('班主任');
      await dropdown.locator('.ant-select-item-option-disabled').filter({ hasText: '须回避' }).first().waitFor();
      assert.match(await dropdown.innerText(), /须回避：是“.+”的班主任，本考场考生 .+（准考证号 \d{14}）/);
      await shot('06b-edit-proctors-avoid', undefined, false);
      await search.press('Escape'); // closes the list only; the dialog stays
      await dropdown.waitFor({ state: 'detached' });
      await modal.getByRole('button', { name: '取消' }).click();
      await modal.waitFor({ state: 'detached' });
    } finally {
      // A failure above must not leave the dialog over the page for the tests after this one
      // (and a failure to close it must not hide the failure above).
      const wrap = page.locator('.ant-modal-wrap:visible');
      if ((await wrap.count()) > 0) {
        await wrap
          .press('Escape') // on the dialog itself, not on a Select inside it
          .then(() => wrap.waitFor({ state: 'detached', timeout: 10_000 }))
          .catch((err: unknown) => console.error('could not close the 调整监考员 dialog:', err));
      }
    }
  });

  it('says which room cannot be staffed and why', async () => {
    // Only the 班主任 and 辅导员 of 软件2301 left: no room holding that class can use them.
    const k0 = f.classes[0]!;
    const others = [...f.teachers.conflicted, ...f.teachers.free, ...f.proctors, ...f.classes.slice(1).flatMap((k) => [k.headTeacher, k.counsellor])].map((p) => p.id);
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', 'in', others).execute();
    try {
      await page.getByTestId('run-proctors').click();
      await page.getByTestId('proctor-problem').filter({ hasText: /缺 2 名：全部 2 名教师和监考员均需回避/ }).first().waitFor();
      assert.match(await page.getByTestId('proctor-tab').innerText(), /需回避的有 班主任甲（“软件2301”班主任）、辅导员甲（“软件2301”辅导员）/);
      await shot('06c-proctors-infeasible', undefined, false);
    } finally {
      await t.ctx.db.updateTable('users').set({ status: 'active' }).where('id', 'in', others).execute();
    }
    await page.getByTestId('run-proctors').click();
    await page.getByTestId('proctor-problem').first().waitFor({ state: 'detached' });
    const counts = await page.getByTestId('proctor-count').allInnerTexts();
    assert.deepEqual(counts.map((c) => c.trim()), ['2 / 2', '2 / 2', '2 / 2']);
  });

  it('downloads the tickets (one page per candidate) and the other papers as PDFs', async () => {
    await page.getByRole('tab', { name: '打印' }).click();
    await page.getByTestId('print-tab').waitFor();
    await shot('07-print', undefined, false);
    const [tickets] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('print-tickets').click()]);
    assert.equal(tickets.suggestedFilename(), '准考证-南京信息职业技术学院考点-260718.pdf');
    assert.equal(await keepPdf(tickets, 'tickets'), 100);
    await page.getByText('已生成 准考证-南京信息职业技术学院考点-260718.pdf').waitFor();

    const expected: Record<string, number> = { door: 3, desk: Math.ceil(100 / 8), signin: 2 * (2 + 2 + 2) };
    for (const kind of ['door', 'desk', 'signin'] as const) {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(`print-${kind}`).click()]);
      assert.match(d.suggestedFilename(), /^(考场门贴|考场桌贴|签到表)-南京信息职业技术学院考点-260718\.pdf$/);
      assert.equal(await keepPdf(d, kind), expected[kind], kind);
    }
    // One room only.
    const [room] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('print-tickets-room').first().click()]);
    assert.match(room.suggestedFilename(), /^准考证-南京信息职业技术学院考点-第0\d考场-260718\.pdf$/);
    const pages = await keepPdf(room, 'tickets-room');
    assert.ok(pages === 40 || pages === 30, String(pages));
    const log = await t.ctx.db.selectFrom('print_log').select(['kind', 'pages']).where('plan_id', '=', f.planId).execute();
    assert.equal(log.length, 5);
    assert.deepEqual(pageErrors, []);
  });
});
