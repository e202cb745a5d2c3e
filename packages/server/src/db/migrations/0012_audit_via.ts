import type { Kysely } from 'kysely';

/**
 * Where an audited change was made: 'cli' for the kaowu command line (acting as
 * its --as account), null for the console. Older lines were all made in the console
 * or by commands that did not audit, so null is right for them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('via', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('via').execute();
}
