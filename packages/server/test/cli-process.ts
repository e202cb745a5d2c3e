import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../src/content.ts';
import type { TestDatabase } from './helpers.ts';

const CLI = path.join(REPO_ROOT, 'packages/server/src/cli/main.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run kaowu -- <args>` as a child process against the test database. */
export function kaowu(database: TestDatabase, args: string[]): Promise<CliRun> {
  return runKaowu(args, { LOG_LEVEL: 'warn', DATABASE_URL: database.url, ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}) });
}

/** The CLI as a child process with these environment variables added. */
export function runKaowu(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
