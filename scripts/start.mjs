// `npm start`: build the front ends that are not built (or older than their
// sources), then run the server. Migrations and the demo seed run at start-up.
import { spawn } from 'node:child_process';
import { buildFrontEnds, REPO_ROOT } from './build-front-ends.mjs';

try {
  buildFrontEnds();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], { cwd: REPO_ROOT, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
