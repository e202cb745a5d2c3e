// Where a browser test writes its screenshots (and the downloads it reads
// back), for both front ends' tests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The directory named by `$envVar` when set (created if missing, and kept),
 * else a fresh private one, `<tmpdir>/kaowu-<name>-XXXXXX`, removed when the
 * process exits: two runs on one machine at once, or a run as another user,
 * never share (or trip over) a fixed /tmp path. Set the variable to keep the
 * screenshots for a look.
 */
export function shotsDir(envVar: string, name: string): string {
  const kept = process.env[envVar];
  if (kept) {
    fs.mkdirSync(kept, { recursive: true });
    return kept;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kaowu-${name}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
