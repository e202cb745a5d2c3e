import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { browserOf, DEFAULT_OUTSIDE_URL, isCheckRoute, outsideUrlFrom, summarizeRounds } from '../src/env-check';

describe('environment check helpers', () => {
  it('offset from the fastest round trip, latency as the median', () => {
    assert.equal(summarizeRounds([]), null);
    const r = summarizeRounds([
      { sentAt: 1000, receivedAt: 1100, serverMs: 6000 },
      { sentAt: 2000, receivedAt: 2020, serverMs: 7000 }, // fastest: offset = 7000 + 10 - 2020
      { sentAt: 3000, receivedAt: 3040, serverMs: 8000 },
    ]);
    assert.deepEqual(r, { clockOffsetMs: 4990, latencyMs: 40 });
    assert.equal(summarizeRounds([{ sentAt: 0, receivedAt: 10, serverMs: 0 }, { sentAt: 0, receivedAt: 30, serverMs: 0 }])!.latencyMs, 20);
  });

  it('browser from the User-Agent', () => {
    assert.deepEqual(browserOf('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36'), { browser: 'Chrome', version: 75 });
    assert.deepEqual(browserOf('Mozilla/5.0 Chrome/120.0 Safari/537.36 Edg/120.0'), { browser: 'Edge', version: 120 });
    assert.deepEqual(browserOf('Mozilla/5.0 (X11; rv:115.0) Gecko/20100101 Firefox/115.0'), { browser: 'Firefox', version: 115 });
  });

  it('the route and the configurable outside URL', () => {
    assert.equal(isCheckRoute('#/check'), true);
    assert.equal(isCheckRoute('#/check?outside=x'), true);
    assert.equal(isCheckRoute('#/checkout'), false);
    assert.equal(isCheckRoute(''), false);
    assert.equal(outsideUrlFrom('#/check'), DEFAULT_OUTSIDE_URL);
    assert.equal(outsideUrlFrom('#/check?outside=' + encodeURIComponent('http://example.com/x.png')), 'http://example.com/x.png');
    assert.equal(outsideUrlFrom('#/check?outside=javascript:alert(1)'), DEFAULT_OUTSIDE_URL);
  });
});
