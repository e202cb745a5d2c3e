import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

/**
 * The practical paper: task specs on bank rows, uploaded project zips,
 * automatic grading jobs (an outbox the grading queue works from) and the
 * marks people give.
 */
export async function up(db: Kysely<any>, { dialect, float }: MigrationContext): Promise<void> {
  // JSON TaskSpec for practical types (code, webpage, case, upload); null for theory questions.
  await db.schema.alterTable('questions').addColumn('task', 'text').execute();
  // Practical attempts: 'pending' until every task is graded, then 'complete'; null for theory.
  await db.schema.alterTable('attempts').addColumn('grading_state', 'text').execute();
  await db.schema.alterTable('attempts').addColumn('auto_score', float).execute();
  await db.schema.alterTable('attempts').addColumn('manual_score', float).execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_attempt').on('uploads').columns(['attempt_id', 'question_id']).execute();

  await db.schema
    .createTable('grading_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    // queued → running (leased) → done; failed after too many tries.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('earned', float)
    .addColumn('max', float)
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('grading_jobs_one_per_task', ['attempt_id', 'question_id'])
    .execute();
  await db.schema.createIndex('grading_jobs_state').on('grading_jobs').columns(['state', 'created_at']).execute();

  await db.schema
    .createTable('marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('grader_id', 'text', (c) => c.notNull().references('users.id'))
    // 1 and 2: independent marks; 3: arbitration.
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('total', float, (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('marks_one_per_grader', ['attempt_id', 'question_id', 'grader_id'])
    .addUniqueConstraint('marks_one_per_round', ['attempt_id', 'question_id', 'round'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['marks', 'grading_jobs', 'uploads']) await db.schema.dropTable(t).execute();
  for (const c of ['manual_score', 'auto_score', 'grading_state']) await db.schema.alterTable('attempts').dropColumn(c).execute();
  await db.schema.alterTable('questions').dropColumn('task').execute();
}
