import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One finished request: `status` 0 means a network error or a time-out (`error` says which). */
export interface Reply {
  status: number;
  body: string;
  /** From handing the request to the socket to the end of the response. */
  ms: number;
  /** How long the request waited for a free slot in the client before being sent. */
  queuedMs: number;
  /** Whether the request went over a kept-alive socket (false: a new connection). */
  reused: boolean;
  error?: string;
}

/**
 * A small load-generator client over node:http with a keep-alive agent. At
 * most `limit` requests are in flight; the agent has as many sockets, so a
 * request that got a slot never waits inside the agent. Never rejects: a
 * failure comes back as a Reply with status 0.
 */
export class HttpClient {
  readonly agent: http.Agent;
  private inflight = 0;
  private readonly waiters: ((go: boolean) => void)[] = [];
  private head = 0;

  constructor(
    private readonly port: number,
    readonly limit: number,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: limit, maxFreeSockets: limit, scheduling: 'fifo' });
  }

  get inFlight(): number {
    return this.inflight;
  }

  get queued(): number {
    return this.waiters.length - this.head;
  }

  close(): void {
    this.agent.destroy();
  }

  async send(method: string, path: string, body: string | null, authorization?: string): Promise<Reply> {
    const q0 = performance.now();
    if (this.inflight < this.limit) this.inflight++;
    else if (!(await new Promise<boolean>((resolve) => this.waiters.push(resolve)))) {
      return { status: 0, body: '', ms: 0, queuedMs: performance.now() - q0, reused: false, error: 'NOT_SENT' };
    }
    const queuedMs = performance.now() - q0;
    try {
      return await this.raw(method, path, body, authorization, queuedMs);
    } finally {
      this.release();
    }
  }

  /** Hands the slot straight to the next waiter, if any. */
  private release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head++]!;
      if (this.head > 4096 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next(true);
    } else {
      this.inflight--;
    }
  }

  /** Fails every request still waiting for a slot (never sent: error NOT_SENT); returns how many. */
  abortQueued(): number {
    const waiting = this.waiters.splice(this.head);
    this.waiters.length = 0;
    this.head = 0;
    for (const w of waiting) w(false);
    return waiting.length;
  }

  /** At the end of a phase: drops what is still queued and waits (bounded) for what is in flight. */
  async settle(maxWaitMs = this.timeoutMs + 5000): Promise<{ dropped: number; stillInFlight: number }> {
    const dropped = this.abortQueued();
    const end = performance.now() + maxWaitMs;
    while (this.inflight > 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
    return { dropped, stillInFlight: this.inflight };
  }

  private raw(method: string, path: string, body: string | null, authorization: string | undefined, queuedMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      if (authorization) headers.authorization = authorization;
      let settled = false;
      const t0 = performance.now();
      const finish = (r: Omit<Reply, 'ms' | 'queuedMs' | 'reused'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...r, ms: performance.now() - t0, queuedMs, reused: req.reusedSocket });
      };
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, body: '', error: err.code ?? err.message }));
      });
      req.setTimeout(this.timeoutMs, () => {
        finish({ status: 0, body: '', error: 'TIMEOUT' });
        req.destroy();
      });
      req.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, body: '', error: err.code ?? err.message }));
      req.end(body ?? undefined);
    });
  }
}

/** The error key of a reply: `409 ALREADY_SUBMITTED`, `ECONNRESET`, `TIMEOUT`… */
export function errorKey(r: Reply): string {
  if (r.status === 0) return r.error ?? 'NETWORK';
  try {
    const code = (JSON.parse(r.body) as { error?: { code?: string } }).error?.code;
    return code ? `${r.status} ${code}` : String(r.status);
  } catch {
    return String(r.status);
  }
}
