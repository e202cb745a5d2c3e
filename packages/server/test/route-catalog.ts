// The routes of the app as it is built, who may call each, and one fixture to
// call them with. Shared by scope-matrix.test.ts (who may call what, and whose
// data they see) and bad-input.test.ts (what a caller who may call a route
// gets for input the route must refuse).
//
// Routes are collected from the app itself (so routes added later are covered
// without touching this file); ACCESS says which staff roles may call each
// route under /api/console and /api/staff.

import type { RouteOptions } from 'fastify';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import { buildApp } from '../src/app.ts';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import { createUser } from '../src/modules/accounts/users.ts';
import { STAFF_ROLES, type StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { freshDatabase, type TestDatabase } from './helpers.ts';

// ---------------------------------------------------------------------------
// Who may call what. A key is "METHOD /path-prefix" (METHOD may be *); the
// longest matching prefix wins, an exact method before *.

const ALL = STAFF_ROLES;
const [O, IA, CO, TE, _ST, PR, TECH, GR] = ['operator', 'institution_admin', 'coordinator', 'teacher', 'student', 'proctor', 'site_technician', 'grader'] as const;

export const ACCESS: Record<string, readonly StaffRole[]> = {
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
export const PUBLIC = new Set(['POST /api/staff/login']);

/**
 * WebSocket routes: not HTTP requests, so none of the checks apply (a plain
 * GET answers 404, and the token comes in the first message, never in a
 * header). Skipped on purpose; proctoring.api.test.ts checks the proctor
 * socket's token and scope (bad token, out-of-scope room), and
 * candidate-live.api.test.ts the candidate's.
 */
export const WEBSOCKETS = new Set(['GET /api/console/proctor/live', 'GET /api/candidate/live']);

/**
 * Ids of institution B's records (and of national records) by parameter name.
 * A path parameter named `id` takes its kind from the segment before it
 * (/majors/:id → majorId).
 */
export const ID_KEYS = [
  'institutionId', 'userId', 'teacherId', 'studentId', 'majorId', 'classId', 'invitationId', 'siteId', 'roomId',
  'candidateId', 'registrationId', 'planId', 'sittingId', 'questionId', 'markingId', 'attemptId',
] as const;
export type IdKey = (typeof ID_KEYS)[number];
const SEGMENT_KIND: Record<string, IdKey> = {
  institutions: 'institutionId', accounts: 'userId', teachers: 'teacherId', students: 'studentId', majors: 'majorId', classes: 'classId',
  invitations: 'invitationId', sites: 'siteId', rooms: 'roomId', candidates: 'candidateId', registrations: 'registrationId', plans: 'planId',
  sittings: 'sittingId', attempts: 'attemptId', users: 'userId',
};
/** Ids that belong to no institution: the same for A and B (plans are national). */
export const NATIONAL: ReadonlySet<IdKey> = new Set(['planId', 'sittingId', 'questionId', 'markingId', 'attemptId']);
export const isIdKey = (name: string): name is IdKey => (ID_KEYS as readonly string[]).includes(name);

/**
 * Bodies that pass validation, keyed by "METHOD /route"; `ids` name the
 * records the call is about. The scope matrix sends them with institution B's
 * ids (so that a call reaches the scope check: a 400 would prove nothing);
 * the bad-input test spoils them one field at a time.
 */
export type Body = { json: unknown } | { raw: Buffer | string; type: string };
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
export const BODIES: Record<string, (ids: Record<IdKey, string>) => Body> = {
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
  // Bodies the scope check needs none of (the operator's own routes, the public and candidate APIs, optional bodies): the bad-input test spoils them.
  'POST /api/staff/login': () => ({ json: { username: 'operatorN', password: PASSWORD } }),
  'POST /api/staff/me/password': () => ({ json: { currentPassword: PASSWORD, newPassword: 'Another-pass-2026' } }),
  'POST /api/console/bank/import': () => ({ json: { filename: 'bank.yaml', content: 'certificate: python-dev\n' } }),
  'PUT /api/console/grading/items/:markingId/mark': () => ({ json: { items: [{ id: 'r1', points: 1 }], comment: '好', reason: '复核' } }),
  'POST /api/console/sites': () => ({ json: { name: '新站点', address: '某市某路 1 号', contactName: '联系人', contactPhone: '13800000000' } }),
  'POST /api/console/plans': () => ({
    json: { name: '新计划', examDate: '2027-06-19', registrationDeadline: '2027-05-01 17:00', sittings: [{ level: 'junior', paper: 'theory', startsAt: '09:00', durationMin: 90 }] },
  }),
  'POST /api/console/plans/from-preset': () => ({ json: { preset: 'no-such-preset', examDate: '2027-06-19', name: '复制计划', registrationDeadline: '2027-05-01 17:00' } }),
  'PATCH /api/console/plans/:planId': () => ({ json: { name: '改名计划', registrationDeadline: '2026-12-01 17:00' } }),
  'POST /api/console/readiness/marks': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId, item: 'rooms_sealed', note: '已封闭' } }),
  'POST /api/console/registrations': (ids) => ({ json: { planId: ids.planId, siteId: ids.siteId, level: 'junior', candidateIds: [ids.candidateId] } }),
  'POST /api/console/accounts/:id/approve': () => ({ json: {} }),
  'POST /api/console/majors': () => ({ json: { name: '新专业' } }),
  'POST /api/console/classes': (ids) => ({ json: { name: '新班级', majorId: ids.majorId, headTeacherId: ids.teacherId, counsellorId: null } }),
  'POST /api/console/teachers': (ids) => ({ json: { username: 'newteacher', password: 'Teacher-pass-2026', displayName: '新教师', phone: '13800000001', majorIds: [ids.majorId] } }),
  'POST /api/console/teachers/:id/reset-password': () => ({ json: { password: 'Reset-pass-2026' } }),
  'PATCH /api/console/sittings/:sittingId/seb': () => ({ json: { configKey: 'a'.repeat(64) } }),
  'POST /api/public/institutions/signup': () => ({
    json: { code: '39999', name: '新注册学院', province: '江苏省', admin: { username: 'newadmin', password: 'Admin-pass-2026', displayName: '管理员', phone: '13800000002' } },
  }),
  'POST /api/public/invitations/:token/accept': () => ({ json: { username: 'invited1', password: 'Invited-pass-2026', displayName: '受邀人', phone: '13800000003' } }),
  'POST /api/public/env-check': (ids) => ({
    json: {
      siteCode: '7001', roomId: ids.roomId, seatNo: 1, screen: { width: 1920, height: 1080 }, localStorage: true, fullscreen: true,
      clockOffsetMs: 0, latencyMs: 20, outsideReachable: false,
    },
  }),
  'POST /api/candidate/login': () => ({ json: { ticketNo: '000000000001', idNumber: '11010120000101001X' } }),
  'PUT /api/candidate/attempts/:attemptId/answers/:questionId': () => ({ json: { answer: 'A', seq: 1, changedAt: '2026-06-20T00:30:00.000Z' } }),
  'POST /api/candidate/attempts/:attemptId/events': () => ({ json: { type: 'focus-loss', at: '2026-06-20T00:30:00.000Z', detail: '切换窗口' } }),
  'POST /api/candidate/attempts/:attemptId/questions/:questionId/run': () => ({ json: { files: { 'main.py': 'print(1)\n' } } }),
};
/** Query values that are not ids, for routes that need them. */
export const QUERY_EXTRA: Record<string, Record<string, string>> = {
  'DELETE /api/console/readiness/marks': { item: 'rooms_sealed' },
  'PUT /api/candidate/attempts/:attemptId/questions/:questionId/upload': { seq: '1', name: 'project.zip' },
  'GET /api/public/env-check/rooms': { siteCode: '7001' },
};

