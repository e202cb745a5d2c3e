import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A real Chromium 75 — the oldest browser the exam client must run on — from
 * the npm package chrome-aws-lambda@1.15.1, which ships it brotli-compressed.
 * Decompressed once into the temp folder.
 */
export function chrome75Path(): string {
  const pkg = path.dirname(require.resolve('chrome-aws-lambda/package.json'));
  const compressed = fs.readdirSync(path.join(pkg, 'bin')).find((f) => /^chromium-75.*\.br$/.test(f));
  if (!compressed) throw new Error('chrome-aws-lambda does not ship chromium 75');
  const target = path.join(os.tmpdir(), `kaowu-${compressed.replace(/\.br$/, '')}`);
  if (!fs.existsSync(target)) {
    const tmp = `${target}.${process.pid}`;
    fs.writeFileSync(tmp, zlib.brotliDecompressSync(fs.readFileSync(path.join(pkg, 'bin', compressed))), { mode: 0o755 });
    fs.renameSync(tmp, target);
  }
  return target;
}

export const CHROME75_ARGS = ['--headless', '--no-sandbox', '--single-process', '--no-zygote', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking'];
