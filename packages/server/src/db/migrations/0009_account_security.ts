import type { Kysely } from 'kysely';

/**
 * Account security (docs/administration.md, "Accounts and passwords"):
 * - password_changed_at: tokens issued before it no longer work;
 * - must_change_password (0/1): set by a generated or reset password, cleared by the owner's change;
 * - failed_logins, failed_login_at, locked_until: wrong passwords within the window
 *   (counted from failed_login_at, the first of them) and the lock they lead to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('failed_login_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
}
