import type { Logger } from 'pino';
import type { DeliveryService } from './service.ts';

/** More work of each tick (e.g. the proctors' automatic 5-minute warning); must be safe on every node. */
export type SweepTask = { name: string; run: () => Promise<unknown> };

/**
 * Hands in every attempt whose deadline (plus grace) has passed, whether or
 * not its client is still there, then runs `tasks`. Runs on every node;
 * finalizing is idempotent, so nodes racing for the same attempt do no harm.
 */
export function startSweeper(delivery: DeliveryService, log: Logger, intervalMs: number, tasks: readonly SweepTask[] = []): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      let n: number;
      do {
        n = await delivery.finalizeDue();
        if (n > 0) log.info({ handedIn: n }, 'attempts handed in at their deadline');
      } while (n > 0);
    } catch (err) {
      log.error({ err }, 'deadline sweep failed');
    }
    for (const task of tasks) {
      try {
        await task.run();
      } catch (err) {
        log.error({ err, task: task.name }, 'sweep task failed');
      }
    }
  };
  const timer = setInterval(() => {
    if (!running) running = tick().finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
