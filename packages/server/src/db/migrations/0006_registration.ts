import type { Kysely } from 'kysely';

/**
 * Registration (报考): the last ticket serial handed out per plan and site, so
 * that concurrent batches at one site never get the same serial (the counter
 * row is updated inside the registering transaction, which locks it on
 * PostgreSQL; SQLite has one writer). Serials are never reused, even after a
 * registration is withdrawn, so a printed ticket number always means one person.
 * Also an index to find a candidate's registrations (delete checks, exports).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_serials')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_serials_pk', ['plan_id', 'site_id'])
    .execute();
  await db.schema.createIndex('registrations_candidate').on('registrations').column('candidate_id').execute();
  await db.schema.createIndex('candidates_class').on('candidates').columns(['class_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('candidates_class').execute();
  await db.schema.dropIndex('registrations_candidate').execute();
  await db.schema.dropTable('ticket_serials').execute();
}
