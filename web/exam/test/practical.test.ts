import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSrcdoc,
  escapeInlineScript,
  filesBytes,
  filesProblem,
  languageOf,
  MAX_ANSWER_BYTES,
  orderedPaths,
  previewPage,
  resolveLocal,
  uploadName,
  uploadProblem,
  utf8Length,
} from '../src/practical.ts';
import { initialFiles, sameFiles, taskAnswered, textOf } from '../src/tasks.ts';
import type { Question, Task } from '../src/types.ts';

function task(over: Partial<Task> = {}): Task {
  return {
    type: 'code',
    title: '统计成绩',
    statementHtml: '<p>读入成绩</p>',
    files: { 'main.py': 'def main():\n    pass\n' },
    data: [],
    entry: 'main.py',
    samples: [],
    runnable: true,
    ...over,
  };
}

function question(t: Task, id = 'q1'): Question {
  return { id, type: t.type, stem: '', options: [], points: 20, task: t };
}

describe('files of a code or webpage task', () => {
  it('starts from the starter files and lays the saved answer over them', () => {
    const t = task({ files: { 'main.py': 'start', 'util.py': 'u = 1' } });
    assert.deepEqual(initialFiles(t, null), { 'main.py': 'start', 'util.py': 'u = 1' });
    assert.deepEqual(initialFiles(t, { files: { 'main.py': 'mine' } }), { 'main.py': 'mine', 'util.py': 'u = 1' });
    // A file only in the answer is kept.
    assert.deepEqual(initialFiles(t, { files: { 'extra.py': 'x' } }), { 'main.py': 'start', 'util.py': 'u = 1', 'extra.py': 'x' });
    // Another answer shape (should not happen) is ignored.
    assert.deepEqual(initialFiles(t, { text: 'x' }), { 'main.py': 'start', 'util.py': 'u = 1' });
  });

  it('gives a task without starter files its entry file, empty', () => {
    assert.deepEqual(initialFiles(task({ files: {}, entry: 'solution.py' }), null), { 'solution.py': '' });
    assert.deepEqual(initialFiles(task({ type: 'webpage', files: {}, entry: 'main.py' }), null), { 'index.html': '' });
    assert.deepEqual(initialFiles(task({ type: 'webpage', files: {}, entry: 'home.html' }), null), { 'home.html': '' });
  });

  it('orders tabs: the entry first, then starter files (pages, styles, scripts), then files of the answer', () => {
    const web = task({ type: 'webpage', entry: 'index.html', files: { 'script.js': '', 'style.css': '', 'index.html': '', 'about.html': '' } });
    assert.deepEqual(orderedPaths(web, { ...web.files, 'z.css': '' }), ['index.html', 'about.html', 'style.css', 'script.js', 'z.css']);
    const code = task({ entry: 'main.py', files: { 'util.py': '', 'main.py': '' } });
    assert.deepEqual(orderedPaths(code, { 'util.py': '', 'main.py': '', 'a.py': '' }), ['main.py', 'util.py', 'a.py']);
  });

  it('compares file maps', () => {
    assert.ok(sameFiles({ a: '1', b: '2' }, { b: '2', a: '1' }));
    assert.ok(!sameFiles({ a: '1' }, { a: '1', b: '' }));
    assert.ok(!sameFiles({ a: '1' }, { a: '2' }));
  });

  it('counts bytes as the server does (path length + UTF-8) and refuses what it would refuse', () => {
    assert.equal(utf8Length('abc'), 3);
    assert.equal(utf8Length('成绩'), 6);
    assert.equal(utf8Length('é'), 2);
    assert.equal(utf8Length('😀'), 4);
    assert.equal(utf8Length('\ud800x'), 4); // a lone surrogate is written as U+FFFD
    assert.equal(utf8Length('😀'), new TextEncoder().encode('😀').length);
    assert.equal(filesBytes({ 'main.py': '成绩' }), 7 + 6);
    assert.equal(filesProblem({ 'main.py': 'x'.repeat(1000) }), null);
    const big = { 'main.py': 'x'.repeat(MAX_ANSWER_BYTES) };
    assert.match(filesProblem(big) as string, /超过了 200 KB/);
    assert.equal(filesProblem({ 'main.py': 'x'.repeat(MAX_ANSWER_BYTES - 7) }), null);
    const many: Record<string, string> = {};
    for (let i = 0; i < 21; i++) many['f' + i + '.py'] = '';
    assert.match(filesProblem(many) as string, /不能超过 20 个/);
  });

  it('picks an editor language by extension', () => {
    assert.equal(languageOf('main.py'), 'python');
    assert.equal(languageOf('pages/Index.HTML'), 'html');
    assert.equal(languageOf('style.css'), 'css');
    assert.equal(languageOf('js/app.js'), 'javascript');
    assert.equal(languageOf('data.csv'), 'text');
    assert.equal(languageOf('Makefile'), 'text');
  });
});

