// The production build runs on Chrome 75: every built JS file must parse as
// ES2019, the initial JS (the entry script of dist/index.html and its static
// imports) must stay ≤ 150 KB gzipped, and no runtime API or CSS feature newer
// than Chrome 75 may appear. Builds first when dist is missing or stale.

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

function parseModule(file: string) {
  const code = readFileSync(file, 'utf8');
  try {
    return parse(code, { ecmaVersion: 2019, sourceType: 'module' });
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number }; pos?: number };
    const at = typeof err.pos === 'number' ? code.slice(Math.max(0, err.pos - 60), err.pos + 60) : '';
    throw new Error(relative(EXAM, file) + ': not ES2019: ' + err.message + '\n  near: ' + at);
  }
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

describe('production build (Chrome 75)', () => {
  before(() => ensureBuilt());

  it('every built JS file parses as ES2019', () => {
    const files = walk(DIST).filter((f) => /\.m?js$/.test(f));
    assert.ok(files.length > 0, 'no JS in dist');
    for (const f of files) parseModule(f);
  });

  it('initial JS is at most 150 KB gzipped', (t) => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const entries = entryScripts(html);
    assert.ok(entries.length > 0, 'no module script in dist/index.html');
    const seen = new Set<string>();
    const queue = entries.map((u) => fileOfUrl(u));
    let raw = 0;
    let gz = 0;
    while (queue.length) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      assert.ok(existsSync(file), 'missing ' + relative(EXAM, file));
      const buf = readFileSync(file);
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
      for (const spec of staticImports(parseModule(file))) queue.push(fileOfUrl(spec, file));
    }
    t.diagnostic(`initial JS: ${seen.size} file(s), ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`);
    assert.ok(gz <= LIMIT, `initial JS is ${(gz / 1024).toFixed(1)} KB gzipped (limit 150 KB)`);
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
      for (const [re, what] of banned) assert.ok(!re.test(code), relative(EXAM, f) + ' uses ' + what);
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
