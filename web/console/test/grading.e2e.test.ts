// End to end: 阅卷 and 成绩. The app runs in this process over a fresh SQLite
// file (test/grading-fixture.ts makes the data through the server's modules),
// the built console is driven in Debian's Chromium by playwright-core. Two
// graders mark a double-marked case task in the browser, and the operator
// reads the combined scores.
//
//   node --import tsx --test web/console/test/grading.e2e.test.ts
//
// With KAOWU_SCREENSHOTS=<dir> set, 1280×800 screenshots of the screens are
// written there.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing } from '../../test-support/chromium.ts';
import { keptShotsDir } from '../../test-support/shots.ts';
import {
  ANSWERS, EMPTY_ZIP, GRADER1, GRADER2, GRADER3, OPERATOR, PASSWORD, startGradingFixture, TASKS, UPLOAD_NAME, type GradingFixture, type Person,
} from './grading-fixture.ts';
import { call, openConsolePage, signOut, submitLogIn, waitForText } from './helpers.ts';

const SHOTS = keptShotsDir('grading');

interface Results {
  rows: { ticketNo: string; combined: number | null; passed: boolean | null; practical: { score: number | null; auto: number | null; manual: number | null } }[];
}
interface Item {
  marking: { state: string; round: number | null };
  myMark: { round: number; total: number } | null;
}

