// End to end: the real server (child process, fresh SQLite), the built
// console, and Debian's Chromium driven by playwright-core. The browser runs
// in New York time with an English locale, so the checks also prove the
// console shows Beijing time and Chinese on its own.
//
//   node --import tsx --test web/console/test/console.e2e.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beijingMinute, beijingRange } from '../../test-support/beijing.ts';
import { chromiumMissing } from '../../test-support/chromium.ts';
import {
  answerQuestions, call, ensureConsoleBuilt, enterSitting, leaveFullscreenUntilSubmitted, openConsolePage, REPO_ROOT, startServer,
  type DemoCandidate, type Server,
} from './helpers.ts';

const OPERATOR = { username: 'operator', password: 'kaowu-demo-2026' };

interface Plans {
  plans: { name: string; candidates: number; sittings: { id: string; name: string; startsAt: string; endsAt: string }[] }[];
}
interface Attempts {
  rows: { ticketNo: string; name: string; state: string; score: number | null }[];
}


describe('operator console, end to end', { skip: chromiumMissing, timeout: 240_000 }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let token: string;
  let plans: Plans;
  let inProgress: DemoCandidate;
  let forced: DemoCandidate;
  let late: DemoCandidate;
  const pageErrors: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-console-files-'));

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    const candidates = server.candidates();
    assert.ok(candidates.length >= 3, `demo log-ins not found in server output:\n${server.output()}`);
    [inProgress, forced, late] = candidates as [DemoCandidate, DemoCandidate, DemoCandidate];

    // One candidate answering, one whose paper was submitted for leaving full screen.
    const a = await enterSitting(server.base, inProgress);
    await answerQuestions(server.base, a.token, a.attempt, 3);
    const b = await enterSitting(server.base, forced);
    await answerQuestions(server.base, b.token, b.attempt, 2);
    await leaveFullscreenUntilSubmitted(server.base, b.token, b.attempt);

    token = (await call<{ token: string }>(server.base, 'POST', '/api/staff/login', OPERATOR)).token;
    plans = await call<Plans>(server.base, 'GET', '/api/console/plans', undefined, token);
    assert.ok(plans.plans.length >= 1 && plans.plans[0]!.sittings.length >= 1, 'the demo seed has a plan with a sitting');

    ({ browser, page } = await openConsolePage(pageErrors, 15_000));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends a visitor to the log-in page and shows the server\'s error for a wrong password', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    assert.match(page.url(), /#\/login$/);
    assert.equal(await page.title(), '考务管理控制台');

    await page.getByLabel('用户名').fill(OPERATOR.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('kaowu.console.token')), null);
  });

  it('logs in and lists the plans with their sittings', async () => {
    await page.getByLabel('密码').fill(OPERATOR.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-testid=sitting-link]').first().waitFor();
    assert.match(page.url(), /#\/plans$/);
    assert.ok(await page.evaluate(() => localStorage.getItem('kaowu.console.token')), 'token kept in localStorage');
    assert.match(await page.getByTestId('current-user').innerText(), /operator/);
    assert.ok(await page.getByRole('button', { name: '退出' }).isVisible());
    assert.ok(await page.getByRole('menuitem', { name: '考试计划' }).isVisible());
    assert.ok(await page.getByRole('menuitem', { name: '题库' }).isVisible());

    const plan = plans.plans[0]!;
    const sitting = plan.sittings[0]!;
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: plan.name });
    assert.equal(await row.count(), 1, `a row for plan ${plan.name}`);
    const text = await row.innerText();
    assert.match(text, new RegExp(`\\b${plan.candidates}\\b`), 'candidate count');
    assert.ok(text.includes(sitting.name), 'sitting name');
    assert.ok(text.includes('初级') && text.includes('理论'), 'level and paper in Chinese');
    assert.ok(text.includes(beijingMinute(sitting.startsAt)), `sitting start in Beijing time (${beijingMinute(sitting.startsAt)}) in: ${text}`);
  });

  it('opens a sitting and lists every demo candidate with their state', async () => {
    const sitting = plans.plans[0]!.sittings[0]!;
    await page.locator('[data-testid=sitting-link]').first().click();
    await page.getByTestId('sitting-name').filter({ hasText: sitting.name }).waitFor();
    assert.ok(page.url().endsWith(`#/sittings/${sitting.id}`));
    const header = await page.locator('.ant-card-head').first().innerText();
    assert.ok(header.includes(beijingRange(sitting.startsAt, sitting.endsAt)), `times in Beijing time in: ${header}`);

    const api = await call<Attempts>(server.base, 'GET', `/api/console/sittings/${sitting.id}/attempts`, undefined, token);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.nth(api.rows.length - 1).waitFor();
    assert.equal(await rows.count(), api.rows.length, 'one table row per registered candidate');
    const tableText = await page.locator('.ant-table-tbody').innerText();
    for (const r of api.rows) {
      assert.ok(tableText.includes(r.ticketNo) && tableText.includes(r.name), `candidate ${r.ticketNo} ${r.name} listed`);
    }

    const rowOf = (c: DemoCandidate) => rows.filter({ hasText: c.ticketNo });
    assert.match(await rowOf(inProgress).innerText(), /作答中/);
    const forcedText = await rowOf(forced).innerText();
    assert.match(forcedText, /已交卷/);
    assert.match(forcedText, /离开全屏强制交卷/);
    assert.match(forcedText, /\d+(\.\d+)? \/ \d+/, 'score / max score');
    const notEntered = api.rows.find((r) => r.state === 'not_entered')!;
    assert.match(await rows.filter({ hasText: notEntered.ticketNo }).innerText(), /未入场/);

    const stat = (title: string) =>
      page
        .locator('.ant-statistic')
        .filter({ has: page.locator('.ant-statistic-title', { hasText: new RegExp(`^${title}$`) }) })
        .locator('.ant-statistic-content-value')
        .innerText();
    assert.equal(await stat('报考人数'), String(api.rows.length));
    assert.equal(await stat('已入场'), '2');
    assert.equal(await stat('作答中'), '1');
    assert.equal(await stat('已交卷'), '1');
    const forcedScore = api.rows.find((r) => r.ticketNo === forced.ticketNo)!.score;
    assert.equal(typeof forcedScore, 'number', 'the forced hand-in was scored');
    assert.equal(await stat('平均分（已交卷）'), forcedScore!.toFixed(1));

    // Searching by name: demo names are random, so another candidate's may contain this one (王伟 in
    // 王伟芳) or equal it. The list narrows to rows that all show the name, the forced candidate's
    // among them (by ticket number), and they are exactly the candidates whose names contain it.
    await page.getByPlaceholder('搜索姓名或准考证号').fill(forced.name);
    await page.waitForFunction(
      ([name, ticketNo]) => {
        const shown = Array.from(document.querySelectorAll('.ant-table-tbody tr.ant-table-row'), (tr) => (tr as HTMLElement).innerText);
        return shown.length > 0 && shown.every((t) => t.includes(name)) && shown.some((t) => t.includes(ticketNo));
      },
      [forced.name, forced.ticketNo] as const,
    );
    const sameName = api.rows.filter((r) => r.name.includes(forced.name));
    assert.ok(sameName.length < api.rows.length, 'the search leaves some candidates out');
    assert.equal(await rows.count(), sameName.length, `the candidates named like ${forced.name}: ${sameName.map((r) => `${r.ticketNo} ${r.name}`).join(', ')}`);
    const found = rows.filter({ hasText: forced.ticketNo });
    assert.equal(await found.count(), 1);
    assert.match(await found.innerText(), /离开全屏强制交卷/);
    await page.getByPlaceholder('搜索姓名或准考证号').fill('');
    await rows.nth(api.rows.length - 1).waitFor();
  });

  it('refreshes the sitting by itself every 10 seconds', async () => {
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: late.ticketNo });
    assert.match(await row.innerText(), /未入场/);
    await enterSitting(server.base, late);
    const t0 = Date.now();
    await row.filter({ hasText: '作答中' }).waitFor({ timeout: 14_000 });
    assert.ok(Date.now() - t0 < 14_000);
    assert.equal(await page.locator('.ant-statistic').filter({ hasText: /^作答中/ }).locator('.ant-statistic-content-value').innerText(), '2');
  });

  it('makes the sitting require Safe Exam Browser, and stops requiring it', async () => {
    const statusOf = async (t: { token: string; attempt: { attemptId: string } }) =>
      (await fetch(`${server.base}/api/candidate/attempts/${t.attempt.attemptId}/status`, { headers: { authorization: `Bearer ${t.token}` } })).status;
    const candidate = await enterSitting(server.base, inProgress);
    assert.equal(await statusOf(candidate), 200);
    const card = page.getByTestId('seb-card');
    assert.equal(await card.getByTestId('seb-state').innerText(), '不要求');
    await card.getByTestId('seb-key').fill('12ab');
    await card.getByText('配置密钥（Config Key）应为 64 位十六进制字符').waitFor();
    assert.equal(await card.getByTestId('seb-save').isDisabled(), true, 'a malformed key cannot be sent');
    await card.getByTestId('seb-key').fill('ab'.repeat(32));
    await card.getByTestId('seb-save').click();
    await card.getByTestId('seb-state').filter({ hasText: '要求使用' }).waitFor();
    assert.equal(await statusOf(candidate), 403, 'a request without the SEB hash is refused');
    await card.getByTestId('seb-clear').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '取消要求' }).click();
    await card.getByTestId('seb-state').filter({ hasText: '不要求' }).waitFor();
    assert.equal(await statusOf(candidate), 200);
  });

  it('shows the bank summary and imports a good bank file', async () => {
    await page.getByRole('menuitem', { name: '题库' }).click();
    const summary = await call<{ rows: { count: number }[] }>(server.base, 'GET', '/api/console/bank/summary', undefined, token);
    const total = summary.rows.reduce((s, r) => s + r.count, 0);
    const totalRow = page.locator('[data-testid=bank-summary] tr.ant-table-row').filter({ hasText: '合计' });
    await totalRow.waitFor();
    assert.ok(total > 0);
    assert.match(await totalRow.innerText(), new RegExp(`\\b${total}\\s*$`), `grand total ${total}`);
    assert.ok(await page.getByRole('columnheader', { name: '单选题' }).isVisible());

    await page.locator('input[type=file]').setInputFiles(path.join(REPO_ROOT, 'content/banks/python-dev-junior.yaml'));
    await page.getByTestId('bank-picked').filter({ hasText: 'python-dev-junior.yaml' }).waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    const result = page.getByTestId('bank-import-result');
    await result.filter({ hasText: '导入成功' }).waitFor();
    const text = await result.innerText();
    for (const label of ['新增', '修订', '未变']) assert.ok(text.includes(label), `${label} in report`);
  });

  it('imports a broken bank file and lists every problem with its position', async () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'content/banks/python-dev-junior.yaml'), 'utf8').split('\n');
    const answerLine = source.findIndex((l) => /^\s+answer: B\s*$/.test(l));
    assert.ok(answerLine > 0);
    source[answerLine] = source[answerLine]!.replace('answer: B', 'answer: Z');
    const file = path.join(tmp, 'broken-bank.yaml');
    fs.writeFileSync(file, source.join('\n'));

    // What the server says about this file is the oracle for what the page must show.
    const res = await fetch(`${server.base}/api/console/bank/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ filename: 'broken-bank.yaml', content: fs.readFileSync(file, 'utf8') }),
    });
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { code: string; message: string; problems: { text: string }[] } };
    assert.equal(error.code, 'BANK_INVALID');

    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('bank-picked').filter({ hasText: 'broken-bank.yaml' }).waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    const problems = page.getByTestId('bank-problems').locator('.ant-list-item');
    await problems.first().waitFor();
    assert.ok((await page.getByTestId('bank-import-result').innerText()).includes(error.message));
    const shown = (await problems.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(shown, error.problems.map((p) => p.text));
    assert.ok(
      shown.some((t) => t.startsWith(`broken-bank.yaml:${answerLine + 1}:`) && t.includes('Z')),
      `the bad answer on line ${answerLine + 1} is listed with its position:\n${shown.join('\n')}`,
    );
  });

  it('sends the user back to log-in when the session is no longer valid', async () => {
    await page.evaluate(() => localStorage.setItem('kaowu.console.token', 'not-a-valid-token'));
    await page.getByRole('menuitem', { name: '考试计划' }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    assert.match(page.url(), /#\/login$/);
    assert.ok(await page.getByText('登录已失效，请重新登录').isVisible());
    assert.equal(await page.evaluate(() => localStorage.getItem('kaowu.console.token')), null);
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
