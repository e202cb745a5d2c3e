import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sebConfigKeyHash, sebHeaderValid, sebRequestUrl } from '../src/modules/delivery/seb.ts';

const KEY = 'a'.repeat(64);
const URL = 'https://exam.example.cn:8443/api/candidate/sittings/s1/attempt?x=1';
// Computed independently: python3 -c "import hashlib; print(hashlib.sha256(b'<URL>' + b'a'*64).hexdigest())"
const HASH = 'f254072e79cd3b9774088803cded94ad842197946e1d06c184d90df8a0d17e66';

test('the absolute URL: scheme, host with port, path and query, no fragment', () => {
  assert.equal(sebRequestUrl('https', 'exam.example.cn:8443', '/api/candidate/sittings/s1/attempt?x=1'), URL);
  assert.equal(sebRequestUrl('http', 'exam.example.cn', '/a?b=1#frag'), 'http://exam.example.cn/a?b=1');
});

test('the hash is hex SHA-256 of URL + Config Key', () => {
  assert.equal(sebConfigKeyHash(URL, KEY), HASH);
});

test('verification: right hash (any case, surrounding space) passes; anything else fails', () => {
  assert.equal(sebHeaderValid(HASH, URL, KEY), true);
  assert.equal(sebHeaderValid(HASH.toUpperCase(), URL, KEY), true);
  assert.equal(sebHeaderValid(` ${HASH} `, URL, KEY), true);
  assert.equal(sebHeaderValid([HASH], URL, KEY), true);
  assert.equal(sebHeaderValid(undefined, URL, KEY), false);
  assert.equal(sebHeaderValid('', URL, KEY), false);
  assert.equal(sebHeaderValid(HASH.slice(0, 63), URL, KEY), false);
  assert.equal(sebHeaderValid(`${HASH.slice(0, 63)}z`, URL, KEY), false);
  assert.equal(sebHeaderValid(sebConfigKeyHash(URL, 'b'.repeat(64)), URL, KEY), false);
  // The hash is bound to the URL: another path, query or host does not pass.
  assert.equal(sebHeaderValid(HASH, URL.replace('x=1', 'x=2'), KEY), false);
  assert.equal(sebHeaderValid(HASH, URL.replace(':8443', ''), KEY), false);
  assert.equal(sebHeaderValid(HASH, URL.replace('https', 'http'), KEY), false);
});
