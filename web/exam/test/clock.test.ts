import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSample, ServerClock } from '../src/clock.ts';

/** A fake local clock that can be moved by hand. */
function fakeLocal(start: number) {
  let t = start;
  const now = () => t;
  return {
    now,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

const HOUR = 3600_000;
const SERVER_T0 = Date.parse('2026-11-26T00:30:00.000Z');

describe('makeSample', () => {
  it('corrects by half the round trip', () => {
    // Sent at local 1000, received at 1200; server stamped 10_000.
    const s = makeSample(1000, 1200, 10_000);
    assert.ok(s);
    assert.equal(s.rtt, 200);
    assert.equal(s.offset, 10_000 + 100 - 1200);
    assert.equal(s.takenAt, 1200);
  });

  it('accepts ISO strings and rejects garbage', () => {
    const s = makeSample(0, 0, '2026-11-26T00:30:00.000Z');
    assert.ok(s);
    assert.equal(s.offset, SERVER_T0);
    assert.equal(makeSample(0, 10, 'not a date'), null);
  });

  it('never uses a negative round trip', () => {
    const s = makeSample(500, 400, 1000);
    assert.ok(s);
    assert.equal(s.rtt, 0);
  });
});

describe('ServerClock', () => {
  it('reads local time before the first sync', () => {
    const local = fakeLocal(12345);
    const c = new ServerClock(local.now);
    assert.equal(c.synced, false);
    assert.equal(c.now(), 12345);
  });

  it('is right when the local clock is wrong by hours', () => {
    // The local clock is 3 hours behind the server.
    const local = fakeLocal(SERVER_T0 - 3 * HOUR);
    const c = new ServerClock(local.now);
    const sent = local.now();
    local.advance(80); // 80 ms round trip; the server stamped at the midpoint
    c.sync(sent, local.now(), new Date(SERVER_T0 + 40).toISOString());
    assert.equal(c.synced, true);
    assert.equal(c.now(), SERVER_T0 + 80);
    local.advance(60_000);
    assert.equal(c.now(), SERVER_T0 + 60_080);
    // A deadline 90 minutes after the start is 90 minutes away, whatever the local clock says.
    const deadline = new Date(SERVER_T0 + 90 * 60_000).toISOString();
    assert.equal(c.until(deadline), 90 * 60_000 - 60_080);
  });

  it('prefers the sample with the smallest round trip', () => {
    const local = fakeLocal(0);
    const c = new ServerClock(local.now);
    // True offset is 5000. Sample 1: 1 s round trip, the server answered late (asymmetric).
    c.sync(0, 1000, 5000 + 900); // offset estimate 5400 (±500)
    assert.equal(c.offset, 5400);
    // Sample 2: 20 ms round trip, centred.
    local.set(2000);
    c.sync(2000, 2020, 2010 + 5000); // offset estimate 5000 (±10)
    assert.equal(c.offset, 5000);
    // Sample 3: slow again; the precise one is kept.
    c.sync(3000, 3800, 3400 + 5000 + 300); // 5300 (±400)
    assert.equal(c.offset, 5000);
    assert.equal(c.precision, 10);
  });

  it('drops old samples when the clock jumps', () => {
    const local = fakeLocal(0);
    const c = new ServerClock(local.now);
    c.sync(0, 20, 10 + 5000);
    assert.equal(c.offset, 5000);
    // The server (or local monotonic source) jumped by an hour: the new sample,
    // although less precise, does not agree with the old one and replaces it.
    c.sync(1000, 1300, 1150 + 5000 + HOUR);
    assert.equal(c.offset, 5000 + HOUR);
  });

  it('forgets samples older than maxAgeMs and keeps at most maxSamples', () => {
    const local = fakeLocal(0);
    const c = new ServerClock(local.now, { maxSamples: 3, maxAgeMs: 10_000 });
    c.sync(0, 10, 5 + 100); // very precise, offset 100
    // 20 s later, a less precise but consistent sample: the old one is too old.
    c.sync(20_000, 20_400, 20_200 + 150); // offset 150 ± 200
    assert.equal(c.offset, 150);
    for (let i = 0; i < 5; i++) c.sync(21_000 + i * 100, 21_000 + i * 100 + 300 - i, 21_000 + i * 100 + 150);
    // 3 samples kept at most; the best remaining one wins.
    assert.ok(Math.abs(c.offset) < 200);
  });

  it('resets', () => {
    const local = fakeLocal(0);
    const c = new ServerClock(local.now);
    c.sync(0, 0, 1000);
    c.reset();
    assert.equal(c.synced, false);
    assert.equal(c.offset, 0);
  });
});
