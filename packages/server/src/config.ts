import { z } from 'zod';

/** Settings from the environment; one schema, the type inferred from it. */
const configSchema = z.object({
  DATABASE_URL: z.string().default('sqlite:./data/kaowu.db'),
  /** PostgreSQL only: keep every table in this schema (created when missing). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier').optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs tokens; when unset, one is generated once and kept in the database. */
  KAOWU_SECRET: z.string().min(16).optional(),
  /** How often (ms) this node looks for attempts past their deadline. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /** Redis for the scale-out mode: grading jobs go to workers started with `npm run grader`. */
  REDIS_URL: z.string().url().optional(),
  /** Where this node's grading runs: bullmq (default with REDIS_URL), in-process (default without), off. */
  GRADING: z.enum(['in-process', 'bullmq', 'off']).optional(),
  /** Sandboxes run at once by an in-process grader or a worker (default: the number of cores). */
  GRADER_SLOTS: z.coerce.number().int().min(1).max(64).optional(),
  /** Redis key prefix of the grading queues. */
  GRADING_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]{1,40}$/).default('kaowu'),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
