/**
 * Page checks of webpage tasks: the candidate's files are served to headless Chromium
 * from a virtual origin (http://task.invalid/) by request interception; every other
 * request is aborted, and a dead proxy catches anything interception does not see.
 * One browser per Grader, a fresh context (cookies, storage, cache) per job.
 *
 * Known limit (docs/grader.md): Chromium runs here with --no-sandbox, as the grader's
 * user. The candidate's page is confined by the renderer and by the routing, not by
 * bubblewrap.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CheckResult, PageCheck } from '@kaowu/core';

export const PAGE_ORIGIN = 'http://task.invalid';

export const REASON_NO_CHROMIUM = '未找到 Chromium，无法判分网页题';

const MIME: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--no-first-run',
  '--dns-prefetch-disable',
  // A proxy that does not exist, loopback included: whatever escapes interception
  // (it should be nothing) cannot reach a network service.
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-dev-shm-usage',
];

/**
 * Runs in the page. A string, not a function: page.evaluate would serialize a function
 * with whatever helpers the TypeScript loader injected into it.
 */
const EVAL_CHECKS = `(specs) => specs.map((s) => {
  let els;
  try { els = Array.from(document.querySelectorAll(s.selector)); }
  catch (e) { return { bad: String(e && e.message || e) }; }
  const e = s.expect;
  const norm = (t) => String(t == null ? '' : t).replace(/\\s+/g, ' ').trim();
  if ('exists' in e || 'count' in e) return { count: els.length };
  if (els.length === 0) return { count: 0 };
  if ('text' in e) {
    const texts = els.map((el) => norm(el.innerText != null ? el.innerText : el.textContent));
    const want = norm(e.text);
    const hit = texts.find((t) => t.includes(want));
    return { count: els.length, ok: hit !== undefined, got: hit !== undefined ? hit : texts[0] };
  }
  if ('style' in e) {
    const el = els[0];
    const prop = e.style.property;
    const got = getComputedStyle(el).getPropertyValue(prop).trim();
    let want = e.style.value.trim();
    if (got !== want) {
      // "red" and "rgb(255, 0, 0)" are the same colour: let the browser normalise the
      // expected value the way it computed the actual one.
      const probe = document.createElement(el.tagName);
      probe.style.setProperty(prop, want);
      probe.style.setProperty('display', prop === 'display' ? want : 'none');
      (el.parentNode || document.documentElement).appendChild(probe);
      const norm2 = getComputedStyle(probe).getPropertyValue(prop).trim();
      probe.remove();
      if (norm2) want = norm2;
    }
    return { count: els.length, ok: got === want, got };
  }
  if ('attribute' in e) {
    const got = els[0].getAttribute(e.attribute.name);
    return { count: els.length, ok: got === e.attribute.value, got };
  }
  return { bad: 'unknown expectation' };
})`;

interface EvalOutcome {
  bad?: string;
  count?: number;
  ok?: boolean;
  got?: string | null;
}

const short = (s: string | null | undefined, n = 80) => {
  const t = s ?? '';
  return t.length > n ? t.slice(0, n) + '…' : t;
};

function judge(c: PageCheck, o: EvalOutcome | undefined): Pick<CheckResult, 'verdict' | 'message'> {
  if (!o) return { verdict: 'sandbox-error', message: '页面检查没有返回结果' };
  if (o.bad) return { verdict: 'error', message: `选择器无效：${c.selector}（${short(o.bad, 120)}）` };
  const e = c.expect;
  const n = o.count ?? 0;
  if ('exists' in e) {
    if ((n > 0) === e.exists) return { verdict: 'passed', message: '通过' };
    return { verdict: 'failed', message: e.exists ? `页面中没有找到 ${c.selector}` : `页面中不应有 ${c.selector}，实际有 ${n} 个` };
  }
  if ('count' in e) {
    return n === e.count ? { verdict: 'passed', message: '通过' } : { verdict: 'failed', message: `${c.selector} 有 ${n} 个，应为 ${e.count} 个` };
  }
  if (n === 0) return { verdict: 'failed', message: `页面中没有找到 ${c.selector}` };
  if (o.ok) return { verdict: 'passed', message: '通过' };
  if ('text' in e) return { verdict: 'failed', message: `${c.selector} 的文字不包含“${short(e.text)}”（实际为“${short(o.got)}”）` };
  if ('style' in e) return { verdict: 'failed', message: `${c.selector} 的样式 ${e.style.property} 为 ${short(o.got)}，应为 ${e.style.value}` };
  return { verdict: 'failed', message: `${c.selector} 的属性 ${e.attribute.name} 为 ${o.got === null || o.got === undefined ? '（无）' : `“${short(o.got)}”`}，应为“${short(e.attribute.value)}”` };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<typeof TIMEOUT>((r) => (t = setTimeout(() => r(TIMEOUT), ms)))]).finally(() => clearTimeout(t));
}
const TIMEOUT = Symbol('timeout');

