// `npm test`: type-check, build the front ends, then run every *.test.ts with
// node's test runner. Database tests run on SQLite and on PostgreSQL
// (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrontEnds } from './build-front-ends.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(p, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

const only = process.argv.slice(2);
if (only.length === 0) {
  const projects = ['tsconfig.json', 'web/exam/tsconfig.json', 'web/console/tsconfig.json', 'web/console/test/tsconfig.json', 'web/exam/test/tsconfig.json'].filter((p) => fs.existsSync(path.join(root, p)));
  for (const project of projects) {
    console.log(`类型检查 (tsc -p ${project}) …`);
    const tsc = spawnSync('npx', ['tsc', '-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  }
}
try {
  buildFrontEnds();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const files = only.length ? only : ['packages', 'web', 'bench'].filter((d) => fs.existsSync(path.join(root, d))).flatMap((d) => findTests(path.join(root, d))).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, KAOWU_TEST: '1' },
});
process.exit(r.status ?? 1);
