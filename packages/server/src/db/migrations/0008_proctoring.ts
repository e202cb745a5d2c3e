import type { Kysely } from 'kysely';

/**
 * The proctor console (manual part 6):
 * - attempts.client_id: the one exam client allowed to write to the attempt;
 *   a second machine waits in machine_switches until a proctor approves it;
 * - registrations.last_login_at/_ip: a candidate who logged in but has not
 *   entered shows as waiting (候考) on the seat map;
 * - proctor_actions: what proctors (and the system) did in a room, with the
 *   reason: absences, warnings, disqualifications, time compensation, forced
 *   hand-ins, broadcasts, machine switches. The room record is built from it;
 * - absences: 缺考 per sitting and registration (one row, removable);
 * - room_records: 考场情况记录表 of a room and sitting, with its signatures;
 * - sign_in_marks: the sign-in sheet as the proctors marked it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attempts').addColumn('client_id', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('last_login_at', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('last_login_ip', 'text').execute();

  await db.schema
    .createTable('machine_switches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // pending | approved | rejected
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('machine_switches_attempt').on('machine_switches').columns(['attempt_id', 'state']).execute();

  await db.schema
    .createTable('proctor_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sitting_id', 'text', (c) => c.notNull().references('sittings.id'))
    .addColumn('room_id', 'text', (c) => c.references('rooms.id'))
    .addColumn('registration_id', 'text', (c) => c.references('registrations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.references('users.id')) // null: the system
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('proctor_actions_sitting').on('proctor_actions').columns(['sitting_id', 'kind', 'at']).execute();
  await db.schema.createIndex('proctor_actions_registration').on('proctor_actions').columns(['registration_id']).execute();
  // The automatic 5-minute warning goes out once per sitting, whichever node sends it.
  await db.schema
    .createIndex('proctor_actions_auto_once')
    .on('proctor_actions')
    .columns(['sitting_id', 'kind'])
    .unique()
    .where('kind', '=', 'auto-warning')
    .execute();

  await db.schema
    .createTable('absences')
    .addColumn('sitting_id', 'text', (c) => c.notNull().references('sittings.id'))
    .addColumn('registration_id', 'text', (c) => c.notNull().references('registrations.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('absences_pk', ['sitting_id', 'registration_id'])
    .execute();

  await db.schema
    .createTable('room_records')
    .addColumn('sitting_id', 'text', (c) => c.notNull().references('sittings.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
    .addColumn('record', 'text', (c) => c.notNull()) // JSON: the form's fields
    .addColumn('signatures', 'text', (c) => c.notNull()) // JSON: [{ userId, name, duty, at }]
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_records_pk', ['sitting_id', 'room_id'])
    .execute();

  await db.schema
    .createTable('sign_in_marks')
    .addColumn('sitting_id', 'text', (c) => c.notNull().references('sittings.id'))
    .addColumn('registration_id', 'text', (c) => c.notNull().references('registrations.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // signed | absent
    .addColumn('by_user', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_marks_pk', ['sitting_id', 'registration_id'])
    .execute();
}
