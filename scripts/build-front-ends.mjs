// Builds the front ends (web/exam, web/console) that are not built, or are
// older than their sources. Used by `npm start`, `npm test` and the browser tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function buildFrontEnds({ names = ['exam', 'console'], force = false, quiet = false } = {}) {
  for (const name of names) {
    const dir = path.join(REPO_ROOT, 'web', name);
    if (!fs.existsSync(path.join(dir, 'vite.config.ts'))) continue;
    const built = path.join(dir, 'dist', 'index.html');
    if (!force && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(dir)) continue;
    if (!quiet) console.log(`构建前端 web/${name} …`);
    const r = spawnSync('npm', ['run', 'build', '-w', `web/${name}`], { cwd: REPO_ROOT, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build -w web/${name} failed\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}
