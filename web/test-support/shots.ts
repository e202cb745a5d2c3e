// Where a browser test writes its screenshots (and the downloads it reads
// back), for both front ends' tests. One variable for all of them:
//
//   KAOWU_SCREENSHOTS=/tmp/shots npm test    → /tmp/shots/<test>/*.png, kept

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const KEEP = 'KAOWU_SCREENSHOTS';

/** `$KAOWU_SCREENSHOTS/<name>` when the variable is set (created, and kept), else undefined. */
export function keptShotsDir(name: string): string | undefined {
  const root = process.env[KEEP];
  if (!root) return undefined;
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * For a test that needs its files either way: the kept directory when
 * KAOWU_SCREENSHOTS is set, else a fresh private one, `<tmpdir>/kaowu-<name>-XXXXXX`,
 * removed when the process exits. Two runs on one machine at once, or a run
 * as another user, never share (or trip over) a fixed /tmp path.
 */
export function shotsDir(name: string): string {
  const kept = keptShotsDir(name);
  if (kept) return kept;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kaowu-${name}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
