import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { systemClock, type AppContext, type Clock } from './context.ts';
import { openDatabase, type DatabaseOptions } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { TokenSigner } from './http/tokens.ts';
import { QuestionStore } from './modules/bank/question-store.ts';
import { SittingCatalog } from './modules/plans/sitting-catalog.ts';
import { ensureReferenceData } from './modules/plans/reference-data.ts';
import { signingSecret } from './secret.ts';

export interface OpenOptions extends DatabaseOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the database, migrates it, loads reference data: everything a process needs. */
export async function openContext(config: Pick<Config, 'DATABASE_URL' | 'KAOWU_SECRET' | 'LOG_LEVEL'> & Partial<Pick<Config, 'DATABASE_SCHEMA'>>, opts: OpenOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  const log = opts.log ?? pino({ level: config.LOG_LEVEL });
  const schema = opts.schema ?? config.DATABASE_SCHEMA;
  const database = await openDatabase(config.DATABASE_URL, { ...opts, schema });
  try {
    await migrateToLatest(database.db, database.dialect, database.dialect === 'postgres' ? schema : undefined);
    await ensureReferenceData(database.db);
    const secret = await signingSecret(database.db, config.KAOWU_SECRET);
    return {
      db: database.db,
      dialect: database.dialect,
      clock: opts.clock ?? systemClock,
      tokens: new TokenSigner(secret),
      questions: new QuestionStore(database.db),
      sittings: new SittingCatalog(database.db),
      log,
      close: () => database.close(),
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
