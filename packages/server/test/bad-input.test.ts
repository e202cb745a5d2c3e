// Bad input gets a clear error and changes nothing: validation on every route.
//
// Every HTTP route under /api — the console, staff, candidate and public APIs,
// collected from the app as it is built (route-catalog.ts) — is called by a
// caller who may call it (ACCESS; a candidate's token for the candidate API)
// with input it must refuse:
//
//   bodies      `{}` (when the schema has required fields), a JSON array,
//               `null`, text that is not JSON and an empty body sent as
//               application/json; each top-level field of the route's zod
//               schema with a value of the wrong type; each string (top-level,
//               or inside the valid sample body) 100,000 characters long, and
//               holding a NUL (\u0000);
//   uploads     a file of the wrong kind and an empty body with the route's
//               content type, JSON instead of a file, and text that is not JSON;
//   path ids    an unknown id, '../x', a 2,000-character id and a NUL (%00);
//   queries     no query (when a field is required), a value of the wrong type
//               for each number, enum or boolean field, and the same ids as
//               the path's in each string field.
//
// Each answer must be a 4xx (never 5xx, never 2xx) of the form
// `{ error: { code, message } }` with a Chinese message that is not an English
// dump; and every table of the database must hold the same rows afterwards
// (row counts and a hash of the rows, compared route by route).
//
// The only malformed inputs that may answer 2xx are those the route's own
// schema accepts (an all-optional body's `{}`: then they are not sent at all),
// and the made-up values of an optional query filter (a list filtered by an
// unknown id is empty, not an error) — these may not answer 5xx either.
//
// A new POST/PUT/PATCH route fails this test until it has a valid sample body
// (BODIES in route-catalog.ts), or is listed as an upload or as taking no body.
//
//   node --import tsx --test packages/server/test/bad-input.test.ts

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { MAX_ANSWER_BYTES } from '@kaowu/core';
import type { StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { createDemo } from '../src/modules/demo/demo.ts';
import { XLSX_MIME } from '../src/modules/registration/files.ts';
import { databaseKinds } from './helpers.ts';
import {
  accessFor, BODIES, isIdKey, openFixture, PUBLIC, queryOf,
  type Body, type CallResult, type CollectedRoute, type Fixture, type IdKey,
} from './route-catalog.ts';

/** Routes whose body is a file, not JSON, with the content type they read. */
const UPLOADS: Record<string, string> = {
  'POST /api/console/candidates/import': XLSX_MIME,
  'POST /api/console/students/import': XLSX_MIME,
  'PUT /api/console/candidates/:id/photo': 'image/png',
  'POST /api/console/candidates/photos': 'application/zip',
  'PUT /api/candidate/attempts/:attemptId/questions/:questionId/upload': 'application/zip',
};

/**
 * POST routes that take no body: whatever JSON comes is ignored, so a JSON
 * array or `null` is no bad input to them (and, with real ids, would do what
 * the route does). They still get a body that is not JSON, which must be
 * refused before the route runs, and bad path ids.
 */
const BODYLESS = new Set([
  'POST /api/candidate/sittings/:sittingId/attempt',
  'POST /api/candidate/attempts/:attemptId/submit',
  'POST /api/staff/act-as/end',
  'POST /api/console/sites/:siteId/approve',
  'POST /api/console/institutions/:id/approve',
  'POST /api/console/invitations',
  'POST /api/console/teachers/:id/disable',
  'POST /api/console/teachers/:id/enable',
  'POST /api/console/students/:id/reset-password',
  'POST /api/console/proctor/sittings/:sittingId/rooms/:roomId/record/sign',
]);

const LONG = 100_000;
/**
 * Strings that may hold 100,000 characters: the over-long string sent there
 * is one character longer than the route allows.
 */
const LONG_AT: Record<string, number> = {
  // A run's files are those of a files answer: up to 200 KB of code in all (MAX_ANSWER_BYTES).
  'POST /api/candidate/attempts/:attemptId/questions/:questionId/run': MAX_ANSWER_BYTES + 1,
};
const BAD_IDS: { what: string; value: string }[] = [
  { what: 'an unknown id', value: `zz-${crypto.randomBytes(8).toString('hex')}` },
  { what: "'../x'", value: '../x' },
  { what: 'a 2,000-character id', value: 'i'.repeat(2000) },
  { what: 'a NUL (%00)', value: '\0' },
];
const NOT_JSON = '{"name": 不是 JSON';

// ---------------------------------------------------------------------------
// Reading a route's zod schema (zod 4): the field kinds behind optional,
// nullable, default and transforms.

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike; shape?: Record<string, ZodLike> } };
  safeParse(value: unknown): { success: boolean };
}
const isZod = (s: unknown): s is ZodLike => typeof s === 'object' && s !== null && '_zod' in s && typeof (s as ZodLike).safeParse === 'function';

