import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId, nowIso } from '../../ids.ts';
import type { AuditAction, AuditEntity } from './audit-names.ts';

/** One line of the audit log: who did what to which record, before and after. */
export async function recordAudit(
  db: Kysely<DB>, actor: string, action: AuditAction, entity: AuditEntity, entityId: string, before: unknown, after: unknown,
  more: { actingFor?: string | null; institutionId?: string | null; via?: 'cli' | null } = {},
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(), at: nowIso(), actor, action, entity, entity_id: entityId,
      before: before === null || before === undefined ? null : JSON.stringify(before),
      after: after === null || after === undefined ? null : JSON.stringify(after),
      acting_for: more.actingFor ?? null,
      institution_id: more.institutionId ?? null,
      via: more.via ?? null,
    })
    .execute();
}
