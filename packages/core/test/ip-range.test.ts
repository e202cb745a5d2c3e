import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipInRanges, normalizeRoomRanges, parseCidr, parseIp, rangesOverlap } from '../src/ip-range.ts';

test('parseCidr: valid blocks and addresses, normalised', () => {
  const table: [string, string, 4 | 6, number][] = [
    // [input, normal form, family, prefix]
    ['192.168.10.0/24', '192.168.10.0/24', 4, 24],
    ['192.168.10.77/24', '192.168.10.0/24', 4, 24], // host bits cleared
    ['  10.0.0.1  ', '10.0.0.1', 4, 32],
    ['10.0.0.1/32', '10.0.0.1', 4, 32],
    ['0.0.0.0/0', '0.0.0.0/0', 4, 0],
    ['172.16.5.130/25', '172.16.5.128/25', 4, 25],
    ['255.255.255.255', '255.255.255.255', 4, 32],
    ['2001:DB8::/32', '2001:db8::/32', 6, 32],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6, 128],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 6, 128], // first of two equal zero runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6, 128], // a single zero group is not shortened
    ['fe80::1:2:3:4/64', 'fe80::/64', 6, 64],
    ['::', '::', 6, 128],
    ['::1', '::1', 6, 128],
    ['1::', '1::', 6, 128],
    ['::ffff:192.168.1.9', '192.168.1.9', 4, 32], // IPv4-mapped: the IPv4 address
    ['::ffff:192.168.1.0/120', '192.168.1.0/24', 4, 24],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 6, 128],
  ];
  for (const [input, text, family, prefix] of table) {
    const r = parseCidr(input);
    assert.ok(r, `${input} parses`);
    assert.deepEqual([r.text, r.family, r.prefix], [text, family, prefix], input);
    assert.equal(parseCidr(r.text)?.text, r.text, `${input}: the normal form parses to itself`);
  }
});

test('parseCidr: everything else is refused', () => {
  const bad = [
    '', ' ', 'abc', '192.168.1', '192.168.1.1.1', '256.1.1.1', '1.2.3.-1', '010.0.0.1', '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/024',
    '1.2.3.4/ 24', '1.2.3.4 /24', '1.2.3.4/-1', '1.2.3.4/2x', '192.168.1.0/24/1', '1.2.3.4-1.2.3.9', '*.*.*.*',
    '2001:db8::1::2', '2001:db8:::1', ':1::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '12345::', 'g::1',
    '::/129', 'fe80::1%eth0', '1.2.3.4::', '::1.2.3.4:5', '::ffff:1.2.3', 'localhost',
  ];
  for (const input of bad) assert.equal(parseCidr(input), null, `${JSON.stringify(input)} is refused`);
});

test('parseIp: addresses only, no prefixes', () => {
  assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
  assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
  assert.equal(parseIp('10.0.0.0/8'), null);
});

test('ipInRanges: IPv4, IPv6, mapped addresses, edges of a block', () => {
  const ranges = ['192.168.10.0/24', '10.1.2.3', '2001:db8:1::/48'];
  const table: [string, boolean][] = [
    ['192.168.10.0', true],
    ['192.168.10.255', true],
    ['192.168.11.0', false],
    ['192.168.9.255', false],
    ['10.1.2.3', true],
    ['10.1.2.4', false],
    ['::ffff:192.168.10.20', true], // what a dual-stack server reports for an IPv4 client
    ['::ffff:c0a8:0a14', true],
    ['2001:db8:1:ffff::1', true],
    ['2001:db8:2::1', false],
    ['::1', false],
    ['not an ip', false],
    ['', false],
  ];
  for (const [ip, expected] of table) assert.equal(ipInRanges(ip, ranges), expected, ip);
  assert.equal(ipInRanges('192.168.10.5', []), false, 'no ranges: in none');
  assert.equal(ipInRanges('192.168.10.5', ['garbage', '192.168.10.0/30']), false, 'bad entries are ignored');
  assert.equal(ipInRanges('192.168.10.3', ['garbage', '192.168.10.0/30']), true);
  assert.equal(ipInRanges('8.8.8.8', ['0.0.0.0/0']), true);
  assert.equal(ipInRanges('::ffff:8.8.8.8', [parseCidr('0.0.0.0/0')!]), true, 'parsed ranges are accepted too');
  assert.equal(ipInRanges('2001:db8::1', ['0.0.0.0/0']), false, 'an IPv6 address is in no IPv4 block');
});

test('rangesOverlap', () => {
  const r = (s: string) => parseCidr(s)!;
  assert.equal(rangesOverlap(r('10.0.0.0/24'), r('10.0.0.128/25')), true);
  assert.equal(rangesOverlap(r('10.0.0.0/25'), r('10.0.0.128/25')), false);
  assert.equal(rangesOverlap(r('10.0.0.7'), r('10.0.0.0/29')), true);
  assert.equal(rangesOverlap(r('10.0.0.0/8'), r('::/0')), false);
});

test('normalizeRoomRanges: normalised, de-duplicated, with Chinese problems', () => {
  const { ranges, problems } = normalizeRoomRanges(['192.168.10.9/24', ' 192.168.10.0/24 ', '', '10.0.0.1', '300.1.1.1', '10.0.0.0/8', '2001:db8::/32', '2001:db8::/64']);
  assert.deepEqual(ranges, ['192.168.10.0/24', '10.0.0.1', '2001:db8::/64']);
  assert.deepEqual(problems.map((p) => [p.index, p.text]), [[4, '300.1.1.1'], [5, '10.0.0.0/8'], [6, '2001:db8::/32']]);
  assert.match(problems[0]!.message, /不是有效的 IP 地址或网段/);
  assert.match(problems[1]!.message, /范围过大.*\/16/);
  assert.match(problems[2]!.message, /\/48/);
});
