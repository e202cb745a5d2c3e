import os from 'node:os';
import type { AppContext } from '../../context.ts';
import type { Config } from '../../config.ts';
import type { GradingBackend } from './backend.ts';
import { BullmqGrading } from './bullmq.ts';
import { InProcessGrading } from './in-process.ts';
import type { SandboxGrader } from './sandbox-port.ts';

/**
 * The grading backend this node runs, from its settings: BullMQ when
 * REDIS_URL is set, this process's own sandboxes otherwise, none with
 * GRADING=off (jobs then wait for a node that grades).
 */
export async function createGradingBackend(
  ctx: AppContext,
  config: Pick<Config, 'GRADING' | 'REDIS_URL' | 'GRADER_SLOTS' | 'GRADING_PREFIX'>,
): Promise<GradingBackend | null> {
  const mode = config.GRADING ?? (config.REDIS_URL ? 'bullmq' : 'in-process');
  if (mode === 'off') return null;
  if (mode === 'bullmq') {
    if (!config.REDIS_URL) throw new Error('GRADING=bullmq needs REDIS_URL');
    return new BullmqGrading(ctx, { redisUrl: config.REDIS_URL, prefix: config.GRADING_PREFIX });
  }
  const slots = config.GRADER_SLOTS ?? os.cpus().length;
  // Imported on first use: the sandbox package brings Chromium's driver with it.
  const { Grader } = await import('@kaowu/grader');
  return new InProcessGrading(ctx, (): SandboxGrader => new Grader({ slots, log: (msg: string, extra?: object) => ctx.log.info(extra ?? {}, msg) }), { concurrency: slots });
}
