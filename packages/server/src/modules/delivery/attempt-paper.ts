import type { PaperEntry } from '@kaowu/core';

export interface CachedPaper {
  /** The registration the attempt belongs to. */
  registrationId: string;
  entries: Map<string, PaperEntry>;
}

/**
 * Parsed papers by attempt id, with their owner. Neither ever changes once the
 * paper is drawn, so a parsed copy is safe to keep on any node; the map is
 * bounded and simply dropped when full.
 */
export class PaperCache {
  private readonly papers = new Map<string, CachedPaper>();
  constructor(private readonly max = 50_000) {}

  get(attemptId: string): CachedPaper | undefined {
    return this.papers.get(attemptId);
  }

  put(attemptId: string, registrationId: string, json: string): CachedPaper {
    const paper = { registrationId, entries: new Map((JSON.parse(json) as PaperEntry[]).map((e) => [e.questionId, e])) };
    if (this.papers.size >= this.max) this.papers.clear();
    this.papers.set(attemptId, paper);
    return paper;
  }
}
