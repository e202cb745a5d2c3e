// Proctors' messages (broadcasts, the 5-minute reminder, warnings) as the
// status carries them: each is shown once, until the candidate dismisses it;
// what was dismissed is remembered per attempt in localStorage, so a reload
// does not show it again.

import { readJSON, writeJSON, type KV } from './storage';
import type { ProctorMessage, ProctorMessageKind } from './types';

export const MESSAGE_TITLES: Record<ProctorMessageKind, string> = {
  broadcast: '监考员广播',
  'auto-warning': '5 分钟提醒',
  warning: '监考员警告',
};

export function messageTitle(kind: string): string {
  return (MESSAGE_TITLES as Record<string, string>)[kind] || '监考员消息';
}

export function seenKey(attemptId: string): string {
  return 'kaowu.exam.seen.' + attemptId;
}

const MAX_REMEMBERED = 200;

export class MessageBook {
  private readonly kv: KV | null;
  private readonly key: string;
  private seen: string[];
  private queue: ProctorMessage[] = [];

  constructor(kv: KV | null, attemptId: string) {
    this.kv = kv;
    this.key = seenKey(attemptId);
    const stored = kv ? readJSON<string[]>(kv, this.key) : null;
    this.seen = Array.isArray(stored) ? stored.filter((x) => typeof x === 'string') : [];
  }

  /** The message to show now (the oldest not yet dismissed), or null. */
  get current(): ProctorMessage | null {
    return this.queue.length ? (this.queue[0] as ProctorMessage) : null;
  }

  /** How many wait to be shown, the current one included. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Takes the status's messages; returns true when one is new. */
  absorb(messages: ProctorMessage[] | undefined): boolean {
    if (!Array.isArray(messages)) return false;
    let added = false;
    for (const m of messages) {
      if (!m || typeof m.id !== 'string' || this.seen.indexOf(m.id) >= 0) continue;
      if (this.queue.some((q) => q.id === m.id)) continue;
      this.queue.push(m);
      added = true;
    }
    return added;
  }

  /** The candidate closed it: never shown again for this attempt. */
  dismiss(id: string): void {
    this.queue = this.queue.filter((m) => m.id !== id);
    if (this.seen.indexOf(id) < 0) this.seen.push(id);
    if (this.seen.length > MAX_REMEMBERED) this.seen = this.seen.slice(-MAX_REMEMBERED);
    if (this.kv) writeJSON(this.kv, this.key, this.seen);
  }
}
