// The practical paper on the oldest browser the client must run on: a real
// Chromium 75 (chrome-aws-lambda) driven by puppeteer-core 1.15, against the
// stand-in API of test/mock-server.ts (one task of each kind; 运行样例 runs
// python3). CodeMirror 6 is built for chrome75 by Vite: here it must load,
// take typing and Tab, switch files, and the webpage preview must run its
// scripts in the sandboxed frame.
//
//   node --import tsx --test web/exam/test/chrome75-practical.e2e.test.ts
// KAOWU_E2E_SHOTS=<dir> keeps screenshots.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CHROME75_ARGS, chrome75Path } from './chrome75.ts';
import { ensureExamBuilt, eventually, pngSize } from './e2e.ts';
import { CANDIDATE, startMockServer, tinyZip, type MockServer } from './mock-server.ts';

// puppeteer-core 1.15 is CommonJS and ships no types: the little used here.
interface PFrame {
  evaluate<T>(fn: string | ((...args: any[]) => T), ...args: unknown[]): Promise<T>;
  url(): string;
  name(): string;
}
interface PElement {
  uploadFile(...paths: string[]): Promise<void>;
}
interface PPage extends PFrame {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  waitForSelector(selector: string, opts?: { visible?: boolean; hidden?: boolean; timeout?: number }): Promise<unknown>;
  waitForFunction(fn: string | ((...args: any[]) => unknown), opts?: { timeout?: number; polling?: string | number }, ...args: unknown[]): Promise<unknown>;
  click(selector: string): Promise<void>;
  type(selector: string, text: string): Promise<void>;
  $(selector: string): Promise<PElement | null>;
  frames(): PFrame[];
  keyboard: { type(text: string): Promise<void>; press(key: string): Promise<void>; down(key: string): Promise<void>; up(key: string): Promise<void>; sendCharacter(text: string): Promise<void> };
  screenshot(opts: { path?: string }): Promise<Buffer>;
  setDefaultTimeout(ms: number): void;
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', fn: (e: Error) => void): void;
}
interface PBrowser {
  newPage(): Promise<PPage>;
  version(): Promise<string>;
  close(): Promise<void>;
}
const puppeteer = createRequire(import.meta.url)('puppeteer-core') as {
  launch(opts: { executablePath: string; args: string[]; defaultViewport: { width: number; height: number }; timeout?: number }): Promise<PBrowser>;
};

const tid = (id: string) => `[data-testid="${id}"]`;

