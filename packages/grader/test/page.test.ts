import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { Grader } from '../src/index.ts';
import { task } from './helpers.ts';

const g = new Grader({ slots: 1 });
after(() => g.close());

test('page checks: elements, text, computed style, attributes; JS runs; outside requests are blocked', async () => {
  // A host service the page will try to reach.
  let requests = 0;
  const srv = http.createServer((_req, res) => {
    requests++;
    res.end('leak');
  });
  srv.on('connection', () => requests++);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    const files = {
      'index.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="css/style.css"></head>
<body>
  <h1 class="title">你好，
     世界</h1>
  <a id="home" href="about.html">关于</a>
  <ul id="list"></ul>
  <img src="http://example.com/tracker.png">
  <script src="app.js"></script>
  <script>
    var x = new XMLHttpRequest();
    try { x.open('GET', 'http://127.0.0.1:${port}/steal', false); x.send(); document.body.dataset.net = 'open'; }
    catch (e) { document.body.dataset.net = 'blocked'; }
    try { new WebSocket('ws://127.0.0.1:${port}/ws'); } catch (e) {}
  </script>
</body></html>`,
      'css/style.css': '.title { color: red; font-size: 24px; }\n#list li { margin-left: 8px; }\n',
      'app.js': "for (const name of ['一', '二', '三']) { const li = document.createElement('li'); li.textContent = name; document.getElementById('list').append(li); }\n",
    };
    const t = task(
      {
        files,
        checks: [
          { id: 'h1', name: '标题存在', sample: true, points: 1, kind: 'page', selector: 'h1.title', expect: { exists: true } },
          { id: 'li', name: '脚本生成的列表', sample: true, points: 2, kind: 'page', selector: '#list li', expect: { count: 3 } },
          { id: 'tx', name: '标题文字', points: 1, kind: 'page', selector: 'h1', expect: { text: '你好， 世界' } },
          { id: 'st', name: '标题颜色', points: 1, kind: 'page', selector: 'h1', expect: { style: { property: 'color', value: 'red' } } },
          { id: 'fs', name: '字号', points: 1, kind: 'page', selector: 'h1', expect: { style: { property: 'font-size', value: '24px' } } },
          { id: 'at', name: '链接', points: 1, kind: 'page', selector: '#home', expect: { attribute: { name: 'href', value: 'about.html' } } },
          { id: 'net', name: '网络', points: 1, kind: 'page', selector: 'body', expect: { attribute: { name: 'data-net', value: 'blocked' } } },
          { id: 'no', name: '不存在的元素', points: 1, kind: 'page', selector: '.missing', expect: { exists: true } },
          { id: 'cnt', name: '数量不对', points: 1, kind: 'page', selector: '#list li', expect: { count: 5 } },
          { id: 'blue', name: '颜色不对', points: 1, kind: 'page', selector: 'h1', expect: { style: { property: 'color', value: 'blue' } } },
          { id: 'pg', name: '缺页', points: 1, kind: 'page', page: 'about.html', selector: 'h1', expect: { exists: true } },
        ],
      },
      'webpage',
    );
    const r = await g.grade(t, { files });
    const v = Object.fromEntries(r.checks.map((c) => [c.id, [c.verdict, c.message]]));
    assert.deepEqual(v.h1, ['passed', '通过']);
    assert.deepEqual(v.li, ['passed', '通过']);
    assert.deepEqual(v.tx, ['passed', '通过']);
    assert.deepEqual(v.st, ['passed', '通过']);
    assert.deepEqual(v.fs, ['passed', '通过']);
    assert.deepEqual(v.at, ['passed', '通过']);
    assert.deepEqual(v.net, ['passed', '通过']);
    assert.deepEqual(v.no, ['failed', '页面中没有找到 .missing']);
    assert.deepEqual(v.cnt, ['failed', '#list li 有 3 个，应为 5 个']);
    assert.deepEqual(v.blue, ['failed', 'h1 的样式 color 为 rgb(255, 0, 0)，应为 blue']);
    assert.deepEqual(v.pg, ['failed', '找不到页面文件 about.html']);
    assert.equal(r.earned, 8);
    assert.equal(r.max, 12);
    assert.equal(requests, 0, 'the host service saw no request');

    // samplesOnly, and a webpage task with no checks (rubric only).
    const s = await g.grade(t, { files }, { samplesOnly: true });
    assert.deepEqual(
      s.checks.map((c) => c.id),
      ['h1', 'li'],
    );
    const rubricOnly = await g.grade(task({ files, rubric: [{ id: 'r', name: '美观', points: 5 }] }, 'webpage'), { files });
    assert.deepEqual([rubricOnly.max, rubricOnly.checks.length], [0, 0]);
  } finally {
    srv.close();
  }
});

test('a page whose script never ends times out without blocking the next job', async () => {
  const files = { 'index.html': '<h1>x</h1><script>while (true) {}</script>' };
  const t = task({ limits: { wallSec: 2 }, checks: [{ id: 'h', name: 'h', sample: true, points: 1, kind: 'page', selector: 'h1', expect: { exists: true } }] }, 'webpage');
  const r = await g.grade(t, { files });
  assert.equal(r.checks[0]!.verdict, 'timeout', r.checks[0]!.message);
  const ok = await g.grade(t, { files: { 'index.html': '<h1>ok</h1>' } });
  assert.equal(ok.checks[0]!.verdict, 'passed', ok.checks[0]!.message);
});
