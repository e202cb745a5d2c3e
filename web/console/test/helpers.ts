// Helpers for the console's end-to-end tests: the real server in a child
// process, a few candidate API calls that put attempts into known states, and
// the browser: Chromium, a console page, signing in and out.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';

import { freshDatabase } from '../../../packages/server/test/helpers.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/server-process.ts';
import { buildFrontEnds } from '../../../scripts/build-front-ends.mjs';
import { launchChromium } from '../../test-support/chromium.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds web/console when its dist is missing or stale (the server only serves what exists at start-up). */
export function ensureConsoleBuilt(): void {
  buildFrontEnds({ names: ['console'], quiet: true });
}

export interface DemoCandidate {
  ticketNo: string;
  idNumber: string;
  name: string;
}

export interface Server extends ServerProcess {
  /** The demo candidates whose log-ins the server printed at start-up. */
  candidates(): DemoCandidate[];
}

/**
 * The real server on a free port and a fresh SQLite file; it seeds the demo
 * itself. Automatic grading is off: these tests need no sandbox, and the
 * grading status then says so.
 */
export async function startServer(): Promise<Server> {
  const db = await freshDatabase('sqlite');
  const proc = await startServerProcess(db, { GRADING: 'off' });
  // The log-in lines are printed right after listen(); give stdout a moment.
  for (let i = 0; i < 50 && !/考生（准考证号/.test(proc.output()); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    ...proc,
    candidates: () =>
      [...proc.output().matchAll(/^\s+(\d{12,14})\s+(\d{17}[\dX])\s+(\S+)\s*$/gm)].map((m) => ({ ticketNo: m[1]!, idNumber: m[2]!, name: m[3]! })),
    stop: async () => {
      await proc.stop();
      await db.drop();
    },
  };
}

/** JSON over fetch; throws with the server's error body on a non-2xx status. */
export async function call<T>(base: string, method: string, urlPath: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface CandidateLogin {
  token: string;
  sittings: { id: string }[];
}
interface Attempt {
  attemptId: string;
  questions: { id: string; type: string; options: { id: string }[] }[];
}

/** The candidate logs in and enters the (only) demo sitting. */
export async function enterSitting(base: string, c: DemoCandidate): Promise<{ token: string; attempt: Attempt }> {
  const login = await call<CandidateLogin>(base, 'POST', '/api/candidate/login', { ticketNo: c.ticketNo, idNumber: c.idNumber });
  const sittingId = login.sittings[0]?.id;
  if (!sittingId) throw new Error(`no sitting for ${c.ticketNo}`);
  const attempt = await call<Attempt>(base, 'POST', `/api/candidate/sittings/${sittingId}/attempt`, undefined, login.token);
  return { token: login.token, attempt };
}

/** Saves an answer to each of the first `n` questions. */
export async function answerQuestions(base: string, token: string, attempt: Attempt, n: number): Promise<void> {
  for (const [i, q] of attempt.questions.slice(0, n).entries()) {
    const first = q.options[0]?.id;
    const answer = q.type === 'truefalse' ? true : q.type === 'multiple' ? q.options.slice(0, 2).map((o) => o.id) : first;
    await call(base, 'PUT', `/api/candidate/attempts/${attempt.attemptId}/answers/${q.id}`, { answer, seq: i + 1 }, token);
  }
}

/** Reports full-screen exits until the server submits the attempt for it. */
export async function leaveFullscreenUntilSubmitted(base: string, token: string, attempt: Attempt): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const r = await call<{ action: string }>(base, 'POST', `/api/candidate/attempts/${attempt.attemptId}/events`, {
      type: 'fullscreen-exit',
      at: new Date().toISOString(),
    }, token);
    if (r.action === 'submitted') return;
  }
  throw new Error('leaving full screen 10 times did not submit the attempt');
}

