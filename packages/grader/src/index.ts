/**
 * @kaowu/grader — runs candidates' code for practical tasks in a bubblewrap sandbox
 * and grades it against the task's checks. Design and measurements: docs/grader.md.
 */
export { Grader, buildJob, checkTimes, jobBudgetMs, type GraderOptions, type GradeAnswer } from './grader.ts';
export { SandboxUnavailable, SandboxPool, REASON_NO_BWRAP, type PoolOptions, type JobSpec, type RawJobResult, type CheckMsg } from './sandbox.ts';
export { compareOutput, trimOutput, excerpt, type CompareMode } from './compare.ts';
export { PAGE_ORIGIN, REASON_NO_CHROMIUM } from './page.ts';
