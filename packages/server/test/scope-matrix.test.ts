// The role × endpoint scope matrix. Every route under /api/console and
// /api/staff, collected from the app as it is built (so routes added later are
// covered without touching this file), is checked three ways:
//
//   (a) without a token it answers 401;
//   (b) ACCESS (route-catalog.ts) says which roles may call it: every other role gets 403,
//       and no institution user's answer carries institution B's data;
//   (c) a route with an id (in its path, or an …Id in its query) called by an
//       institution-A user with institution B's ids answers 404 (path ids) or
//       at least nothing of B (query filters) — and B's rows are unchanged.
//
// A new route fails this test, naming itself, until ACCESS says who may call
// it; a new kind of id fails until route-catalog.ts (its ids and fixture) has one.
//
//   node --import tsx --test packages/server/test/scope-matrix.test.ts

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../src/context.ts';
import { STAFF_ROLES, type StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { databaseKinds } from './helpers.ts';
import {
  accessFor, BODIES, idKeyOf, isIdKey, isStaffApi, NATIONAL, openFixture, PUBLIC,
  type CallOptions, type CollectedRoute, type Fixture, type IdKey, type Side,
} from './route-catalog.ts';

// Who may call what (ACCESS), the routes as the app builds them, valid bodies
// (BODIES) and the fixture of two institutions live in route-catalog.ts,
// shared with bad-input.test.ts.

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
    let fixture: Fixture;
    let ctx: AppContext;
    /** The routes under /api/console and /api/staff. */
    let routes: CollectedRoute[] = [];
    let A: Side;
    let B: Side;
    /** Strings only B's records have: none may reach an A user (but see DIRECTORY). */
    let bMarkers: { what: string; value: string }[] = [];

    const tokenOf = (side: Side, role: StaffRole) => fixture.tokenOf(side, role);
    const call = (route: CollectedRoute, opts: CallOptions) => fixture.call(route, opts);

    const leakOf = (route: CollectedRoute, raw: string) => {
      const m = bMarkers.find((x) => raw.includes(x.value) && !DIRECTORY[route.key]?.includes(x.what));
      return m && `${m.what} ${m.value}`;
    };

    before(async () => {
      fixture = await openFixture(kind);
      ({ ctx, A, B } = fixture);
      routes = fixture.routes.filter(isStaffApi);
      bMarkers = [
        { what: 'institutionName', value: B.name },
        { what: 'siteName', value: '矩阵考核站点B' },
        ...Object.entries(B.ids).filter(([k]) => !NATIONAL.has(k as IdKey)).map(([what, value]) => ({ what, value })),
      ];
    });
    after(async () => {
      await fixture?.close();
    });

    test('the routes are collected, and every one has an entry in ACCESS', (t) => {
      assert.ok(routes.length >= 40, `only ${routes.length} routes collected`);
      const missing = routes.filter((r) => !PUBLIC.has(r.key) && !accessFor(r)).map((r) => r.key);
      t.diagnostic(`${routes.length} routes under /api/console and /api/staff`);
      assert.deepEqual(missing, [], `routes without an entry in ACCESS (route-catalog.ts): add who may call them:\n  ${missing.join('\n  ')}`);
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
        const idQuery = r.queryKeys.filter(isIdKey);
        const bodyScoped = BODY_SCOPED.has(r.key);
        if (!idParams.length && !idQuery.length && !bodyScoped) continue;
        const institutionRoles = roles.filter((role) => role !== 'operator' && role !== 'grader');
        if (!institutionRoles.length) continue; // only the operator's own staff may call it
        const unknown = idParams.filter((p) => !idKeyOf(r, p));
        if (unknown.length) {
          problems.push(`${r.key}: no institution-B id for :${unknown.join(', :')} — add it to SEGMENT_KIND / ID_KEYS and the fixture in route-catalog.ts`);
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
            const hint = res.status === 400 && needsBody && !sample ? ' — add a valid sample body to BODIES (route-catalog.ts) so the call reaches the scope check' : '';
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