/**
 * Headless Chromium and one 1280×800 page in New York time with an English
 * locale, so the checks also prove the console shows Beijing time and Chinese
 * on its own. The page's uncaught errors are pushed onto `pageErrors`.
 */
export async function openConsolePage(pageErrors: string[], timeout: number): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  // Reduced motion: the console then draws no animations (see main.tsx), so no
  // step waits on one, and a dialog closes the moment it is told to.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, page };
}

/**
 * Fills in the log-in form the page shows (or is about to) and waits until the
 * console names the user. An account with a generated or reset password must
 * change it first: with `newPassword` that is done here, else this fails saying so.
 */
export async function submitLogIn(page: Page, username: string, password: string, opts: { newPassword?: string } = {}): Promise<void> {
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('current-user').filter({ hasText: username }).waitFor();
  const mustChange = await page.evaluate(() => JSON.parse(localStorage.getItem('kaowu.console.user') ?? '{}').mustChangePassword === true);
  if (!mustChange) return;
  if (!opts.newPassword) throw new Error(`${username} must change the password before working: pass newPassword to submitLogIn/signIn`);
  await page.getByTestId('password-change-forced').waitFor();
  await changePassword(page, password, opts.newPassword);
}

/** Opens the console's log-in page and signs in (see submitLogIn for `newPassword`). */
export async function signIn(page: Page, base: string, username: string, password: string, opts: { newPassword?: string } = {}): Promise<void> {
  await page.goto(`${base}/console/#/login`);
  await submitLogIn(page, username, password, opts);
}

/** Fills in the open 修改密码 dialog and waits until it has closed. */
export async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByTestId('password-current').fill(current);
  await page.getByTestId('password-new').fill(next);
  await page.getByTestId('password-repeat').fill(next);
  await page.getByTestId('password-save').click();
  await noVisibleModal(page);
}

/** Signs out and waits for the log-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('button', { name: '登录' }).waitFor();
}

/**
 * Waits until no antd dialog shows, closing ones included. A locator on
 * `.ant-modal:visible` would be ambiguous while two leave at once (a form and
 * the confirmation it opened).
 */
export async function noVisibleModal(page: Page, timeout = 15_000): Promise<void> {
  try {
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.ant-modal')).every((el) => el.getClientRects().length === 0), undefined, { timeout });
  } catch (err) {
    // Say which dialog stayed, and in what state, so that a failure far away
    // (in CI) can be read without the browser.
    const left = await page
      .evaluate(() =>
        Array.from(document.querySelectorAll('.ant-modal'))
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => `「${(el.textContent ?? '').replace(/\s+/g, ' ').slice(0, 80)}」 class="${el.className}"`),
      )
      .catch(() => ['(the page could not be read)']);
    throw new Error(`a dialog still shows after ${timeout} ms: ${left.join('; ')}`, { cause: err });
  }
}

/**
 * The columns a seat map draws, read from the page: the tracks of its CSS grid
 * template and the cells of its first row (those level with the first cell).
 */
export async function seatMapColumns(map: Locator): Promise<{ template: number; firstRow: number }> {
  return map.evaluate((el) => {
    const grid = Array.from(el.querySelectorAll('div')).find((d) => getComputedStyle(d).display === 'grid');
    if (!grid) throw new Error('the seat map has no grid');
    const tops = Array.from(grid.children).map((c) => c.getBoundingClientRect().top);
    return { template: getComputedStyle(grid).gridTemplateColumns.split(' ').length, firstRow: tops.filter((top) => Math.abs(top - tops[0]!) < 1).length };
  });
}

/** Waits for `text` on the page; when it does not come, the error says what the page shows instead. */
export async function waitForText(page: Page, text: string, timeout?: number): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ timeout });
  } catch (err) {
    const shown = await page.locator('body').innerText().catch(() => '(the page could not be read)');
    throw new Error(`“${text}” did not show; the page reads: ${shown.replace(/\s+/g, ' ').slice(0, 800)}`, { cause: err });
  }
}
