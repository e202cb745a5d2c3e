import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, isoTime } from '../../http/schemas.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { institutionFilter } from '../accounts/scope.ts';
import { auditActionName, auditEntityName, auditFieldKey, auditFieldName, auditValueKey, auditValueName, snapshotEntries } from '../accounts/audit-names.ts';

const entrySchema = z.object({
  id: z.string(),
  at: isoTime,
  actor: z.string(),
  actingFor: z.string().nullable(),
  /** 'cli' when the change was made on the kaowu command line (as `actor`), null in the console. */
  via: z.enum(['cli']).nullable(),
  action: z.string(),
  /** 中文名称 (the key itself for an action no longer named). */
  actionName: z.string(),
  entity: z.string(),
  entityName: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

/** A choice of the 对象 or 操作 filter; a field of the page's snapshots. */
const optionSchema = z.object({ key: z.string(), name: z.string() });

/** A coded value of the page's snapshots with its Chinese name; `field` is the AUDIT_VALUE_NAMES key (`entity.key` or `key`, like the fields'). */
const valueSchema = z.object({ field: z.string(), value: z.string(), name: z.string() });

const parse = (s: string | null): unknown => {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

type Snapshotted = { entity: string; before: unknown; after: unknown };

/**
 * Every key and value of the entries' before/after snapshots, with
 * the entry's entity: the top-level ones, and those of the objects nested in them
 * (an arrangement's options, a plan's sittings), which the console shows as
 * 名称：值 pairs.
 */
function* snapshotFields(entries: readonly Snapshotted[]): Generator<{ entity: string; key: string; value: unknown }> {
  for (const e of entries) {
    for (const snapshot of [e.before, e.after]) {
      for (const [key, value] of snapshotEntries(snapshot)) yield { entity: e.entity, key, value };
    }
  }
}

/**
 * The names of the fields (top-level and nested) of the page's before/after snapshots. A
 * field's key is `entity.key` where that entity names it apart (a candidate's
 * `name` is 姓名), else the plain key; a key no longer named stands for itself.
 */
function fieldsOf(entries: readonly Snapshotted[]): { key: string; name: string }[] {
  const keys = new Set<string>();
  for (const f of snapshotFields(entries)) keys.add(auditFieldKey(f.entity, f.key));
  return [...keys].sort().map((key) => ({ key, name: auditFieldName(key) }));
}

/**
 * The Chinese names of the coded values (a status, a role, a level) among the
 * string values of the page's snapshots (top-level and nested), keyed like the fields.
 */
function valuesOf(entries: readonly Snapshotted[]): { field: string; value: string; name: string }[] {
  const found = new Map<string, { field: string; value: string; name: string }>();
  for (const { entity, key, value } of snapshotFields(entries)) {
    if (typeof value !== 'string') continue;
    const field = auditValueKey(entity, key);
    const name = field === null ? null : auditValueName(field, value);
    if (field !== null && name !== null) found.set(JSON.stringify([field, value]), { field, value, name });
  }
  return [...found.values()].sort((a, b) => a.field.localeCompare(b.field) || a.value.localeCompare(b.value));
}

const time = z.string().trim().refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不正确（应为 ISO 8601）').transform((s) => new Date(Date.parse(s)).toISOString());

/** 操作日志: the operator reads all of it; an institution's admin and coordinator only their institution's lines. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/audit', {
    onRequest: requireStaff('operator', 'institution_admin', 'coordinator'),
    schema: {
      tags: ['audit'], security: [{ bearer: [] }], summary: '操作日志（按对象、操作、操作人、时间筛选）',
      querystring: z.object({
        entity: z.string().trim().max(40).optional(),
        action: z.string().trim().max(60).optional(),
        actor: z.string().trim().max(64).optional(),
        from: time.optional(),
        to: time.optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.object({
          total: z.number().int(),
          page: z.number().int(),
          pageSize: z.number().int(),
          entries: z.array(entrySchema),
          entities: z.array(optionSchema),
          actions: z.array(optionSchema),
          /** 中文名称 of the fields of this page's before/after snapshots (see fieldsOf). */
          fields: z.array(optionSchema),
          /** 中文名称 of the coded values of this page's before/after snapshots (see valuesOf). */
          values: z.array(valueSchema),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { entity, action, actor, from, to, page, pageSize } = req.query;
      const only = institutionFilter(req.staff);
      let q = db.selectFrom('audit_log');
      if (only !== null) q = q.where('institution_id', '=', only);
      const scoped = q;
      if (entity) q = q.where('entity', '=', entity);
      if (action) q = q.where('action', '=', action);
      // The account acted as, or the coordinator who really acted.
      if (actor) q = q.where((eb) => eb.or([eb('actor', '=', actor), eb('acting_for', '=', actor)]));
      if (from) q = q.where('at', '>=', from);
      if (to) q = q.where('at', '<=', to);
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
      // What the filters can offer, within the caller's scope.
      const [entities, actions] = await Promise.all([
        scoped.select('entity').distinct().orderBy('entity').limit(200).execute(),
        scoped.select('action').distinct().orderBy('action').limit(500).execute(),
      ]);
      const entries = rows.map((r) => ({
        id: r.id, at: r.at, actor: r.actor, actingFor: r.acting_for, via: r.via,
        action: r.action, actionName: auditActionName(r.action), entity: r.entity, entityName: auditEntityName(r.entity), entityId: r.entity_id,
        before: parse(r.before), after: parse(r.after),
      }));
      return {
        total, page, pageSize, entries,
        fields: fieldsOf(entries),
        values: valuesOf(entries),
        entities: entities.map((e) => ({ key: e.entity, name: auditEntityName(e.entity) })),
        actions: actions.map((a) => ({ key: a.action, name: auditActionName(a.action) })),
      };
    },
  });
};
