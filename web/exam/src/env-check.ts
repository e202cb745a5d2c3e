// 环境检测 (environment check): pure helpers of the check page. The server
// judges the machine again from what is posted; these only show it first.

export const MIN_CHROME = 75;
export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 768;
/** What the check tries to reach; any address outside the exam network's white list will do. */
export const DEFAULT_OUTSIDE_URL = 'https://www.baidu.com/favicon.ico';

export interface TimeSample {
  /** Local Date.now() when the request left and when the answer came. */
  sentAt: number;
  receivedAt: number;
  serverMs: number;
}

/** Clock offset (server minus this machine, from the fastest round trip) and latency (median round trip). */
export function summarizeRounds(samples: TimeSample[]): { clockOffsetMs: number; latencyMs: number } | null {
  if (samples.length === 0) return null;
  const rtts = samples.map((s) => Math.max(0, s.receivedAt - s.sentAt)).sort((a, b) => a - b);
  const fastest = samples.reduce((best, s) => (s.receivedAt - s.sentAt < best.receivedAt - best.sentAt ? s : best));
  const rtt = Math.max(0, fastest.receivedAt - fastest.sentAt);
  const mid = Math.floor(rtts.length / 2);
  const at = (i: number) => rtts[i] as number;
  const median = rtts.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return { clockOffsetMs: Math.round(fastest.serverMs + rtt / 2 - fastest.receivedAt), latencyMs: Math.round(median) };
}

/** Browser and major version from a User-Agent (the server decides with the same rule). */
export function browserOf(ua: string): { browser: string; version: number | null } {
  const grab = (re: RegExp) => {
    const m = re.exec(ua);
    return m ? Number(m[1]) : null;
  };
  if (/Edg(e|A|iOS)?\//.test(ua)) return { browser: 'Edge', version: grab(/Edg(?:e|A|iOS)?\/(\d+)/) };
  if (/OPR\//.test(ua)) return { browser: 'Opera', version: grab(/OPR\/(\d+)/) };
  if (/(Chrome|Chromium)\/\d+/.test(ua)) return { browser: 'Chrome', version: grab(/(?:Chrome|Chromium)\/(\d+)/) };
  if (/Firefox\/\d+/.test(ua)) return { browser: 'Firefox', version: grab(/Firefox\/(\d+)/) };
  if (/Safari\//.test(ua)) return { browser: 'Safari', version: grab(/Version\/(\d+)/) };
  return { browser: '其他', version: null };
}

/** The outside URL to try: `#/check?outside=<url>` (http or https only), else the default. */
export function outsideUrlFrom(hash: string): string {
  const q = hash.indexOf('?');
  if (q < 0) return DEFAULT_OUTSIDE_URL;
  for (const part of hash.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === 'outside') {
      let v = '';
      try {
        v = decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        v = '';
      }
      if (/^https?:\/\/[^\s]+$/i.test(v)) return v;
    }
  }
  return DEFAULT_OUTSIDE_URL;
}

/** Whether the page is the check page (`#/check`, with or without a query). */
export function isCheckRoute(hash: string): boolean {
  return /^#\/check(\?|$)/.test(hash);
}