describe('阅卷 and 成绩, end to end', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let f: GradingFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** Every grading API response the browser got, to prove no candidate identity is in them. */
  const gradingBodies: Promise<string>[] = [];
  let everyone: Person[];

  async function shot(name: string) {
    if (!SHOTS) return;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  const taskRow = (code: string) => page.getByTestId('grading-tasks').locator('tr.ant-table-row').filter({ hasText: code });
  const points = (rubricName: string) => page.getByLabel(`${rubricName} 得分`, { exact: true });

  /** The page shows no candidate's name, ticket number or attempt id. */
  async function assertAnonymous(where: string) {
    const text = await page.locator('body').innerText();
    for (const p of everyone) {
      assert.ok(!text.includes(p.name) && !text.includes(p.ticketNo), `${where}: ${p.name} / ${p.ticketNo} must not be shown`);
    }
    for (const id of Object.values(f.practicalAttempt)) assert.ok(!text.includes(id), `${where}: attempt ${id} must not be shown`);
  }

  async function item(username: string, markingId: string) {
    return call<Item>(f.base, 'GET', `/api/console/grading/items/${markingId}`, undefined, await f.staffToken(username));
  }

  before(async () => {
    f = await startGradingFixture();
    const { pass, fail, theoryOnly, practicalOnly, absent } = f.people;
    everyone = [pass, fail, theoryOnly, practicalOnly, ...absent];
    // Marked before the browser comes: the failing candidate's review twice, 2 and 8 (more
    // than 3 apart: it needs arbitration), and the passing candidate's design (10, single marking).
    await f.mark(GRADER3, await f.markingId(f.practicalAttempt.fail, TASKS.review), { defects: 1, fix: 0.5, clarity: 0.5 });
    await f.mark(OPERATOR, await f.markingId(f.practicalAttempt.fail, TASKS.review), { defects: 4, fix: 3, clarity: 1 });
    await f.mark(GRADER3, await f.markingId(f.practicalAttempt.pass, TASKS.design), { model: 6, reason: 4 });

    ({ browser, page } = await openConsolePage(pageErrors, 15_000));
    page.on('response', (r) => {
      if (r.url().includes('/api/console/grading/') && !r.url().endsWith('/status')) gradingBodies.push(r.text().catch(() => ''));
    });
    await page.goto(`${f.base}/console/`);
  });

  after(async () => {
    await browser?.close();
    await f?.stop();
  });

  it('shows a grader only 阅卷, with each task\'s progress', async () => {
    await submitLogIn(page, GRADER1, PASSWORD);
    await page.waitForURL(/#\/grading$/);
    const menu = page.getByRole('menuitem');
    assert.deepEqual(await menu.allInnerTexts(), ['阅卷']);
    assert.match(await page.getByTestId('current-role').innerText(), /阅卷员/);

    const review = taskRow(TASKS.review);
    await review.waitFor();
    const text = await review.innerText();
    assert.match(text, /案例分析题/);
    assert.match(text, /双评/);
    assert.match(await review.getByTestId('task-progress').innerText(), /^0 \/ 2$/, 'neither answer final yet');
    const cellsOf = async (r: typeof review) => (await r.locator('td').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual((await cellsOf(review)).slice(4, 7), ['1', '2', '0'], '待仲裁 1, 我可评 2, 我已评 0');
    await shot('grading-tasks');

    // What a grader may not use is neither in the menu nor reachable.
    await page.goto(`${f.base}/console/#/results`);
    await page.getByText('无权访问').waitFor();
    await page.goto(`${f.base}/console/#/plans`);
    await page.getByText('无权访问').waitFor();
    // "#/" is the first section of their own menu.
    await page.goto(`${f.base}/console/#/`);
    await page.waitForURL(/#\/grading$/);
  });

  it('arbitrates first, then marks round 1 of a double-marked case task, without seeing who wrote either', async () => {
    await taskRow(TASKS.review).getByText('开始阅卷').click();
    const answer = page.getByTestId('marking-answer');
    await answer.waitFor();
    // Arbitration comes first: the failing candidate's answer, marked 2 and 8.
    assert.ok((await answer.innerText()).includes(ANSWERS.reviewFail), 'the answer waiting for arbitration');
    assert.equal(await page.getByTestId('marking-state').innerText(), '待仲裁');
    assert.equal(await page.getByTestId('marking-round').innerText(), '仲裁');
    assert.match(await page.getByTestId('mark-form').innerText(), /相差超过 3 分/);
    await assertAnonymous('arbitration screen');
    await shot('grading-arbitration');
    await points('找出缺陷').fill('1.5');
    await points('修改方案').fill('1');
    await points('表达规范').fill('0.5');
    await page.getByTestId('mark-total').filter({ hasText: /^3$/ }).waitFor();
    await page.getByTestId('mark-submit').click();

    // Then the passing candidate's answer, the only one left.
    await answer.filter({ hasText: '缺陷一：scores 为空列表时' }).waitFor();
    assert.match(await page.getByTestId('marking-notice').innerText(), /已提交评分：3 分/);
    const arbitrated = await item(GRADER1, await f.markingId(f.practicalAttempt.fail, TASKS.review));
    assert.equal(arbitrated.marking.state, 'final', '2, 8 and 3: final');
    assert.equal(arbitrated.myMark?.round, 3);
    assert.equal(await page.getByTestId('marking-state').innerText(), '待评');
    assert.equal(await page.getByTestId('marking-round').innerText(), '第 1 评');
    assert.ok((await page.getByTestId('marking-statement').innerText()).includes('def average(scores):'), 'the statement, rendered');
    assert.equal(await page.getByTestId('rubric-item').count(), 3);
    await assertAnonymous('marking screen');

    await points('找出缺陷').fill('3.5');
    await points('修改方案').fill('3');
    await points('表达规范').fill('1');
    await page.getByTestId('mark-total').filter({ hasText: /^7\.5$/ }).waitFor();
    await page.getByLabel('找出缺陷 评语', { exact: true }).fill('两处缺陷都找到了');
    await points('表达规范').blur();
    await shot('grading-mark-case');

    await page.getByTestId('mark-submit').click();
    await page.getByText('本题没有待评答卷了').waitFor();
    assert.match(await page.getByTestId('marking-notice').innerText(), /已提交评分：7\.5 分/);
    await shot('grading-none-left');

    const markingId = await f.markingId(f.practicalAttempt.pass, TASKS.review);
    const given = await item(GRADER1, markingId);
    assert.equal(given.marking.state, 'needs-second');
    assert.equal(given.myMark?.round, 1);
    assert.equal(given.myMark?.total, 7.5);
  });

  it('re-opens the last marked answer, prefilled, and needs a reason to change it', async () => {
    await page.getByTestId('reopen-mark').first().click();
    const markingId = await f.markingId(f.practicalAttempt.pass, TASKS.review);
    await page.waitForURL(new RegExp(`#/grading/items/${markingId}$`));
    await page.getByText('您已评过本答卷').waitFor();
    assert.equal(Number(await points('找出缺陷').inputValue()), 3.5);
    assert.equal(Number(await points('修改方案').inputValue()), 3);
    assert.equal(Number(await points('表达规范').inputValue()), 1);
    assert.equal(await page.getByLabel('找出缺陷 评语', { exact: true }).inputValue(), '两处缺陷都找到了');
    assert.equal(await page.getByTestId('marking-round').innerText(), '第 1 评');

    await points('表达规范').fill('1.5');
    await page.getByTestId('mark-total').filter({ hasText: /^8$/ }).waitFor();
    await page.getByTestId('mark-submit').click();
    await page.getByText('修改已给出的分数须填写修改原因').waitFor();
    await shot('grading-change-needs-reason');
    assert.equal((await item(GRADER1, markingId)).myMark?.total, 7.5, 'nothing saved without a reason');

    await page.getByLabel('修改原因').fill('复核后表达分上调');
    await page.getByTestId('mark-submit').click();
    await page.getByText('本题没有待评答卷了').waitFor();
    assert.equal((await item(GRADER1, markingId)).myMark?.total, 8);
  });

  it('marks the rubric of a code task next to its automatic check results', async () => {
    await page.getByRole('menuitem', { name: '阅卷' }).click();
    await taskRow(TASKS.code).getByText('开始阅卷').click();
    await page.getByTestId('marking-answer').waitFor();
    assert.ok(await page.getByRole('tab', { name: 'main.py' }).isVisible(), 'a tab per file');
    assert.ok((await page.getByTestId('marking-answer').innerText()).includes('print(sum(n for n in nums if n % 2 == 0))'));
    const checks = await page.getByTestId('marking-checks').innerText();
    assert.match(checks, /自动得分 6 \/ 6 分/);
    assert.equal((checks.match(/通过/g) ?? []).length, 2);
    await assertAnonymous('code marking screen');

    await points('代码规范').fill('1.2');
    await page.getByTestId('mark-submit').click();
    await page.getByText('最小单位为 0.5 分').waitFor();
    await points('代码规范').fill('3');
    await shot('grading-mark-code');
    await page.getByTestId('mark-submit').click();
    await waitForText(page, '本题没有待评答卷了');
  });

  it('gives round 2 to a second grader, and tells them when an answer was finalised meanwhile', async () => {
    await signOut(page);
    await submitLogIn(page, GRADER2, PASSWORD);
    await page.waitForURL(/#\/grading$/);
    await taskRow(TASKS.review).getByText('开始阅卷').click();
    await page.getByTestId('marking-answer').waitFor();
    assert.ok((await page.getByTestId('marking-answer').innerText()).includes('缺陷一：scores 为空列表时'));
    assert.equal(await page.getByTestId('marking-state').innerText(), '待二评');
    assert.equal(await page.getByTestId('marking-round').innerText(), '第 2 评');
    assert.equal(await points('找出缺陷').inputValue(), '', 'the first grader\'s marks are not shown');
    await points('找出缺陷').fill('4');
    await points('修改方案').fill('3.5');
    await points('表达规范').fill('1.5');
    await page.getByTestId('mark-total').filter({ hasText: /^9$/ }).waitFor();
    await page.getByTestId('mark-submit').click();
    await page.getByText('本题没有待评答卷了').waitFor();
    assert.equal((await item(GRADER2, await f.markingId(f.practicalAttempt.pass, TASKS.review))).marking.state, 'final', '8 and 9: within 3, final');

    // An uploaded project: its name and size, and the zip itself (fetched with the token).
    await page.getByRole('menuitem', { name: '阅卷' }).click();
    await taskRow(TASKS.upload).getByText('开始阅卷').click();
    const answer = page.getByTestId('marking-answer');
    await answer.filter({ hasText: UPLOAD_NAME }).waitFor();
    assert.match(await answer.innerText(), /22 B/);
    const uploadId = await f.markingId(f.practicalAttempt.practicalOnly, TASKS.upload);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-upload').click()]);
    assert.equal(download.suggestedFilename(), `${uploadId}.zip`, 'named by the submission, not the candidate');
    assert.deepEqual(fs.readFileSync((await download.path())!), EMPTY_ZIP);
    await shot('grading-mark-upload');
    await points('项目完成度').fill('6');
    await page.getByTestId('mark-submit').click();
    await page.getByText('本题没有待评答卷了').waitFor();

    // Another grader finalises the answer on screen before this one submits: 409 ALREADY_FINAL.
    await page.getByRole('menuitem', { name: '阅卷' }).click();
    await taskRow(TASKS.report).getByText('开始阅卷').click();
    await page.getByTestId('marking-answer').filter({ hasText: '暴力破解' }).waitFor();
    await f.mark(GRADER3, await f.markingId(f.practicalAttempt.practicalOnly, TASKS.report), { findings: 7 });
    await points('发现与建议').fill('8');
    await page.getByTestId('mark-submit').click();
    await page.getByText('本题没有待评答卷了').waitFor();
    assert.match(await page.getByTestId('marking-notice').innerText(), /该答卷已定分，请评阅下一份/);
  });

  it('shows the operator every section, the grading status, and the combined scores', async () => {
    await signOut(page);
    await submitLogIn(page, OPERATOR, PASSWORD);
    await page.waitForURL(/#\/plans$/);
    const menu = await page.getByRole('menuitem').allInnerTexts();
    for (const item of ['考试计划', '题库', '阅卷', '成绩']) assert.ok(menu.includes(item), `the operator's menu has ${item}: ${menu.join(', ')}`);
    await page.getByRole('menuitem', { name: '成绩' }).click();
    await page.waitForURL(new RegExp(`#/results/${f.planId}$`));

    const api = await call<Results>(f.base, 'GET', `/api/console/plans/${f.planId}/results`, undefined, await f.staffToken(OPERATOR));
    const { pass, fail, theoryOnly, practicalOnly, absent } = f.people;
    // The numbers, worked out by hand from the fixture's answers and marks:
    // practical = 12 automatic (6 of 10 checks × 2) + 17 (8 and 9 → 8.5 × 2) + 6 (3 × 2) + 20 (10 × 2) = 55;
    // the failing one: 2 and 8, arbitrated 3 → (3 + 2) / 2 = 2.5 → 5;
    // combined = 0.4 × 100 + 0.6 × 55 = 73.0, and 0.4 × 50 + 0.6 × 5 = 23.0.
    const byTicket = new Map(api.rows.map((r) => [r.ticketNo, r]));
    const passed = byTicket.get(pass.ticketNo)!;
    assert.deepEqual([passed.practical.score, passed.practical.auto, passed.practical.manual, passed.combined, passed.passed], [55, 12, 43, 73, true]);
    assert.deepEqual([byTicket.get(fail.ticketNo)?.combined, byTicket.get(fail.ticketNo)?.passed], [23, false]);

    const table = page.getByTestId('results-table');
    const row = (p: Person) => table.locator('tr.ant-table-row').filter({ hasText: p.ticketNo });
    await row(pass).waitFor();
    assert.equal(await table.locator('tr.ant-table-row').count(), 6);

    const cells = async (p: Person) => ({
      name: await row(p).innerText(),
      theory: (await row(p).getByTestId('theory-cell').innerText()).replace(/\s+/g, ' ').trim(),
      practical: (await row(p).getByTestId('practical-cell').innerText()).replace(/\s+/g, ' ').trim(),
      combined: (await row(p).locator('td').nth(6).innerText()).trim(),
      passed: (await row(p).getByTestId('passed').innerText()).trim(),
    });

    const a = await cells(pass);
    assert.ok(a.name.includes(pass.name) && a.name.includes('初级'));
    assert.equal(a.theory, '100 / 100 已定分');
    assert.equal(a.practical, '55 / 100 已定分 自动 12 + 人工 43');
    assert.equal(a.combined, '73.0');
    assert.equal(a.passed, '合格');
    assert.match((await row(pass).getByTestId('passed').getAttribute('class')) ?? '', /success/, '合格 in green');

    const b = await cells(fail);
    assert.equal(b.theory, '50 / 100 已定分');
    assert.equal(b.practical, '5 / 100 已定分 自动 0 + 人工 5');
    assert.equal(b.combined, '23.0');
    assert.equal(b.passed, '不合格');
    assert.match((await row(fail).getByTestId('passed').getAttribute('class')) ?? '', /error/, '不合格 in red');

    const c = await cells(theoryOnly);
    assert.equal(c.theory, '60 / 100 已定分');
    assert.equal(c.practical, '未参加');
    assert.equal(c.combined, '—');
    assert.equal(c.passed, '待定');

    const d = await cells(practicalOnly);
    assert.equal(d.theory, '未参加');
    assert.equal(d.practical, '26 / 100 已定分 自动 0 + 人工 26', '7 × 2 for the report, 6 × 2 for the upload');
    assert.equal(d.passed, '待定');
    for (const p of absent) assert.equal((await cells(p)).passed, '待定');

    assert.match(await page.getByTestId('results-formula').innerText(), /综合成绩 = 0\.4 × 理论 \+ 0\.6 × 实操，60 分合格/);
    assert.match(await page.getByTestId('results-formula').innerText(), /成绩发布前考生不可见/);
    const summary = (label: string) => page.getByTestId(`summary-${label}`).innerText();
    assert.match(await summary('合格'), /合格\s*1\s*人/);
    assert.match(await summary('不合格'), /不合格\s*1\s*人/);
    assert.match(await summary('待定'), /待定\s*4\s*人/);

    const sandbox = page.getByTestId('sandbox-state');
    assert.match(await sandbox.innerText(), /判分沙箱不可用：本节点未启用判分（GRADING=off）/);
    assert.match((await sandbox.getAttribute('class')) ?? '', /ant-alert-error/, 'shown in red');
    await shot('results');

    // The passing candidate's practical paper, task by task.
    await row(pass).locator('.ant-table-row-expand-icon').click();
    const breakdown = page.getByTestId('practical-breakdown');
    await breakdown.locator('tr.ant-table-row').nth(4).waitFor();
    assert.match(await breakdown.innerText(), /自动 12 \+ 人工 43 = 55 \/ 100 分/);
    const task = async (code: string) => (await breakdown.locator('tr.ant-table-row').filter({ hasText: code }).innerText()).replace(/\s+/g, ' ');
    assert.match(await task(TASKS.review), /20 无需自动 17 已定分 17$/);
    assert.match(await task(TASKS.code), /20 12 6 已定分 18$/);
    assert.match(await task(TASKS.design), /20 无需自动 20 已定分 20$/);
    assert.match(await task(TASKS.report), /未作答/);
    assert.match(await task(TASKS.upload), /未作答/);
    await breakdown.scrollIntoViewIfNeeded();
    await shot('results-breakdown');
  });

  it('sent no candidate identity to the grading screens', async () => {
    const bodies = await Promise.all(gradingBodies);
    assert.ok(bodies.length >= 8, `grading responses seen: ${bodies.length}`);
    for (const body of bodies) {
      for (const p of everyone) assert.ok(!body.includes(p.ticketNo) && !body.includes(p.name), `no ${p.ticketNo} in ${body.slice(0, 200)}`);
      for (const id of Object.values(f.practicalAttempt)) assert.ok(!body.includes(id), `no attempt id in ${body.slice(0, 200)}`);
    }
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