export interface PageRunStats {
  /** URLs the page tried to load outside its own files (all refused). */
  blocked: string[];
  ms: number;
}

export class PageChecker {
  private browser: Browser | null = null;
  private launching: Promise<Browser> | null = null;
  /** A fresh context with a blank page, made ahead of the next job: a renderer takes a
   * second or more to start on a loaded machine. Never reused across jobs. */
  private spare: Promise<{ ctx: BrowserContext; page: Page } | null> | null = null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly chromiumPath: string,
    private readonly log: (msg: string, extra?: object) => void,
    private readonly concurrency = 2,
  ) {}

  available(): string | null {
    try {
      fs.accessSync(this.chromiumPath, fs.constants.X_OK);
      return null;
    } catch {
      return `${REASON_NO_CHROMIUM}（${this.chromiumPath}）`;
    }
  }

  private async getBrowser(): Promise<Browser> {
    if (this.closed) throw new Error('浏览器已关闭');
    if (this.browser?.isConnected()) return this.browser;
    if (this.launching) return this.launching;
    this.launching = (async () => {
      const { chromium } = await import('playwright-core');
      const b = await chromium.launch({ executablePath: this.chromiumPath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
      b.on('disconnected', () => {
        if (this.browser === b) this.browser = null;
      });
      this.browser = b;
      return b;
    })().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async freshContext(): Promise<{ ctx: BrowserContext; page: Page }> {
    // Taken synchronously: two jobs starting together must not share one context.
    const pending = this.spare;
    this.spare = null;
    const spare = pending ? await pending : null;
    const fresh = spare && spare.ctx.browser()?.isConnected() ? spare : await this.makeContext();
    this.prepareSpare();
    return fresh;
  }

  private async makeContext(): Promise<{ ctx: BrowserContext; page: Page }> {
    const browser = await this.getBrowser();
    const ctx = await browser.newContext({ javaScriptEnabled: true, serviceWorkers: 'block', acceptDownloads: false, bypassCSP: false });
    // Before any page exists: nothing leaves the context unrouted.
    await ctx.route('**/*', (route) => route.abort('blockedbyclient'));
    await ctx.routeWebSocket(/.*/, (ws) => ws.close({ code: 1008, reason: 'blocked' }));
    const page = await ctx.newPage();
    return { ctx, page };
  }

  private prepareSpare(): void {
    if (this.closed || this.spare) return;
    this.spare = this.makeContext().catch(() => null);
  }

  private async acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** Runs the page checks of one job against its files; one result per check, in order. */
  async run(files: Record<string, string>, checks: PageCheck[], limitMs: number, stats?: PageRunStats): Promise<CheckResult[]> {
    const t0 = performance.now();
    await this.acquire();
    let ctx: BrowserContext | null = null;
    const blocked: string[] = [];
    const results: CheckResult[] = checks.map((c) => ({ id: c.id, name: c.name, sample: c.sample, verdict: 'sandbox-error', points: c.points, earned: 0, message: '页面检查未运行', timeMs: 0 }));
    try {
      const fresh = await this.freshContext();
      ctx = fresh.ctx;
      let firstPage: Page | null = fresh.page;
      await ctx.unrouteAll({ behavior: 'ignoreErrors' });
      await ctx.route('**/*', async (route) => {
        const url = route.request().url();
        let u: URL | null = null;
        try {
          u = new URL(url);
        } catch {
          /* refused below */
        }
        if (!u || u.origin !== PAGE_ORIGIN) {
          if (blocked.length < 50) blocked.push(url.slice(0, 200));
          return route.abort('blockedbyclient');
        }
        let p: string;
        try {
          p = decodeURIComponent(u.pathname).replace(/^\/+/, '');
        } catch {
          return route.fulfill({ status: 400, body: '' });
        }
        if (p === '' || p.endsWith('/')) p += 'index.html';
        const body = Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined;
        if (body === undefined) return route.fulfill({ status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found' });
        const ext = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
        return route.fulfill({ status: 200, contentType: MIME[ext] ?? 'application/octet-stream', body });
      });
      const byPage = new Map<string, number[]>();
      checks.forEach((c, i) => byPage.set(c.page, [...(byPage.get(c.page) ?? []), i]));
      for (const [pageName, idx] of byPage) {
        const tp = performance.now();
        const setAll = (r: Pick<CheckResult, 'verdict' | 'message'>) => {
          for (const i of idx) Object.assign(results[i]!, r, { timeMs: Math.round(performance.now() - tp) });
        };
        if (!Object.prototype.hasOwnProperty.call(files, pageName)) {
          setAll({ verdict: 'failed', message: `找不到页面文件 ${pageName}` });
          continue;
        }
        const page = firstPage ?? (await ctx.newPage());
        firstPage = null;
        page.setDefaultTimeout(limitMs);
        const loaded = await withTimeout(
          page.goto(`${PAGE_ORIGIN}/${pageName.split('/').map(encodeURIComponent).join('/')}`, { waitUntil: 'load', timeout: limitMs }).then(
            () => true,
            (err: Error) => err,
          ),
          limitMs + 1000,
        );
        if (loaded !== true) {
          const timedOut = loaded === TIMEOUT || /timeout/i.test(String((loaded as Error).message));
          setAll(timedOut ? { verdict: 'timeout', message: `页面加载超时（超过 ${Math.round(limitMs / 1000)} 秒）` } : { verdict: 'error', message: `页面无法打开：${short((loaded as Error).message, 200)}` });
          continue;
        }
        // Let scripts queued by the load event run before looking.
        const specs = idx.map((i) => ({ selector: checks[i]!.selector, expect: checks[i]!.expect }));
        const out = await withTimeout(
          page.evaluate(`new Promise((r) => setTimeout(r, 30)).then(() => (${EVAL_CHECKS})(${JSON.stringify(specs)}))`).then(
            (v) => v as EvalOutcome[],
            (err: Error) => err,
          ),
          limitMs,
        );
        if (out === TIMEOUT) {
          setAll({ verdict: 'timeout', message: `页面脚本运行超时（超过 ${Math.round(limitMs / 1000)} 秒）` });
          continue;
        }
        if (out instanceof Error) {
          setAll({ verdict: 'sandbox-error', message: `页面检查出错：${short(out.message, 200)}` });
          continue;
        }
        idx.forEach((i, k) => Object.assign(results[i]!, judge(checks[i]!, out[k]), { timeMs: Math.round(performance.now() - tp) }));
        await withTimeout(page.close({ runBeforeUnload: false }).catch(() => {}), 2000);
      }
    } catch (err) {
      this.log('page: run failed', { error: String(err) });
      for (const r of results) if (r.message === '页面检查未运行') r.message = `浏览器运行出错：${short(String(err), 200)}`;
    } finally {
      if (ctx) {
        const closed = await withTimeout(ctx.close().then(() => true, () => false), 5000);
        if (closed !== true) {
          // A renderer stuck in a script: start a fresh browser for the next job.
          this.log('page: context did not close, restarting the browser');
          const b = this.browser;
          this.browser = null;
          void b?.close().catch(() => {});
        }
      }
      this.release();
    }
    for (const r of results) r.earned = r.verdict === 'passed' ? r.points : 0;
    if (stats) {
      stats.blocked = blocked;
      stats.ms = performance.now() - t0;
    }
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare ? await this.spare : null;
    this.spare = null;
    if (spare) await withTimeout(spare.ctx.close().catch(() => {}), 2000);
    const b = this.browser ?? (this.launching ? await this.launching.catch(() => null) : null);
    this.browser = null;
    if (b) await withTimeout(b.close().catch(() => {}), 5000);
  }
}
