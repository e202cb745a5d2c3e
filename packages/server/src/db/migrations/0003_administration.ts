import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

/**
 * Exam administration: institutions and their people (majors, classes,
 * teachers, students), invitations, exam sites and rooms, candidates' details,
 * registrations at a site, the seat arrangement, proctor assignments, and the
 * marks a site sets on its readiness checklist.
 *
 * Scopes hang off `institution_id`: an institution's staff see only rows of
 * their institution; a site belongs to one institution; proctors see only the
 * rooms of their assignments.
 */
export async function up(db: Kysely<any>, { dialect }: MigrationContext): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('institutions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique()) // 院校代码
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    // pending → approved | rejected (by the operator)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Staff of an institution, students, proctors: all are users. status: pending (signed up,
  // awaiting review) | active | rejected | disabled.
  await db.schema.alterTable('users').addColumn('institution_id', 'text').execute();
  await db.schema.alterTable('users').addColumn('status', 'text', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
  await db.schema.alterTable('users').addColumn('review_note', 'text').execute();
  // Students: their class and 学号.
  await db.schema.alterTable('users').addColumn('class_id', 'text').execute();
  await db.schema.alterTable('users').addColumn('student_no', 'text').execute();
  await db.schema.createIndex('users_institution').on('users').columns(['institution_id', 'role']).execute();

  // "Log in as": the audit log says who really acted.
  await db.schema.alterTable('audit_log').addColumn('acting_for', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('institution_id', 'text').execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('majors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('majors_name', ['institution_id', 'name'])
    .execute();

  await db.schema
    .createTable('classes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
    .addColumn('major_id', 'text', (c) => c.references('majors.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('head_teacher_id', 'text') // 班主任 (a user)
    .addColumn('counsellor_id', 'text') // 辅导员 (a user)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('classes_name', ['institution_id', 'name'])
    .execute();

  // Which majors a teacher teaches (回避: never proctor candidates of those majors).
  await db.schema
    .createTable('teacher_majors')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('major_id', 'text', (c) => c.notNull().references('majors.id'))
    .addPrimaryKeyConstraint('teacher_majors_pk', ['user_id', 'major_id'])
    .execute();

  // Single-use, expiring invitation links (the token itself is never stored).
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by', 'text')
    .execute();

  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique()) // 4 digits, part of ticket numbers
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    // pending → enabled (审核通过已启用) | rejected; enabled → disabled
    .addColumn('status', 'text', (c) => c.notNull())
    // 考务协议: none | sent | signed
    .addColumn('agreement_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sites_institution').on('sites').column('institution_id').execute();

  await db.schema
    .createTable('rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('room_type', 'text', (c) => c.notNull()) // 机考
    .addColumn('spare_machines', 'integer', (c) => c.notNull())
    .addColumn('ip_ranges', 'text', (c) => c.notNull().defaultTo('[]')) // JSON: CIDR strings
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rooms_name', ['site_id', 'name'])
    .execute();

  // Plans get a short numeric code for ticket numbers.
  await db.schema.alterTable('plans').addColumn('code', 'text').execute();

  // Candidates' details (考生管理).
  for (const col of ['gender', 'institution_id', 'major_id', 'class_id', 'phone', 'photo_name', 'created_by']) {
    await db.schema.alterTable('candidates').addColumn(col, 'text').execute();
  }
  await db.schema.createIndex('candidates_institution').on('candidates').column('institution_id').execute();
  await db.schema
    .createTable('candidate_photos')
    .addColumn('candidate_id', 'text', (c) => c.primaryKey().references('candidates.id'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .execute();

  // Registrations (报考) happen at a site; the institution pays (结算).
  await db.schema.alterTable('registrations').addColumn('site_id', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('institution_id', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('created_by', 'text').execute();
  await db.schema.createIndex('registrations_site').on('registrations').columns(['plan_id', 'site_id']).execute();

  // 考场编排: one row per plan and site; seats per registration.
  await db.schema
    .createTable('arrangements')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // draft | published
    .addColumn('options', 'text', (c) => c.notNull()) // JSON
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]')) // JSON: Chinese messages
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('arrangements_pk', ['plan_id', 'site_id'])
    .execute();
  await db.schema
    .createTable('seat_assignments')
    .addColumn('registration_id', 'text', (c) => c.primaryKey().references('registrations.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
    .addColumn('seat_no', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('seat_assignments_seat', ['plan_id', 'room_id', 'seat_no'])
    .execute();

  // Proctors (监考员) of a room for a plan; a chief examiner (主考) has a site and no room.
  await db.schema
    .createTable('proctor_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('room_id', 'text', (c) => c.references('rooms.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('duty', 'text', (c) => c.notNull()) // proctor | chief
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('proctor_assignments_one_per_plan', ['plan_id', 'user_id'])
    .execute();
  await db.schema.createIndex('proctor_assignments_room').on('proctor_assignments').columns(['plan_id', 'room_id']).execute();

  // Printed papers (a readiness item) and the items a site ticks off by hand.
  await db.schema
    .createTable('print_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // tickets | door | desk | signin
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('printed_by', 'text', (c) => c.notNull())
    .addColumn('printed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('readiness_marks')
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('done_by', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('readiness_marks_pk', ['plan_id', 'site_id', 'item'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'readiness_marks', 'print_log', 'proctor_assignments', 'seat_assignments', 'arrangements',
    'candidate_photos', 'rooms', 'sites', 'invitations', 'teacher_majors', 'classes', 'majors', 'institutions',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