function unwrap(s: ZodLike): ZodLike {
  for (;;) {
    const def = s._zod.def;
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}
const shapeOf = (s: ZodLike): Record<string, ZodLike> => unwrap(s)._zod.def.shape ?? {};

/** Values of the wrong type for a field: a number where a string goes, a string where a number, an object where an array… */
function wrongValues(field: ZodLike): unknown[] {
  const kind = unwrap(field)._zod.def.type;
  const candidates: unknown[] =
    kind === 'string' || kind === 'enum' || kind === 'literal' ? [12345, { text: 'x' }]
      : kind === 'number' || kind === 'int' || kind === 'bigint' ? ['abc', [1]]
        : kind === 'boolean' ? ['abc', 1]
          : kind === 'array' ? [{}, 'abc']
            : kind === 'object' || kind === 'record' ? [[], 'abc']
              : [12345, 'abc', {}, []];
  // Only values the field itself refuses (a union may take several types).
  return candidates.filter((v) => !field.safeParse(v).success);
}

/** Where a value holds strings: paths to every string in it. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}
function withValue(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (!path.length) return leaf;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path.at(-1)!] = leaf;
  return copy;
}

// ---------------------------------------------------------------------------
// What a refusal must look like.

const CHINESE = /[\u3400-\u9fff]/;
/** Four English words in a row: a framework's or a library's message passed through. */
const ENGLISH_SENTENCE = /[A-Za-z]{2,}(?:[\s,;:'"’-]+[A-Za-z]{2,}){3,}/;

/** What is wrong with an answer that should refuse the input (null: nothing). `lenient`: a 2xx is fine too. */
function wrongAnswer(res: CallResult, lenient = false): string | null {
  if (lenient && res.status >= 200 && res.status < 300) return null;
  if (res.status < 400 || res.status >= 500) return `answered ${res.status}${lenient ? '' : ', expected 4xx'}: ${res.raw.slice(0, 200)}`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(res.raw);
  } catch {
    return `${res.status} without a JSON body: ${res.raw.slice(0, 200)}`;
  }
  const { code, message } = body.error ?? {};
  if (typeof code !== 'string' || typeof message !== 'string') return `${res.status} not of the form { error: { code, message } }: ${res.raw.slice(0, 200)}`;
  if (!CHINESE.test(message)) return `${res.status} ${code} with a message not in Chinese: ${message.slice(0, 200)}`;
  const english = ENGLISH_SENTENCE.exec(message);
  if (english) return `${res.status} ${code} passes on an English message ("${english[0]}"): ${message.slice(0, 200)}`;
  return null;
}

// ---------------------------------------------------------------------------
// Every table: its row count and a hash of its rows.

async function snapshot(fx: Fixture): Promise<Map<string, string>> {
  const { db, dialect } = fx.ctx;
  const tables = dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)).rows;
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    out.set(name, `${rows.length} rows, ${crypto.createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12)}`);
  }
  return out;
}
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).map((n) => `${n}: ${before.get(n) ?? 'none'} → ${after.get(n) ?? 'none'}`);
}

// ---------------------------------------------------------------------------

