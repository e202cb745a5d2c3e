import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Something changed in a sitting that a proctor's seat map or a candidate's
 * client must see now. Carries no data: listeners fetch the current state,
 * so a lost or repeated event costs one extra read and never a wrong picture.
 */
export interface LiveEvent {
  sittingId: string;
  /** The room concerned; null/absent: the whole sitting (or unknown). */
  roomId?: string | null;
  /** The candidate concerned; null/absent: everyone in the room or sitting. */
  registrationId?: string | null;
  /** What happened, for logs and for listeners that care (e.g. 'broadcast'). */
  kind: string;
}

/**
 * Publish/subscribe by sitting. In one process an EventEmitter; with several
 * app nodes Redis pub/sub, so that any node can serve any proctor or candidate.
 */
export interface LiveBus {
  publish(event: LiveEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(sittingId: string, listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

export class LocalLiveBus implements LiveBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: LiveEvent): void {
    this.emitter.emit(event.sittingId, event);
  }

  subscribe(sittingId: string, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(sittingId, listener);
    return () => this.emitter.off(sittingId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * Redis pub/sub, one channel per sitting (`<prefix>live:<sittingId>`). A node
 * subscribes to a channel while at least one of its sockets listens to it.
 * Events published by this node also come back through Redis, so local and
 * remote listeners see the same stream.
 */
export class RedisLiveBus implements LiveBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new LocalLiveBus();
  private readonly counts = new Map<string, number>();

  constructor(redisUrl: string, private readonly log: Logger, private readonly prefix = 'kaowu:') {
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.sub.on('message', (channel: string, message: string) => {
      try {
        const event = JSON.parse(message) as LiveEvent;
        this.local.publish(event);
      } catch (err) {
        this.log.warn({ err, channel }, 'bad live event');
      }
    });
    for (const r of [this.pub, this.sub]) r.on('error', (err) => this.log.warn({ err }, 'live bus: redis error'));
  }

  private channel(sittingId: string) {
    return `${this.prefix}live:${sittingId}`;
  }

  publish(event: LiveEvent): void {
    this.pub.publish(this.channel(event.sittingId), JSON.stringify(event)).catch((err: unknown) => this.log.warn({ err }, 'live bus: publish failed'));
  }

  /** Resolves once Redis confirmed the subscription (tests wait for it). */
  ready(sittingId: string): Promise<unknown> {
    return this.sub.subscribe(this.channel(sittingId));
  }

  subscribe(sittingId: string, listener: (event: LiveEvent) => void): () => void {
    const n = this.counts.get(sittingId) ?? 0;
    this.counts.set(sittingId, n + 1);
    if (n === 0) this.ready(sittingId).catch((err: unknown) => this.log.warn({ err }, 'live bus: subscribe failed'));
    const off = this.local.subscribe(sittingId, listener);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      const left = (this.counts.get(sittingId) ?? 1) - 1;
      if (left > 0) this.counts.set(sittingId, left);
      else {
        this.counts.delete(sittingId);
        this.sub.unsubscribe(this.channel(sittingId)).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    await this.local.close();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/** Redis when REDIS_URL is set (several app nodes), in-process otherwise. */
export function createLiveBus(redisUrl: string | undefined, log: Logger, prefix?: string): LiveBus {
  return redisUrl ? new RedisLiveBus(redisUrl, log, prefix) : new LocalLiveBus();
}