// ---------------------------------------------------------------------------

export interface CollectedRoute {
  method: string;
  url: string;
  key: string;
  pathParams: string[];
  queryKeys: string[];
  requiredQuery: string[];
  /** The route's zod schemas, as declared (fastify-type-provider-zod). */
  schema: { body?: unknown; querystring?: unknown; params?: unknown };
  /** Its body may hold NUL (`config.nulInBody`, http/nul-guard.ts): a candidate's answer. */
  nulInBody: boolean;
}

/** Routes under /api/console and /api/staff: those ACCESS speaks of. */
export const isStaffApi = (route: CollectedRoute) => /^\/api\/(console|staff)(\/|$)/.test(route.url);

export function accessFor(route: CollectedRoute): readonly StaffRole[] | undefined {
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

export function idKeyOf(route: CollectedRoute, param: string): IdKey | undefined {
  if (param !== 'id') return isIdKey(param) ? param : undefined;
  const segs = route.url.split('/');
  const before = segs[segs.indexOf(':id') - 1] ?? '';
  return SEGMENT_KIND[before];
}

/** An onRoute hook that collects every HTTP route under /api (HEAD and WebSockets aside). */
function collect(routes: CollectedRoute[]) {
  return (r: RouteOptions) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || !/^\/api\//.test(r.url)) continue;
      if (WEBSOCKETS.has(`${method} ${r.url}`)) continue;
      const schema = (r.schema ?? {}) as CollectedRoute['schema'];
      const shape = (schema.querystring as { shape?: Record<string, { isOptional?: () => boolean }> } | undefined)?.shape ?? {};
      routes.push({
        method,
        url: r.url,
        key: `${method} ${r.url}`,
        pathParams: [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        queryKeys: Object.keys(shape),
        requiredQuery: Object.entries(shape).filter(([, s]) => !(s.isOptional?.() ?? true)).map(([k]) => k),
        schema: { body: schema.body, querystring: schema.querystring, params: schema.params },
        nulInBody: Boolean((r.config as { nulInBody?: boolean } | undefined)?.nulInBody),
      });
    }
  };
}