describe('practical paper in Chromium 75 (puppeteer-core 1.15, stand-in API)', { timeout: 150_000 }, () => {
  let mock: MockServer;
  let browser: PBrowser;
  let page: PPage;
  const errors: string[] = [];
  const shots = process.env.KAOWU_E2E_SHOTS;

  before(async () => {
    ensureExamBuilt();
    mock = await startMockServer();
    browser = await puppeteer.launch({ executablePath: chrome75Path(), args: CHROME75_ARGS, defaultViewport: { width: 1024, height: 768 }, timeout: 30_000 });
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
  });

  async function shot(name: string): Promise<void> {
    const png = await page.screenshot(shots ? { path: path.join(shots, `${name}.png`) } : {});
    assert.deepEqual(pngSize(png), { width: 1024, height: 768 });
  }

  /** CodeMirror's document (see practical-ui.e2e.test.ts). */
  async function editorText(): Promise<string> {
    return page.evaluate(() => {
      const el = document.querySelector('.cm-content') as any;
      const view = (el && el.cmTile && el.cmTile.root && el.cmTile.root.view) || (el && el.cmView && el.cmView.view);
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString() as string;
    });
  }

  async function selectAll(): Promise<void> {
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
  }

  function savedFiles(qid: string): Record<string, string> | null {
    const a = mock.answers[qid]?.answer;
    return a && typeof a === 'object' && 'files' in a ? a.files : null;
  }

  it('loads CodeMirror in Chromium 75 and takes typing, Tab and file tabs', async () => {
    assert.match(await browser.version(), /HeadlessChrome\/75\./);
    await page.goto(`${mock.base}/exam/`);
    await page.waitForSelector(tid('login-ticket'), { visible: true });
    await page.type(tid('login-ticket'), CANDIDATE.ticketNo);
    await page.type(tid('login-id'), CANDIDATE.idNumber);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('code-editor'), { visible: true });
    assert.equal(await editorText(), '# 在这里编写代码\n');
    // Syntax highlighting and line numbers are drawn.
    assert.ok(await page.evaluate(() => document.querySelectorAll('.cm-lineNumbers .cm-gutterElement').length >= 2));

    await page.click('.cm-content');
    await selectAll();
    await page.keyboard.press('Delete');
    await page.keyboard.press('Tab');
    await page.keyboard.type('x = (1 + 2)');
    assert.equal(await editorText(), '    x = (1 + 2)', 'Tab indents by 4 spaces');
    await selectAll();
    await page.keyboard.press('Delete');
    for (const line of ['n = int(input())', 'scores = [int(input()) for _ in range(n)]', 'for s in scores:']) {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    }
    // Python mode: after "for …:" the new line is indented.
    assert.equal(await editorText(), 'n = int(input())\nscores = [int(input()) for _ in range(n)]\nfor s in scores:\n    ');
    await page.keyboard.type("g = '优秀' if s >= 90 else '良好' if s >= 80 else '及格' if s >= 60 else '不及格'");
    await page.keyboard.press('Enter');
    await page.keyboard.type('print(s, g)');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Backspace'); // one indentation level back
    await page.keyboard.type("print('平均分：%.1f' % (sum(scores) / n))");
    const code = await editorText();
    assert.ok(code.endsWith("\n    print(s, g)\nprint('平均分：%.1f' % (sum(scores) / n))"), code);
    await eventually('the code on the server', async () => savedFiles('q-code')?.['main.py'] === code);

    await page.click(tid('file-tab-util.py'));
    await page.waitForSelector('[data-testid="code-editor"][data-path="util.py"]');
    assert.equal(await editorText(), 'def grade(score):\n    pass\n');
    await page.click(tid('file-tab-main.py'));
    await page.waitForSelector('[data-testid="code-editor"][data-path="main.py"]');
    assert.equal(await editorText(), code);
    await shot('c75-p1-code');
    assert.deepEqual(errors, []);
  });

  it('runs the samples and shows the verdicts', async () => {
    await page.click(tid('run-samples'));
    await page.waitForSelector(`${tid('run-result')}[data-state="done"]`);
    for (const id of ['s1', 's2']) {
      assert.equal(await page.evaluate((s: string) => document.querySelector(s)!.getAttribute('data-verdict'), tid(`sample-result-${id}`)), 'passed');
    }
    await shot('c75-p2-run');
    assert.deepEqual(errors, []);
  });

  it('brings the code back after a reload', async () => {
    const code = await editorText();
    await page.waitForSelector(`${tid('save-status')}[data-state="saved"][data-pending="0"]`);
    await page.reload();
    await page.waitForSelector(tid('code-editor'), { visible: true });
    assert.equal(await editorText(), code);
    assert.deepEqual(errors, []);
  });

  it('shows the webpage preview, scripts running in the sandboxed frame', async () => {
    await page.click(tid('nav-2'));
    await page.waitForSelector('[data-testid="code-editor"][data-path="index.html"]', { visible: true });
    await page.waitForSelector(tid('webpage-preview'));
    const rows = await eventually('the preview filled by app.js', async () => {
      for (const f of page.frames()) {
        const n = await f.evaluate(() => (document.querySelector('#stock tbody') ? document.querySelectorAll('#stock tbody tr').length : -1)).catch(() => -1);
        if (n > 0) return n;
      }
      return 0;
    });
    assert.equal(rows, 3);
    await page.click(tid('file-tab-style.css'));
    await page.waitForSelector('[data-testid="code-editor"][data-path="style.css"]');
    await page.click('.cm-content');
    await page.keyboard.down('Control');
    await page.keyboard.press('End');
    await page.keyboard.up('Control');
    await page.keyboard.type('h1 { color: red; }');
    await eventually('the red heading in the preview', async () => {
      for (const f of page.frames()) {
        const c = await f.evaluate(() => (document.querySelector('#stock') ? getComputedStyle(document.querySelector('h1')!).color : '')).catch(() => '');
        if (c === 'rgb(255, 0, 0)') return true;
      }
      return false;
    });
    await shot('c75-p3-webpage');
    assert.deepEqual(errors, []);
  });

  it('takes a case text and a zip upload', async () => {
    await page.click(tid('nav-3'));
    await page.waitForSelector(tid('case-text'), { visible: true });
    await page.type(tid('case-text'), '未处理 ValueError。');
    await page.waitForFunction((s: string) => document.querySelector(s)!.getAttribute('data-count') === '15', {}, tid('case-count'));
    await eventually('the case text on the server', async () => JSON.stringify(mock.answers['q-case']?.answer) === JSON.stringify({ text: '未处理 ValueError。' }));

    await page.click(tid('nav-4'));
    await page.waitForSelector(tid('upload-input'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-c75-')), 'project.zip');
    fs.writeFileSync(file, tinyZip());
    await (await page.$(tid('upload-input')))!.uploadFile(file);
    await page.waitForSelector(`${tid('upload-status')}[data-state="done"]`);
    assert.equal(await page.evaluate((s: string) => (document.querySelector(s) as HTMLElement).innerText, tid('upload-name')), 'project.zip');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await shot('c75-p4-upload');
    assert.deepEqual(errors, []);
  });

  it('hands in', async () => {
    await page.click(tid('handin-button'));
    await page.waitForSelector(tid('confirm-dialog'), { visible: true });
    await page.click(tid('confirm-button'));
    await page.waitForSelector(`${tid('submitted')}[data-reason="handed-in"]`, { visible: true });
    assert.ok(mock.submittedAt);
    assert.deepEqual(errors, [], 'no page error and no console error during the whole run');
  });
});
