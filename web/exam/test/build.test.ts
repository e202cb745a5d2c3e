// The production build runs on Chrome 75: every built JS file must parse as
// ES2019 (plus dynamic import(), Chrome 63), the initial JS (the entry script of
// dist/index.html and its static imports) must stay ≤ 150 KB gzipped and free
// of the practical paper's code and CodeMirror (loaded on demand), and no
// runtime API or CSS feature newer than Chrome 75 may appear. Builds first when
// dist is missing or stale.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse, type Node } from 'acorn';

const EXAM = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(EXAM, 'dist');
const BASE = '/exam/';
const LIMIT = 150 * 1024;

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function newestSource(): number {
  const files = [...walk(join(EXAM, 'src')), join(EXAM, 'index.html'), join(EXAM, 'vite.config.ts'), join(EXAM, 'package.json')];
  return Math.max(...files.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: EXAM, encoding: 'utf8', env: process.env });
  assert.equal(r.status, 0, 'vite build failed:\n' + r.stdout + '\n' + r.stderr);
}

/** Every node of an AST. */
function* nodes(node: unknown): Generator<{ type: string; start: number; [k: string]: unknown }> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) yield* nodes(n);
    return;
  }
  const n = node as { type?: unknown; [k: string]: unknown };
  if (typeof n.type === 'string') yield n as { type: string; start: number };
  for (const k of Object.keys(n)) if (k !== 'loc') yield* nodes(n[k]);
}

/**
 * Parses a built file as ES2019 plus dynamic import() (Chrome 63; how the
 * practical paper and CodeMirror are loaded on demand): parsed as ES2020, then
 * every other ES2020 syntax is refused (?. and ?? arrived in Chrome 80).
 */
function parseModule(file: string) {
  const code = readFileSync(file, 'utf8');
  const fail = (pos: number | undefined, message: string): never => {
    const at = typeof pos === 'number' ? code.slice(Math.max(0, pos - 60), pos + 60) : '';
    throw new Error(relative(EXAM, file) + ': not ES2019: ' + message + '\n  near: ' + at);
  };
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 2020, sourceType: 'module' });
  } catch (e) {
    const err = e as Error & { pos?: number };
    return fail(err.pos, err.message);
  }
  for (const n of nodes(ast)) {
    if (n.type === 'ChainExpression') fail(n.start, 'optional chaining ?. (Chrome 80)');
    if (n.type === 'LogicalExpression' && n.operator === '??') fail(n.start, 'nullish coalescing ?? (Chrome 80)');
    if (n.type === 'Literal' && typeof n.bigint === 'string') fail(n.start, 'BigInt literal');
    if (n.type === 'ExportAllDeclaration' && n.exported) fail(n.start, 'export * as ns');
  }
  return ast;
}

/** dist file of a URL used in index.html or an import specifier. */
function fileOfUrl(url: string, fromFile?: string): string {
  if (url.startsWith(BASE)) return join(DIST, url.slice(BASE.length));
  if (url.startsWith('/')) return join(DIST, url.slice(1));
  if (fromFile && (url.startsWith('./') || url.startsWith('../'))) return resolve(dirname(fromFile), url);
  return join(DIST, url);
}

