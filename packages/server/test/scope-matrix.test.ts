// The role × endpoint scope matrix. Every route under /api/console and
// /api/staff, collected from the app as it is built (so routes added later are
// covered without touching this file), is checked three ways:
//
//   (a) without a token it answers 401;
//   (b) ACCESS below says which roles may call it: every other role gets 403,
//       and no institution user's answer carries institution B's data;
//   (c) a route with an id (in its path, or an …Id in its query) called by an
//       institution-A user with institution B's ids answers 404 (path ids) or
//       at least nothing of B (query filters) — and B's rows are unchanged.
//
// A new route fails this test, naming itself, until ACCESS says who may call
// it; a new kind of id fails until B_IDS (and the fixture) has one.
//
//   node --import tsx --test packages/server/test/scope-matrix.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import { buildApp } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import { createUser } from '../src/modules/accounts/users.ts';
import { STAFF_ROLES, type StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from './helpers.ts';

// ---------------------------------------------------------------------------
// Who may call what. A key is "METHOD /path-prefix" (METHOD may be *); the
// longest matching prefix wins, an exact method before *.

const ALL = STAFF_ROLES;
const [O, IA, CO, TE, _ST, PR, TECH, GR] = ['operator', 'institution_admin', 'coordinator', 'teacher', 'student', 'proctor', 'site_technician', 'grader'] as const;

const ACCESS: Record<string, readonly StaffRole[]> = {
  // Staff session and 登录此账号
  '* /api/staff/me': ALL,
  'POST /api/staff/me/password': ALL, // one's own password; refused while acting as another account
  'POST /api/staff/act-as': [CO],
  'POST /api/staff/act-as/end': [TE],

  // The operator's exam: plans, sittings, bank, results
  '* /api/console/plans': [O],
  '* /api/console/plan-presets': [O],
  '* /api/console/sittings': [O],
  'PATCH /api/console/sittings/:sittingId/seb': [O],
  '* /api/console/bank': [O],
  '* /api/console/attempts': [O],

  // 阅卷
  '* /api/console/grading': [O, GR],
  'GET /api/console/grading/status': [O],

  // Institutions and their people
  'GET /api/console/institutions': [O, IA, CO],
  'POST /api/console/institutions': [O],
  '* /api/console/accounts': [O],
  '* /api/console/invitations': [IA],
  'GET /api/console/majors': [O, IA, CO, TE],
  '* /api/console/majors': [CO],
  'GET /api/console/classes': [O, IA, CO, TE],
  '* /api/console/classes': [CO],
  'GET /api/console/teachers': [O, IA, CO],
  '* /api/console/teachers': [CO],
  'GET /api/console/students': [O, IA, CO, TE],
  'GET /api/console/students/template': [CO, TE],
  'POST /api/console/students': [CO, TE],
  'GET /api/console/audit': [O, IA, CO],

  // 考核站点 and 考场
  'GET /api/console/sites': [O, IA, CO, TECH],
  'POST /api/console/sites': [CO, IA],
  'POST /api/console/sites/:siteId/approve': [O],
  'POST /api/console/sites/:siteId/reject': [O],
  'POST /api/console/sites/:siteId/disable': [O],
  'POST /api/console/sites/:siteId/agreement': [O],
  '* /api/console/sites/:siteId/rooms': [O, CO],

  // 考前准备
  'GET /api/console/readiness': [O, IA, CO, TECH],
  '* /api/console/readiness/marks': [O, CO, TECH],
  'GET /api/console/env-checks': [O, CO, TECH],

  // 考生管理, 报考, 结算
  'GET /api/console/candidates': [O, CO, TE],
  '* /api/console/candidates': [O, CO],
  'POST /api/console/candidates/photos': [O, CO], // 照片压缩包: the roles of one photo (PUT …/:id/photo)
  '* /api/console/registrations': [O, CO],
  '* /api/console/settlements': [O, CO],

  // 考场编排, 监考安排, 打印
  '* /api/console/arrangements': [O, CO],
  '* /api/console/proctor-assignments': [O, CO],
  'GET /api/console/print': [O, CO],

  // 监考 (docs/proctoring.md), seat photos (…/seats/:registrationId/photo) included: the roles that can be assigned pass the gate; the assignment decides (404 outside it)
  '* /api/console/proctor': [O, IA, CO, TE, PR],
};

/** Routes anyone may call (no token). */
const PUBLIC = new Set(['POST /api/staff/login']);

/**
 * WebSocket routes: not HTTP requests, so none of the checks below apply (a
 * plain GET answers 404, and the token comes in the first message, never in a
 * header). Skipped here on purpose; proctoring.api.test.ts checks the proctor
 * socket's token and scope (bad token, out-of-scope room).
 */
const WEBSOCKETS = new Set(['GET /api/console/proctor/live']);

/**
 * Ids of institution B's records (and of national records) by parameter name.
 * A path parameter named `id` takes its kind from the segment before it
 * (/majors/:id → majorId).
 */
type IdKey =
  | 'institutionId' | 'userId' | 'teacherId' | 'studentId' | 'majorId' | 'classId' | 'invitationId' | 'siteId' | 'roomId'
  | 'candidateId' | 'registrationId' | 'planId' | 'sittingId' | 'questionId' | 'markingId' | 'attemptId';
const SEGMENT_KIND: Record<string, IdKey> = {
  institutions: 'institutionId', accounts: 'userId', teachers: 'teacherId', students: 'studentId', majors: 'majorId', classes: 'classId',
  invitations: 'invitationId', sites: 'siteId', rooms: 'roomId', candidates: 'candidateId', registrations: 'registrationId', plans: 'planId',
  sittings: 'sittingId', attempts: 'attemptId', users: 'userId',
};
/** Ids that belong to no institution: the same for A and B (plans are national). */
const NATIONAL: ReadonlySet<IdKey> = new Set(['planId', 'sittingId', 'questionId', 'markingId', 'attemptId']);

/**
 * Bodies that pass validation, so that a call reaches the scope check (a 400
 * would prove nothing). Keyed by "METHOD /route"; `ids` are institution B's.
 */
type Body = { json: unknown } | { raw: Buffer; type: string };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const BODIES: Record<string, (ids: Record<IdKey, string>) => Body> = {
  'POST /api/staff/act-as': (ids) => ({ json: { userId: ids.teacherId } }),
  'PATCH /api/console/majors/:id': () => ({ json: { name: '改名专业' } }),
  'PATCH /api/console/classes/:id': () => ({ json: { name: '改名班级' } }),
  'PATCH /api/console/teachers/:id': () => ({ json: { displayName: '改名教师' } }),
  'POST /api/console/sites/:siteId/rooms': () => ({ json: { name: '新考场', location: '一号楼 101', seats: 40, spareMachines: 3 } }),
  'PATCH /api/console/sites/:siteId/rooms/:roomId': () => ({ json: { seats: 41 } }),
  'PATCH /api/console/candidates/:id': () => ({ json: { name: '改名考生' } }),
  'PUT /api/console/candidates/:id/photo': () => ({ raw: PNG, type: 'image/png' }),
  'POST /api/console/sites/:siteId/reject': () => ({ json: { reason: '不符合条件' } }),
  'POST /api/console/sites/:siteId/disable': () => ({ json: {} }),
  'POST /api/console/sites/:siteId/agreement': () => ({ json: { status: 'signed' } }),
  'POST /api/console/institutions/:id/reject': () => ({ json: { reason: '不符合条件' } }),
  'POST /api/console/accounts/:id/reject': () => ({ json: { reason: '不符合条件' } }),
  'POST /api/console/arrangements/run': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId } }),
  'POST /api/console/arrangements/publish': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId } }),
  'POST /api/console/proctor-assignments/run': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId } }),
  'PUT /api/console/proctor-assignments': (ids) => ({ json: { planId: ids.planId, roomId: ids.roomId, userIds: [] } }),
  'PUT /api/console/proctor-assignments/chief': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId, userId: null } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/absences': (ids) => ({ json: { registrationIds: [ids.registrationId], reason: '开考 30 分钟后未入场' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/absences/:registrationId/cancel': () => ({ json: { reason: '误登记' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/warning': () => ({ json: { reason: '交头接耳' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/disqualify': () => ({ json: { reason: '携带手机' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/compensation': () => ({ json: { minutes: 5, reason: '计算机故障' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/force-submit': () => ({ json: { reason: '考生要求' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/switch/approve': () => ({ json: { reason: '计算机故障' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/seats/:registrationId/switch/reject': () => ({ json: { reason: '无故换机' } }),
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/broadcast': () => ({ json: { message: '请保持安静' } }),
  'POST /api/console/proctor/sittings/:sittingId/sites/:siteId/broadcast': () => ({ json: { message: '请保持安静' } }),
  'PUT /api/console/proctor/sittings/:sittingId/rooms/:roomId/sign-in/:registrationId': () => ({ json: { state: 'signed' } }),
  'PUT /api/console/proctor/sittings/:sittingId/rooms/:roomId/record': () => ({ json: { incidents: '', remarks: '' } }),
};
/** Query values that are not ids, for routes that need them. */
const QUERY_EXTRA: Record<string, Record<string, string>> = {
  'DELETE /api/console/readiness/marks': { item: 'rooms_sealed' },
};
/**
 * What of B a route may show to everyone because it is a national directory:
 * enabled exam sites, with the institution that runs them, serve candidates
 * of any institution (报考 at another institution's site).
 */
const DIRECTORY: Record<string, readonly string[]> = {
  'GET /api/console/registrations/options': ['siteId', 'siteName', 'institutionId', 'institutionName'],
};
/** Routes whose body names B's records although their path does not: checked like path ids. */
const BODY_SCOPED = new Set([
  'POST /api/staff/act-as',
  'POST /api/console/arrangements/run',
  'POST /api/console/arrangements/publish',
  'POST /api/console/proctor-assignments/run',
  'PUT /api/console/proctor-assignments',
  'PUT /api/console/proctor-assignments/chief',
]);

// ---------------------------------------------------------------------------

interface CollectedRoute {
  method: string;
  url: string;
  key: string;
  pathParams: string[];
  queryKeys: string[];
  requiredQuery: string[];
}

function accessFor(route: CollectedRoute): readonly StaffRole[] | undefined {
  let best: { len: number; exact: boolean; roles: readonly StaffRole[] } | undefined;
  const segs = route.url.split('/');
  for (const [key, roles] of Object.entries(ACCESS)) {
    const [method, path] = key.split(' ') as [string, string];
    if (method !== '*' && method !== route.method) continue;
    const ks = path.split('/');
    if (ks.length > segs.length || ks.some((s, i) => s !== segs[i])) continue;
    const exact = method !== '*';
    if (!best || ks.length > best.len || (ks.length === best.len && exact && !best.exact)) best = { len: ks.length, exact, roles };
  }
  return best?.roles;
}

function idKeyOf(route: CollectedRoute, param: string): IdKey | undefined {
  if (param !== 'id') return (param in SEGMENT_KIND_BY_PARAM ? (param as IdKey) : undefined);
  const segs = route.url.split('/');
  const before = segs[segs.indexOf(':id') - 1] ?? '';
  return SEGMENT_KIND[before];
}
const SEGMENT_KIND_BY_PARAM: Record<string, true> = Object.fromEntries(
  ['institutionId', 'userId', 'teacherId', 'studentId', 'majorId', 'classId', 'invitationId', 'siteId', 'roomId', 'candidateId', 'registrationId', 'planId', 'sittingId', 'questionId', 'markingId', 'attemptId'].map((k) => [k, true]),
);

function collect(routes: CollectedRoute[]) {
  return (r: RouteOptions) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || !/^\/api\/(console|staff)(\/|$)/.test(r.url)) continue;
      if (WEBSOCKETS.has(`${method} ${r.url}`)) continue;
      const schema = (r.schema ?? {}) as { querystring?: { shape?: Record<string, { isOptional?: () => boolean }> } };
      const shape = schema.querystring?.shape ?? {};
      routes.push({
        method,
        url: r.url,
        key: `${method} ${r.url}`,
        pathParams: [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        queryKeys: Object.keys(shape),
        requiredQuery: Object.entries(shape).filter(([, s]) => !(s.isOptional?.() ?? true)).map(([k]) => k),
      });
    }
  };
}

interface Side {
  institutionId: string;
  code: string;
  name: string;
  tokens: Partial<Record<StaffRole, string>>;
  ids: Record<IdKey, string>;
}

const PASSWORD = 'matrix-pass-1';

/** One institution with a user of every institution role and one record of every kind. */
async function buildSide(ctx: AppContext, tag: 'A' | 'B', code: string, name: string, national: { planId: string; sittingId: string }): Promise<Side> {
  const db = ctx.db;
  const now = nowIso(ctx.clock.now());
  const institutionId = newId();
  await db.insertInto('institutions').values({ id: institutionId, code, name, province: '江苏省', status: 'approved', review_note: null, reviewed_by: null, reviewed_at: now, created_at: now }).execute();
  const users: Partial<Record<StaffRole, string>> = {};
  for (const role of ['institution_admin', 'coordinator', 'teacher', 'student', 'proctor', 'site_technician'] as const) {
    const id = await createUser(db, { username: `${role}${tag}`, password: PASSWORD, role, displayName: `${name}${role}` });
    await db.updateTable('users').set({ institution_id: institutionId, phone: '13800000000' }).where('id', '=', id).execute();
    users[role] = id;
  }
  const majorId = newId();
  await db.insertInto('majors').values({ id: majorId, institution_id: institutionId, name: `${name}专业`, created_at: now }).execute();
  await db.insertInto('teacher_majors').values({ user_id: users.teacher!, major_id: majorId }).execute();
  const classId = newId();
  await db.insertInto('classes').values({ id: classId, institution_id: institutionId, major_id: majorId, name: `${name}班`, head_teacher_id: users.teacher!, counsellor_id: null, created_at: now }).execute();
  await db.updateTable('users').set({ class_id: classId, student_no: `${code}01` }).where('id', '=', users.student!).execute();
  // A second, pending coordinator (the operator reviews accounts).
  const pendingId = await createUser(db, { username: `pending${tag}`, password: PASSWORD, role: 'coordinator', displayName: `${name}待审` });
  await db.updateTable('users').set({ institution_id: institutionId, status: 'pending' }).where('id', '=', pendingId).execute();
  const invitationId = newId();
  await db.insertInto('invitations').values({
    id: invitationId, token_hash: `hash-${tag}-${newId()}`, institution_id: institutionId, role: 'coordinator', created_by: users.institution_admin!,
    created_at: now, expires_at: nowIso(ctx.clock.now() + 7 * 86_400_000), used_at: null, used_by: null,
  }).execute();
  const siteId = newId();
  await db.insertInto('sites').values({
    id: siteId, institution_id: institutionId, code: tag === 'A' ? '7001' : '7002', name: `矩阵考核站点${tag}`, address: `${name}地址`, contact_name: '联系人',
    contact_phone: '13800000000', status: 'enabled', agreement_status: 'signed', review_note: null, reviewed_by: null, reviewed_at: now, created_by: users.coordinator!, created_at: now,
  }).execute();
  const roomId = newId();
  await db.insertInto('rooms').values({ id: roomId, site_id: siteId, name: `${name}第一考场`, location: '一号楼', seats: 40, room_type: '机考', spare_machines: 3, ip_ranges: '[]', created_at: now }).execute();
  const candidateId = newId();
  await db.insertInto('candidates').values({
    id: candidateId, name: `${name}考生`, id_type: 'resident', id_number: tag === 'A' ? '11010120000101001X' : '110101200001010028', created_at: now,
    gender: '男', institution_id: institutionId, major_id: majorId, class_id: classId, phone: null, photo_name: null, created_by: users.coordinator!,
  }).execute();
  const registrationId = newId();
  await db.insertInto('registrations').values({
    id: registrationId, plan_id: national.planId, candidate_id: candidateId, level: 'junior', ticket_no: tag === 'A' ? '000000000001' : '000000000002', created_at: now,
    site_id: siteId, institution_id: institutionId, created_by: users.coordinator!,
  }).execute();

  const tokens: Partial<Record<StaffRole, string>> = {};
  for (const [role, id] of Object.entries(users)) tokens[role as StaffRole] = ctx.tokens.sign('staff', id!, 3600, ctx.clock.now());
  return {
    institutionId, code, name, tokens,
    ids: {
      institutionId, userId: pendingId, teacherId: users.teacher!, studentId: users.student!, majorId, classId, invitationId, siteId, roomId, candidateId, registrationId,
      ...national, questionId: 'PJ-J-001', markingId: 'no-such-marking', attemptId: 'no-such-attempt',
    },
  };
}

/** Everything of institution B, to prove that A's calls changed nothing. */
async function snapshotOf(ctx: AppContext, b: Side): Promise<string> {
  const db = ctx.db;
  const inst = b.institutionId;
  const parts = await Promise.all([
    db.selectFrom('institutions').selectAll().where('id', '=', inst).execute(),
    db.selectFrom('users').select(['id', 'username', 'password_hash', 'status', 'display_name', 'class_id', 'role']).where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('majors').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('classes').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('invitations').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('sites').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('rooms').selectAll().where('site_id', '=', b.ids.siteId).orderBy('id').execute(),
    db.selectFrom('candidates').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('registrations').selectAll().where('institution_id', '=', inst).orderBy('id').execute(),
    db.selectFrom('readiness_marks').selectAll().where('site_id', '=', b.ids.siteId).execute(),
  ]);
  return JSON.stringify(parts);
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`scope matrix on ${kind}`, { skip }, () => {
    let database: TestDatabase;
    let ctx: AppContext & { close(): Promise<void> };
    let app: Awaited<ReturnType<typeof buildApp>>['app'];
    const routes: CollectedRoute[] = [];
    let A: Side;
    let B: Side;
    const national: Partial<Record<StaffRole, string>> = {};
    /** Strings only B's records have: none may reach an A user (but see DIRECTORY). */
    let bMarkers: { what: string; value: string }[] = [];

    const tokenOf = (side: Side, role: StaffRole) => (role === 'operator' || role === 'grader' ? national[role]! : side.tokens[role]!);

    async function call(route: CollectedRoute, opts: { token?: string; ids?: Record<IdKey, string>; fakeIds?: boolean; body?: Body }) {
      let url = route.url;
      for (const p of route.pathParams) {
        const k = idKeyOf(route, p);
        const value = opts.fakeIds || !k || !opts.ids ? 'zz-no-such-record' : opts.ids[k];
        url = url.replace(`:${p}`, encodeURIComponent(value));
      }
      const query = new URLSearchParams();
      for (const q of route.queryKeys) {
        const extra = QUERY_EXTRA[route.key]?.[q];
        if (extra !== undefined) query.set(q, extra);
        else if (q in SEGMENT_KIND_BY_PARAM && opts.ids && !opts.fakeIds) query.set(q, opts.ids[q as IdKey]);
        else if (route.requiredQuery.includes(q)) query.set(q, q in SEGMENT_KIND_BY_PARAM ? 'zz-no-such-record' : '1');
      }
      const qs = query.toString();
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let payload: string | Buffer | undefined;
      if (opts.body && 'json' in opts.body) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(opts.body.json);
      } else if (opts.body && 'raw' in opts.body) {
        headers['content-type'] = opts.body.type;
        payload = opts.body.raw;
      }
      const res = await app.inject({ method: route.method as 'GET', url: qs ? `${url}?${qs}` : url, headers, ...(payload !== undefined ? { payload } : {}) });
      return { status: res.statusCode, raw: res.body, url: qs ? `${url}?${qs}` : url };
    }

    const leakOf = (route: CollectedRoute, raw: string) => {
      const m = bMarkers.find((x) => raw.includes(x.value) && !DIRECTORY[route.key]?.includes(x.what));
      return m && `${m.what} ${m.value}`;
    };

    before(async () => {
      database = await freshDatabase(kind);
      ctx = await openContext(
        { DATABASE_URL: database.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined },
        { schema: database.schema, log: pino({ level: 'silent' }) },
      );
      ({ app } = await buildApp(ctx, { logger: false, onRoute: collect(routes) }));
      await app.ready();

      const cert = await ctx.db.selectFrom('certificates').select('id').executeTakeFirstOrThrow();
      const planId = newId();
      const now = nowIso(ctx.clock.now());
      await ctx.db.insertInto('plans').values({ id: planId, certificate_id: cert.id, name: '全国统考（矩阵）', exam_date: '2026-12-19', registration_deadline: null, created_at: now, code: '261219' }).execute();
      const nat = { planId, sittingId: 'no-such-sitting' };
      for (const role of ['operator', 'grader'] as const) {
        national[role] = ctx.tokens.sign('staff', await createUser(ctx.db, { username: `${role}N`, password: PASSWORD, role, displayName: role }), 3600, ctx.clock.now());
      }
      A = await buildSide(ctx, 'A', '30001', '甲矩阵学院', nat);
      B = await buildSide(ctx, 'B', '30002', '乙矩阵学院', nat);
      bMarkers = [
        { what: 'institutionName', value: B.name },
        { what: 'siteName', value: '矩阵考核站点B' },
        ...Object.entries(B.ids).filter(([k]) => !NATIONAL.has(k as IdKey)).map(([what, value]) => ({ what, value })),
      ];
    });
    after(async () => {
      await app?.close();
      await ctx?.close();
      await database?.drop();
    });

    test('the routes are collected, and every one has an entry in ACCESS', (t) => {
      assert.ok(routes.length >= 40, `only ${routes.length} routes collected`);
      const missing = routes.filter((r) => !PUBLIC.has(r.key) && !accessFor(r)).map((r) => r.key);
      t.diagnostic(`${routes.length} routes under /api/console and /api/staff`);
      assert.deepEqual(missing, [], `routes without an entry in ACCESS (scope-matrix.test.ts): add who may call them:\n  ${missing.join('\n  ')}`);
    });

    test('(a) without a token every console and staff route answers 401', async () => {
      const wrong: string[] = [];
      for (const r of routes) {
        if (PUBLIC.has(r.key)) continue;
        const res = await call(r, { fakeIds: true });
        if (res.status !== 401) wrong.push(`${r.key} → ${res.status}`);
        const forged = await call(r, { fakeIds: true, token: 'eyJraW5kIjoic3RhZmYifQ.forged' });
        if (forged.status !== 401) wrong.push(`${r.key} with a forged token → ${forged.status}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('(c) institution B\'s ids in an institution-A user\'s call: 404, nothing of B, nothing changed', async (t) => {
      const before = await snapshotOf(ctx, B);
      const problems: string[] = [];
      let checked = 0;
      const checkedRoutes: string[] = [];
      for (const r of routes) {
        const roles = accessFor(r);
        if (!roles) continue;
        const idParams = r.pathParams;
        const idQuery = r.queryKeys.filter((q) => q in SEGMENT_KIND_BY_PARAM);
        const bodyScoped = BODY_SCOPED.has(r.key);
        if (!idParams.length && !idQuery.length && !bodyScoped) continue;
        const institutionRoles = roles.filter((role) => role !== 'operator' && role !== 'grader');
        if (!institutionRoles.length) continue; // only the operator's own staff may call it
        const unknown = idParams.filter((p) => !idKeyOf(r, p));
        if (unknown.length) {
          problems.push(`${r.key}: no institution-B id for :${unknown.join(', :')} — add it to SEGMENT_KIND / B_IDS and the fixture`);
          continue;
        }
        const sample = BODIES[r.key];
        const needsBody = ['POST', 'PUT', 'PATCH'].includes(r.method);
        for (const role of institutionRoles) {
          const res = await call(r, { token: tokenOf(A, role), ids: B.ids, body: sample?.(B.ids) });
          checked++;
          checkedRoutes.push(r.key);
          const leak = leakOf(r, res.raw);
          if (leak) problems.push(`${role} ${r.key} (${res.url}) → ${res.status} shows B's ${leak}`);
          // A path id, a required query id or an id in the body names the record: 404. An optional query id only filters a list.
          const strict = idParams.some((p) => !NATIONAL.has(idKeyOf(r, p)!)) || bodyScoped
            || idQuery.some((q) => r.requiredQuery.includes(q) && !NATIONAL.has(q as IdKey));
          if (strict && res.status !== 404) {
            const hint = res.status === 400 && needsBody && !sample ? ' — add a valid sample body to BODIES so the call reaches the scope check' : '';
            problems.push(`${role} ${r.key} (${res.url}) → ${res.status}, expected 404${hint}: ${res.raw.slice(0, 200)}`);
          } else if (!strict && res.status !== 404 && !(res.status >= 200 && res.status < 300)) {
            problems.push(`${role} ${r.key} (${res.url}) → ${res.status}, expected 404 or an answer without B: ${res.raw.slice(0, 200)}`);
          }
        }
      }
      assert.ok(checked >= 20, `only ${checked} calls checked`);
      t.diagnostic(`${checked} calls with institution B's ids over ${new Set(checkedRoutes).size} routes`);
      assert.deepEqual(problems, []);
      assert.equal(await snapshotOf(ctx, B), before, 'institution B\'s records changed');
    });

    test('(b) ACCESS holds: the listed roles get through, every other role gets 403, and A never sees B', async () => {
      const problems: string[] = [];
      for (const r of routes) {
        const roles = accessFor(r);
        if (PUBLIC.has(r.key) || !roles) continue; // a route without an entry fails the first test
        for (const role of STAFF_ROLES) {
          // Made-up ids: an allowed role gets 404 or 400 (never 401/403) and nothing changes.
          const res = await call(r, { token: tokenOf(A, role), fakeIds: true, body: ['POST', 'PUT', 'PATCH'].includes(r.method) ? { json: {} } : undefined });
          const allowed = roles.includes(role);
          if (allowed && (res.status === 401 || res.status === 403)) problems.push(`${role} may call ${r.key} (ACCESS) but got ${res.status}: ${res.raw.slice(0, 160)}`);
          if (!allowed && res.status !== 403) problems.push(`${role} may not call ${r.key} (ACCESS) but got ${res.status}`);
          if (allowed && role !== 'operator') {
            const leak = leakOf(r, res.raw);
            if (leak) problems.push(`${role} ${r.key} shows B's ${leak}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  });
}