describe('answered state of practical tasks', () => {
  it('a code task is answered once its files differ from the starter files', () => {
    const q = question(task({ files: { 'main.py': 'start' } }));
    assert.equal(taskAnswered(q, null), false);
    assert.equal(taskAnswered(q, { files: { 'main.py': 'start' } }), false);
    assert.equal(taskAnswered(q, { files: { 'main.py': 'print(1)' } }), true);
    assert.equal(taskAnswered(q, { files: { 'main.py': '   \n' } }), false, 'blank files are not an answer');
  });

  it('a case is answered when its text is not blank; an upload when a zip is on the server', () => {
    const c = question(task({ type: 'case', files: {} }));
    assert.equal(taskAnswered(c, { text: '  ' }), false);
    assert.equal(taskAnswered(c, { text: '分析' }), true);
    assert.equal(textOf({ text: '分析' }), '分析');
    assert.equal(textOf(null), '');
    const u = question(task({ type: 'upload', files: {} }));
    assert.equal(taskAnswered(u, null), false);
    assert.equal(taskAnswered(u, { upload: { id: 'u1', name: 'p.zip', size: 10, sha256: 'a'.repeat(64) } }), true);
  });

  it('a choice question keeps the usual rule', () => {
    const q: Question = { id: 'c', type: 'multiple', stem: '', options: [], points: 2 };
    assert.equal(taskAnswered(q, []), false);
    assert.equal(taskAnswered(q, ['A']), true);
  });
});

describe('zip uploads', () => {
  it('takes .zip files within the limit', () => {
    assert.equal(uploadProblem({ name: 'project.zip', size: 1024 }, 2048), null);
    assert.equal(uploadProblem({ name: 'PROJECT.ZIP', size: 2048 * 1024 }, 2048), null, 'exactly the limit');
    assert.match(uploadProblem({ name: 'project.zip', size: 2048 * 1024 + 1 }, 2048) as string, /超过了 2 MB 的上限/);
    assert.match(uploadProblem({ name: 'project.rar', size: 10 }, 2048) as string, /\.zip/);
    assert.match(uploadProblem({ name: 'empty.zip', size: 0 }, 2048) as string, /空的/);
    assert.match(uploadProblem({ name: 'a.zip', size: 3 * 1024 * 1024 }, undefined) as string, /2 MB/, 'default limit 2048 KB');
    assert.match(uploadProblem({ name: 'a.zip', size: 600 * 1024 }, 500) as string, /600 KB.*500 KB/);
  });

  it('sends the bare file name, at most 200 characters', () => {
    assert.equal(uploadName('C:\\Users\\考生\\项目.zip'), '项目.zip');
    assert.equal(uploadName('dir/sub/p.zip'), 'p.zip');
    const long = uploadName('a'.repeat(300) + '.zip');
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('.zip'));
  });
});