function staticImports(ast: Node): string[] {
  const out: string[] = [];
  for (const node of (ast as unknown as { body: Array<{ type: string; source?: { value: unknown } | null }> }).body) {
    if (
      (node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') &&
      node.source &&
      typeof node.source.value === 'string'
    ) {
      out.push(node.source.value);
    }
  }
  return out;
}

function entryScripts(html: string): string[] {
  const urls: string[] = [];
  const script = /<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["'][^>]*>/gi;
  const preload = /<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["'][^>]*>/gi;
  let m: RegExpExecArray | null;
  while ((m = script.exec(html))) urls.push(m[1] as string);
  while ((m = preload.exec(html))) urls.push(m[1] as string);
  return urls;
}

/** The entry script of dist/index.html and everything it imports statically. */
function initialJs(): Set<string> {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const entries = entryScripts(html);
  assert.ok(entries.length > 0, 'no module script in dist/index.html');
  const seen = new Set<string>();
  const queue = entries.map((u) => fileOfUrl(u));
  while (queue.length) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(existsSync(file), 'missing ' + relative(EXAM, file));
    for (const spec of staticImports(parseModule(file))) queue.push(fileOfUrl(spec, file));
  }
  return seen;
}

describe('production build (Chrome 75)', () => {
  before(() => ensureBuilt());

  it('every built JS file parses as ES2019', () => {
    const files = walk(DIST).filter((f) => /\.m?js$/.test(f));
    assert.ok(files.length > 0, 'no JS in dist');
    for (const f of files) parseModule(f);
  });

  it('initial JS is at most 150 KB gzipped', (t) => {
    const files = initialJs();
    let raw = 0;
    let gz = 0;
    for (const file of files) {
      const buf = readFileSync(file);
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    t.diagnostic(`initial JS: ${files.size} file(s), ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`);
    assert.ok(gz <= LIMIT, `initial JS is ${(gz / 1024).toFixed(1)} KB gzipped (limit 150 KB)`);
  });

  it('CodeMirror and the practical paper are separate chunks, loaded only by dynamic import()', (t) => {
    const initial = initialJs();
    const js = walk(DIST).filter((f) => /\.m?js$/.test(f));
    // CodeMirror's view: its base theme names the editable content element.
    const isCodeMirror = (f: string) => readFileSync(f, 'utf8').includes('.cm-content');
    for (const f of initial) {
      assert.ok(!isCodeMirror(f), relative(EXAM, f) + ' is initial JS and holds CodeMirror');
      assert.ok(!/PracticalPane|editor-|cm-/.test(relative(DIST, f)), relative(EXAM, f) + ' is a practical chunk in the initial JS');
    }
    const editor = js.filter((f) => /^editor-[\w-]+\.js$/.test(f.split(/[\\/]/).pop() as string));
    assert.equal(editor.length, 1, 'one editor chunk');
    assert.ok(isCodeMirror(editor[0] as string), 'the editor chunk holds CodeMirror');
    assert.equal(js.filter(isCodeMirror).length, 1, 'CodeMirror is in the editor chunk only');
    const pane = js.filter((f) => /^PracticalPane-[\w-]+\.js$/.test(f.split(/[\\/]/).pop() as string));
    assert.equal(pane.length, 1, 'one PracticalPane chunk');
    const editorName = (editor[0] as string).split(/[\\/]/).pop() as string;
    const dynamicTargets = (file: string) => {
      const out: string[] = [];
      for (const n of nodes(parseModule(file))) {
        const src = n.source as { type?: string; value?: unknown } | undefined;
        if (n.type === 'ImportExpression' && src && src.type === 'Literal' && typeof src.value === 'string') out.push(src.value);
      }
      return out;
    };
    assert.ok(
      dynamicTargets(pane[0] as string).some((s) => s.endsWith(editorName)),
      'the practical chunk loads the editor with import()',
    );
    for (const f of js) {
      if (f === pane[0]) continue;
      for (const spec of staticImports(parseModule(f))) {
        assert.ok(!spec.endsWith(editorName) || /cm-/.test(relative(DIST, f)), relative(EXAM, f) + ' imports the editor statically');
      }
    }
    for (const [name, files] of [
      ['editor', editor],
      ['PracticalPane', pane],
    ] as const) {
      const gz = gzipSync(readFileSync(files[0] as string), { level: 9 }).length;
      t.diagnostic(`${name} chunk: ${(gz / 1024).toFixed(1)} KB gzipped`);
    }
    const langs = js.filter((f) => /^cm-lang-/.test(f.split(/[\\/]/).pop() as string));
    t.diagnostic(
      'language chunks: ' +
        langs.map((f) => `${(f.split(/[\\/]/).pop() as string).replace(/-[\w]+\.js$/, '')} ${(gzipSync(readFileSync(f), { level: 9 }).length / 1024).toFixed(1)} KB`).join(', '),
    );
  });

  it('uses no runtime API newer than Chrome 75', () => {
    const banned: Array<[RegExp, string]> = [
      [/\.allSettled\b/, 'Promise.allSettled (Chrome 76)'],
      [/\.replaceAll\(/, 'String.prototype.replaceAll (Chrome 85)'],
      [/\bstructuredClone\b/, 'structuredClone (Chrome 98)'],
      [/\.at\(/, 'Array.prototype.at (Chrome 92)'],
      [/\.findLast(Index)?\(/, 'findLast (Chrome 97)'],
      [/\bObject\.hasOwn\(/, 'Object.hasOwn (Chrome 93)'],
      [/\bAggregateError\b|\bPromise\.any\(/, 'Promise.any (Chrome 85)'],
      [/\bWeakRef\b|\bFinalizationRegistry\b/, 'WeakRef (Chrome 84)'],
      [/\bResizeObserver\b/, 'ResizeObserver (Chrome 64, not needed)'],
    ];
    for (const f of walk(DIST).filter((x) => /\.m?js$/.test(x))) {
      const code = readFileSync(f, 'utf8');
      // CodeMirror uses ResizeObserver when there is one (Chrome 64 has it).
      const editor = /^editor-/.test(f.split(/[\\/]/).pop() as string);
      for (const [re, what] of banned) {
        if (editor && /ResizeObserver/.test(what)) continue;
        assert.ok(!re.test(code), relative(EXAM, f) + ' uses ' + what);
      }
    }
  });

  it('CSS avoids features newer than Chrome 75', () => {
    const css = walk(DIST).filter((x) => x.endsWith('.css'));
    assert.ok(css.length > 0, 'no CSS in dist');
    const banned: Array<[RegExp, string]> = [
      [/(^|[;{\s])(row-|column-)?gap\s*:/, 'gap (flex gap: Chrome 84)'],
      [/:is\(|:where\(/, ':is/:where (Chrome 88)'],
      [/(^|[;{\s])inset\s*:/, 'inset (Chrome 87)'],
      [/aspect-ratio/, 'aspect-ratio (Chrome 88)'],
      [/:has\(/, ':has (Chrome 105)'],
      [/\b(dvh|svh|lvh)\b/, 'dynamic viewport units (Chrome 108)'],
    ];
    for (const f of css) {
      const text = readFileSync(f, 'utf8');
      for (const [re, what] of banned) assert.ok(!re.test(text), relative(EXAM, f) + ' uses ' + what);
    }
  });
});
