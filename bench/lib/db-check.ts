import SQLite from 'better-sqlite3';
import pg from 'pg';

export interface StoredState {
  answers: Map<string, { answer: string; seq: number }>;
  attempts: { total: number; submitted: number };
}

const key = (attemptId: string, questionId: string) => `${attemptId}\u0000${questionId}`;

/** Reads the answers and the sitting's attempts straight from the database file (read-only). */
export function readSqlite(file: string, sittingId: string | null, table = 'answers'): StoredState {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const answers = new Map<string, { answer: string; seq: number }>();
    for (const r of db.prepare(`SELECT attempt_id, question_id, answer, seq FROM ${table}`).iterate() as IterableIterator<{ attempt_id: string; question_id: string; answer: string; seq: number }>) {
      answers.set(key(r.attempt_id, r.question_id), { answer: r.answer, seq: Number(r.seq) });
    }
    let attempts = { total: 0, submitted: 0 };
    if (sittingId) {
      const row = db
        .prepare(`SELECT count(*) AS total, sum(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END) AS submitted FROM attempts WHERE sitting_id = ?`)
        .get(sittingId) as { total: number; submitted: number | null };
      attempts = { total: Number(row.total), submitted: Number(row.submitted ?? 0) };
    }
    return { answers, attempts };
  } finally {
    db.close();
  }
}

export async function readPostgres(url: string, sittingId: string): Promise<StoredState> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const answers = new Map<string, { answer: string; seq: number }>();
    const rows = await client.query<{ attempt_id: string; question_id: string; answer: string; seq: string | number }>('SELECT attempt_id, question_id, answer, seq FROM answers');
    for (const r of rows.rows) answers.set(key(r.attempt_id, r.question_id), { answer: r.answer, seq: Number(r.seq) });
    const a = await client.query<{ total: string; submitted: string | null }>(
      `SELECT count(*) AS total, sum(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END) AS submitted FROM attempts WHERE sitting_id = $1`,
      [sittingId],
    );
    return { answers, attempts: { total: Number(a.rows[0]!.total), submitted: Number(a.rows[0]!.submitted ?? 0) } };
  } finally {
    await client.end();
  }
}

/** A fresh database on the PostgreSQL server of `adminUrl`; `drop` removes it. */
export async function createPgDatabase(adminUrl: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `kaowu_bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
