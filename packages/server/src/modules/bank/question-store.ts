import type { Kysely } from 'kysely';
import type { ItemType, Key, Level, PoolQuestion, TaskSpec } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';

/** A question revision as the server uses it. Rows are immutable, so they are cached. */
export interface StoredQuestion {
  id: string;
  code: string;
  type: ItemType;
  topic: string;
  stem: string;
  codeSnippet: string | null;
  options: { id: string; text: string }[];
  optionIds: string[];
  key: Key;
  points: number;
  /** Practical tasks only: checks, rubric, files (never sent to candidates as is). */
  task: TaskSpec | null;
}

type Row = Pick<DB['questions'], 'id' | 'code' | 'type' | 'topic' | 'stem' | 'code_snippet' | 'options' | 'answer_key' | 'points' | 'task'>;

function fromRow(r: Row): StoredQuestion {
  const options = JSON.parse(r.options) as { id: string; text: string }[];
  return {
    id: r.id,
    code: r.code,
    type: r.type,
    topic: r.topic,
    stem: r.stem,
    codeSnippet: r.code_snippet,
    options,
    optionIds: options.map((o) => o.id),
    key: JSON.parse(r.answer_key) as Key,
    points: Number(r.points),
    task: r.task ? (JSON.parse(r.task) as TaskSpec) : null,
  };
}

const COLUMNS = ['id', 'code', 'type', 'topic', 'stem', 'code_snippet', 'options', 'answer_key', 'points', 'task'] as const;

/**
 * Question revisions by id (cached for ever: a revision never changes), and
 * the pool of active questions per certificate and level (cached briefly: an
 * import on any node changes it).
 */
export class QuestionStore {
  private readonly byId = new Map<string, StoredQuestion>();
  private readonly pools = new Map<string, { at: number; pool: PoolQuestion[] }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly poolTtlMs = 10_000,
  ) {}

  /** A revision already in memory, without a round trip (the hot path of saving). */
  cached(id: string): StoredQuestion | undefined {
    return this.byId.get(id);
  }

  async many(ids: readonly string[]): Promise<Map<string, StoredQuestion>> {
    const missing = ids.filter((id) => !this.byId.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.db.selectFrom('questions').select(COLUMNS).where('id', 'in', missing.slice(i, i + 500)).execute();
      for (const r of rows) this.byId.set(r.id, fromRow(r));
    }
    const out = new Map<string, StoredQuestion>();
    for (const id of ids) {
      const q = this.byId.get(id);
      if (q) out.set(id, q);
    }
    return out;
  }

  async pool(certificateId: string, level: Level, now = Date.now()): Promise<PoolQuestion[]> {
    const key = `${certificateId}/${level}`;
    const cached = this.pools.get(key);
    if (cached && now - cached.at < this.poolTtlMs) return cached.pool;
    const rows = await this.db
      .selectFrom('questions')
      .select(COLUMNS)
      .where('certificate_id', '=', certificateId)
      .where('level', '=', level)
      .where('active', '=', 1)
      .orderBy('code')
      .execute();
    const pool = rows.map((r) => {
      const q = fromRow(r);
      this.byId.set(q.id, q);
      return { id: q.id, type: q.type, topic: q.topic, optionIds: q.optionIds };
    });
    this.pools.set(key, { at: now, pool });
    return pool;
  }

  invalidatePools(): void {
    this.pools.clear();
  }
}
