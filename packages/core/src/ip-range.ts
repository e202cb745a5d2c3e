/**
 * IP ranges of a room's candidate machines (考生机): IPv4 and IPv6 CIDR blocks
 * or single addresses. Pure, no I/O. The room form validates and normalises
 * them with `parseCidr`; on exam day the sign-in check asks `ipInRanges`
 * whether a candidate's address belongs to the room.
 *
 * Choices:
 * - Strict input: IPv4 dotted quads without leading zeros (`010.0.0.1` could be
 *   read as octal and is refused); IPv6 in any RFC 4291 text form, including an
 *   embedded IPv4 tail (`::ffff:192.0.2.1`); no zone ids (`fe80::1%eth0`).
 *   Surrounding white space is ignored.
 * - Host bits are cleared: `192.168.1.77/24` is the block `192.168.1.0/24`.
 * - Normal form: a single address (a /32 or /128) is written without a prefix;
 *   IPv6 as RFC 5952 says (lower case, the longest run of two or more zero
 *   groups shortened to `::`, the first one on a tie; IPv4-mapped addresses
 *   keep their dotted tail).
 * - An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a dual-stack server
 *   often reports) is matched as the IPv4 address it carries; a mapped block
 *   (`::ffff:192.0.2.0/120`) is normalised to its IPv4 block.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface IpRange {
  family: IpFamily;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** The normal form: `10.1.2.0/24`, `10.1.2.3`, `2001:db8::/64`. */
  text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
/** The high bits of an IPv4-mapped IPv6 address (::ffff:0:0/96). */
const MAPPED_HIGH = 0xffffn;

function parseIPv4(text: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let value = 0n;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseGroups(side: string): number[] | null {
  if (side === '') return [];
  const out: number[] = [];
  const parts = side.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === null) return null;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
      out.push(parseInt(part, 16));
    }
  }
  return out;
}

function parseIPv6(text: string): bigint | null {
  if (!text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!);
    const tail = parseGroups(halves[1]!);
    // An embedded IPv4 part may only end the address.
    if (!head || !tail || halves[0]!.includes('.')) return null;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(text);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** One address, IPv4 or IPv6; null when `text` is not one. */
export function parseIp(text: string): IpAddress | null {
  const t = text.trim();
  const v4 = parseIPv4(t);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(t);
  if (v6 !== null) return { family: 6, value: v6 };
  return null;
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

function formatIPv6(value: bigint): string {
  if (value >> 32n === MAPPED_HIGH) return `::ffff:${formatIPv4(value & 0xffffffffn)}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The normal text of an address. */
export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatIPv4(ip.value) : formatIPv6(ip.value);
}

function mask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/**
 * A CIDR block (`192.168.10.0/24`, `2001:db8:1::/48`) or a single address
 * (`192.168.10.7`, a /32 or /128), normalised; null when `text` is neither.
 */
export function parseCidr(text: string): IpRange | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash === -1 ? t : t.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip || addrText !== addrText.trim()) return null;
  const bits = BITS[ip.family];
  let prefix = bits;
  if (slash !== -1) {
    const p = t.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > bits) return null;
  }
  let family = ip.family;
  let network = ip.value & mask(ip.family, prefix);
  // An IPv4-mapped block is the IPv4 block it carries, so that it matches IPv4 addresses.
  if (family === 6 && prefix >= 96 && network >> 32n === MAPPED_HIGH) {
    family = 4;
    network &= 0xffffffffn;
    prefix -= 96;
  }
  const addr = formatIp({ family, value: network });
  return { family, network, prefix, text: prefix === BITS[family] ? addr : `${addr}/${prefix}` };
}

/** An IPv4-mapped IPv6 address as the IPv4 address it carries; others unchanged. */
function unmapped(ip: IpAddress): IpAddress {
  if (ip.family === 6 && ip.value >> 32n === MAPPED_HIGH) return { family: 4, value: ip.value & 0xffffffffn };
  return ip;
}

/** Whether `range` contains the address. */
export function rangeContains(range: IpRange, ip: IpAddress): boolean {
  const a = unmapped(ip);
  return a.family === range.family && (a.value & mask(range.family, range.prefix)) === range.network;
}

/**
 * Whether `ip` (as the server sees it; IPv4-mapped IPv6 included) lies in any
 * of `ranges`. Ranges given as text that do not parse are ignored; an address
 * that does not parse is in no range. No ranges: false (the caller decides
 * what a room without ranges allows).
 */
export function ipInRanges(ip: string, ranges: readonly (string | IpRange)[]): boolean {
  const addr = parseIp(ip);
  if (!addr) return false;
  for (const r of ranges) {
    const range = typeof r === 'string' ? parseCidr(r) : r;
    if (range && rangeContains(range, addr)) return true;
  }
  return false;
}

/** Whether two ranges share at least one address. */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  if (a.family !== b.family) return false;
  const shorter = Math.min(a.prefix, b.prefix);
  const m = mask(a.family, shorter);
  return (a.network & m) === (b.network & m);
}

/**
 * The shortest prefix a room's range may have: a range wider than a /16 (IPv4)
 * or a /48 (IPv6) cannot describe one room's machines, and `0.0.0.0/0` would
 * silently let every address sign in.
 */
export const MIN_ROOM_PREFIX: Record<IpFamily, number> = { 4: 16, 6: 48 };

export interface RoomRangeProblem {
  index: number;
  text: string;
  message: string;
}

/**
 * A room's list of ranges, checked and normalised: duplicates (after
 * normalisation) are dropped, order kept. Problems are in Chinese.
 */
export function normalizeRoomRanges(list: readonly string[]): { ranges: string[]; problems: RoomRangeProblem[] } {
  const ranges: string[] = [];
  const problems: RoomRangeProblem[] = [];
  for (const [index, raw] of list.entries()) {
    const text = raw.trim();
    if (text === '') continue;
    const range = parseCidr(text);
    if (!range) {
      problems.push({ index, text, message: `“${text}”不是有效的 IP 地址或网段（例如 192.168.10.0/24、192.168.10.7 或 2001:db8::/64）` });
      continue;
    }
    if (range.prefix < MIN_ROOM_PREFIX[range.family]) {
      problems.push({ index, text, message: `“${text}”范围过大：一个考场的网段至少应为 /${MIN_ROOM_PREFIX[range.family]}` });
      continue;
    }
    if (!ranges.includes(range.text)) ranges.push(range.text);
  }
  return { ranges, problems };
}
