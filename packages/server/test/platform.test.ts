import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`platform routes on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await startTestApp(await freshDatabase(kind))));
    after(async () => t?.close());

    test('GET /api/health names the database', async () => {
      const res = await t.app.inject('/api/health');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', db: kind });
    });

    test('GET /api/time gives the server clock', async () => {
      const res = await t.app.inject('/api/time');
      assert.equal(res.json().serverNow, new Date(t.clock.now()).toISOString());
    });

    test('the OpenAPI document lists every candidate route with its schemas', async () => {
      const doc = (await t.app.inject('/api/openapi.json')).json();
      assert.match(doc.openapi, /^3\./);
      for (const [path, method] of [
        ['/api/candidate/login', 'post'],
        ['/api/candidate/sittings/{sittingId}/attempt', 'post'],
        ['/api/candidate/attempts/{attemptId}/answers/{questionId}', 'put'],
        ['/api/candidate/attempts/{attemptId}/submit', 'post'],
        ['/api/candidate/attempts/{attemptId}/events', 'post'],
        ['/api/console/bank/import', 'post'],
      ] as const) {
        const op = doc.paths[path]?.[method];
        assert.ok(op, `${method} ${path} missing`);
        assert.ok(op.responses['200'], `${path}: no 200 schema`);
      }
      const save = doc.paths['/api/candidate/attempts/{attemptId}/answers/{questionId}'].put;
      assert.deepEqual(save.requestBody.content['application/json'].schema.required.sort(), ['answer', 'seq']);
    });

    test('unknown routes and malformed bodies get the error shape', async () => {
      const missing = await t.app.inject('/api/nope');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'NOT_FOUND');
      const garbage = await t.app.inject({ method: 'POST', url: '/api/candidate/login', headers: { 'content-type': 'application/json' }, payload: '{not json' });
      assert.equal(garbage.statusCode, 400);
      assert.equal(typeof garbage.json().error.message, 'string');
      // A body over the limit is told in Chinese, not in Fastify's English.
      const huge = await t.app.inject({ method: 'POST', url: '/api/candidate/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ticketNo: 'x'.repeat(6 * 1024 * 1024) }) });
      assert.equal(huge.statusCode, 413);
      assert.deepEqual(huge.json().error, { code: 'BODY_TOO_LARGE', message: '上传的内容超过了允许的大小，请检查文件后重新上传' });
    });
  });
}
