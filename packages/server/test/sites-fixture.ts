// People for the site, plan and readiness tests, written straight into the
// database (institutions and users), so these tests do not depend on the
// organisations module; and API calls as one of them.

import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import type { StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { insertInstitution, insertStaff } from './admin-rows.ts';
import type { TestApp } from './helpers.ts';

export const PASSWORD = 'site-test-pass-1';

export function addInstitution(db: Kysely<DB>, code: string, name: string, status: 'pending' | 'approved' = 'approved'): Promise<string> {
  return insertInstitution(db, { code, name, province: '广东省', status });
}

export function addUser(db: Kysely<DB>, username: string, role: StaffRole, institutionId: string | null, displayName = username): Promise<string> {
  return insertStaff(db, { username, password: PASSWORD, role, displayName, institutionId });
}

export interface Reply {
  status: number;
  body: any;
  raw: string;
}

export function api(t: () => TestApp) {
  const tokens = new Map<string, string>();
  // Tokens expire by the server's clock; a test that moves it far logs in again.
  const call = async (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, retried = false): Promise<Reply> => {
    let token: string | undefined;
    if (who) {
      token = tokens.get(who);
      if (!token) {
        const res = await t().app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: who, password: PASSWORD } });
        assert.equal(res.statusCode, 200, `${who} logs in: ${res.body}`);
        token = res.json().token as string;
        tokens.set(who, token);
      }
    }
    const res = await t().app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    let parsed: any = null;
    try {
      parsed = res.json();
    } catch {
      parsed = null;
    }
    if (who && !retried && res.statusCode === 401 && parsed?.error?.code === 'INVALID_TOKEN') {
      tokens.delete(who);
      return call(who, method, url, body, true);
    }
    return { status: res.statusCode, body: parsed, raw: res.body };
  };
  return call;
}

/** A standard cast: an operator; institution A with a coordinator, admin, technician and teacher; institution B with a coordinator; C not yet approved. */
export async function standardPeople(db: Kysely<DB>) {
  const a = await addInstitution(db, '10001', '甲职业技术学院');
  const b = await addInstitution(db, '10002', '乙职业学院');
  const c = await addInstitution(db, '10003', '丙学院', 'pending');
  await addUser(db, 'op', 'operator', null, '运营甲');
  await addUser(db, 'coordA', 'coordinator', a, '甲负责人');
  await addUser(db, 'adminA', 'institution_admin', a, '甲管理员');
  await addUser(db, 'techA', 'site_technician', a, '甲技术员');
  await addUser(db, 'teacherA', 'teacher', a, '甲教师');
  await addUser(db, 'coordB', 'coordinator', b, '乙负责人');
  await addUser(db, 'coordC', 'coordinator', c, '丙负责人');
  return { a, b, c };
}

export const SITE_INPUT = { name: '甲职业技术学院考点', address: '广州市天河区中山大道 1 号', contactName: '王老师', contactPhone: '13800138000' };

/** An enabled site of institution A with signed agreement: applied by coordA, approved by op. */
export async function enabledSite(call: ReturnType<typeof api>, agreement: 'none' | 'signed' = 'signed'): Promise<string> {
  const applied = await call('coordA', 'POST', '/api/console/sites', SITE_INPUT);
  assert.equal(applied.status, 200, applied.raw);
  const id = applied.body.site.id as string;
  assert.equal((await call('op', 'POST', `/api/console/sites/${id}/approve`)).status, 200);
  if (agreement === 'signed') assert.equal((await call('op', 'POST', `/api/console/sites/${id}/agreement`, { status: 'signed' })).status, 200);
  return id;
}
