import type { GradableTask, GradingResult } from '@kaowu/core';

/**
 * What the server needs of the sandbox grader (@kaowu/grader's Grader); an
 * interface so the queue can be tested and run without importing Chromium.
 */
export interface SandboxGrader {
  status(): Promise<{ available: boolean; reason?: string }>;
  grade(task: GradableTask, answer: { files?: Record<string, string>; zip?: Buffer }, opts?: { samplesOnly?: boolean }): Promise<GradingResult>;
  close(): Promise<void>;
}

export interface SandboxStatus {
  available: boolean;
  reason?: string;
  checkedAt: number;
}
