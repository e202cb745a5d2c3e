import type { PaperEntry } from '@kaowu/core';

/**
 * Parsed papers by attempt id. A paper never changes once drawn, so a parsed
 * copy is safe to keep; the map is bounded and simply dropped when full.
 */
export class PaperCache {
  private readonly papers = new Map<string, Map<string, PaperEntry>>();
  constructor(private readonly max = 50_000) {}

  get(attemptId: string, json: string): Map<string, PaperEntry> {
    let paper = this.papers.get(attemptId);
    if (!paper) {
      paper = new Map((JSON.parse(json) as PaperEntry[]).map((e) => [e.questionId, e]));
      if (this.papers.size >= this.max) this.papers.clear();
      this.papers.set(attemptId, paper);
    }
    return paper;
  }
}
