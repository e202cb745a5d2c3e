import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  windowMs: number;
  sampledMs: number;
  idlePct: number;
  /** Self time by function, % of the non-idle samples. */
  topSelf: { fn: string; pct: number }[];
  /** Inclusive time by package / area, % of the non-idle samples. */
  byArea: { area: string; pct: number }[];
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const pk = url.indexOf('/packages/');
  if (pk >= 0) return url.slice(pk + 1);
  return url.replace(/^file:\/\//, '');
}

function areaOf(frame: ProfileNode['callFrame']): string | null {
  const url = frame.url;
  if (!url) return null;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const pk = /\/packages\/(\w+)\/src\/(?:modules\/)?([\w-]+)/.exec(url);
  if (pk) return `kaowu/${pk[1]}/${pk[2]}`;
  return null;
}

/**
 * Summarises a V8 .cpuprofile, optionally only the samples inside the
 * windows [fromUs, toUs] (V8 profile times are CLOCK_MONOTONIC microseconds, the same
 * clock as process.hrtime on Linux, so a window measured in another process fits).
 */
export function summarizeProfile(file: string, windows?: { fromUs: number; toUs: number }[], top = 25): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  let t = p.startTime;
  let sampled = 0;
  let idle = 0;
  const inside = (x: number) => !windows || windows.some((w) => x >= w.fromUs && x <= w.toUs);
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (dt <= 0 || !inside(t)) continue;
    const node = byId.get(p.samples[i]!);
    if (!node) continue;
    sampled += dt;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle += dt;
      continue;
    }
    const fn = node.callFrame.url ? `${name || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : name || '(anonymous native)';
    self.set(fn, (self.get(fn) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const a = areaOf(byId.get(id)!.callFrame);
      if (a) seen.add(a);
    }
    if (name === '(garbage collector)') seen.add('(garbage collector)');
    if (name === '(program)') seen.add('(program)');
    for (const a of seen) area.set(a, (area.get(a) ?? 0) + dt);
  }
  const busy = sampled - idle || 1;
  const pct = (x: number) => Math.round((x / busy) * 1000) / 10;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    windowMs: Math.round((windows ? windows.reduce((s, w) => s + Math.min(w.toUs, p.endTime) - Math.max(w.fromUs, p.startTime), 0) : p.endTime - p.startTime) / 1000),
    sampledMs: Math.round(sampled / 1000),
    idlePct: Math.round((idle / (sampled || 1)) * 1000) / 10,
    topSelf: sorted(self).slice(0, top).map(([fn, us]) => ({ fn, pct: pct(us) })),
    byArea: sorted(area).slice(0, top).map(([a, us]) => ({ area: a, pct: pct(us) })),
  };
}

// Stand-alone: tsx bench/lib/profile-summary.ts <file.cpuprofile> [fromUs toUs]
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, 'bench/'))) {
  const [file, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/lib/profile-summary.ts <file.cpuprofile> [fromUs toUs]');
    process.exit(2);
  }
  const w = from && to ? [{ fromUs: Number(from), toUs: Number(to) }] : undefined;
  console.log(JSON.stringify(summarizeProfile(file, w), null, 2));
}
