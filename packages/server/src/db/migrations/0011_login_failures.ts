import type { Kysely } from 'kysely';

/**
 * Wrong passwords counted per username typed, not per account: login_failures
 * holds a row for any name that failed recently, known or not, so an unknown
 * name locks exactly like a real one and the lock tells nobody which names
 * exist (login-throttle.ts). The three counting columns of users (0009) go;
 * a lock running at the upgrade is forgotten, as it would be 15 minutes later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  for (const column of ['failed_logins', 'failed_login_at', 'locked_until']) await db.schema.alterTable('users').dropColumn(column).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('failed_login_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
  await db.schema.dropTable('login_failures').execute();
}
