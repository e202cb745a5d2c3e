// `npm start`: build the front ends that are not built (or older than their
// sources), then run the server. Migrations and the demo seed run at start-up.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function buildFrontEnds({ force = false } = {}) {
  for (const name of ['exam', 'console']) {
    const dir = path.join(root, 'web', name);
    if (!fs.existsSync(path.join(dir, 'vite.config.ts'))) continue;
    const built = path.join(dir, 'dist', 'index.html');
    if (!force && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(dir)) continue;
    console.log(`构建前端 web/${name} …`);
    const r = spawnSync('npm', ['run', 'build', '-w', `web/${name}`], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildFrontEnds();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