describe('webpage preview (srcdoc)', () => {
  const files = {
    'index.html':
      '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>T</title>\n' +
      '<link rel="stylesheet" href="style.css">\n<link rel="icon" href="fav.ico">\n' +
      '<link href="https://cdn.example/x.css" rel="stylesheet">\n<script src="script.js" defer></script>\n</head>\n' +
      '<body><h1>你好</h1><script src="./js/app.js"></script><script>var inline = 1;</script></body></html>',
    'style.css': 'h1 { color: red; } /* </style> inside */',
    'script.js': 'document.querySelector("h1").textContent = "</script><!--";',
    'js/app.js': 'var s = "</SCRIPT>";',
  };

  it('inlines linked local style sheets and scripts in place', () => {
    const doc = buildSrcdoc(files, 'index.html');
    assert.match(doc, /<style data-href="style\.css">h1 \{ color: red; \} \/\* <\\\/style> inside \*\/<\/style>/);
    assert.ok(!doc.includes('<link rel="stylesheet" href="style.css">'), 'the link is replaced');
    assert.ok(doc.includes('<link rel="icon" href="fav.ico">'), 'other links are kept');
    assert.ok(doc.includes('<link href="https://cdn.example/x.css" rel="stylesheet">'), 'external style sheets are kept (the CSP blocks them)');
    // A plain script: inline, "</script" escaped.
    assert.ok(doc.includes('<script data-href="js/app.js">var s = "<\\/SCRIPT>";</script>'), doc);
    assert.ok(doc.includes('<script>var inline = 1;</script>'), 'inline scripts are untouched');
    // In order: the inlined style before the deferred script, the body script where it was.
    assert.ok(doc.indexOf('data-href="style.css"') < doc.indexOf('data-href="script.js"'));
    assert.ok(doc.indexOf('<h1>你好</h1>') < doc.indexOf('data-href="js/app.js"'));
  });

  it('keeps a deferred script deferred, as a data: URL', () => {
    const doc = buildSrcdoc(files, 'index.html');
    const m = /<script defer data-href="script\.js" src="data:text\/javascript;charset=utf-8,([^"]*)"><\/script>/.exec(doc);
    assert.ok(m, doc);
    assert.equal(decodeURIComponent(m[1] as string), files['script.js']);
  });

  it('puts the CSP and the preview script first in <head>', () => {
    const doc = buildSrcdoc(files, 'index.html');
    const head = doc.indexOf('<head>') + '<head>'.length;
    assert.equal(doc.indexOf('<meta http-equiv="Content-Security-Policy"'), head);
    assert.match(doc, /default-src 'none'/);
    assert.ok(doc.indexOf('kaowuPreview') < doc.indexOf('<meta charset="utf-8">'));
    assert.ok(doc.startsWith('<!DOCTYPE html>'), 'the doctype stays first (no quirks mode)');
  });

  it('works on pages without <head> or <html>', () => {
    const a = buildSrcdoc({ 'index.html': '<!doctype html><p>x</p>' }, 'index.html');
    assert.ok(a.startsWith('<!doctype html><meta http-equiv="Content-Security-Policy"'), a.slice(0, 80));
    const b = buildSrcdoc({ 'index.html': '<p>x</p><link rel=stylesheet href=s.css>', 's.css': 'p{}' }, 'index.html');
    assert.ok(b.startsWith('<meta http-equiv="Content-Security-Policy"'));
    assert.ok(b.includes('<style data-href="s.css">p{}</style>'), 'unquoted attributes');
    const c = buildSrcdoc({ 'index.html': '<html><body>x</body></html>' }, 'index.html');
    assert.ok(c.startsWith('<html><meta http-equiv'));
  });

  it('resolves links relative to the page, and only to files of the folder', () => {
    assert.equal(resolveLocal('index.html', 'style.css'), 'style.css');
    assert.equal(resolveLocal('index.html', './css/a.css?v=2#x'), 'css/a.css');
    assert.equal(resolveLocal('pages/p.html', '../css/a.css'), 'css/a.css');
    assert.equal(resolveLocal('pages/p.html', 'b.js'), 'pages/b.js');
    assert.equal(resolveLocal('index.html', '../secret'), null);
    assert.equal(resolveLocal('index.html', '/exam/index.html'), null);
    assert.equal(resolveLocal('index.html', 'https://x.cn/a.css'), null);
    assert.equal(resolveLocal('index.html', '//x.cn/a.css'), null);
    assert.equal(resolveLocal('index.html', 'data:text/css,p{}'), null);
    assert.equal(resolveLocal('index.html', '#top'), null);
    assert.equal(resolveLocal('index.html', '%E6%A0%B7%E5%BC%8F.css'), '样式.css');
    const doc = buildSrcdoc({ 'pages/p.html': '<link rel="stylesheet" href="../css/a.css">', 'css/a.css': 'a{}' }, 'pages/p.html');
    assert.ok(doc.includes('<style data-href="css/a.css">a{}</style>'));
  });

  it('keeps the media of a style sheet and the type of a module script', () => {
    const doc = buildSrcdoc(
      {
        'index.html': '<link rel="stylesheet" media="print" href="p.css"><script type="module" src="m.js"></script>',
        'p.css': 'p{}',
        'm.js': 'export {}',
      },
      'index.html',
    );
    assert.ok(doc.includes('<style data-href="p.css" media="print">p{}</style>'));
    assert.ok(doc.includes('<script type="module" data-href="m.js">export {}</script>'));
  });

  it('leaves a link to a missing file alone and says when the page is missing', () => {
    const doc = buildSrcdoc({ 'index.html': '<script src="nope.js"></script>' }, 'index.html');
    assert.ok(doc.includes('<script src="nope.js"></script>'));
    assert.match(buildSrcdoc({}, 'index.html'), /找不到页面文件 index\.html/);
  });

  it('escapes what would end or confuse a script element', () => {
    assert.equal(escapeInlineScript('a = "</script>"; b = "<!--";'), 'a = "<\\/script>"; b = "<\\!--";');
    // The escaped text means the same to JavaScript.
    assert.equal(eval(escapeInlineScript('"</script><!--"')), '</script><!--');
  });

  it('previews the entry page, else index.html, else the first page', () => {
    const t = task({ type: 'webpage', entry: 'home.html' });
    assert.equal(previewPage(t, { 'home.html': '', 'index.html': '' }), 'home.html');
    assert.equal(previewPage(task({ type: 'webpage', entry: 'main.py' }), { 'b.html': '', 'index.html': '' }), 'index.html');
    assert.equal(previewPage(task({ type: 'webpage', entry: 'main.py' }), { 'b.html': '', 'a.htm': '' }), 'a.htm');
    assert.equal(previewPage(task({ type: 'webpage', entry: 'main.py' }), { 'a.css': '' }), null);
  });
});