export interface Side {
  institutionId: string;
  code: string;
  name: string;
  tokens: Partial<Record<StaffRole, string>>;
  ids: Record<IdKey, string>;
}

export const PASSWORD = 'matrix-pass-1';

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

/** The query a call sends: ids from `ids` (made up with `fakeIds`), QUERY_EXTRA, and '1' for other required values. */
export function queryOf(route: CollectedRoute, opts: { ids?: Record<IdKey, string>; fakeIds?: boolean }): Record<string, string> {
  const query: Record<string, string> = {};
  for (const q of route.queryKeys) {
    const extra = QUERY_EXTRA[route.key]?.[q];
    if (extra !== undefined) query[q] = extra;
    else if (isIdKey(q) && opts.ids && !opts.fakeIds) query[q] = opts.ids[q];
    else if (route.requiredQuery.includes(q)) query[q] = isIdKey(q) ? 'zz-no-such-record' : '1';
  }
  return query;
}

/** How a call fills in a route's path and query. */
export interface CallOptions {
  token?: string;
  /** Records by kind: path ids and query ids come from here. */
  ids?: Record<IdKey, string>;
  /** Every path id, and every required query id, made up. */
  fakeIds?: boolean;
  body?: Body;
  /** Path parameters as given (not encoded), over those from `ids`. */
  params?: Record<string, string>;
  /** The query string as given, instead of the one made from `ids`. */
  query?: Record<string, string>;
}

export interface CallResult {
  status: number;
  raw: string;
  url: string;
}

/** One database with two institutions (A and B), the national staff, and the app over it. */
export interface Fixture {
  database: TestDatabase;
  ctx: AppContext & { close(): Promise<void> };
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  /** Every HTTP route under /api. */
  routes: CollectedRoute[];
  A: Side;
  B: Side;
  /** Tokens of the operator and a grader (no institution). */
  national: Partial<Record<StaffRole, string>>;
  tokenOf(side: Side, role: StaffRole): string;
  call(route: CollectedRoute, opts: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export async function openFixture(kind: 'sqlite' | 'postgres'): Promise<Fixture> {
  const database = await freshDatabase(kind);
  const ctx = await openContext(
    { DATABASE_URL: database.url, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined },
    { schema: database.schema, log: pino({ level: 'silent' }) },
  );
  const routes: CollectedRoute[] = [];
  const { app } = await buildApp(ctx, { logger: false, onRoute: collect(routes) });
  await app.ready();

  const cert = await ctx.db.selectFrom('certificates').select('id').executeTakeFirstOrThrow();
  const planId = newId();
  const now = nowIso(ctx.clock.now());
  await ctx.db.insertInto('plans').values({ id: planId, certificate_id: cert.id, name: '全国统考（矩阵）', exam_date: '2026-12-19', registration_deadline: null, created_at: now, code: '261219' }).execute();
  const nat = { planId, sittingId: 'no-such-sitting' };
  const national: Partial<Record<StaffRole, string>> = {};
  for (const role of ['operator', 'grader'] as const) {
    national[role] = ctx.tokens.sign('staff', await createUser(ctx.db, { username: `${role}N`, password: PASSWORD, role, displayName: role }), 3600, ctx.clock.now());
  }
  const A = await buildSide(ctx, 'A', '30001', '甲矩阵学院', nat);
  const B = await buildSide(ctx, 'B', '30002', '乙矩阵学院', nat);

  async function call(route: CollectedRoute, opts: CallOptions): Promise<CallResult> {
    let url = route.url;
    for (const p of route.pathParams) {
      const k = idKeyOf(route, p);
      const value = opts.params?.[p] ?? (opts.fakeIds || !k || !opts.ids ? 'zz-no-such-record' : opts.ids[k]);
      url = url.replace(`:${p}`, encodeURIComponent(value));
    }
    const qs = new URLSearchParams(opts.query ?? queryOf(route, opts)).toString();
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

  return {
    database, ctx, app, routes, A, B, national, call,
    tokenOf: (side, role) => (role === 'operator' || role === 'grader' ? national[role]! : side.tokens[role]!),
    close: async () => {
      await app.close();
      await ctx.close();
      await database.drop();
    },
  };
}
