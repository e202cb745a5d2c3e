// The practical paper's views in Debian's Chromium (playwright-core) against a
// stand-in API (test/mock-server.ts) with one task of each kind: code
// (CodeMirror, file tabs, 运行样例 with real python3 runs, rate limit, grader
// down), webpage (live preview in a sandboxed frame), case (text and count) and
// upload (zip, size limit, replace). Autosave of big file answers through the
// pending store across a reload, and the hand-in. The real server's practical
// API is driven by practical.e2e.test.ts.
//
//   node --import tsx --test web/exam/test/practical-ui.e2e.test.ts
// KAOWU_SCREENSHOTS=<dir> keeps the screenshots in <dir>/practical-ui (code, run, webpage, case, upload).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../../test-support/chromium.ts';
import { keptShotsDir } from '../../test-support/shots.ts';
import { ensureExamBuilt, eventually, pngSize } from './e2e.ts';
import { ATTEMPT_ID, CANDIDATE, startMockServer, tinyZip, type MockServer } from './mock-server.ts';

const SOLUTION = [
  'n = int(input())',
  'scores = [int(input()) for _ in range(n)]',
  'for s in scores:',
  "    if s >= 90:",
  "        g = '优秀'",
  '    elif s >= 80:',
  "        g = '良好'",
  '    elif s >= 60:',
  "        g = '及格'",
  '    else:',
  "        g = '不及格'",
  '    print(s, g)',
  "print('平均分：%.1f' % (sum(scores) / n))",
  '',
].join('\n');

