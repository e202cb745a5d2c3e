/**
 * 环境检测: what a candidate machine must meet (manual part 4: Chrome ≥ 75,
 * screen ≥ 1024×768, only white-listed addresses reachable), decided on the
 * server from what the check page measured. Pure.
 */

export const MIN_CHROME = 75;
export const MIN_SCREEN = { width: 1024, height: 768 } as const;
/** A machine clock further off than this is reported (the exam uses the server's clock, but logs and proctors do not). */
export const MAX_CLOCK_OFFSET_MS = 5 * 60_000;
export const MAX_LATENCY_MS = 1_000;

export interface EnvFacts {
  browser: string;
  browserVersion: number | null;
  screenWidth: number;
  screenHeight: number;
  localStorage: boolean;
  fullscreen: boolean;
  clockOffsetMs: number | null;
  latencyMs: number | null;
  outsideReachable: boolean | null;
}

/** The browser and its major version from a User-Agent string. */
export function browserOf(userAgent: string): { browser: string; version: number | null } {
  const grab = (re: RegExp) => {
    const m = re.exec(userAgent);
    return m ? Number(m[1]) : null;
  };
  if (/Edg(e|A|iOS)?\//.test(userAgent)) return { browser: 'Edge', version: grab(/Edg(?:e|A|iOS)?\/(\d+)/) };
  if (/OPR\//.test(userAgent)) return { browser: 'Opera', version: grab(/OPR\/(\d+)/) };
  if (/(Chrome|Chromium)\/\d+/.test(userAgent)) return { browser: 'Chrome', version: grab(/(?:Chrome|Chromium)\/(\d+)/) };
  if (/Firefox\/\d+/.test(userAgent)) return { browser: 'Firefox', version: grab(/Firefox\/(\d+)/) };
  if (/Safari\//.test(userAgent)) return { browser: 'Safari', version: grab(/Version\/(\d+)/) };
  return { browser: '其他', version: null };
}

/** Every failed requirement, in Chinese; empty when the machine passes. */
export function envFailures(f: EnvFacts): string[] {
  const out: string[] = [];
  if (f.browser !== 'Chrome' || f.browserVersion === null || f.browserVersion < MIN_CHROME) {
    out.push(`浏览器须为 Chrome ${MIN_CHROME} 或以上版本（当前：${f.browser}${f.browserVersion === null ? '' : ` ${f.browserVersion}`}）`);
  }
  if (f.screenWidth < MIN_SCREEN.width || f.screenHeight < MIN_SCREEN.height) {
    out.push(`屏幕分辨率须不低于 ${MIN_SCREEN.width}×${MIN_SCREEN.height}（当前：${f.screenWidth}×${f.screenHeight}）`);
  }
  if (!f.localStorage) out.push('浏览器本地存储（localStorage）不可用，断网时答案无法暂存');
  if (!f.fullscreen) out.push('浏览器不支持全屏，理论考试须全屏作答');
  if (f.clockOffsetMs === null || f.latencyMs === null) out.push('无法测量与服务器的时间差和网络延迟');
  else {
    if (Math.abs(f.clockOffsetMs) > MAX_CLOCK_OFFSET_MS) out.push(`本机时钟与服务器相差 ${Math.round(Math.abs(f.clockOffsetMs) / 1000)} 秒，请校准系统时间`);
    if (f.latencyMs > MAX_LATENCY_MS) out.push(`与服务器的网络延迟过高（${f.latencyMs} 毫秒）`);
  }
  if (f.outsideReachable === true) out.push('可以访问白名单以外的地址，请检查考场网络限制');
  return out;
}
