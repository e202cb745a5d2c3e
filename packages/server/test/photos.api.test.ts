// 考生照片批量上传 (POST /api/console/candidates/photos) through the HTTP API,
// on SQLite and PostgreSQL: zips made here (zip-writer.ts), matched by the
// imported 照片文件名 or by the ID number, all or nothing.
//
//   node --import tsx --test packages/server/test/photos.api.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';
import { candidateRows, candidateWorkbook, createAdministration, fixtureTokens, XLSX, type AdminFixture } from './registration-fixture.ts';
import { zipOf, type ZipEntry } from './zip-writer.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
/** A JPEG's first bytes, then `size` bytes of picture. */
const jpeg = (seed: number, size = 2000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size, seed), Buffer.from([0xff, 0xd9])]);
/** “张三.jpg” in GB18030, as Windows' own zip writes it on a Chinese system (without the UTF-8 flag). */
const ZHANG_SAN_GB = Buffer.concat([Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('.jpg')]);
const URL_PHOTOS = '/api/console/candidates/photos';

for (const { kind, skip } of await databaseKinds()) {
  describe(`考生照片批量上传 API on ${kind}`, { skip, timeout: 120_000 }, () => {
    let t: TestApp;
    let f: AdminFixture;
    let tok: Record<'operator' | 'coordA' | 'coordB' | 'teacherA', string>;
    /** A's six candidates in import order (a[0]'s ID number ends in X), and B's one. */
    let a: { id: string; idNumber: string }[];
    let b: { id: string; idNumber: string };

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      f = await createAdministration(t.ctx);
      tok = fixtureTokens(t.ctx, f);
      const rowsA = candidateRows(6, { region: '320102', institution: f.institutions.A.name, classes: [['软件2301', '软件技术']] });
      rowsA[1]!.照片文件名 = 'Zhang-Photo.JPG';
      rowsA[2]!.照片文件名 = '张三.jpg';
      const rowsB = candidateRows(1, { region: '320505', institution: f.institutions.B.name, classes: [] });
      for (const [who, rows] of [['coordA', rowsA], ['coordB', rowsB]] as const) {
        const res = await t.app.inject({ method: 'POST', url: '/api/console/candidates/import', payload: await candidateWorkbook(rows), headers: { authorization: `Bearer ${tok[who]}`, 'content-type': XLSX } });
        assert.equal(res.statusCode, 200, res.body);
      }
      const byNumber = async (idNumber: string) => ({ id: (await t.ctx.db.selectFrom('candidates').select('id').where('id_number', '=', idNumber).executeTakeFirstOrThrow()).id, idNumber });
      a = await Promise.all(rowsA.map((r) => byNumber(String(r.证件号码))));
      b = await byNumber(String(rowsB[0]!.证件号码));
      assert.ok(a[0]!.idNumber.endsWith('X'));
    });
    after(async () => t?.close());

    const upload = async (who: keyof typeof tok, body: Buffer, type = 'application/zip') => {
      const res = await t.app.inject({ method: 'POST', url: URL_PHOTOS, payload: body, headers: { authorization: `Bearer ${tok[who]}`, 'content-type': type } });
      return { status: res.statusCode, body: res.json() as any };
    };
    const photoOf = async (candidateId: string) => t.ctx.db.selectFrom('candidate_photos').select(['mime', 'content']).where('candidate_id', '=', candidateId).executeTakeFirst();
    const photoCount = async () => Number((await t.ctx.db.selectFrom('candidate_photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const photoNameOf = async (candidateId: string) => (await t.ctx.db.selectFrom('candidates').select('photo_name').where('id', '=', candidateId).executeTakeFirstOrThrow()).photo_name;

    test('a good zip: every photo is stored, matched by 照片文件名 or by ID number; folders and macOS files are ignored', async () => {
      const entries: ZipEntry[] = [
        { name: 'photos/' },
        { name: `photos/${a[0]!.idNumber.toLowerCase()}.png`, data: PNG },
        { name: '2024级/软件2301/zhang-photo.jpg', data: jpeg(1) },
        { name: ZHANG_SAN_GB, data: jpeg(2) },
        { name: `${a[3]!.idNumber}.jpeg`, data: jpeg(3), store: true },
        { name: '__MACOSX/' },
        { name: `__MACOSX/photos/._${a[0]!.idNumber}.png`, data: 'resource fork' },
        { name: 'photos/.DS_Store', data: 'finder' },
      ];
      const res = await upload('coordA', zipOf(entries));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { stored: 4, replaced: 0, missing: 2 });

      const got = await t.app.inject({ method: 'GET', url: `/api/console/candidates/${a[0]!.id}/photo`, headers: { authorization: `Bearer ${tok.teacherA}` } });
      assert.equal(got.statusCode, 200);
      assert.equal(got.headers['content-type'], 'image/png');
      assert.deepEqual(got.rawPayload, PNG);
      for (const [i, seed] of [[1, 1], [2, 2], [3, 3]] as const) {
        const p = await photoOf(a[i]!.id);
        assert.equal(p?.mime, 'image/jpeg');
        assert.deepEqual(Buffer.from(p!.content), jpeg(seed));
      }
      // A candidate without a 照片文件名 is given 证件号码.png / .jpg; an imported one is kept.
      assert.equal(await photoNameOf(a[0]!.id), `${a[0]!.idNumber}.png`);
      assert.equal(await photoNameOf(a[3]!.id), `${a[3]!.idNumber}.jpg`);
      assert.equal(await photoNameOf(a[1]!.id), 'Zhang-Photo.JPG');
      assert.equal(await photoOf(a[4]!.id), undefined);

      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'candidate.photos').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.institution_id, f.institutions.A.id);
      assert.equal(audit[0]!.actor, f.users.coordA.username);
      assert.deepEqual(JSON.parse(audit[0]!.after!), { stored: 4, replaced: 0, institutions: [{ institutionId: f.institutions.A.id, count: 4 }] });

      // Again for one of them: replaced.
      const again = await upload('coordA', zipOf([{ name: `${a[3]!.idNumber}.jpg`, data: jpeg(9) }]));
      assert.deepEqual(again.body, { stored: 1, replaced: 1, missing: 2 });
      assert.deepEqual(Buffer.from((await photoOf(a[3]!.id))!.content), jpeg(9));
    });

    test('a zip with several bad files stores nothing and lists every bad file with its reason', async () => {
      const before = await photoCount();
      const entries: ZipEntry[] = [
        { name: '说明.txt', data: '照片' },
        { name: 'gif.jpg', data: 'GIF89a not a photo' },
        { name: 'big.jpg', data: jpeg(4, 201 * 1024) },
        { name: 'empty.png', data: '' },
        { name: `${b.idNumber}.jpg`, data: jpeg(5) },
        { name: '110101199003070000.jpg', data: jpeg(6) },
        { name: `${a[4]!.idNumber}.jpg`, data: jpeg(7) },
        { name: `补拍/${a[4]!.idNumber}.JPG`, data: jpeg(8) },
        { name: `${a[5]!.idNumber}.jpg`, data: jpeg(10) },
      ];
      const res = await upload('coordA', zipOf(entries));
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'PHOTOS_INVALID');
      assert.equal(res.body.error.message, '压缩包中有 8 个文件有问题，未保存任何照片；请改正后重新上传');
      const noCandidate = '没有对应的考生：文件名应与考生信息中的照片文件名一致，或为考生的证件号码';
      const name4 = (await t.ctx.db.selectFrom('candidates').select('name').where('id', '=', a[4]!.id).executeTakeFirstOrThrow()).name;
      assert.deepEqual(res.body.error.files, [
        { file: '说明.txt', reason: '不是照片：文件名应以 .jpg、.jpeg 或 .png 结尾' },
        { file: 'gif.jpg', reason: '照片应为 JPEG 或 PNG 图片' },
        { file: 'big.jpg', reason: '照片不能超过 200 KB（当前 202 KB）' },
        { file: 'empty.png', reason: '照片文件为空' },
        // Institution B's candidate is exactly like nobody.
        { file: `${b.idNumber}.jpg`, reason: noCandidate },
        { file: '110101199003070000.jpg', reason: noCandidate },
        { file: `${a[4]!.idNumber}.jpg`, reason: `与 “补拍/${a[4]!.idNumber}.JPG” 是同一名考生（${name4}）的照片：每名考生只能有一张` },
        { file: `补拍/${a[4]!.idNumber}.JPG`, reason: `与 “${a[4]!.idNumber}.jpg” 是同一名考生（${name4}）的照片：每名考生只能有一张` },
      ]);
      assert.equal(await photoCount(), before);
      assert.equal(await photoOf(a[5]!.id), undefined, 'the good photo of a refused zip is not stored');
      assert.equal(await photoOf(b.id), undefined);
      assert.equal(await photoNameOf(b.id), null);
    });

    test('an entry that declares a small size but inflates beyond 200 KB is refused, and nothing is stored', async () => {
      const before = await photoCount();
      const bomb = Buffer.concat([jpeg(0, 10), Buffer.alloc(5 * 1024 * 1024)]);
      const zip = zipOf([{ name: `${a[4]!.idNumber}.jpg`, data: bomb, declaredSize: 1024 }, { name: `${a[5]!.idNumber}.jpg`, data: jpeg(11) }]);
      assert.ok(zip.length < 10 * 1024, `a ${zip.length}-byte zip of 5 MB`);
      const res = await upload('coordA', zip);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error.files, [{ file: `${a[4]!.idNumber}.jpg`, reason: '无法解压：文件已损坏，或解压后的大小与压缩包中记录的不符' }]);
      // One that says it is 5 MB is refused without inflating.
      const honest = await upload('coordA', zipOf([{ name: `${a[4]!.idNumber}.jpg`, data: bomb }]));
      assert.deepEqual(honest.body.error.files, [{ file: `${a[4]!.idNumber}.jpg`, reason: '照片不能超过 200 KB（当前 5121 KB）' }]);
      assert.equal(await photoCount(), before);
    });

    test('not a zip, an empty zip, too many files, too large: 400 or 413 with a clear message', async () => {
      const notZip = await upload('coordA', Buffer.from('姓名,证件号码\n张三,1101'));
      assert.equal(notZip.status, 400);
      assert.deepEqual(notZip.body.error, { code: 'PHOTOS_BAD_ZIP', message: '文件不是 zip 压缩包，或压缩包已损坏；请将照片压缩为 .zip 格式后上传' });
      const rar = await upload('coordA', Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(100)]), 'application/octet-stream');
      assert.equal(rar.body.error.message, '这是 RAR 压缩包，请改用 .zip 格式压缩照片后上传');
      const truncated = zipOf([{ name: `${a[4]!.idNumber}.jpg`, data: jpeg(12) }]);
      assert.equal((await upload('coordA', truncated.subarray(0, truncated.length - 30))).body.error.code, 'PHOTOS_BAD_ZIP');

      const empty = await upload('coordA', zipOf([{ name: '__MACOSX/' }, { name: 'photos/' }]), 'application/x-zip-compressed');
      assert.deepEqual(empty.body.error, { code: 'PHOTOS_EMPTY', message: '压缩包中没有照片（.jpg、.jpeg 或 .png 文件）' });
      const nothing = await upload('coordA', Buffer.alloc(0));
      assert.equal(nothing.body.error.code, 'PHOTOS_NO_FILE');

      const many = zipOf(Array.from({ length: 5001 }, (_, i) => ({ name: `${i}.jpg`, data: 'x', store: true })));
      const tooMany = await upload('coordA', many);
      assert.equal(tooMany.status, 400);
      assert.deepEqual(tooMany.body.error, { code: 'PHOTOS_TOO_MANY', message: '压缩包中的文件超过 5000 个，一次最多上传 5000 张照片；请分批压缩后上传' });

      // 513 honest photos of 200 KB that compress to almost nothing: over 100 MB inflated in all.
      const inflating = zipOf(Array.from({ length: 513 }, (_, i) => ({ name: `${i}.jpg`, data: jpeg(0, 200 * 1024 - 6) })));
      assert.ok(inflating.length < 1024 * 1024);
      assert.deepEqual((await upload('coordA', inflating)).body.error, { code: 'PHOTOS_TOO_LARGE', message: '压缩包中的照片解压后超过 100 MB；请分批压缩后上传' });

      const huge = await upload('coordA', Buffer.alloc(50 * 1024 * 1024 + 1));
      assert.equal(huge.status, 413);
      assert.deepEqual(huge.body.error, { code: 'PHOTOS_TOO_LARGE', message: '照片压缩包不能超过 50 MB（当前 51 MB）；请分批压缩后上传' });
    });

    test('roles: a teacher may not upload; B and the operator store B\'s photos', async () => {
      const zip = zipOf([{ name: `${b.idNumber}.jpg`, data: jpeg(13) }]);
      assert.equal((await upload('teacherA', zip)).status, 403);
      const before = await photoCount();
      assert.deepEqual((await upload('coordB', zip)).body, { stored: 1, replaced: 0, missing: 0 });
      assert.deepEqual(Buffer.from((await photoOf(b.id))!.content), jpeg(13));
      // The operator sees everyone: the 2 of A still without a photo count as missing.
      assert.deepEqual((await upload('operator', zip)).body, { stored: 1, replaced: 1, missing: 2 });
      assert.equal(await photoCount(), before + 1);
      const audit = await t.ctx.db.selectFrom('audit_log').select(['institution_id', 'actor']).where('action', '=', 'candidate.photos').where('institution_id', '=', f.institutions.B.id).execute();
      assert.deepEqual(audit.map((r) => r.actor).sort(), ['coord-b', 'op']);
    });

    test('a 照片文件名 shared by two candidates names neither: the file asks for the ID number', async () => {
      const rows = candidateRows(1, { from: 50, region: '320102', institution: f.institutions.A.name, classes: [] });
      rows[0]!.照片文件名 = 'zhang-photo.JPG';
      const imported = await t.app.inject({ method: 'POST', url: '/api/console/candidates/import', payload: await candidateWorkbook(rows), headers: { authorization: `Bearer ${tok.coordA}`, 'content-type': XLSX } });
      assert.equal(imported.statusCode, 200, imported.body);
      const res = await upload('coordA', zipOf([{ name: 'Zhang-Photo.jpg', data: jpeg(14) }]));
      assert.equal(res.status, 400);
      assert.match(res.body.error.files[0].reason, /^有 2 名考生的照片文件名都是“Zhang-Photo\.jpg”（.+、.+）：请以证件号码命名这些照片$/);
    });
  });
}
