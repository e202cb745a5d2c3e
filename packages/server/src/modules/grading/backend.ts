import type { GradingResult } from '@kaowu/core';
import type { JobInput } from './job-input.ts';
import type { SandboxStatus } from './sandbox-port.ts';

/**
 * Where grading runs. The database's grading_jobs rows are the source of
 * truth (written in the hand-in transaction); a backend carries them to a
 * sandbox and records each result once:
 * - InProcessGrading: this node's own sandboxes (the embedded default);
 * - BullmqGrading: Redis queues worked by `npm run grader` on other hosts.
 */
export interface GradingBackend {
  readonly kind: 'in-process' | 'bullmq';
  start(): void;
  /** A job was queued: look now rather than at the next poll. */
  wake(): void;
  /** The Run button: the visible samples only, now. */
  runSamples(input: JobInput): Promise<GradingResult>;
  /** Whether a sandbox is there to run code, and why not. */
  sandboxStatus(): Promise<SandboxStatus>;
  close(): Promise<void>;
}

export class GraderUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