interface Probe {
  what: string;
  body?: Body;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A 2xx is fine too (see the head of this file). */
  lenient?: boolean;
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`bad input on ${kind}`, { skip }, () => {
    let fx: Fixture;
    let routes: CollectedRoute[] = [];
    /** The candidate's token and records (a practical attempt of a demo plan). */
    let candidate: { token: string; ids: Record<IdKey, string> };
    let tables: Map<string, string>;

    /** Who calls a route: a role ACCESS allows (institution A's, or national), a candidate, or nobody. */
    function callerOf(r: CollectedRoute): { token?: string; ids: Record<IdKey, string>; who: string } {
      if (r.url.startsWith('/api/candidate/') && r.url !== '/api/candidate/login') return { token: candidate.token, ids: candidate.ids, who: 'candidate' };
      if (r.url.startsWith('/api/public/') || PUBLIC.has(r.key) || r.url === '/api/candidate/login') return { ids: fx.A.ids, who: 'anyone' };
      const role = accessFor(r)?.[0] as StaffRole | undefined;
      if (!role) throw new Error(`${r.key} has no entry in ACCESS (route-catalog.ts)`);
      return { token: fx.tokenOf(fx.A, role), ids: fx.A.ids, who: role };
    }

    const hasBody = (r: CollectedRoute) => ['POST', 'PUT', 'PATCH'].includes(r.method);
    const bodySchema = (r: CollectedRoute) => (isZod(r.schema.body) ? r.schema.body : undefined);
    const querySchema = (r: CollectedRoute) => (isZod(r.schema.querystring) ? r.schema.querystring : undefined);

    /** A body the route accepts, for calls whose fault lies elsewhere (a path id, a query value). */
    function goodBody(r: CollectedRoute, ids: Record<IdKey, string>): Body | undefined {
      if (UPLOADS[r.key]) return r.key in BODIES ? BODIES[r.key]!(ids) : { raw: Buffer.from('PK\u0003\u0004 not really a file'), type: UPLOADS[r.key]! };
      return BODIES[r.key]?.(ids);
    }

    /** Sends the probes to one route; returns what went wrong, the change of any table included. */
    async function probe(r: CollectedRoute, probes: Probe[]): Promise<string[]> {
      const caller = callerOf(r);
      const problems: string[] = [];
      for (const p of probes) {
        const res = await fx.call(r, { token: caller.token, ids: caller.ids, body: p.body, params: p.params, query: p.query });
        const wrong = wrongAnswer(res, p.lenient);
        if (wrong) problems.push(`${r.key} as ${caller.who}, ${p.what}: ${wrong}`);
      }
      const after = await snapshot(fx);
      const changed = changes(tables, after);
      if (changed.length) problems.push(`${r.key} as ${caller.who}: bad input changed data — ${changed.join('; ')}`);
      tables = after;
      return problems;
    }

    /** The probes `probesOf` makes for each route (none: not sent), sent route by route; fails listing every problem. */
    async function probeEach(t: TestContext, probesOf: (r: CollectedRoute) => Probe[], note?: () => string): Promise<void> {
      const problems: string[] = [];
      let calls = 0;
      for (const r of routes) {
        const probes = probesOf(r);
        if (!probes.length) continue;
        calls += probes.length;
        problems.push(...(await probe(r, probes)));
      }
      t.diagnostic(`${calls} calls${note ? `; ${note()}` : ''}`);
      assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
    }

    before(async () => {
      fx = await openFixture(kind);
      routes = fx.routes;
      // A demo plan whose practical sitting is open now, and its candidate's attempt.
      const demo = await createDemo(fx.ctx, { candidates: 1, level: 'junior', startsAt: fx.ctx.clock.now() - 60_000, papers: 'practical' });
      const login = await fx.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: demo.candidates[0]!.ticketNo, idNumber: demo.candidates[0]!.idNumber } });
      assert.equal(login.statusCode, 200, login.body);
      const token = login.json().token as string;
      const attempt = await fx.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(attempt.statusCode, 200, attempt.body);
      const { attemptId, questions } = attempt.json() as { attemptId: string; questions: { id: string; task?: unknown }[] };
      const question = questions.find((q) => q.task) ?? questions[0]!;
      candidate = { token, ids: { ...fx.A.ids, planId: demo.planId, sittingId: demo.sittingId, attemptId, questionId: question.id } };
      tables = await snapshot(fx);
    });
    after(async () => {
      await fx?.close();
    });

    test('every route that takes a body has a valid sample, or is an upload, or takes none', (t) => {
      const problems: string[] = [];
      for (const r of routes.filter(hasBody)) {
        const schema = bodySchema(r);
        const listed = [UPLOADS[r.key] && 'UPLOADS', BODYLESS.has(r.key) && 'BODYLESS'].filter(Boolean);
        if (schema && listed.length) problems.push(`${r.key} declares a body schema but is listed in ${listed.join(' and ')}`);
        else if (!schema && listed.length !== 1) problems.push(`${r.key} declares no body schema: list it in UPLOADS (a file) or BODYLESS (no body) in bad-input.test.ts`);
        else if (schema && !BODIES[r.key]) problems.push(`${r.key}: add a valid sample body to BODIES (route-catalog.ts)`);
        else if (schema && !schema.safeParse((BODIES[r.key]!(callerOf(r).ids) as { json: unknown }).json).success) problems.push(`${r.key}: its sample in BODIES no longer passes the route's schema`);
      }
      t.diagnostic(`${routes.length} routes under /api; ${routes.filter((r) => bodySchema(r)).length} with a JSON body, ${Object.keys(UPLOADS).length} uploads, ${BODYLESS.size} without a body`);
      assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
    });

    test('malformed JSON bodies: 4xx with a Chinese error, nothing changed', async (t) => {
      const validPerSchema: string[] = [];
      const anyType: string[] = [];
      const probesOf = (r: CollectedRoute): Probe[] => {
        const schema = bodySchema(r);
        if (!hasBody(r) || !schema) return [];
        const { ids } = callerOf(r);
        const base = (BODIES[r.key]?.(ids) as { json: unknown } | undefined)?.json ?? {};
        const probes: Probe[] = [];
        // The generic bad shapes; one the schema accepts (an optional body's null, an all-optional {}) is no bad input.
        for (const [what, json] of [['{}', {}], ['a JSON array', []], ['null', null]] as const) {
          if (schema.safeParse(json).success) validPerSchema.push(`${r.key} ${what}`);
          else probes.push({ what: `body ${what}`, body: { json } });
        }
        probes.push({ what: 'a body that is not JSON', body: { raw: NOT_JSON, type: 'application/json' } });
        probes.push({ what: 'an empty application/json body', body: { raw: '', type: 'application/json' } });
        // The sample with one field of the wrong type.
        for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
          const wrong = wrongValues(fieldSchema);
          if (!wrong.length) anyType.push(`${r.key}: its schema takes a value of any type for ${field}`);
          for (const value of wrong) {
            probes.push({ what: `${field} = ${JSON.stringify(value)}`, body: { json: { ...(base as object), [field]: value } } });
          }
        }
        // The sample with one string 100,000 characters long: each string in it, and each top-level string field it leaves out.
        const paths = stringPaths(base);
        for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
          if (!(field in (base as object)) && unwrap(fieldSchema)._zod.def.type === 'string') paths.push([field]);
        }
        const long = LONG_AT[r.key] ?? LONG;
        for (const path of paths) {
          probes.push({ what: `${path.join('.')} ${long.toLocaleString('en')} characters long`, body: { json: withValue(base, path, 'x'.repeat(long)) } });
          // A candidate's answer may hold NUL: it is stored as JSON text, and refusing it would lose it.
          if (!r.nulInBody) probes.push({ what: `${path.join('.')} holding a NUL (\\u0000)`, body: { json: withValue(base, path, 'a\u0000b') } });
        }
        return probes;
      };
      await probeEach(t, probesOf, () => `accepted by the schema, so not sent: ${validPerSchema.join(', ')}`);
      assert.deepEqual(anyType, []);
    });

    test('uploads of the wrong kind, empty, or JSON; bodies of bodyless routes that are not JSON', async (t) => {
      await probeEach(t, (r) => {
        const type = UPLOADS[r.key];
        const notJson: Probe = { what: 'a body that is not JSON', body: { raw: NOT_JSON, type: 'application/json' } };
        if (type) {
          return [
            { what: `a file that is not ${type}`, body: { raw: Buffer.from('这不是文件，只是文字。'), type } },
            { what: `an empty ${type} body`, body: { raw: Buffer.alloc(0), type } },
            { what: 'JSON instead of a file', body: { json: { file: 'x' } } },
            notJson,
          ];
        }
        return BODYLESS.has(r.key) ? [notJson] : [];
      });
    });

    test('bad path ids: unknown, ../x, 2,000 characters, NUL — 4xx, nothing changed', async (t) => {
      await probeEach(t, (r) => {
        const body = hasBody(r) && r.pathParams.length ? goodBody(r, callerOf(r).ids) : undefined;
        return r.pathParams.flatMap((param) => BAD_IDS.map(({ what, value }) => ({ what: `:${param} ${what}`, params: { [param]: value }, body })));
      });
    });

    test('bad query strings: missing, wrong types, bad ids — 4xx (an optional filter may match nothing), nothing changed', async (t) => {
      await probeEach(t, (r) => {
        const schema = querySchema(r);
        if (!schema) return [];
        const { ids } = callerOf(r);
        const base = queryOf(r, { ids });
        const body = hasBody(r) ? goodBody(r, ids) : undefined;
        const probes: Probe[] = [];
        if (r.requiredQuery.length) probes.push({ what: 'no query', query: {}, body });
        for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
          const kind = unwrap(fieldSchema)._zod.def.type;
          const wrong = kind === 'number' ? ['abc', '1.5', '-1'] : kind === 'enum' ? ['zz-not-a-choice'] : kind === 'boolean' ? ['maybe'] : [];
          for (const value of wrong.filter((v) => !fieldSchema.safeParse(v).success)) probes.push({ what: `${field}=${value}`, query: { ...base, [field]: value }, body });
          if (kind !== 'string') continue;
          for (const { what, value } of BAD_IDS) {
            // A value too long for any field is refused; an unknown or odd value of an optional filter may simply match nothing.
            const strict = value.length > 1000 || (isIdKey(field) && r.requiredQuery.includes(field));
            probes.push({ what: `${field} ${what}`, query: { ...base, [field]: value }, body, lenient: !strict });
          }
        }
        return probes;
      });
    });
  });
}

