import type { Kysely } from 'kysely';

/**
 * Exam day (manual part 6):
 * - rooms.restrict_sign_in: candidates seated in the room may log in and enter
 *   only from the room's IP ranges (仅允许本考场 IP 登录); refusals are kept in
 *   sign_in_refusals so that proctors and the site technician can see them;
 * - sittings.seb_config_key: a sitting that requires Safe Exam Browser keeps the
 *   configuration's Config Key; every candidate request for it must carry the
 *   matching X-SafeExamBrowser-ConfigKeyHash;
 * - env_checks: environment checks (环境检测) of candidate machines, per room
 *   and seat, posted by the check page of the exam client.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('restrict_sign_in', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sittings').addColumn('seb_config_key', 'text').execute();
  await db.schema
    .createTable('sign_in_refusals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull().references('registrations.id'))
    .addColumn('sitting_id', 'text')
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_refusals_registration').on('sign_in_refusals').columns(['registration_id', 'at']).execute();
  await db.schema
    .createTable('env_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
    .addColumn('seat_no', 'integer', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('browser', 'text', (c) => c.notNull())
    .addColumn('browser_version', 'integer')
    .addColumn('screen_width', 'integer', (c) => c.notNull())
    .addColumn('screen_height', 'integer', (c) => c.notNull())
    .addColumn('local_storage', 'integer', (c) => c.notNull())
    .addColumn('fullscreen', 'integer', (c) => c.notNull())
    .addColumn('clock_offset_ms', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('outside_reachable', 'integer')
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull()) // JSON: Chinese messages
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('env_checks_site').on('env_checks').columns(['site_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('env_checks').execute();
  await db.schema.dropTable('sign_in_refusals').execute();
  await db.schema.alterTable('sittings').dropColumn('seb_config_key').execute();
  await db.schema.alterTable('rooms').dropColumn('restrict_sign_in').execute();
}
