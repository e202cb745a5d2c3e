import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from './db/schema.ts';
import type { Dialect } from './db/database.ts';
import type { TokenSigner } from './http/tokens.ts';
import type { QuestionStore } from './modules/bank/question-store.ts';
import type { SittingCatalog } from './modules/plans/sitting-catalog.ts';

/** The server's clock; tests replace it to walk through a sitting. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** What every module gets: one per process, shared by all requests. */
export interface AppContext {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  tokens: TokenSigner;
  questions: QuestionStore;
  sittings: SittingCatalog;
  log: Logger;
}
