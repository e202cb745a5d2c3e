// The live link to the server while an attempt is open (GET /api/candidate/live,
// a WebSocket): the first message is { token, attemptId }, the server answers
// { type: 'ready' } and then { type: 'changed', kind } whenever something
// concerning this candidate happened (a broadcast, a warning, more time, a
// hand-in by a proctor, a machine switch). The link carries no data: the
// attempt reads its status. It reconnects with backoff, waits while the
// browser is offline, and gives up for good on refusals (bad token, Safe Exam
// Browser required, unknown attempt): the 10-second status poll stays.

export interface LiveSocket {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveLinkOptions {
  url: string;
  /** The first message; null when there is no token (the link stops). */
  hello(): { token: string; attemptId: string } | null;
  /** Something changed: read the status. */
  onChanged(kind: string): void;
  /** Connected again after a break: events may have been missed. */
  onReconnected?(): void;
  createSocket?: (url: string) => LiveSocket;
  timers?: LiveTimers;
  /** 0..1, spreads the reconnections of a whole room after a server restart */
  random?: () => number;
  isOnline?: () => boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Close codes after which reconnecting cannot help. */
const FINAL_CODES = [4401, 4403, 4404];

/** ws:// or wss:// of this page's server. */
export function liveUrl(loc: { protocol: string; host: string }): string {
  return (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/api/candidate/live';
}

const realTimers: LiveTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class LiveLink {
  private readonly opts: LiveLinkOptions;
  private readonly timers: LiveTimers;
  private socket: LiveSocket | null = null;
  private timer: unknown = null;
  private failures = 0;
  private readyOnce = false;
  private stopped = false;
  private waitingOnline = false;
  /** the server refused for good (a 44xx close) */
  refused: number | null = null;
  /** 'ready' received on the current socket */
  connected = false;

  constructor(opts: LiveLinkOptions) {
    this.opts = opts;
    this.timers = opts.timers || realTimers;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    const s = this.socket;
    this.socket = null;
    this.connected = false;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onerror = null;
      s.onclose = null;
      try {
        s.close(1000, 'done');
      } catch {
        /* already closed */
      }
    }
  }

  /** The browser is back online: connect now if the link was waiting. */
  online(): void {
    if (this.stopped || this.refused !== null) return;
    if (this.waitingOnline || (!this.socket && this.timer !== null)) {
      this.waitingOnline = false;
      this.clearTimer();
      this.connect();
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private isOnline(): boolean {
    if (this.opts.isOnline) return this.opts.isOnline();
    return typeof navigator === 'undefined' || navigator.onLine !== false;
  }

  private connect(): void {
    if (this.stopped || this.socket || this.refused !== null) return;
    if (!this.isOnline()) {
      // Connecting now would only log a failed connection: wait for online().
      this.waitingOnline = true;
      return;
    }
    const hello = this.opts.hello();
    if (!hello) return this.stop();
    let s: LiveSocket;
    try {
      s = this.opts.createSocket ? this.opts.createSocket(this.opts.url) : (new WebSocket(this.opts.url) as unknown as LiveSocket);
    } catch {
      this.failures++;
      this.schedule();
      return;
    }
    this.socket = s;
    this.connected = false;
    s.onopen = () => {
      try {
        s.send(JSON.stringify(hello));
      } catch {
        /* onclose follows */
      }
    };
    s.onmessage = (ev) => {
      let msg: { type?: unknown; kind?: unknown } | null = null;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        msg = null;
      }
      if (!msg || this.socket !== s) return;
      if (msg.type === 'ready') {
        this.connected = true;
        this.failures = 0;
        const again = this.readyOnce;
        this.readyOnce = true;
        if (again && this.opts.onReconnected) this.opts.onReconnected();
      } else if (msg.type === 'changed') {
        this.opts.onChanged(typeof msg.kind === 'string' ? msg.kind : '');
      }
    };
    s.onerror = () => {
      /* onclose follows */
    };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = null;
      const wasConnected = this.connected;
      this.connected = false;
      if (this.stopped) return;
      if (FINAL_CODES.indexOf(ev.code) >= 0) {
        this.refused = ev.code;
        return;
      }
      if (!wasConnected) this.failures++;
      this.schedule();
    };
  }

  /** Backoff 1 s → 30 s (±20 %); the first reconnection after a working link is quick. */
  private schedule(): void {
    if (this.stopped) return;
    const min = this.opts.minBackoffMs || 1000;
    const max = this.opts.maxBackoffMs || 30_000;
    const base = Math.min(min * Math.pow(2, Math.max(0, this.failures - 1)), max);
    const r = this.opts.random ? this.opts.random() : Math.random();
    const delay = Math.min(max, Math.max(min, Math.round(base * (0.8 + 0.4 * r))));
    this.clearTimer();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
