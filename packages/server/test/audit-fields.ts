// The fields of the audit log's before/after snapshots, as a suite's flow
// stored them: every key, top-level or nested, must have its Chinese name in
// AUDIT_FIELD_NAMES (the console's 变更 shows them field by field).

import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { AUDIT_FIELD_NAMES, auditFieldKey, snapshotEntries } from '../src/modules/accounts/audit-names.ts';

/** Every AUDIT_FIELD_NAMES key (`entity.key` or `key`) that names a key (top-level or nested) of a stored snapshot, with the actions that stored it. */
export async function storedAuditFields(db: Kysely<DB>): Promise<Map<string, Set<string>>> {
  const rows = await db.selectFrom('audit_log').select(['action', 'entity', 'before', 'after']).execute();
  const fields = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const json of [r.before, r.after]) {
      if (json === null) continue;
      for (const [key] of snapshotEntries(JSON.parse(json))) {
        const field = auditFieldKey(r.entity, key);
        fields.set(field, (fields.get(field) ?? new Set()).add(r.action));
      }
    }
  }
  return fields;
}

/** Asserts that every key of every stored snapshot has a Chinese name; returns the field keys found. */
export async function assertAuditFieldsNamed(db: Kysely<DB>): Promise<string[]> {
  const fields = await storedAuditFields(db);
  assert.ok(fields.size > 0, 'the flow audited something');
  const unnamed = [...fields].filter(([field]) => !Object.hasOwn(AUDIT_FIELD_NAMES, field)).map(([field, actions]) => `${field} (${[...actions].join(', ')})`);
  assert.deepEqual(unnamed, [], 'snapshot fields without a name in AUDIT_FIELD_NAMES');
  return [...fields.keys()];
}