describe('practical paper views in Chromium (stand-in API)', { skip: chromiumMissing, timeout: 150_000 }, () => {
  let mock: MockServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** script files the page loaded, in order */
  const scripts: string[] = [];
  const shots = keptShotsDir('practical-ui');

  before(async () => {
    ensureExamBuilt();
    mock = await startMockServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'America/New_York' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const line = `${m.text()} ${m.location().url}`;
      // Saves refused on purpose (failSaves) and the 429/503 of 运行样例 show as failed loads.
      if (/Failed to load resource: the server responded with a status of (503|429)/.test(m.text())) return;
      errors.push(`console.error: ${line}`);
    });
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url().replace(/^.*\//, ''));
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

  async function waitSaved(): Promise<void> {
    await page.locator('[data-testid=save-status][data-state=saved][data-pending="0"]').waitFor();
  }

  /** The text CodeMirror holds (its document, not the rendered lines, which are virtualised). */
  async function editorText(): Promise<string> {
    return page.locator('.cm-content').evaluate((el) => {
      type View = { state: { doc: { toString(): string } } };
      // CodeMirror's own link from its DOM to the view (cmTile in 6.39+, cmView before).
      const dom = el as unknown as { cmTile?: { root?: { view?: View } }; cmView?: { view?: View } };
      const view = (dom.cmTile && dom.cmTile.root && dom.cmTile.root.view) || (dom.cmView && dom.cmView.view);
      if (!view) throw new Error('no CodeMirror view on .cm-content');
      return view.state.doc.toString();
    });
  }

  function savedFiles(qid: string): Record<string, string> | null {
    const a = mock.answers[qid]?.answer;
    return a && typeof a === 'object' && 'files' in a ? a.files : null;
  }

  async function noPageScroll(): Promise<void> {
    const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(sw <= cw, `no horizontal page scroll (scrollWidth ${sw} > ${cw})`);
  }

  it('logs in; the practical paper lists the tasks and loads the editor only now', async () => {
    await page.goto(`${mock.base}/exam/`);
    await page.getByTestId('login-ticket').fill(CANDIDATE.ticketNo);
    const before = scripts.slice();
    assert.ok(!before.some((s) => /^(editor|PracticalPane|cm-)/.test(s)), `the log-in page loads no practical chunk: ${before.join(', ')}`);
    await page.getByTestId('login-id').fill(CANDIDATE.idNumber);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('paper').waitFor();
    assert.equal(await page.getByTestId('paper').getAttribute('data-attempt-id'), ATTEMPT_ID);
    await page.getByTestId('code-editor').waitFor();
    assert.ok(scripts.some((s) => s.startsWith('editor-')), 'CodeMirror is loaded for the practical paper');
    assert.ok(scripts.some((s) => s.startsWith('cm-lang-python')), 'with the Python mode');
    assert.ok(!scripts.some((s) => s.startsWith('cm-lang-html')), 'the HTML mode only when a page is edited');

    const navText = await page.getByTestId('navigator').innerText();
    for (const t of ['成绩等级统计', '编程题', '30 分', '商品库存表', '网页题', '案例分析题', '项目上传题']) assert.ok(navText.includes(t), `navigator shows ${t}: ${navText}`);
    assert.equal(await page.getByTestId('answered-count').innerText(), '0');
    assert.equal(await page.getByTestId('nav-1').getAttribute('data-current'), 'true');
    assert.equal(await page.getByTestId('task-title').innerText(), '成绩等级统计');
    assert.match(await page.getByTestId('task-statement').innerHTML(), /<table>/, 'the statement is inserted as HTML');
    assert.ok(await page.getByTestId('task-sample-s1').isVisible());
    assert.match(await page.getByTestId('task-data').innerText(), /grades\.txt/);
    assert.equal(await page.getByTestId('file-tab-main.py').getAttribute('data-current'), 'true');
    assert.equal(await editorText(), '# 在这里编写代码\n');

    // 1024×768: editor and statement side by side, at least 18 lines of code in view, no page scroll.
    const editorBox = (await page.getByTestId('code-editor').boundingBox())!;
    const statementBox = (await page.getByTestId('task-statement').boundingBox())!;
    assert.ok(statementBox.x + statementBox.width <= editorBox.x, 'side by side');
    const lineHeight = await page.locator('.cm-line').first().evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(editorBox.height / lineHeight >= 18, `${(editorBox.height / lineHeight).toFixed(1)} lines visible`);
    await noPageScroll();
    await shot('p1-code');

    // A link in the statement does not take the page away.
    await page.getByTestId('task-statement').locator('a').click();
    assert.ok(page.url().startsWith(`${mock.base}/exam/`));
    assert.deepEqual(errors, []);
  });

  it('types code (Tab indents 4 spaces) and saves it through the autosave queue', async () => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Tab');
    await page.keyboard.type('x = 1');
    assert.equal(await editorText(), '    x = 1', 'Tab indents by 4 spaces');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(SOLUTION);
    assert.equal(await editorText(), SOLUTION);
    await waitSaved();
    await eventually('the code on the server', async () => savedFiles('q-code')?.['main.py'] === SOLUTION);
    assert.deepEqual(Object.keys(savedFiles('q-code')!).sort(), ['main.py', 'util.py'], 'every editable file is in the answer');
    assert.equal(await page.getByTestId('nav-1').getAttribute('data-answered'), 'true');
    assert.equal(await page.getByTestId('answered-count').innerText(), '1');

    // Another file: its own tab, its own text.
    await page.getByTestId('file-tab-util.py').click();
    assert.equal(await page.getByTestId('file-tab-util.py').getAttribute('data-current'), 'true');
    assert.equal(await editorText(), 'def grade(score):\n    pass\n');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# 备用');
    await waitSaved();
    await eventually('util.py on the server', async () => savedFiles('q-code')?.['util.py'] === 'def grade(score):\n    pass\n# 备用');
    assert.equal(savedFiles('q-code')?.['main.py'], SOLUTION);
    await page.getByTestId('file-tab-main.py').click();
    assert.equal(await editorText(), SOLUTION);
    assert.deepEqual(errors, []);
  });

  it('runs the samples and shows a verdict per sample', async () => {
    const before = mock.requests.length;
    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-samples]:disabled').waitFor(); // while running
    await page.locator('[data-testid=run-result][data-state=running]').waitFor();
    await page.locator('[data-testid=run-result][data-state=done]').waitFor();
    assert.ok(mock.requests.slice(before).includes(`POST /api/candidate/attempts/${ATTEMPT_ID}/questions/q-code/run`));
    for (const id of ['s1', 's2']) assert.equal(await page.getByTestId(`sample-result-${id}`).getAttribute('data-verdict'), 'passed');
    assert.match(await page.getByTestId('run-result').innerText(), /样例通过 2 \/ 2/);
    assert.ok(await page.getByTestId('run-samples').isEnabled());
    await noPageScroll();
    await shot('p2-code-run');

    // A wrong program: the verdict and the message.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('print(1/0)\n');
    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-result][data-state=done]').waitFor();
    assert.equal(await page.getByTestId('sample-result-s1').getAttribute('data-verdict'), 'error');
    assert.match(await page.getByTestId('sample-result-s1').innerText(), /运行出错[\s\S]*ZeroDivisionError/);
    assert.equal(savedFiles('q-code')?.['main.py'], 'print(1/0)\n', 'saved before the run');
    assert.deepEqual(errors, []);
  });

  it('says clearly when the grader is down, and how long to wait when runs are too frequent', async () => {
    mock.runModes.push('unavailable');
    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-result][data-state=grader-unavailable]').waitFor();
    assert.match(await page.getByTestId('run-result').innerText(), /评测服务暂时不可用/);
    assert.ok(await page.getByTestId('run-samples').isEnabled());

    mock.runModes.push('rate-limited');
    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-result][data-state=rate-limited]').waitFor();
    assert.match(await page.getByTestId('run-result').innerText(), /运行太频繁，请 [67] 秒后再试/);
    assert.ok(await page.getByTestId('run-samples').isDisabled(), 'disabled while waiting');
    assert.match(await page.getByTestId('run-samples').innerText(), /运行样例（[67] 秒）/);
    await page.waitForFunction(() => /[45] 秒/.test(document.querySelector('[data-testid=run-samples]')!.textContent || ''));
    assert.deepEqual(errors, []);
  });

  it('brings the code back after a reload, from the server and from the pending store (a big answer)', async () => {
    await waitSaved();
    await page.reload();
    await page.getByTestId('code-editor').waitFor();
    assert.equal(await editorText(), 'print(1/0)\n', 'from the server');

    // Saves fail: a change of ~150 KB stays in the pending store across a reload.
    mock.failSaves = true;
    const big = '# ' + '很长的注释，'.repeat(8000) + '\nprint("ok")\n';
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(big);
    await page.locator('[data-testid=save-status][data-state=offline][data-pending="1"]').waitFor();
    const pending = await page.evaluate((id) => localStorage.getItem('kaowu.exam.pending.' + id), ATTEMPT_ID);
    assert.ok(pending && pending.length > big.length, 'the pending store holds the big answer');
    await page.reload();
    await page.getByTestId('code-editor').waitFor();
    assert.equal(await editorText(), big, 'from the pending store');
    await page.getByTestId('notice').waitFor();
    mock.failSaves = false;
    await waitSaved();
    assert.equal(savedFiles('q-code')?.['main.py'], big, 'uploaded once saves work again');
    assert.equal(await page.evaluate((id) => localStorage.getItem('kaowu.exam.pending.' + id), ATTEMPT_ID), null);
    // Back to the working program for the rest.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(SOLUTION);
    await waitSaved();
    assert.deepEqual(errors, []);
  });

  it('webpage: edits a style sheet and the sandboxed preview follows', async () => {
    await page.getByTestId('nav-2').click();
    await page.locator('[data-testid=question][data-type=webpage]').waitFor();
    await page.locator('[data-testid=code-editor][data-path="index.html"]').waitFor();
    assert.ok(scripts.some((s) => s.startsWith('cm-lang-html')), 'the HTML mode is loaded now');
    const frameEl = page.getByTestId('webpage-preview');
    assert.equal(await frameEl.getAttribute('sandbox'), 'allow-scripts', 'scripts, but no same origin');
    const frame = (await frameEl.elementHandle())!;
    const preview = (await frame.contentFrame())!;
    // app.js (deferred) filled the table.
    await preview.waitForFunction(() => document.querySelectorAll('#stock tbody tr').length === 3);
    assert.equal(await preview.evaluate(() => { try { return String(parent.document.title); } catch { return 'blocked'; } }), 'blocked');
    // Clicking into the preview moves the focus into its frame: not a focus loss.
    const focusLosses = () => mock.events.filter((e) => e === 'focus-loss').length;
    const lossesBefore = focusLosses();
    await preview.click('h1');
    await page.waitForTimeout(1500);
    assert.equal(focusLosses(), lossesBefore, 'no focus-loss event for the preview');
    await page.locator('.cm-content').click();

    await page.getByTestId('file-tab-style.css').click();
    await page.locator('[data-testid=code-editor][data-path="style.css"]').waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('h1 { color: red; }\n');
    await eventually(
      'the preview shows the red heading',
      async () => {
        const f = await (await page.getByTestId('webpage-preview').elementHandle())!.contentFrame();
        return f ? (await f.evaluate(() => getComputedStyle(document.querySelector('h1')!).color).catch(() => '')) === 'rgb(255, 0, 0)' : false;
      },
      5000,
    );
    await waitSaved();
    assert.match(savedFiles('q-web')?.['style.css'] ?? '', /h1 \{ color: red; \}/);
    assert.deepEqual(Object.keys(savedFiles('q-web')!).sort(), ['app.js', 'index.html', 'style.css']);

    // A script error in the page is shown under the preview.
    await page.getByTestId('file-tab-app.js').click();
    await page.locator('[data-testid=code-editor][data-path="app.js"]').waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('undefinedFunction();\n');
    await page.getByTestId('preview-message').waitFor();
    assert.match(await page.getByTestId('preview-message').innerText(), /页面脚本出错.*undefinedFunction/);
    await page.keyboard.press('Control+Z');
    await page.getByTestId('preview-message').waitFor({ state: 'detached' });
    await noPageScroll();
    await page.getByTestId('file-tab-style.css').click();
    await page.waitForTimeout(800);
    await shot('p3-webpage');

    await page.getByTestId('run-samples').click();
    await page.locator('[data-testid=run-result][data-state=done]').waitFor();
    assert.equal(await page.getByTestId('sample-result-p1').getAttribute('data-verdict'), 'passed');
    await page.getByTestId('show-preview').click();
    await page.getByTestId('webpage-preview').waitFor();
    assert.deepEqual(errors.filter((e) => !/undefinedFunction/.test(e)), []);
    errors.length = 0;
  });

  it('case: a large text box with a character count, saved as { text }', async () => {
    await page.getByTestId('nav-3').click();
    const box = page.getByTestId('case-text');
    await box.waitFor();
    const text = '程序崩溃的直接原因是 int() 无法把“九十”转换为整数，抛出 ValueError 且没有被捕获。\n\n改进：\n1. 用 try/except 捕获 ValueError，提示重新输入；\n2. 校验成绩范围 0–100。';
    await box.click();
    await page.keyboard.insertText(text);
    assert.equal(await page.getByTestId('case-count').getAttribute('data-count'), String(text.length));
    assert.match(await page.getByTestId('case-count').innerText(), new RegExp(`已输入 ${text.length} 字 / 上限 20000 字`));
    await eventually('the text on the server', async () => JSON.stringify(mock.answers['q-case']?.answer) === JSON.stringify({ text }));
    await waitSaved();
    const h = (await box.boundingBox())!.height;
    assert.ok(h >= 360, `the text box is large (${h}px)`);
    await noPageScroll();
    await shot('p4-case');
    assert.deepEqual(errors, []);
  });

  it('upload: refuses a wrong file or one over the limit before sending, uploads a zip, a new one replaces it', async () => {
    await page.getByTestId('nav-4').click();
    await page.getByTestId('upload-input').waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('upload-limit').innerText(), '64 KB');
    const uploads = () => mock.requests.filter((r) => r.endsWith('/questions/q-upload/upload')).length;

    await page.getByTestId('upload-input').setInputFiles({ name: 'project.rar', mimeType: 'application/octet-stream', buffer: Buffer.from('Rar!') });
    await page.locator('[data-testid=upload-status][data-state=error]').waitFor();
    assert.match(await page.getByTestId('upload-status').innerText(), /\.zip/);
    await page.getByTestId('upload-input').setInputFiles({ name: 'big.zip', mimeType: 'application/zip', buffer: Buffer.alloc(65 * 1024, 1) });
    await page.getByTestId('upload-status').filter({ hasText: '超过了 64 KB 的上限' }).waitFor();
    assert.equal(uploads(), 0, 'nothing was sent');

    const zip = tinyZip();
    await page.getByTestId('upload-input').setInputFiles({ name: '我的项目.zip', mimeType: 'application/zip', buffer: zip });
    await page.locator('[data-testid=upload-status][data-state=done]').waitFor();
    assert.equal(await page.getByTestId('upload-name').innerText(), '我的项目.zip');
    assert.equal(await page.getByTestId('upload-size').innerText(), `${zip.length} B`);
    assert.match(await page.getByTestId('upload-time').innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）$/);
    const first = mock.answers['q-upload']!;
    assert.equal((first.answer as { upload: { name: string } }).upload.name, '我的项目.zip');
    assert.equal(await page.getByTestId('nav-4').getAttribute('data-answered'), 'true');

    const zip2 = tinyZip('app/hello.py', "def hello():\n    return 'hello'  # v2\n");
    await page.getByTestId('upload-input').setInputFiles({ name: 'v2.zip', mimeType: 'application/zip', buffer: zip2 });
    await page.getByTestId('upload-status').filter({ hasText: '已替换之前上传的文件' }).waitFor();
    assert.equal(await page.getByTestId('upload-name').innerText(), 'v2.zip');
    assert.equal(mock.answers['q-upload']!.seq, first.seq + 1, 'the next seq of the question');
    assert.equal(uploads(), 2);
    await noPageScroll();
    await shot('p5-upload');
    assert.deepEqual(errors, []);
  });

  it('hands in; every task counts as answered', async () => {
    assert.equal(await page.getByTestId('answered-count').innerText(), '4');
    await page.getByTestId('handin-button').click();
    await page.getByTestId('confirm-dialog').waitFor();
    assert.equal(await page.getByTestId('unanswered-count').getAttribute('data-value'), '0');
    await page.getByTestId('confirm-button').click();
    await page.locator('[data-testid=submitted][data-reason=handed-in]').waitFor();
    assert.ok(mock.submittedAt);
    assert.equal(savedFiles('q-code')?.['main.py'], SOLUTION);
    assert.deepEqual(errors, []);
  });
});
